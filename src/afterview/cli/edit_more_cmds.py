"""Correcting records: `lead edit|delete`, `message edit|delete` (a message or call
logged), `assessment edit|delete` (named by the interview's id, as `assess` names it)."""

from __future__ import annotations

import click

from afterview.cli.app import EmptyOK, cli, json_option, parse_id_arg, settings
from afterview.cli.edit_cmds import _keep, force_option, show_deleted, show_edit
from afterview.cli.groups import lead
from afterview.cli.id_completion import complete_interviews, complete_leads


# -- leads ----------------------------------------------------------------------------------------
@lead.command("edit")
@click.argument("application_id", metavar="ID", shell_complete=complete_leads)
@click.option("--company", help="The employer.")
@click.option("--role", help="The job title.")
@click.option("--url", cls=EmptyOK, help='The posting\'s address ("" removes it).')
@click.option("--location", cls=EmptyOK, metavar="TEXT", help='Where ("" removes it).')
@click.option("--remote/--not-remote", default=None, help="Remote work or not.")
@click.option("--salary-min", cls=EmptyOK, metavar="AMOUNT", help='Lowest pay ("" removes it).')
@click.option("--salary-max", cls=EmptyOK, metavar="AMOUNT", help='Highest pay ("" removes it).')
@click.option(
    "--salary-currency", cls=EmptyOK, metavar="CODE", help='Currency, e.g. EUR ("" removes it).'
)
@click.option(
    "--salary-unit", cls=EmptyOK, metavar="UNIT", help='HOUR, DAY, WEEK, MONTH or YEAR ("").'
)
@click.option("--posted-on", cls=EmptyOK, metavar="DATE", help='When posted ("" removes it).')
@click.option("--valid-through", cls=EmptyOK, metavar="DATE", help='Open until ("" removes it).')
@json_option
def lead_edit(
    application_id: str,
    company: str | None,
    role: str | None,
    url: str | None,
    location: str | None,
    remote: bool | None,
    salary_min: str | None,
    salary_max: str | None,
    salary_currency: str | None,
    salary_unit: str | None,
    posted_on: str | None,
    valid_through: str | None,
    as_json: bool,
) -> None:
    """Correct what a lead's posting says; says what changed."""
    from afterview.services.record_edits import LeadChanges, edit_lead

    ctx = settings().context()
    changes = LeadChanges(
        company=_keep(company),
        role=_keep(role),
        url=_keep(url),
        location=_keep(location),
        remote=_keep(remote),
        salary_min=_keep(salary_min),
        salary_max=_keep(salary_max),
        salary_currency=_keep(salary_currency),
        salary_unit=_keep(salary_unit),
        posted_on=_keep(posted_on),
        valid_through=_keep(valid_through),
    )
    show_edit(ctx, edit_lead(ctx, parse_id_arg(application_id, "ID"), changes), as_json)


@lead.command("delete")
@click.argument("application_id", metavar="ID", shell_complete=complete_leads)
@force_option
@json_option
def lead_delete(application_id: str, force: bool, as_json: bool) -> None:
    """Delete a lead (and anything recorded on it); says what went."""
    from afterview.services.deleting import delete_lead

    ctx = settings().context()
    show_deleted(delete_lead(ctx, parse_id_arg(application_id, "ID"), force), as_json)


# -- messages -------------------------------------------------------------------------------------
@cli.group()
def message() -> None:
    """Messages and calls logged (their ids are in `interview show --json`, and `log` prints one)."""


