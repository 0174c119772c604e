"""The action calendar: every open action as an event in its ideal window (RFC 5545).

Each event has a stable UID (`<action id>.<account>@afterview`), times in UTC (so
every reader places them alike, across daylight-saving changes), a reminder at the
start of the ideal window, and the reason and the due time in its description. The
caller passes each event's SEQUENCE, which rises when the window moves. The output
depends only on its inputs: events in a fixed order, DTSTAMP the moment given.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from icalendar import Alarm, Calendar, Event

PRODID = "-//afterview//action calendar//EN"


class FeedEvent(NamedTuple):
    """One action, ready for the calendar."""

    action_id: str
    title: str
    start: datetime
    end: datetime
    due: datetime
    due_text: str
    why: str
    sequence: int


def uid(action_id: str, account: int) -> str:
    """The event's stable UID."""
    return f"{action_id.replace(':', '-')}.{account}@afterview"


def window_key(start: datetime, end: datetime, due: datetime) -> str:
    """What identifies a window: when it changes, the event's SEQUENCE rises."""
    return "/".join(t.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ") for t in (start, end, due))


def render(events: Iterable[FeedEvent], account: int, stamp: datetime, name: str) -> bytes:
    """Return the calendar as iCalendar bytes (CRLF line ends, folded lines)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    dtstamp = stamp.astimezone(UTC).replace(microsecond=0)
    for e in sorted(events, key=lambda e: (e.start.astimezone(UTC), e.action_id)):
        ev = Event()
        ev.add("uid", uid(e.action_id, account))
        ev.add("dtstamp", dtstamp)
        ev.add("sequence", e.sequence)
        ev.add("dtstart", e.start.astimezone(UTC))
        # a window must last: an event of no length is shown by few readers
        end = e.end if e.end > e.start else e.start + timedelta(minutes=15)
        ev.add("dtend", end.astimezone(UTC))
        ev.add("summary", e.title)
        ev.add("description", f"{e.why}\nDue: {e.due_text}.\nAction: {e.action_id}")
        ev.add("categories", ["afterview"])
        ev.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", e.title)
        alarm.add("trigger", timedelta(0))
        ev.add_component(alarm)
        cal.add_component(ev)
    data: bytes = cal.to_ical()
    return data
