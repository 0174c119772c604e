"""`afterview lead add` (a posting page into leads), `application apply`, and `goal`."""

from __future__ import annotations

import click

from afterview.cli.app import cli, emit_json, json_option, parse_id_arg, settings, want_json
from afterview.cli.groups import application, lead
from afterview.cli.id_completion import complete_applications


@lead.command("add")
@click.argument("source", metavar="FILE|URL")
@click.option("--company", help="The company, when the page does not say.")
@click.option("--title", help="The job title, when the page does not say.")
@json_option
def lead_add(source: str, company: str | None, title: str | None, as_json: bool) -> None:
    """Add the job postings of a saved page (or an address) as leads."""
    from afterview.services.leads import add_leads, read_source
    from afterview.services.leads import as_json as result_json

    ctx = settings().context()
    data, address = read_source(source)
    report = add_leads(ctx, data, address=address, company=company, title=title)
    if want_json(as_json):
        emit_json({"leads": [result_json(r) for r in report.results], "notes": report.notes})
        return
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    for r in report.results:
        p = r.posting
        where = f" · {p.location}" if p.location else ""
        remote = " · remote" if p.remote else ""
        click.echo(f"{r.application_id}\t{r.what}: {p.company} · {p.title}{where}{remote}")


@lead.command("board")
@click.argument("board", metavar="greenhouse:TOKEN|lever:SITE|lever-eu:SITE|ashby:NAME")
@click.option("--match", "words", metavar="WORDS", help="Only titles holding every word.")
@click.option("--location", metavar="TEXT", help="Only locations holding this text.")
@json_option
def lead_board(board: str, words: str | None, location: str | None, as_json: bool) -> None:
    """Add the matching postings of a company's public job board as leads."""
    from afterview.services.leads import as_json as result_json
    from afterview.services.leads import board_leads

    report = board_leads(settings().context(), board, words, location)
    results = report.results
    if want_json(as_json):
        emit_json({"leads": [result_json(r) for r in results], "notes": report.notes})
        return
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    if not results:
        click.echo("no posting on that board matches", err=True)
    for r in results:
        p = r.posting
        where = f" · {p.location}" if p.location else ""
        click.echo(f"{r.application_id}\t{r.what}: {p.company} · {p.title}{where}")


@application.command("apply")
@click.argument("application_id", metavar="ID", shell_complete=complete_applications)
@click.option("--on", "on", metavar="DATE", help="The day you applied (default: today).")
@json_option
def application_apply(application_id: str, on: str | None, as_json: bool) -> None:
    """Mark a lead (or any application) as applied: it counts for that week's target."""
    from afterview.services.leads import apply

    app_id = parse_id_arg(application_id, "ID")
    day = apply(settings().context(), app_id, on)
    if want_json(as_json):
        emit_json({"id": app_id, "applied_on": day})
    else:
        click.echo(f"application {app_id} applied on {day}")


@cli.command("goal")
@json_option
def goal_cmd(as_json: bool) -> None:
    """This week's applications against the target, the streak of weeks met, the pipeline."""
    from afterview.services.pipeline import goal_view

    view = goal_view(settings().context())
    if want_json(as_json):
        emit_json(view)
        return
    w = view["week"]
    left = max(0, w["target"] - w["applied"])
    state = "target met" if not left else f"{left} to go"
    click.echo(f"This week ({w['label']}): {w['applied']} of {w['target']} applications, {state}")
    weeks = "week" if view["streak"] == 1 else "weeks"
    click.echo(f"Streak: {view['streak']} {weeks} in a row at the target")
    marks = " ".join(
        f"{x['week'][-3:]}:{x['applied']}{'*' if x['met'] else ''}" for x in view["weeks"]
    )
    click.echo(f"Last weeks (* met): {marks}")
    pipeline = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in view["pipeline"].items())
    click.echo(f"Pipeline: {pipeline or 'empty'}")
