"""How a message words the interview from the moment it goes out (pure: no I/O, no clock).

A thank-you read on a later day must not say "today". The words follow the moment the
message goes out (the scheduled time of an approved message; the moment of drafting
for a draft shown or saved as a file), read in the interviewer's zone (the interview's
`tz`): "today", "yesterday", "on Tuesday" for two to six days back, and the date
("on Tuesday 15 September") further back. A thank-you past its due moment at that
moment is written as a late note; a follow-up to someone never thanked thanks them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from afterview.core.model import Direction, Interview, Person, Touch, TouchKind
from afterview.core.timeutil import add_hours, utc, zone

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def interview_when(iv: Interview, at: datetime) -> str:
    """Say when the interview took place, seen from the moment `at`, in the interview's zone:
    "today", "yesterday", "on Tuesday" (2 to 6 days back), else "on Tuesday 15 September"
    (with the year when it is not the year of `at`)."""
    tz = zone(iv.tz)
    day = iv.start.astimezone(tz).date()
    then = at.astimezone(tz).date()
    days = (then - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    name = _DAYS[day.weekday()]
    if 1 < days < 7:
        return f"on {name}"
    year = f" {day.year}" if day.year != then.year else ""
    return f"on {name} {day.day} {_MONTHS[day.month - 1]}{year}"


def thank_you_due(iv: Interview, due_hours: float) -> datetime:
    """The moment a thank-you is due: the interview's end + `due_hours` real hours."""
    return add_hours(iv.end, due_hours)


def is_late(iv: Interview, at: datetime, due_hours: float) -> bool:
    """True when a thank-you going out at `at` is past its due moment."""
    return utc(at) >= utc(thank_you_due(iv, due_hours))


def moment_values(kind: str, iv: Interview, at: datetime, due_hours: float) -> dict[str, Any]:
    """The template values of a `kind` message ("thank_you", "follow_up") that depend on
    the moment `at` it goes out: `interview_when`, and for a thank-you `late`."""
    values: dict[str, Any] = {"interview_when": interview_when(iv, at)}
    if kind == "thank_you":
        values["late"] = is_late(iv, at, due_hours)
    return values


def same_words(
    kind: str, iv: Interview, written_for: datetime, at: datetime, due_hours: float
) -> bool:
    """True when words written for the moment `written_for` still fit a message going out
    at `at` (they say the same day and are on the same side of the due moment)."""
    return moment_values(kind, iv, written_for, due_hours) == moment_values(kind, iv, at, due_hours)


def thanked(iv: Interview, touches: Iterable[Touch], person: Person | None, at: datetime) -> bool:
    """True when a thank-you for `iv` was sent to `person` by the moment `at`.

    As the plan reads it: a note to nobody in particular thanks the only interviewer (or
    the team, for `person` None); a panel member is thanked by a note to them.
    """
    to = {
        t.person_id
        for t in touches
        if t.interview_id == iv.id
        and t.direction is Direction.SENT
        and t.kind is TouchKind.THANK_YOU
        and utc(t.at) <= utc(at)
    }
    if person is None:
        return bool(to)
    return person.id in to or (None in to and len(iv.interviewers) <= 1)


def draft_moment(now: datetime, opens_at: datetime) -> datetime:
    """The moment a draft shown now is worded for: now, or when its action opens if later
    (a message cannot go out before then)."""
    return opens_at if utc(opens_at) > utc(now) else now
