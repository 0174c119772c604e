"""Charts with matplotlib (Agg: no display), written as PNG or SVG. The only module
that imports matplotlib; it is loaded only when a chart is asked for."""

from __future__ import annotations

import os
from typing import Any

from afterview.errors import BadInput
from afterview.outfile import check_destination

__all__ = [
    "MISSING",
    "available",
    "check_destination",
    "funnel_chart",
    "funnel_svg",
    "inline_svg",
    "require",
    "save",
]

#: what to say when matplotlib is not installed (it comes with the `charts` extra)
MISSING = (
    "charts need matplotlib, which the base install leaves out: "
    "pipx inject afterview matplotlib, or pip install 'afterview[charts]'"
)


def available() -> bool:
    """True when matplotlib can be imported (the `charts` extra is installed)."""
    import importlib.util

    try:
        return importlib.util.find_spec("matplotlib") is not None
    except (ImportError, ValueError):  # a broken or blocked install counts as missing
        return False


def require(option: str = "plot") -> None:
    """Refuse a chart before anything is computed or written when matplotlib is missing."""
    if not available():
        raise BadInput(option, MISSING)


def funnel_chart(stats: dict[str, Any], path: str) -> None:
    """The funnel and the applications per week, side by side, into `path` (.png or .svg)."""
    save(_figure(stats), path)


def funnel_svg(stats: dict[str, Any]) -> str:
    """The same chart as an inline `<svg>` element (for a page: no file, nothing external)."""
    return inline_svg(_figure(stats))


def save(fig: Any, path: str, option: str = "plot") -> None:
    """Write a figure to `path` (.png or .svg), atomically; BadInput names `option`."""
    kind = os.path.splitext(path)[1].lower()
    if kind not in (".png", ".svg"):
        raise BadInput(option, f"expected a file ending in .png or .svg, got {path!r}")
    check_destination(path, option)
    tmp = f"{path}.{os.getpid()}.tmp{kind}"
    try:
        fig.savefig(tmp, format=kind[1:], metadata=_metadata(kind))
        os.replace(tmp, path)
    except OSError as exc:
        raise BadInput(option, f"cannot write {path}: {exc.strerror}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def inline_svg(fig: Any) -> str:
    """A figure as an `<svg>` element to put inside a page (no XML prologue, no date)."""
    import io

    out = io.StringIO()
    fig.savefig(out, format="svg", metadata=_metadata(".svg"))
    text = out.getvalue()
    return text[text.index("<svg") :]


def _new_figure(width: float, height: float) -> Any:
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    # Labels come from the user (rubric items): drawn as written, never as TeX ($…$);
    # the same chart gives the same SVG; a glyph the font lacks is drawn as a box quietly.
    matplotlib.rcParams["text.parse_math"] = False
    matplotlib.rcParams["svg.hashsalt"] = "afterview"
    warnings.filterwarnings(
        "ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning
    )
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def insights_charts(view: dict[str, Any]) -> dict[str, Any]:
    """The figures of `afterview insights`: `trends` (each rubric item over time) and
    `reliability` (confidence against what happened); a figure is left out when there
    is nothing to draw."""
    figs: dict[str, Any] = {}
    if view["scores"]:
        figs["trends"] = _trends_figure(view)
    if view["calibration"]["n"]:
        figs["reliability"] = _reliability_figure(view)
    return figs


def insights_chart(view: dict[str, Any], path: str) -> None:
    """Both insights charts side by side into `path` (.png or .svg)."""
    fig = _new_figure(11, 4.2)
    left, right = fig.subplots(1, 2)
    _draw_trends(left, view)
    _draw_reliability(right, view)
    save(fig, path)


def _trends_figure(view: dict[str, Any]) -> Any:
    fig = _new_figure(7, 3.6)
    _draw_trends(fig.subplots(), view)
    return fig


def _reliability_figure(view: dict[str, Any]) -> Any:
    fig = _new_figure(4.4, 3.8)
    _draw_reliability(fig.subplots(), view)
    return fig


_COLOURS = (
    "#2456c7", "#1a7f37", "#b42318", "#9a6700", "#6e40c9", "#0e7490", "#c2410c", "#4d7c0f",
    "#be185d", "#374151", "#7c3aed", "#0369a1", "#a16207", "#15803d", "#9f1239", "#1e3a8a",
)  # fmt: skip


def _draw_trends(ax: Any, view: dict[str, Any]) -> None:
    from datetime import datetime

    for item in view["rubric"]:
        pts = [
            (datetime.fromisoformat(r["at"]), r["scores"][item])
            for r in view["scores"]
            if item in r["scores"]
        ]
        if pts:
            label = item.replace("_", " ")
            ax.plot(
                [p[0] for p in pts],
                [p[1] for p in pts],
                marker="o",
                label=label if len(label) <= 28 else label[:27] + "…",
                color=_COLOURS[len(ax.lines) % len(_COLOURS)],
            )
    ax.set_ylim(0.5, 5.5)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.set_ylabel("score (1–5)")
    ax.set_title(f"Rubric over time ({view['assessed']} assessed)")
    ax.tick_params(axis="x", labelrotation=30)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize="small", loc="lower right")


