"""`afterview report`: one self-contained HTML file — trends, calibration, the question
bank and the next steps — with the charts as inline SVG and nothing loaded from outside
(no script, no stylesheet link, no image file, no font), laid out to print."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from afterview.core.timeutil import zone
from afterview.services.context import Context

_COMMENT = re.compile(r"<!--.*?-->", re.S)


def report_data(ctx: Context) -> dict[str, Any]:
    """Everything the report shows, as plain data (also its `--json`)."""
    from afterview.core.questions import TAGS
    from afterview.services.insights import insights_view
    from afterview.services.questions import question_bank

    view = insights_view(ctx)
    bank = question_bank(ctx)
    by_tag = {t: [q for q in bank["questions"] if q["tag"] == t] for t in TAGS}
    return {
        "generated_at": ctx.now.isoformat(),
        "insights": view,
        "questions": {t: qs for t, qs in by_tag.items() if qs},
        "repeated": bank["repeated"],
        "next_steps": next_steps(ctx, view, bank),
    }


def next_steps(
    ctx: Context, view: dict[str, Any], bank: dict[str, Any]
) -> list[dict[str, str | None]]:
    """What to do next, from what the data says: `{"do": text, "command": command or None}`."""
    steps: list[dict[str, str | None]] = []

    def step(do: str, command: str | None = None) -> None:
        steps.append({"do": do, "command": command})

    facts = ctx.facts()
    apps = {a.id: a for a in facts.applications}
    assessed = {s["interview_id"] for s in view["scores"]}
    for iv in sorted(facts.interviews, key=lambda i: i.start):
        app = apps[iv.application_id]
        if ctx.now < iv.start <= ctx.now + timedelta(days=14):
            step(
                f"Prepare for {app.company} ({app.role}) on {iv.start.astimezone(zone(iv.tz)):%d %b}.",
                f"afterview prep {iv.id}",
            )
        elif iv.end <= ctx.now and iv.id not in assessed and ctx.now - iv.end <= timedelta(days=30):
            step(
                f"Assess your interview at {app.company} while you remember it.",
                f"afterview assess {iv.id}",
            )
    for w in view["weakest"][:2]:
        if w["mean"] < 3.5 and w["n"] >= 3:
            step(
                f"Practise {w['item'].replace('_', ' ')}: {w['mean']:.1f} of 5 over your last {w['n']}."
            )
    answers = {q["id"]: q["answer"] for q in bank["questions"]}
    for g in bank["repeated"][:5]:
        if not any(answers.get(i) for i in g["ids"]):
            step(
                f"Write your best answer to '{g['text']}' (asked {g['times']} times).",
                f"afterview questions answer {g['ids'][0]}",
            )
    cal = view["calibration"]
    if cal["enough"] and cal["mean_confidence"] - cal["base_rate"] * 100 > 15:
        step(
            "Your confidence runs ahead of results: keep applying while you wait for every answer."
        )
    elif not cal["enough"]:
        step(
            "Give your confidence after each interview: calibration needs more of them.",
            "afterview assess INTERVIEW --confidence 0..100",
        )
    return steps


def render_report(data: dict[str, Any]) -> str:
    """The report as one HTML document."""
    import jinja2

    from afterview.charts import available, inline_svg, insights_charts

    charts = (
        {
            name: _clean(inline_svg(fig), name)
            for name, fig in insights_charts(data["insights"]).items()
        }
        if available()
        else {}
    )  # without matplotlib, the report says what the charts would show in words only
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("afterview", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("report.html.j2").render(d=data, v=data["insights"], charts=charts)


def _clean(svg: str, prefix: str) -> str:
    """An inline chart without comments (they repeat the labels' text) or a fixed size,
    its ids prefixed so that two charts in one page never share one."""
    svg = _COMMENT.sub("", svg)
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r'(href="#|url\(#)([^")]+)', rf"\1{prefix}-\2", svg)
    return re.sub(r'(<svg[^>]*?) width="[^"]*" height="[^"]*"', r"\1", svg, count=1)


def write_report(ctx: Context, path: str) -> dict[str, Any]:
    """Write the report to `path` (atomically; `-` is standard output) and return its data."""
    if path == "-":
        import sys

        data = report_data(ctx)
        sys.stdout.write(render_report(data))
        return data
    from afterview.outfile import check_destination, write_atomically

    check_destination(path, "out")
    data = report_data(ctx)
    write_atomically(path, render_report(data).encode("utf-8"), "out")
    return data
