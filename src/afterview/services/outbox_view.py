"""Reading the outbox for the web app: every message with its company, a page of them
found by state, company, day and words, and the mail account's state for the header.

Plain data only (the porcelain shape of `afterview outbox --json`, plus the company and
role of the message's interview and what can be done with it now); the web words it.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from typing import Any, NamedTuple

from afterview.core.timeutil import utc, zone
from afterview.errors import AfterviewError
from afterview.services import outbox
from afterview.services.context import Context
from afterview.services.views import iso
from afterview.store import mail as store
from afterview.store.facts import outbox_needing_attention

Json = dict[str, Any]

#: Every state a message can be in, in the order of its life.
STATES = ("scheduled", "sending", "held", "uncertain", "sent", "failed", "cancelled")
#: The orders of a listing by scheduled time.
SORTS = ("latest", "soonest")
#: The states a message can be cancelled, sent now or rescheduled from (`outbox.cancel`,
#: `outbox.reschedule`), and the one the user settles (`outbox.confirm`).
MOVABLE = ("scheduled", "held", "failed")
#: Reasons that say a scheduled message could not go out yet (`services.worker`).
_NOT_YET = ("not sent yet: ", "will try again: ")


def message_json(row: store.OutboxRow, tz: str, apps: dict[int, tuple[str, str, str]]) -> Json:
    """One message as the outbox page and `/api/outbox` show it (moments in zone `tz`)."""
    company, role, iv_tz = apps.get(row.interview_id, ("", "", tz))
    can = list(("cancel", "reschedule") if row.state in MOVABLE else ())
    if row.state == "uncertain":
        can.append("confirm")
    return {
        "id": row.id,
        "state": row.state,
        "action_id": row.action_id,
        "interview_id": row.interview_id,
        "kind": row.kind,
        "company": company,
        "role": role,
        "tz": iv_tz,
        "to": {"name": row.to_name, "email": row.to_email},
        "subject": row.subject,
        "send_at": iso(row.send_at, tz),
        "due_at": iso(row.due_at, tz),
        "retry_at": iso(row.retry_at, tz),
        "sent_at": iso(row.sent_at, tz),
        "reason": row.reason,
        "attempts": row.attempts,
        "can": can,
    }


def every_message(ctx: Context) -> list[Json]:
    """Every message of the account, by scheduled time (then id), with its company."""
    facts = ctx.facts()
    names = {a.id: (a.company, a.role) for a in facts.applications}
    apps = {iv.id: (*names.get(iv.application_id, ("", "")), iv.tz) for iv in facts.interviews}
    return [message_json(r, ctx.user_tz, apps) for r in outbox.listing(ctx, everything=True)]


class Query(NamedTuple):
    """What a listing asks for; empty strings and None ask for nothing."""

    q: str = ""
    state: str = ""
    company: str = ""
    since: date | None = None
    until: date | None = None
    sort: str = "latest"


def _day(text: str | None) -> date | None:
    return datetime.fromisoformat(text).date() if text else None


def select(messages: list[Json], query: Query) -> list[Json]:
    """The messages `query` asks for (its words in the recipient or the subject, the day
    of the scheduled time on the user's clock), in its order."""
    words = query.q.casefold()
    company = query.company.casefold()
    found = []
    for m in messages:
        if query.state and m["state"] != query.state:
            continue
        if company and m["company"].casefold() != company:
            continue
        day = _day(m["send_at"])
        if (query.since and day and day < query.since) or (
            query.until and day and day > query.until
        ):
            continue
        if words and not any(
            words in (part or "").casefold()
            for part in (m["to"]["name"], m["to"]["email"], m["subject"])
        ):
            continue
        found.append(m)
    if query.sort == "latest":
        found.reverse()  # `every_message` is by scheduled time, then id
    return found


def companies(messages: list[Json]) -> list[str]:
    """The companies the messages were written to, sorted, each once."""
    return sorted({m["company"] for m in messages if m["company"]}, key=str.casefold)


class MailState(NamedTuple):
    """What the header says of sending, read from the database.

    `set_up`: mail settings exist; `next_send`: when the next scheduled message may go
    (its retry time when it waits for one); `waiting`: scheduled messages; `problem`: why
    one could not go out yet (the account failed, the server did not answer), in the
    worker's words; `attention`: messages that need the user (held, uncertain, failed)."""

    set_up: bool
    next_send: datetime | None = None
    waiting: int = 0
    problem: str | None = None
    attention: int = 0


def mail_state(ctx: Context) -> MailState:
    """The account's sending state from the database (a few small queries).

    When a problem is found the account's passwords are looked up once, so that
    `afterview.redact` hides them from the problem's text even in a process that has
    not used them (a server started with its worker off, next to `afterview run`)."""
    settings = store.get_settings(ctx.db, ctx.account)
    if settings is None:
        return MailState(set_up=False)
    scheduled = store.list_outbox(ctx.db, ctx.account, ("scheduled",))
    moments = [max(r.send_at, r.retry_at or r.send_at, key=utc) for r in scheduled]
    problem = next(
        (
            r.reason.split(": ", 1)[1]
            for r in scheduled
            if r.reason and r.reason.startswith(_NOT_YET)
        ),
        None,
    )
    if problem is not None and (settings.smtp_user or settings.oauth2):
        from afterview.mail.credentials import has_login

        with contextlib.suppress(AfterviewError):  # a secrets file refused: said elsewhere
            has_login(settings, "smtp")  # what it reads, redact now hides
    attention = [m for m in outbox_needing_attention(ctx.db, ctx.account) if m[1] != "scheduled"]
    return MailState(
        set_up=True,
        next_send=min(moments, key=utc).astimezone(zone(ctx.user_tz)) if moments else None,
        waiting=len(scheduled),
        problem=problem,
        attention=len(attention),
    )


def message(ctx: Context, row: store.OutboxRow) -> Json:
    """One message as `every_message` shows it (after a change to it)."""
    facts = ctx.facts()
    iv = next((i for i in facts.interviews if i.id == row.interview_id), None)
    app = next((a for a in facts.applications if iv and a.id == iv.application_id), None)
    apps = {row.interview_id: (app.company, app.role, iv.tz)} if app and iv else {}
    return message_json(row, ctx.user_tz, apps)