def _draw_reliability(ax: Any, view: dict[str, Any]) -> None:
    cal = view["calibration"]
    ax.plot([0, 100], [0, 100], linestyle="--", color="#5b6475", label="perfectly calibrated")
    for b in cal["bins"]:
        if not b["n"]:
            continue
        colour = "#2456c7" if b["enough"] else "#b0b7c3"
        ax.scatter(
            [b["mean_confidence"]],
            [b["moved_on_rate"] * 100],
            s=40 + 25 * b["n"],
            color=colour,
            zorder=3,
        )
        ax.annotate(
            f"n={b['n']}",
            (b["mean_confidence"], b["moved_on_rate"] * 100),
            textcoords="offset points",
            xytext=(6, 6),
            fontsize="small",
        )
    ax.set_xlim(0, 100)
    ax.set_ylim(-5, 105)
    ax.set_xlabel("your confidence (%)")
    ax.set_ylabel("moved on (%)")
    note = "" if cal["enough"] else f" — too few to judge (under {view['minimums']['calibration']})"
    ax.set_title(f"Calibration, {cal['n']} interviews{note}", fontsize="medium")


def _metadata(kind: str) -> dict[str, Any]:
    return {"Software": None} if kind == ".png" else {"Date": None}


def _figure(stats: dict[str, Any]) -> Any:
    fig = _new_figure(10, 4)
    left, right = fig.subplots(1, 2, width_ratios=[1, 2])
    stages = list(stats["funnel"])
    values = [stats["funnel"][s] for s in stages]
    bars = left.barh(stages[::-1], values[::-1], color="#2456c7")
    left.bar_label(bars, padding=3)
    left.set_title("Funnel")
    left.set_xlabel("applications")
    weeks = stats["applications_per_week"]
    right.bar([w["week_of"] for w in weeks], [w["applied"] for w in weeks], color="#1a7f37")
    right.set_title("Applications per week")
    from matplotlib.ticker import MaxNLocator

    right.yaxis.set_major_locator(MaxNLocator(integer=True))
    left.xaxis.set_major_locator(MaxNLocator(integer=True))
    right.set_ylabel("applied")
    step = max(1, len(weeks) // 12)
    right.set_xticks(range(0, len(weeks), step))
    right.set_xticklabels(
        [weeks[i]["week_of"] for i in range(0, len(weeks), step)], rotation=45, ha="right"
    )
    rate, ghosting = stats["response_rate"], stats["ghosting_rate"]
    title = "Response rate " + (f"{rate:.0%}" if rate is not None else "n/a")
    if ghosting is not None:
        title += f" · ghosting {ghosting:.0%}"
    fig.suptitle(title)
    return fig
