"""Deleting what was recorded by mistake: an application, an interview, a lead, a message
logged, a self-assessment; each with what hangs only on it, in one transaction, saying
what went, with counts.

A message that went out stays in the mailbox: the record that it was sent (and one found
in the mailbox) is removed only when asked (`force`); otherwise the delete is refused
with one line and nothing is written. A message a worker is sending at that moment
always refuses the delete (try again once it is settled). An outbox message not sent
yet goes with its interview, and is never sent afterwards: the worker claims a message
only from the row it finds `scheduled`, and the row is gone.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any, NamedTuple

from afterview.core.timeutil import zone
from afterview.errors import NotFound, Refused
from afterview.services.context import Context
from afterview.store import applications as appstore
from afterview.store import edits, removal, repo

#: How each kind of row is said, singular and plural, in the order the line lists them.
KINDS = {
    "applications": ("application", "applications"),
    "lead_details": ("posting's details", "postings' details"),
    "interviews": ("interview", "interviews"),
    "messages": ("message", "messages"),
    "outbox": ("outbox message not sent", "outbox messages not sent"),
    "outbox_sent": ("outbox record of a message sent", "outbox records of messages sent"),
    "drafts": ("draft", "drafts"),
    "topics": ("topic", "topics"),
    "outcomes": ("outcome", "outcomes"),
    "assessments": ("self-assessment", "self-assessments"),
    "scores": ("score", "scores"),
    "questions": ("question", "questions"),
    "marks": ("done or skip mark", "done or skip marks"),
    "calendar_events": ("calendar event", "calendar events"),
    "notifications": ("notification record", "notification records"),
    "people": ("person no longer named anywhere", "people no longer named anywhere"),
}

#: The kind of row each record is itself (not said again after "Deleted …").
PRIMARY = {
    "application": "applications",
    "lead": "applications",
    "interview": "interviews",
    "message": "messages",
    "assessment": "assessments",
}


class Deleted(NamedTuple):
    """What a delete removed: the record, its id, what it was (in words) and the rows by
    kind (`KINDS`)."""

    record: str
    id: int
    what: str
    removed: dict[str, int]

    def line(self) -> str:
        """One line for people: what went, with counts."""
        also = [
            f"{n} {KINDS[k][0] if n == 1 else KINDS[k][1]}"
            for k in KINDS
            if (n := self.removed.get(k, 0)) and k != PRIMARY[self.record]
        ]
        tail = f", with {', '.join(also)}" if also else ""
        return f"Deleted {self.record} {self.id} ({self.what}){tail}."

    def as_json(self) -> dict[str, Any]:
        """`{"deleted", "id", "what", "removed": {kind: count}}` (every kind, zeros too)."""
        return {
            "deleted": self.record,
            "id": self.id,
            "what": self.what,
            "removed": {k: self.removed.get(k, 0) for k in KINDS},
        }


def _when(ctx: Context, at: datetime) -> str:
    return f"{at.astimezone(zone(ctx.user_tz)):%a %d %b %Y %H:%M}"


def _refuse_mail(ctx: Context, interview_id: int, force: bool) -> None:
    """Refuse while a message of the interview is being sent; and, unless `force`, while
    it holds messages that went out (or may have) or that were found in the mailbox."""
    facts = removal.mail_facts(ctx.db, ctx.account, interview_id)
    sending = [f for f in facts if f.record == "outbox" and f.state == "sending"]
    if sending:
        raise Refused(
            f"interview {interview_id}: outbox message {sending[0].id} is being sent right "
            "now; try again in a minute, once it is settled; nothing was deleted"
        )
    if force or not facts:
        return
    sent = [f for f in facts if (f.record, f.state) in (("touch", "sent"), ("outbox", "sent"))]
    maybe = [f for f in facts if f.record == "outbox" and f.state == "uncertain"]
    found = [f for f in facts if f.record == "touch" and f.state == "received"]
    parts = []
    if sent:
        first = datetime.fromisoformat(min(f.at for f in sent))
        parts.append(f"a message afterview sent ({_when(ctx, first)})")
    if maybe:
        parts.append(f"outbox message {maybe[0].id}, which may have gone out")
    if found:
        parts.append("a message found in your mailbox")
    raise Refused(
        f"interview {interview_id} holds {' and '.join(parts)}: what went out stays in your "
        "mailbox; nothing was deleted",
        override="delete the record of it too",
    )


def _interview_words(ctx: Context, interview_id: int) -> str:
    iv = ctx.interview(interview_id)
    app = appstore.record(ctx.db, ctx.account, iv.application_id)
    assert app is not None
    return f"{app['company']} · {app['role']}, {_when(ctx, iv.start)}"


def _delete_interview(ctx: Context, interview_id: int) -> Counter[str]:
    gone = removal.delete_interview(ctx.db, ctx.account, interview_id)
    if removal.outbox_left(ctx.db, interview_id):  # a worker claimed one meanwhile
        raise Refused(
            f"interview {interview_id}: one of its outbox messages is being sent right now; "
            "try again in a minute; nothing was deleted"
        )
    return gone


def delete_interview(ctx: Context, interview_id: int, force: bool = False) -> Deleted:
    """Delete an interview and what hangs only on it (see the module's docstring); its
    application stays."""
    with ctx.db.transaction():
        what = _interview_words(ctx, interview_id)
        _refuse_mail(ctx, interview_id, force)
        gone = _delete_interview(ctx, interview_id)
    return Deleted("interview", interview_id, what, dict(gone))


def delete_application(ctx: Context, application_id: int, force: bool = False) -> Deleted:
    """Delete an application, its interviews (each with what hangs only on it) and its
    posting's details."""
    with ctx.db.transaction():
        found = appstore.record(ctx.db, ctx.account, application_id)
        if found is None:
            raise NotFound(
                f"application {application_id}: no such application "
                "(see `afterview application list`)"
            )
        return _delete_application(ctx, "application", found, force)


def _delete_application(ctx: Context, record: str, found: dict[str, Any], force: bool) -> Deleted:
    app_id = int(found["id"])
    interviews = removal.interviews_of(ctx.db, ctx.account, app_id)
    for iv_id in interviews:
        _refuse_mail(ctx, iv_id, force)
    gone: Counter[str] = Counter()
    for iv_id in interviews:
        gone += _delete_interview(ctx, iv_id)
    gone += removal.delete_application(ctx.db, ctx.account, app_id)
    what = f"{found['company']} · {found['role']}"
    return Deleted(record, app_id, what, dict(gone))


def delete_lead(ctx: Context, application_id: int, force: bool = False) -> Deleted:
    """Delete a lead (an application from a posting, or not applied to yet) as
    `delete_application` does; an application applied to, with no posting kept, is
    refused (delete it as an application)."""
    from afterview.services.record_edits import _lead

    with ctx.db.transaction():
        found, _detail = _lead(ctx, application_id)
        return _delete_application(ctx, "lead", found, force)


def delete_message(ctx: Context, touch_id: int, force: bool = False) -> Deleted:
    """Delete a message or call logged. One sent by afterview or found in the mailbox
    stays there; its record goes only with `force`."""
    with ctx.db.transaction():
        row = edits.touch(ctx.db, ctx.account, touch_id)
        if row is None:
            raise NotFound(
                f"message {touch_id}: no such message (see `afterview interview show ID`)"
            )
        if row.message_id is not None and not force:
            how = "afterview sent it" if row.direction == "sent" else "it was found in your mailbox"
            raise Refused(
                f"message {touch_id}: {how}, and it stays in your mailbox; nothing was deleted",
                override="delete the record of it",
            )
        what = f"{row.direction} {row.kind.replace('_', '-')}, {_when(ctx, row.at)}"
        gone = removal.delete_touch(ctx.db, ctx.account, touch_id)
    return Deleted("message", touch_id, what, dict(gone))


def delete_assessment(ctx: Context, interview_id: int) -> Deleted:
    """Delete the self-assessment of an interview (named by the interview's id), with its
    scores and questions (and the better answers written for them)."""
    with ctx.db.transaction():
        iv = ctx.interview(interview_id)
        if repo.get_assessment(ctx.db, ctx.account, iv.id) is None:
            raise NotFound(f"interview {iv.id} has no self-assessment to delete")
        what = f"of interview {iv.id}, {_interview_words(ctx, iv.id)}"
        gone = removal.delete_assessment(ctx.db, ctx.account, iv.id)
    return Deleted("assessment", iv.id, what, dict(gone))
