"""The application page's corrections: its Edit form (the application and, for a lead,
its posting, saved as one change) and what deleting it would remove, counted before
anything goes (the confirmation page).

A lead is an application not applied to and with no interview yet: it is deleted as a
lead (`deleting.delete_lead`). The posting's details are edited (`record_edits.edit_lead`)
on a lead's page and on the page of any application whose posting was kept.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import NamedTuple

from afterview.core.timeutil import zone
from afterview.errors import NotFound
from afterview.services import deleting, editing, record_edits
from afterview.services.context import Context
from afterview.services.editing import ApplicationChanges, Edited, given
from afterview.services.record_edits import LeadChanges
from afterview.store import applications as appstore
from afterview.store import removal, removal_counts


def _found(ctx: Context, application_id: int) -> dict[str, object]:
    found = appstore.record(ctx.db, ctx.account, application_id)
    if found is None:
        raise NotFound(f"application {application_id}: no such application")
    return found


def is_lead(ctx: Context, application_id: int) -> bool:
    """True for a lead: not applied to, and no interview yet (the page says "lead")."""
    found = _found(ctx, application_id)
    return found["applied_on"] is None and not removal.interviews_of(
        ctx.db, ctx.account, application_id
    )


def _same_stage(ctx: Context, found: dict[str, object], stage: str | None) -> bool:
    """True when `stage` (None or "auto": where its facts put it) is the choice the
    application has now: moving it there again would only stamp the move anew."""
    wanted = None if stage in (None, "", "auto") else stage
    at = found["stage_at"]
    placed = found["stage"] is not None and datetime.fromisoformat(str(at)) <= ctx.now
    return wanted == (found["stage"] if placed else None)


def edit_from_page(
    ctx: Context,
    application_id: int,
    changes: ApplicationChanges,
    posting: LeadChanges | None = None,
) -> Edited:
    """Save the application page's Edit form as one change: the posting's values first
    (`edit_lead`, for a lead; refused for an application that is not one), then the
    application's (`edit_application`). A stage left as it is keeps its move's moment.
    The first bad value refuses the whole form: nothing is written."""
    with ctx.db.transaction():
        found = _found(ctx, application_id)
        if given(changes.stage) and _same_stage(ctx, found, changes.stage):
            changes = replace(changes, stage=editing.KEEP)
        parts: list[Edited] = []
        if posting is not None:
            parts.append(record_edits.edit_lead(ctx, application_id, posting))
        parts.append(editing.edit_application(ctx, application_id, changes))
    changed = tuple(dict.fromkeys(k for p in parts for k in p.changed))
    said = tuple(s for p in parts for s in p.said)
    notes = tuple(n for p in parts for n in p.notes)
    return Edited("application", application_id, changed, said, notes)


class DeletePreview(NamedTuple):
    """What deleting an application would remove: `record` ("application" or "lead"),
    what it is in words, the rows by kind (`deleting.KINDS`, as `Deleted.removed` would
    say), the messages that went out (or may have, or were found in the mailbox) in
    words, which stay in the mailbox and need `force`, and whether one is being sent
    right now (the delete is refused until it is settled)."""

    record: str
    id: int
    what: str
    removed: dict[str, int]
    went_out: tuple[str, ...]
    sending: bool

    @property
    def needs_force(self) -> bool:
        """True when the delete needs `force` (a message went out, or may have)."""
        return bool(self.went_out)

    def lines(self) -> list[tuple[str, str]]:
        """What goes with it, a line a kind with the kind ("interviews", "2 interviews"),
        in the order of `deleting.KINDS`, itself aside."""
        primary = deleting.PRIMARY[self.record]
        return [
            (k, f"{n} {deleting.KINDS[k][0] if n == 1 else deleting.KINDS[k][1]}")
            for k in deleting.KINDS
            if (n := self.removed.get(k, 0)) and k != primary
        ]


def _when(ctx: Context, at: str) -> str:
    return f"{datetime.fromisoformat(at).astimezone(zone(ctx.user_tz)):%a %d %b %Y %H:%M}"


def delete_preview(ctx: Context, application_id: int) -> DeletePreview:
    """Count what `deleting.delete_application` (or `delete_lead`) would remove, and
    what would stop it, without deleting anything. `NotFound` for an unknown id."""
    found = _found(ctx, application_id)
    record = "lead" if is_lead(ctx, application_id) else "application"
    removed = dict(removal_counts.application_rows(ctx.db, ctx.account, application_id))
    facts = [
        f
        for iv_id in removal.interviews_of(ctx.db, ctx.account, application_id)
        for f in removal.mail_facts(ctx.db, ctx.account, iv_id)
    ]
    groups = (
        ("what afterview sent", [f for f in facts if f.state == "sent"]),
        ("a message that may have gone out", [f for f in facts if f.state == "uncertain"]),
        ("what was found in your mailbox", [f for f in facts if f.state == "received"]),
    )
    went_out = tuple(
        f"{how} (from {_when(ctx, min(f.at for f in fs))})" for how, fs in groups if fs
    )
    sending = any(f.record == "outbox" and f.state == "sending" for f in facts)
    what = f"{found['company']} · {found['role']}"
    return DeletePreview(record, application_id, what, removed, went_out, sending)


def delete_from_page(ctx: Context, application_id: int, force: bool = False) -> deleting.Deleted:
    """Delete the application as the confirmation page showed it: a lead through
    `delete_lead`, any other through `delete_application` (`force` for what went out)."""
    if is_lead(ctx, application_id):
        return deleting.delete_lead(ctx, application_id, force)
    return deleting.delete_application(ctx, application_id, force)
