"""Commands that record facts: application, interview, log, outcome, done, skip, profile."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import click

from afterview.cli.app import (
    cli,
    emit_id,
    emit_json,
    json_option,
    parse_id_arg,
    settings,
    want_json,
)
from afterview.cli.groups import application, interview, profile
from afterview.cli.id_completion import complete_actions, complete_done_actions, complete_interviews
from afterview.services import records, views


@application.command("add")
@click.option("--company", required=True, help="The employer.")
@click.option("--role", required=True, help="The job title.")
@click.option("--applied-on", metavar="DATE", help="When you applied (YYYY-MM-DD; default today).")
@click.option("--url", help="The posting's address.")
@json_option
def application_add(
    company: str, role: str, applied_on: str | None, url: str | None, as_json: bool
) -> None:
    """Record an application; prints its id."""
    ctx = settings().context()
    app_id = records.add_application(ctx, company, role, applied_on, url)
    record = next(a for a in views.list_applications(ctx) if a["id"] == app_id)
    day = record["applied_on"] and date.fromisoformat(record["applied_on"])
    applied = f", applied {day:%a} {day.day} {day:%b %Y}" if day else ""
    line = f"Added application {app_id}: {company} · {role}{applied}"
    emit_id(record, want_json(as_json), line)


_interviewer = click.option(
    "--interviewer",
    "interviewers",
    multiple=True,
    metavar='"NAME <EMAIL>"',
    help="An interviewer (repeatable; the first is the organizer).",
)


@interview.command("add")
@click.option("--company", required=True, help="The employer.")
@click.option("--role", required=True, help="The job title.")
@click.option("--start", required=True, metavar="DATETIME", help="When it starts (naive: in --tz).")
@click.option("--end", metavar="DATETIME", help="When it ends.")
@click.option("--duration", type=int, metavar="MINUTES", help="Length in minutes (default 60).")
@click.option("--tz", metavar="ZONE", help="IANA timezone of the interview (default: yours).")
@_interviewer
@click.option("--decision-by", metavar="DATE", help="The decision date the interviewer gave.")
@json_option
def interview_add(
    company: str,
    role: str,
    start: str,
    end: str | None,
    duration: int | None,
    tz: str | None,
    interviewers: tuple[str, ...],
    decision_by: str | None,
    as_json: bool,
) -> None:
    """Record an interview; prints its id."""
    ctx = settings().context()
    iv_id = records.add_interview(
        ctx, company, role, start, end, duration, tz, list(interviewers), decision_by
    )
    record = views.show_interview(ctx, iv_id)
    emit_id(record, want_json(as_json), f"Added interview {iv_id}: {_interview_words(ctx, record)}")


def _interview_words(ctx: Any, record: dict[str, Any]) -> str:
    """`Acme · Data Engineer, today 14:00–15:00` (with the interview's own clock when it
    differs from yours)."""
    from afterview.timewords import span_words

    start, end = datetime.fromisoformat(record["start"]), datetime.fromisoformat(record["end"])
    when = span_words(start, end, ctx.now, ctx.user_tz, record["tz"])
    return f"{record['company']} · {record['role']}, {when}"


@interview.command("show")
@click.argument("interview_id", metavar="ID", shell_complete=complete_interviews)
@json_option
def interview_show(interview_id: str, as_json: bool) -> None:
    """Show an interview's timeline: touches, actions, drafts, assessment."""
    from afterview.cli import render

    ctx = settings().context()
    data = views.show_interview(ctx, parse_id_arg(interview_id, "ID"))
    if want_json(as_json):
        emit_json(data)
    else:
        render.interview(data, ctx.now, ctx.user_tz)


@interview.command("note")
@click.argument("interview_id", metavar="ID", shell_complete=complete_interviews)
@click.option(
    "--topic", "topics", multiple=True, metavar="TEXT", help="A topic discussed (repeatable)."
)
@click.option("--text", metavar="TEXT", help="Free notes (replaces earlier notes).")
@json_option
def interview_note(
    interview_id: str, topics: tuple[str, ...], text: str | None, as_json: bool
) -> None:
    """Note topics discussed in the interview; drafts use them."""
    ctx = settings().context()
    iv = records.note_interview(ctx, parse_id_arg(interview_id, "ID"), list(topics), text)
    if want_json(as_json):
        emit_json({"id": iv.id, "topics": list(iv.topics)})
    else:
        click.echo("Topics: " + "; ".join(iv.topics) if iv.topics else "Notes saved.")


