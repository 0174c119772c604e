"""Approving messages into the outbox, and looking after them until they are sent.

Nothing is sent without the user's approval; an approved message waits in the
outbox for the start of its action's ideal window (`core.sending.schedule_time`).
A scheduled or held message can be edited, rescheduled or cancelled, a failed one
(the server refused it) rescheduled or cancelled; an `uncertain` one (the worker died
while sending it) is settled by the user.

A message keeps the moment afterview's wording was written for (`written_for`): a
reschedule to a moment where those words no longer fit ("today" on the next day)
writes them again for the new moment; an edit makes the words the user's, which
nothing rewrites.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from afterview.core.compose import Draft
from afterview.core.model import Action, Facts, Person
from afterview.core.send_moment import same_words
from afterview.core.sending import schedule_time
from afterview.core.timeutil import utc, zone
from afterview.errors import BadInput, NotFound, Refused
from afterview.mail.headers import check_address, check_header_text
from afterview.mail.message import new_message_id
from afterview.mail.settings import MailSettings
from afterview.parsing import check_line, check_text, parse_datetime
from afterview.services.context import Context
from afterview.services.records import find_action
from afterview.store import mail as store
from afterview.store import repo
from afterview.store.mail import OutboxRow

LIVE = ("scheduled", "sending", "held", "uncertain")
MAX_BODY = 20000


def require_settings(ctx: Context) -> MailSettings:
    """Return the account's mail settings, or refuse with how to set them up."""
    settings = store.get_settings(ctx.db, ctx.account)
    if settings is None:
        raise Refused("mail is not set up: run `afterview mail setup` first (see `--help`)")
    return settings


def get(ctx: Context, message: int) -> OutboxRow:
    """Return an outbox message of this account or raise `NotFound`."""
    row = store.get_outbox(ctx.db, ctx.account, message)
    if row is None:
        raise NotFound(f"outbox message {message}: no such message (see `afterview outbox`)")
    return row


def approve(ctx: Context, draft: Draft, *, force: bool = False) -> OutboxRow:
    """Put `draft` in the outbox, scheduled at the start of its action's ideal window."""
    settings = require_settings(ctx)
    action = find_action(ctx, draft.action_id)
    if draft.to is None or not draft.to.email:
        who = draft.to.name if draft.to else "the interview team"
        raise BadInput(
            "recipient",
            f"no e-mail address for {who}; add it with `afterview interview update "
            f'{action.interview_id} --interviewer "Name <email>"`',
        )
    check_address(draft.to.email, "recipient address")
    check_header_text(draft.to.name, "recipient name")
    check_header_text(draft.subject, "subject")
    check_text(draft.body, "body", limit=MAX_BODY)
    send_at, refusal = schedule_time(action, ctx.now, force=force)
    if refusal:
        late = not action.state(ctx.now).ended  # past its due time: the user may insist
        raise Refused(f"refused: {refusal}", override="send it this late" if late else None)
    with ctx.db.transaction():
        existing = store.live_for_action(ctx.db, ctx.account, action.id)
        if existing is not None:
            raise Refused(
                f"{action.id} is already in the outbox as message {existing.id} ({existing.state}); "
                f"see `afterview outbox`"
            )
        sent = [
            r for r in store.list_outbox(ctx.db, ctx.account, ("sent",)) if r.action_id == action.id
        ]
        if sent and not force:
            raise Refused(
                f"{action.id} was already sent as message {sent[-1].id}", override="send it again"
            )
        assert action.interview_id is not None
        new_id = store.add_outbox(
            ctx.db,
            ctx.account,
            interview_id=action.interview_id,
            action_id=action.id,
            kind=action.kind.value,
            person_id=draft.to.id,
            to_name=draft.to.name,
            to_email=draft.to.email,
            subject=draft.subject,
            body=draft.body,
            message_id=new_message_id(settings.from_address),
            send_at=send_at,
            due_at=action.window.due_at,
            forced=force,
            now=ctx.now,
            written_for=draft.written_for,
        )
    return get(ctx, new_id)


def listing(ctx: Context, everything: bool = False) -> list[OutboxRow]:
    """The outbox: messages not settled yet, or every message with `everything`."""
    return store.list_outbox(ctx.db, ctx.account, () if everything else LIVE)


