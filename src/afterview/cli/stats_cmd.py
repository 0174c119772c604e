"""`afterview stats`: the funnel of the search, in numbers and (with --plot) a chart."""

from __future__ import annotations

from typing import Any

import click

from afterview.cli.app import cli, emit_json, json_option, settings, want_json
from afterview.timewords import counted


def _pct(value: float | None) -> str:
    return f"{value:.0%}" if value is not None else "n/a"


def _days(value: float | None, n: int) -> str:
    return f"{counted(value, 'day')} (over {n})" if value is not None else "n/a (no case yet)"


@cli.command("stats")
@click.option("--since", metavar="DATE", help="Only applications applied on or after DATE.")
@click.option("--plot", metavar="FILE", help="Also draw the funnel and the weeks (.png or .svg).")
@json_option
def stats_cmd(since: str | None, plot: str | None, as_json: bool) -> None:
    """Leads → applied → interviewed → offer, response and ghosting rates, by company,
    by source and by week."""
    from afterview.services.stats import stats_view

    if plot:
        from afterview.charts import require

        require("plot")
    s = stats_view(settings().context(), since)
    if plot:
        from afterview.charts import funnel_chart

        funnel_chart(s, plot)
        click.echo(f"Chart written to {plot}.", err=True)  # stdout stays the figures
    if want_json(as_json):
        emit_json(s)
        return
    _print(s)


def _print(s: dict[str, Any]) -> None:
    f = s["funnel"]
    scope = f" (applied since {s['since']})" if s["since"] else ""
    click.echo(
        f"Funnel{scope}: {f['leads']} tracked → {f['applied']} applied → "
        f"{f['interviewed']} interviewed → {f['offer']} offer"
    )
    r = s["responses"]
    click.echo(f"Response rate: {_pct(s['response_rate'])} ({r['responded']} of {r['applied']})")
    n = s["samples"]
    click.echo(
        f"Median to first response: {_days(s['median_days_to_first_response'], n['first_response'])}"
    )
    click.echo(f"Median to decision: {_days(s['median_days_to_decision'], n['decision'])}")
    g = s["ghosted"]
    click.echo(
        f"Ghosting rate: {_pct(s['ghosting_rate'])} ({g['no_response']} of {g['ended']} ended interviews)"
    )
    for title, key in (("By company", "by_company"), ("By source", "by_source")):
        rows = s[key][:10]
        if rows:
            click.echo(f"{title}:")
            for row in rows:
                click.echo(
                    f"  {row['name']}: {row['applied']} applied, {row['interviewed']} interviewed, {row['offer']} offer"
                )
    weeks = s["applications_per_week"][-8:]
    if weeks:
        click.echo(
            "Applications per week: " + ", ".join(f"{w['week_of']}: {w['applied']}" for w in weeks)
        )
