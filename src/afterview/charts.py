"""Charts with matplotlib (Agg: no display), written as PNG or SVG. The only module
that imports matplotlib; it is loaded only when a chart is asked for."""

from __future__ import annotations

import os
from typing import Any

from afterview.errors import BadInput


def funnel_chart(stats: dict[str, Any], path: str) -> None:
    """The funnel and the applications per week, side by side, into `path` (.png or .svg)."""
    kind = os.path.splitext(path)[1].lower()
    if kind not in (".png", ".svg"):
        raise BadInput("--plot", f"expected a file ending in .png or .svg, got {path!r}")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise BadInput("--plot", f"folder {folder} does not exist")
    fig = _figure(stats)
    tmp = f"{path}.{os.getpid()}.tmp{kind}"
    try:
        fig.savefig(tmp, format=kind[1:], metadata=_metadata(kind))
        os.replace(tmp, path)
    except OSError as exc:
        raise BadInput("--plot", f"cannot write {path}: {exc.strerror}") from None


def funnel_svg(stats: dict[str, Any]) -> str:
    """The same chart as an inline `<svg>` element (for a page: no file, nothing external)."""
    import io

    out = io.StringIO()
    _figure(stats).savefig(out, format="svg", metadata=_metadata(".svg"))
    text = out.getvalue()
    return text[text.index("<svg") :]


def _metadata(kind: str) -> dict[str, Any]:
    return {"Software": None} if kind == ".png" else {"Date": None}


def _figure(stats: dict[str, Any]) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 4), layout="constrained")
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