def cancel(ctx: Context, message: int) -> OutboxRow:
    """Take a scheduled or held message out of the outbox (nothing is sent)."""
    row = get(ctx, message)
    with ctx.db.transaction():
        if not store.move(
            ctx.db, ctx.account, message, ("scheduled", "held", "failed"), "cancelled", ctx.now,
            reason="cancelled by you",
        ):  # fmt: skip
            raise Refused(
                f"message {message} is {row.state}: only a scheduled, held or failed message can be cancelled"
            )
    return get(ctx, message)


def reschedule(ctx: Context, message: int, at: str | None, *, force: bool = False) -> OutboxRow:
    """Send a scheduled, held or failed message at `at` (default: now); this approves it again.

    A failed message (the server refused it: nothing was sent) goes again, its attempts
    counted from zero, unless its action is in the outbox again or was sent another way
    meanwhile. afterview's words are written again for `at` when they no longer fit it
    ("today" on the next day); the user's words are kept as they are.
    """
    row = get(ctx, message)
    when = parse_datetime(at, ctx.user_tz, "at", ctx.now) if at else ctx.now
    if utc(when) < utc(ctx.now):
        raise BadInput("at", "is in the past; give a time from now on")
    if utc(when) >= utc(row.due_at) and not (force or row.forced):
        due = row.due_at.astimezone(zone(ctx.user_tz))
        raise Refused(
            f"refused: the message is due by {due:%a %d %b %H:%M}", override="send it later"
        )
    with ctx.db.transaction():
        # read again under the write lock: an edit saved meanwhile makes the words the user's
        current = get(ctx, message)
        movable = current.state in ("scheduled", "held", "failed")
        words = _words_for(ctx, current, when) if movable else {}
        if row.state == "failed":
            # the server refused it, so it was not sent: it may go again, as a new approval,
            # unless the action went out another way meanwhile
            other = store.live_for_action(ctx.db, ctx.account, row.action_id)
            if other is not None:
                raise Refused(
                    f"{row.action_id} is in the outbox again as message {other.id} "
                    f"({other.state}); reschedule that one, or cancel it first"
                )
            sent = [
                r
                for r in store.list_outbox(ctx.db, ctx.account, ("sent",))
                if r.action_id == row.action_id
            ]
            if sent and not force:
                raise Refused(
                    f"{row.action_id} was sent meanwhile as message {sent[-1].id}",
                    override="send this one too",
                )
        if not store.move(
            ctx.db, ctx.account, message, ("scheduled", "held", "failed"), "scheduled", ctx.now,
            send_at=when, approved_at=ctx.now, retry_at=None, reason=None,
            forced=int(force or row.forced), attempts=0, **words,
        ):  # fmt: skip
            raise Refused(
                f"message {message} is {row.state}: only a scheduled, held or failed message "
                "can be rescheduled"
            )
    return get(ctx, message)


def _words_for(ctx: Context, row: OutboxRow, when: datetime) -> dict[str, Any]:
    """The outbox columns that make afterview's words of `row` fit the moment `when`: the
    same words when they still fit, else written again (nothing for the user's words)."""
    if row.written_for is None:
        return {}
    try:
        iv = ctx.interview(row.interview_id)
        action = find_action(ctx, row.action_id)
    except NotFound:
        return {}  # nothing to write them from: the worker holds it (not in the plan)
    due_hours = ctx.config.playbook.thank_you_due_hours
    if same_words(row.kind, iv, row.written_for, when, due_hours):
        return {"written_for": when}
    from afterview.services.composing import compose_for_action

    person = next((p for p in iv.interviewers if p.id == row.person_id), None)
    if person is None:
        person = Person(row.person_id or 0, row.to_name or row.to_email, row.to_email)
    draft = compose_for_action(ctx, action, person, when)
    return {"subject": draft.subject, "body": draft.body, "written_for": when}


