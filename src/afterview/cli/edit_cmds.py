"""Correcting records: `application edit|delete`, `interview edit|delete` (`interview update`
is the same command as `interview edit`), `person edit`.

An option given changes that value; an empty value (`--url ""`) clears one that may be
empty. Each command prints what changed (or went, with counts); `--json` prints the
record as its page's JSON with `edit`, or what a delete removed.
"""

from __future__ import annotations

from typing import Any

import click

from afterview.cli.app import (
    EmptyOK,
    cli,
    emit_json,
    json_option,
    parse_id_arg,
    settings,
    want_json,
)
from afterview.cli.groups import application, interview
from afterview.cli.id_completion import complete_applications, complete_interviews


def _keep(value: Any) -> Any:
    """An option not given (None) is kept as it is."""
    from afterview.services.editing import KEEP

    return KEEP if value is None else value


def show_edit(ctx: Any, edited: Any, as_json: bool) -> None:
    """Print what an edit changed (and its notes on stderr), or the record with `edit`."""
    from afterview.services.editing import edited_json

    if want_json(as_json):
        emit_json(edited_json(ctx, edited))
        return
    click.echo(edited.line())
    for note in edited.notes:
        click.echo(f"note: {note}", err=True)


def show_deleted(deleted: Any, as_json: bool) -> None:
    """Print what a delete removed, with counts."""
    if want_json(as_json):
        emit_json(deleted.as_json())
    else:
        click.echo(deleted.line())


force_option = click.option(
    "--force", is_flag=True, help="Delete the record of messages that went out too."
)


# -- applications ---------------------------------------------------------------------------------
@application.command("edit")
@click.argument("application_id", metavar="ID", shell_complete=complete_applications)
@click.option("--company", help="The employer.")
@click.option("--role", help="The job title.")
@click.option("--url", cls=EmptyOK, help='The posting\'s address ("" removes it).')
@click.option(
    "--applied-on", cls=EmptyOK, metavar="DATE", help='When you applied ("": not yet, a lead).'
)
@click.option(
    "--stage",
    metavar="STAGE",
    help="Its place on the board: lead, applied, interviewing, offer, closed (archived), or "
    "auto (where its facts put it).",
)
@click.option(
    "--mail-domain",
    cls=EmptyOK,
    metavar="DOMAIN",
    help="The company's mail domain: mail from it is the employer's (\"\" removes it).",
)
@click.option("--notes", cls=EmptyOK, metavar="TEXT", help='Your notes ("" removes them).')
@json_option
def application_edit(
    application_id: str,
    company: str | None,
    role: str | None,
    url: str | None,
    applied_on: str | None,
    stage: str | None,
    mail_domain: str | None,
    notes: str | None,
    as_json: bool,
) -> None:
    """Correct an application; says what changed."""
    from afterview.services.editing import ApplicationChanges, edit_application

    ctx = settings().context()
    changes = ApplicationChanges(
        company=_keep(company),
        role=_keep(role),
        url=_keep(url),
        applied_on=_keep(applied_on),
        stage=_keep(stage),
        mail_domain=_keep(mail_domain),
        notes=_keep(notes),
    )
    show_edit(ctx, edit_application(ctx, parse_id_arg(application_id, "ID"), changes), as_json)


@application.command("delete")
@click.argument("application_id", metavar="ID", shell_complete=complete_applications)
@force_option
@json_option
def application_delete(application_id: str, force: bool, as_json: bool) -> None:
    """Delete an application with its interviews and all that hangs on them; says what went."""
    from afterview.services.deleting import delete_application

    ctx = settings().context()
    show_deleted(delete_application(ctx, parse_id_arg(application_id, "ID"), force), as_json)


# -- interviews -----------------------------------------------------------------------------------
def _renames(values: tuple[str, ...]) -> tuple[tuple[int, str], ...]:
    out = []
    for value in values:
        pid, sep, text = value.partition("=")
        if not sep:
            from afterview.errors import BadInput

            raise BadInput("--rename-interviewer", 'expected ID="Name <email>", e.g. 7="Bob Stone"')
        out.append((parse_id_arg(pid, "--rename-interviewer"), text))
    return tuple(out)