@message.command("edit")
@click.argument("touch_id", metavar="ID")
@click.option("--sent", "direction", flag_value="sent", default=None, help="You sent it.")
@click.option("--received", "direction", flag_value="received", help="The employer sent it.")
@click.option("--kind", type=click.Choice(["thank_you", "follow_up", "other"]))
@click.option(
    "--to",
    cls=EmptyOK,
    metavar='"NAME <EMAIL>"',
    help='Who it went to or came from ("": as `log` without --to).',
)
@click.option("--at", metavar="DATETIME", help="When (naive: the interview's zone).")
@click.option("--note", cls=EmptyOK, metavar="TEXT", help='A note ("" removes it).')
@click.option("--force", is_flag=True, help="Keep a follow-up the rules would refuse.")
@json_option
def message_edit(
    touch_id: str,
    direction: str | None,
    kind: str | None,
    to: str | None,
    at: str | None,
    note: str | None,
    force: bool,
    as_json: bool,
) -> None:
    """Correct a message or call logged; checked as `log` checks it."""
    from afterview.services.editing import MessageChanges, edit_message

    ctx = settings().context()
    changes = MessageChanges(
        direction=_keep(direction),
        kind=_keep(kind),
        to=_keep(to),
        at=_keep(at),
        note=_keep(note),
        force=force,
    )
    show_edit(ctx, edit_message(ctx, parse_id_arg(touch_id, "ID"), changes), as_json)


@message.command("delete")
@click.argument("touch_id", metavar="ID")
@click.option(
    "--force", is_flag=True, help="Also a message afterview sent, or found in your mailbox."
)
@json_option
def message_delete(touch_id: str, force: bool, as_json: bool) -> None:
    """Delete a message or call logged; what went out stays in your mailbox."""
    from afterview.services.deleting import delete_message

    ctx = settings().context()
    show_deleted(delete_message(ctx, parse_id_arg(touch_id, "ID"), force), as_json)


# -- self-assessments -----------------------------------------------------------------------------
@cli.group()
def assessment() -> None:
    """Self-assessments, named by their interview's id (as `assess` names them)."""


@assessment.command("edit")
@click.argument("interview_id", metavar="INTERVIEW", shell_complete=complete_interviews)
@click.option(
    "--score", "scores", multiple=True, metavar="KEY=1..5", help="Set a score (repeatable)."
)
@click.option(
    "--remove-score", "unscores", multiple=True, metavar="KEY", help="Remove a score (repeatable)."
)
@click.option("--asked", multiple=True, metavar="TEXT", help="Add a question (repeatable).")
@click.option("--remove-asked", "unasked", multiple=True, metavar="TEXT", help="Remove a question.")
@click.option("--went-well", cls=EmptyOK, metavar="TEXT", help='What went well ("" removes it).')
@click.option("--improve", cls=EmptyOK, metavar="TEXT", help='What to improve ("" removes it).')
@click.option(
    "--confidence", cls=EmptyOK, metavar="0..100", help='Your estimate, % ("" removes it).'
)
@click.option("--at", metavar="DATETIME", help="When you assessed it.")
@json_option
def assessment_edit(
    interview_id: str,
    scores: tuple[str, ...],
    unscores: tuple[str, ...],
    asked: tuple[str, ...],
    unasked: tuple[str, ...],
    went_well: str | None,
    improve: str | None,
    confidence: str | None,
    at: str | None,
    as_json: bool,
) -> None:
    """Correct a self-assessment; a question kept keeps its tag and better answer."""
    from afterview.services.record_edits import AssessmentChanges, edit_assessment

    ctx = settings().context()
    changes = AssessmentChanges(
        scores=scores,
        remove_scores=unscores,
        add_asked=asked,
        remove_asked=unasked,
        went_well=_keep(went_well),
        improve=_keep(improve),
        confidence=_keep(confidence),
        at=_keep(at),
    )
    show_edit(ctx, edit_assessment(ctx, parse_id_arg(interview_id, "INTERVIEW"), changes), as_json)


@assessment.command("delete")
@click.argument("interview_id", metavar="INTERVIEW", shell_complete=complete_interviews)
@json_option
def assessment_delete(interview_id: str, as_json: bool) -> None:
    """Delete a self-assessment with its scores and questions; says what went."""
    from afterview.services.deleting import delete_assessment

    ctx = settings().context()
    show_deleted(delete_assessment(ctx, parse_id_arg(interview_id, "INTERVIEW")), as_json)