def edit(
    ctx: Context,
    message: int,
    subject: str | None,
    body: str | None,
    *,
    body_field: str = "body",
) -> OutboxRow:
    """Change the subject or body of a scheduled or held message (the subject checked as
    a header: one line, no encoded word that decodes to a line break)."""
    row = get(ctx, message)
    if subject is None and body is None:
        raise BadInput("--subject/--body", "give at least one of them")
    new_subject = check_line(subject, "subject", limit=300) if subject is not None else row.subject
    new_body = check_text(body, body_field, limit=MAX_BODY) if body is not None else row.body
    with ctx.db.transaction():
        if not store.move(
            ctx.db, ctx.account, message, ("scheduled", "held"), row.state, ctx.now,
            subject=new_subject, body=new_body, written_for=None,  # the user's words now
        ):  # fmt: skip
            raise Refused(
                f"message {message} is {row.state}: only a scheduled or held message can be edited"
            )
    return get(ctx, message)


#: The most a body file may hold: MAX_BODY characters of UTF-8 (4 bytes each at most)
MAX_BODY_FILE = 4 * MAX_BODY + 4


def body_from_file(data: bytes, field: str = "body_file") -> str:
    """The text of a body file: UTF-8 (a byte-order mark is dropped), or UTF-16 when it
    starts with its byte-order mark; anything else is refused with one line."""
    import codecs

    if len(data) > MAX_BODY_FILE:
        raise BadInput(field, f"expected at most {MAX_BODY} characters of text, the file is larger")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise BadInput(
            field,
            f"is not UTF-8 text (byte {exc.start + 1} cannot be read); save it as UTF-8 and try again",
        ) from None


def confirm(ctx: Context, message: int, sent: bool) -> OutboxRow:
    """Settle an `uncertain` message: it was sent (record it) or not (hold it for you)."""
    row = get(ctx, message)
    if row.state != "uncertain":
        raise Refused(
            f"message {message} is {row.state}: only an uncertain message needs confirming"
        )
    with ctx.db.transaction():
        if sent:
            if not store.move(ctx.db, ctx.account, message, ("uncertain",), "sent", ctx.now,
                              sent_at=row.claimed_at or ctx.now, reason="confirmed sent by you"):  # fmt: skip
                raise Refused(f"message {message} changed meanwhile; look again")
            record_sent(ctx, row, row.claimed_at or ctx.now)
        elif not store.move(
            ctx.db, ctx.account, message, ("uncertain",), "held", ctx.now,
            reason="not sent (you confirmed): `afterview outbox reschedule` sends it",
        ):  # fmt: skip
            raise Refused(f"message {message} changed meanwhile; look again")
    return get(ctx, message)


def record_sent(ctx: Context, row: OutboxRow, at: datetime) -> None:
    """Record the sent message as a touch: the plan then ends its action."""
    repo.add_touch(
        ctx.db, ctx.account, row.interview_id, "sent", row.kind, row.person_id, at,
        f"sent by afterview: {row.subject}", row.forced, ctx.now, message_id=row.message_id,
    )  # fmt: skip


def action_of(ctx: Context, row: OutboxRow, facts: Facts | None = None) -> Action | None:
    """The message's action in the plan at now, or None when the plan no longer has it."""
    for a in ctx.plan(facts).actions:
        if a.id == row.action_id:
            return a
    return None


def waiting(ctx: Context, action_id: str) -> OutboxRow | None:
    """The message of `action_id` waiting in the outbox (scheduled, being sent, held or
    uncertain), or None."""
    return store.live_for_action(ctx.db, ctx.account, action_id)


def mail_ready(ctx: Context) -> bool:
    """True when mail is set up, so approved messages can be sent."""
    return store.get_settings(ctx.db, ctx.account) is not None


def interview_messages(ctx: Context, interview_id: int) -> list[dict[str, object]]:
    """An interview's outbox messages for its timeline (times in the user's zone)."""
    from afterview.services.views import iso

    return [
        {
            "id": r.id,
            "state": r.state,
            "action_id": r.action_id,
            "subject": r.subject,
            "send_at": iso(r.send_at, ctx.user_tz),
            "sent_at": iso(r.sent_at, ctx.user_tz),
            "to": r.to_name or r.to_email,
            "reason": r.reason,
        }
        for r in store.list_outbox(ctx.db, ctx.account, interview_id=interview_id)
    ]
