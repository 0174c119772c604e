"""`afterview calendar export`: the open actions as a calendar to subscribe to or import."""

from __future__ import annotations

from collections.abc import Callable

from afterview.cal.feed import FeedEvent, render, window_key
from afterview.core.model import Action, ActionKind, Application
from afterview.core.timeutil import zone
from afterview.services.context import Context
from afterview.services.live import live_agenda
from afterview.services.views import KIND_LABELS
from afterview.store import calendar as store


def _title(a: Action, apps: dict[int, Application]) -> str:
    label = KIND_LABELS.get(a.kind.value, a.kind.value)
    parts = [label]
    app = apps.get(a.application_id) if a.application_id is not None else None
    if app is not None:
        parts.append(f"{app.company} · {app.role}")
    if a.person is not None:
        parts.append(a.person.name)
    if a.kind is ActionKind.KEEP_SEARCHING and a.progress is not None:
        parts.append(f"{a.progress.done} of {a.progress.target} applications")
    return " — ".join(parts)


def export_calendar(ctx: Context, keep: Callable[[bytes], None] | None = None) -> bytes:
    """Every action not ended at now, as iCalendar; SEQUENCE rises when a window moved.

    `keep` receives the calendar before the new SEQUENCEs are committed (a file written
    beside its place): if it fails, they are not, and a calendar that holds the events
    still takes the next change.
    """
    actions, apps, tz_of = live_agenda(ctx)
    events = []
    # the SEQUENCEs are the feed's own bookkeeping, not a change of the user's to undo
    with ctx.db.unrecorded(), ctx.db.transaction():
        known = store.sequences(ctx.db, ctx.account)
        for a in actions:
            w = a.window
            key = window_key(w.ideal_from, w.ideal_until, w.due_at)
            before = known.get(a.id)
            sequence = 0 if before is None else before[1] + (before[0] != key)
            if before != (key, sequence):
                store.save_sequence(ctx.db, ctx.account, a.id, key, sequence)
            tz = (
                tz_of.get(a.interview_id, ctx.user_tz)
                if a.interview_id is not None
                else ctx.user_tz
            )
            due = w.due_at.astimezone(zone(tz))
            events.append(
                FeedEvent(
                    action_id=a.id,
                    title=_title(a, apps),
                    start=w.ideal_from,
                    end=w.ideal_until,
                    due=w.due_at,
                    due_text=f"{due:%a %d %b %Y %H:%M} ({tz})",
                    why=a.why,
                    sequence=sequence,
                )
            )
        data = render(events, ctx.account, ctx.now, "afterview")
        if keep is not None:
            keep(data)
    return data
