"""Which alerts are due, and when not to send them (pure: channels are elsewhere).

An alert is due when an action is in its ideal window (once per window: if the
window moves, it alerts again) or has become overdue within the last day (older
overdue actions are in the digest, not pushed one by one). Quiet hours hold
alerts back until they end; a daily digest goes out once a day from a set hour.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from afterview.core.model import Action, ActionState
from afterview.core.timeutil import utc

OVERDUE_ALERT_FOR = timedelta(days=1)


class Due(NamedTuple):
    """An alert to send: its key (sent once per channel), the action and what happened."""

    key: str
    action: Action
    event: str  # "ideal" or "overdue"


def _stamp(at: datetime) -> str:
    return utc(at).strftime("%Y%m%dT%H%M%SZ")


def due_alerts(actions: Iterable[Action], at: datetime) -> list[Due]:
    """The alerts due at `at`, in the agenda's order of urgency (overdue first)."""
    out = []
    for a in actions:
        state = a.state(at)
        w = a.window
        if state is ActionState.IDEAL:
            out.append(Due(f"{a.id}:ideal:{_stamp(w.ideal_from)}", a, "ideal"))
        elif state is ActionState.OVERDUE and utc(at) - utc(w.due_at) <= OVERDUE_ALERT_FOR:
            out.append(Due(f"{a.id}:overdue:{_stamp(w.due_at)}", a, "overdue"))
    out.sort(key=lambda d: (d.event != "overdue", utc(d.action.window.due_at), d.action.id))
    return out


def parse_quiet_hours(text: str) -> tuple[time, time]:
    """ "22:00-07:00" -> (22:00, 07:00); raises ValueError when it is not that shape."""
    start, sep, end = text.partition("-")
    if not sep:
        raise ValueError(text)
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


def in_quiet_hours(local: datetime, quiet: tuple[time, time] | None) -> bool:
    """True when the local clock time falls in the quiet hours (which may span midnight)."""
    if quiet is None:
        return False
    start, end = quiet
    now = local.time().replace(tzinfo=None)
    if start == end:
        return False
    if start < end:
        return start <= now < end
    return now >= start or now < end


def digest_key(local: datetime, hour: int | None) -> str | None:
    """The key of today's digest when it is due (from `hour` local), else None."""
    if hour is None or local.hour < hour:
        return None
    day: date = local.date()
    return f"digest:{day.isoformat()}"
