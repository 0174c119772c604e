"""`afterview insights` (trends and calibration) and `afterview prep INTERVIEW`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from afterview.cli.app import cli, emit_json, json_option, settings, want_json
from afterview.cli.id_completion import complete_interviews


@cli.command("insights")
@click.option(
    "--plot", metavar="FILE", help="Also draw the trends and the calibration (.png or .svg)."
)
@json_option
def insights_cmd(plot: str | None, as_json: bool) -> None:
    """How your self-assessments move over time and per round, how well your confidence
    predicted what happened, and which rubric items tell your interviews apart."""
    from afterview.services.insights import insights_view

    if plot is not None:
        from afterview.charts import require

        require("plot")
    view = insights_view(settings().context())
    if plot is not None:
        from afterview.charts import insights_chart

        insights_chart(view, plot)
        click.echo(f"Chart written to {plot}.", err=True)  # stdout stays the figures
    if want_json(as_json):
        emit_json(view)
        return
    for line in insights_lines(view):
        click.echo(line)


def insights_lines(v: dict[str, Any]) -> list[str]:
    """The insights as plain text lines (also used by the report)."""
    if not v["assessed"]:
        return ["No self-assessment yet: after an interview, `afterview assess INTERVIEW`."]
    m = v["minimums"]
    n = v["assessed"]
    out = [f"{n} interview{'s' if n != 1 else ''} assessed, {v['with_result']} with a result.", ""]
    out.append(f"Rubric over time (a trend needs {m['trend']} scores over four weeks):")
    for t in v["trends"]:
        slope = t["slope_per_month"]
        per = f"{slope:+.2f}/month " if slope is not None else ""
        out.append(
            f"  {t['item']:<16} mean {t['mean']:.1f} (n={t['n']}), first {t['first']:g}, last {t['last']:g}  {per}{t['word']}"
        )
    for r in v["by_round"]:
        label = "round 3+" if r["round"] == 3 else f"round {r['round']}"
        parts = [f"{k} {x['mean']:.1f} (n={x['n']})" for k, x in r["items"].items()]
        out.append(f"  {label}: " + (", ".join(parts) or "no scores"))
    c = v["calibration"]
    out += ["", "Calibration (your confidence against what happened):"]
    if not c["n"]:
        out.append("  No interview has both a confidence and a result yet.")
    else:
        rate = c["base_rate"]
        out.append(
            f"  Brier score {c['brier']:.2f} over {c['n']} (always guessing {rate:.0%} would score {c['reference']:.2f}; 0 is perfect)."
        )
        out.append(
            f"  {c['verdict']}"
            if c["enough"]
            else f"  Too few to judge: {c['n']} of the {m['calibration']} needed; keep giving --confidence."
        )
        for b in c["bins"]:
            if b["n"]:
                warn = "" if b["enough"] else f" (under {m['bin']}: not enough to read)"
                out.append(
                    f"  {b['low']}–{b['high']}%: {b['n']} interview{'s' if b['n'] != 1 else ''}, you said {b['mean_confidence']:.0f}% on average, {b['moved_on_rate']:.0%} moved on{warn}"
                )
    out += [
        "",
        f"What tells your interviews apart (AUC: 0.5 is no signal; needs {m['group']} on each side):",
    ]
    for s in v["separation"]:
        if not s["n_moved_on"] and not s["n_not"]:
            continue
        if s["auc"] is None:
            out.append(
                f"  {s['item']}: not enough data ({s['n_moved_on']} moved on, {s['n_not']} did not)"
            )
        else:
            out.append(
                f"  {s['item']}: {s['mean_moved_on']:.1f} when you moved on, {s['mean_not']:.1f} when not (AUC {s['auc']:.2f}; {s['n_moved_on']} vs {s['n_not']})"
            )
    if v["weakest"]:
        out += [
            "",
            "Weakest lately: "
            + ", ".join(f"{w['item']} {w['mean']:.1f} (n={w['n']})" for w in v["weakest"][:3]),
        ]
    return out


@cli.command("prep")
@click.argument("interview_id", metavar="INTERVIEW", shell_complete=complete_interviews)
@json_option
def prep_cmd(interview_id: str, as_json: bool) -> None:
    """Prepare for an interview: what this company asked before, your notes and
    improvements from then, your weakest rubric items, the questions you meet most."""
    from afterview.parsing import parse_id
    from afterview.services.prep import prep_view

    ctx = settings().context()
    view = prep_view(ctx, parse_id(interview_id, "INTERVIEW"))
    if want_json(as_json):
        emit_json(view)
        return
    for line in prep_lines(view, ctx.now, ctx.user_tz):
        click.echo(line)


def prep_lines(v: dict[str, Any], now: datetime, here: str) -> list[str]:
    """The preparation sheet as plain text lines, the interview's time on the clock of
    `here` (the user's zone) and its own where that clock differs."""
    from afterview.timewords import moment

    iv = v["interview"]
    when = moment(datetime.fromisoformat(iv["start"]), now, here, iv["tz"])
    out = [f"{iv['company']}, {iv['role']} — round {iv['round']}, {when}", ""]
    out.append(f"Asked at {iv['company']} before:")
    out += [
        f"  - [{q['tag']}{'?' if q['tag_by'] == 'guess' else ''}] {q['text']}"
        + (f"\n    Your better answer: {q['answer']}" if q["answer"] else "")
        for q in v["asked_here_before"]
    ] or ["  nothing recorded (first time here, or no `assess --asked`)."]
    if v["notes_here"]:
        out += ["", "Your notes from then:"]
        for n in v["notes_here"]:
            out.append(f"  {n['start'][:10]} ({n['role']}):")
            for label, key in (
                ("went well", "went_well"),
                ("to improve", "improve"),
                ("notes", "notes"),
            ):
                if n[key]:
                    out.append(f"    {label}: {n[key]}")
            if n["topics"]:
                out.append(f"    topics: {', '.join(n['topics'])}")
    if v["weakest"]:
        out += [
            "",
            "Your weakest rubric items lately: "
            + ", ".join(f"{w['item']} ({w['mean']:.1f} over {w['n']})" for w in v["weakest"]),
        ]
    if v["most_asked"]:
        out += ["", "The questions you meet most:"]
        for g in v["most_asked"]:
            out.append(f"  {g['times']}x {g['text']} ({', '.join(g['companies'])})")
            out.append(
                f"     {'Your better answer: ' + g['answer'] if g['answer'] else 'No better answer yet: afterview questions answer ' + str(g['ids'][0])}"
            )
    return out


@cli.command("report")
@click.option("--out", required=True, metavar="FILE", help="Where to write the report (.html).")
@json_option
def report_cmd(out: str, as_json: bool) -> None:
    """One self-contained HTML page (charts inline, nothing loaded from outside, fit to
    print): next steps, trends, calibration and the question bank."""
    from afterview.report import write_report

    data = write_report(settings().context(), out)
    if want_json(as_json):
        emit_json({"out": out, **data})
        return
    if out != "-":
        click.echo(f"Report written to {out}.")