@interview.command("edit")
@click.argument("interview_id", metavar="ID", shell_complete=complete_interviews)
@click.option("--company", help="The employer (moves it to that application).")
@click.option("--role", help="The job title (moves it to that application).")
@click.option("--start", metavar="DATETIME", help="New start (keeps the length unless --end).")
@click.option("--end", metavar="DATETIME", help="New end.")
@click.option("--duration", type=int, metavar="MINUTES", help="New length in minutes.")
@click.option("--tz", metavar="ZONE", help="New timezone (alone: same wall-clock times, new zone).")
@click.option(
    "--decision-by", cls=EmptyOK, metavar="DATE", help='The decision date ("" removes it).'
)
@click.option(
    "--interviewer",
    "interviewers",
    multiple=True,
    metavar='"NAME <EMAIL>"',
    help="The interviewers, replacing the list (repeatable; the first is the organizer).",
)
@click.option(
    "--add-interviewer",
    "add",
    multiple=True,
    metavar='"NAME <EMAIL>"',
    help="Add an interviewer (repeatable).",
)
@click.option(
    "--rename-interviewer",
    "rename",
    multiple=True,
    metavar='ID="NAME <EMAIL>"',
    help="Correct an interviewer's name (and address), by person id (repeatable).",
)
@click.option(
    "--remove-interviewer",
    "remove",
    multiple=True,
    metavar="ID",
    help="Remove an interviewer, by person id (repeatable).",
)
@click.option("--topic", "topics", multiple=True, metavar="TEXT", help="Add a topic (repeatable).")
@click.option(
    "--remove-topic", "untopics", multiple=True, metavar="TEXT", help="Remove a topic (repeatable)."
)
@click.option("--notes", cls=EmptyOK, metavar="TEXT", help='Free notes ("" removes them).')
@json_option
def interview_edit(
    interview_id: str,
    company: str | None,
    role: str | None,
    start: str | None,
    end: str | None,
    duration: int | None,
    tz: str | None,
    decision_by: str | None,
    interviewers: tuple[str, ...],
    add: tuple[str, ...],
    rename: tuple[str, ...],
    remove: tuple[str, ...],
    topics: tuple[str, ...],
    untopics: tuple[str, ...],
    notes: str | None,
    as_json: bool,
) -> None:
    """Correct an interview; the plan follows. Person ids are in `interview show`."""
    from afterview.services.editing import KEEP
    from afterview.services.interview_edit import InterviewChanges, edit_interview

    ctx = settings().context()
    iv_id = parse_id_arg(interview_id, "ID")
    changes = InterviewChanges(
        company=_keep(company),
        role=_keep(role),
        start=_keep(start),
        end=_keep(end),
        duration=_keep(duration),
        tz=_keep(tz),
        decision_by=_keep(decision_by),
        interviewers=tuple(interviewers) if interviewers else KEEP,
        add_interviewers=add,
        rename_interviewers=_renames(rename),
        remove_interviewers=tuple(parse_id_arg(r, "--remove-interviewer") for r in remove),
        topics=topics,
        remove_topics=untopics,
        notes=_keep(notes),
    )
    show_edit(ctx, edit_interview(ctx, iv_id, changes), as_json)


interview.add_command(interview_edit, "update")  # the name it had first (PRODUCT.md)


@interview.command("delete")
@click.argument("interview_id", metavar="ID", shell_complete=complete_interviews)
@force_option
@json_option
def interview_delete(interview_id: str, force: bool, as_json: bool) -> None:
    """Delete an interview with all that hangs on it (its messages, drafts, outbox messages
    not sent, assessment, outcome, marks); its application stays. Says what went."""
    from afterview.services.deleting import delete_interview

    ctx = settings().context()
    show_deleted(delete_interview(ctx, parse_id_arg(interview_id, "ID"), force), as_json)


# -- people ---------------------------------------------------------------------------------------
@cli.group()
def person() -> None:
    """People: the interviewers (their ids are in `interview show`)."""


@person.command("edit")
@click.argument("person_id", metavar="ID")
@click.option("--name", help="Their name.")
@click.option("--email", cls=EmptyOK, metavar="ADDRESS", help='Their address ("" removes it).')
@json_option
def person_edit(person_id: str, name: str | None, email: str | None, as_json: bool) -> None:
    """Correct a person's name or address, on every interview they are on."""
    from afterview.services.editing import edit_person

    ctx = settings().context()
    edited = edit_person(ctx, parse_id_arg(person_id, "ID"), _keep(name), _keep(email))
    show_edit(ctx, edited, as_json)