@cli.command("log")
@click.argument("interview_id", metavar="INTERVIEW_ID", shell_complete=complete_interviews)
@click.option("--sent", "direction", flag_value="sent", help="You sent it.")
@click.option("--received", "direction", flag_value="received", help="The employer sent it.")
@click.option(
    "--kind",
    type=click.Choice(["thank_you", "follow_up", "other"]),
    default="other",
    show_default=True,
)
@click.option("--to", metavar='"NAME <EMAIL>"', help="Who it went to (or came from).")
@click.option("--at", metavar="DATETIME", help="When (default now; naive: the interview's zone).")
@click.option("--note", metavar="TEXT", help="A note.")
@click.option("--force", is_flag=True, help="Record a follow-up the rules would refuse.")
@json_option
def log(
    interview_id: str,
    direction: str | None,
    kind: str,
    to: str | None,
    at: str | None,
    note: str | None,
    force: bool,
    as_json: bool,
) -> None:
    """Log a message or call, sent or received."""
    if direction is None:
        raise click.UsageError("give --sent or --received")
    ctx = settings().context()
    touch_id = records.log_touch(
        ctx, parse_id_arg(interview_id, "INTERVIEW_ID"), direction, kind, to, at, note, force
    )
    iv_id = parse_id_arg(interview_id, "INTERVIEW_ID")
    what = {"thank_you": "thank-you", "follow_up": "follow-up", "other": "message"}[kind]
    emit_id(
        {"id": touch_id, "interview_id": iv_id, "direction": direction, "kind": kind},
        want_json(as_json),
        f"Logged message {touch_id}: {what} {direction}, interview {iv_id}",
    )


@cli.command("outcome")
@click.argument("interview_id", metavar="INTERVIEW_ID", shell_complete=complete_interviews)
@click.argument(
    "result",
    type=click.Choice(["offer", "rejected", "next_round", "withdrawn"]),
    metavar="OUTCOME",
    required=False,
)
@click.option("--at", metavar="DATETIME", help="When you heard (default now).")
@click.option("--clear", is_flag=True, help="Take back the outcome recorded (no OUTCOME then).")
@json_option
def outcome(
    interview_id: str, result: str | None, at: str | None, clear: bool, as_json: bool
) -> None:
    """Record the outcome: offer, rejected, next_round or withdrawn (again: it replaces the
    one recorded); --clear takes it back."""
    ctx = settings().context()
    iv_id = parse_id_arg(interview_id, "INTERVIEW_ID")
    if clear:
        if result is not None or at is not None:
            raise click.UsageError("give OUTCOME (with --at) or --clear, not both")
        from afterview.services.editing import clear_outcome

        clear_outcome(ctx, iv_id)
        if want_json(as_json):
            emit_json({"interview_id": iv_id, "outcome": None})
        else:
            click.echo(f"Interview {iv_id}: outcome cleared. Its follow-ups are planned again.")
        return
    if result is None:
        raise click.UsageError("give OUTCOME (offer, rejected, next_round, withdrawn) or --clear")
    records.record_outcome(ctx, iv_id, result, at)
    if want_json(as_json):
        emit_json({"interview_id": iv_id, "outcome": result})
    else:
        click.echo(f"Interview {iv_id}: {result}. Its follow-ups end here.")


@cli.command("done")
@click.argument("action_id", shell_complete=complete_done_actions)
@click.option("--force", is_flag=True, help="Record it even when the rules would refuse.")
@json_option
def done(action_id: str, force: bool, as_json: bool) -> None:
    """Mark an action done: records the matching fact at now."""
    ctx = settings().context()
    action = records.done(ctx, action_id, force)
    _ended(action.id, action.state(ctx.now).value, as_json)


def _ended(action_id: str, state: str, as_json: bool) -> None:
    if want_json(as_json):
        emit_json({"id": action_id, "state": state})
    else:
        click.echo(f"{action_id}: {state}")


@cli.command("skip")
@click.argument("action_id", shell_complete=complete_actions)
@click.option("--why", required=True, metavar="TEXT", help="Why you skip it.")
@json_option
def skip(action_id: str, why: str, as_json: bool) -> None:
    """End an action without doing it."""
    ctx = settings().context()
    action = records.skip(ctx, action_id, why)
    _ended(action.id, action.state(ctx.now).value, as_json)


@profile.command("reviewed")
@click.option("--at", metavar="DATETIME", help="When (default now).")
@json_option
def profile_reviewed(at: str | None, as_json: bool) -> None:
    """Record that your profile is up to date."""
    ctx = settings().context()
    when = records.profile_reviewed(ctx, at)
    if want_json(as_json):
        emit_json({"reviewed_at": when.isoformat()})
    else:
        click.echo(f"Profile reviewed {when.isoformat()}.")
