"""Table tests of how a message words the interview from the moment it goes out: "today",
"yesterday", the weekday, the date; the late thank-you; who was thanked. Run across DST
changes and in far zones (the interviewer's zone decides, never the user's or UTC)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from afterview.core.model import Direction, Interview, Person, Touch, TouchKind
from afterview.core.send_moment import (
    draft_moment,
    interview_when,
    is_late,
    moment_values,
    same_words,
    thank_you_due,
    thanked,
)
from tests.core.helpers import KIRITIMATI, NEW_YORK, PARIS

LONDON = "Europe/London"
DUE_HOURS = 24.0


def local(text: str, tz: str) -> datetime:
    """A wall-clock time in `tz` (its first occurrence when repeated)."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz))


def interview(start: str, end: str, tz: str, people: int = 1) -> Interview:
    panel = tuple(Person(n, f"Person {n}", f"p{n}@acme.example") for n in range(1, people + 1))
    return Interview(1, 1, local(start, tz), local(end, tz), tz, panel)


# (case, zone, interview start, end, the moment it goes out (in `at_tz`, default the
#  interview's zone), what it says, late)
CASES = [
    ("same day", PARIS, "2026-09-15T14:00", "2026-09-15T15:00", "2026-09-15T17:30", None,
     "today", False),
    ("same day, just before midnight", PARIS, "2026-09-15T14:00", "2026-09-15T15:00",
     "2026-09-15T23:59", None, "today", False),
    ("next day, before the due time", PARIS, "2026-09-15T14:00", "2026-09-15T15:00",
     "2026-09-16T00:01", None, "yesterday", False),
    ("next day, at the due time", PARIS, "2026-09-15T14:00", "2026-09-15T15:00",
     "2026-09-16T15:00", None, "yesterday", True),
    ("2 days", PARIS, "2026-09-15T14:00", "2026-09-15T15:00", "2026-09-17T09:00", None,
     "on Tuesday", True),
    ("6 days", PARIS, "2026-09-15T14:00", "2026-09-15T15:00", "2026-09-21T23:00", None,
     "on Tuesday", True),
    ("7 days: the date", PARIS, "2026-09-15T14:00", "2026-09-15T15:00", "2026-09-22T08:00", None,
     "on Tuesday 15 September", True),
    ("older, another year: with the year", PARIS, "2026-12-29T10:00", "2026-12-29T11:00",
     "2027-01-12T09:00", None, "on Tuesday 29 December 2026", True),
    # autumn DST (London, Sun 25 Oct 2026): due is 24 real hours after the end, 22:00 GMT
    # on Sunday, an hour before the same wall-clock time
    ("DST autumn, before the due time", LONDON, "2026-10-24T22:00", "2026-10-24T23:00",
     "2026-10-25T21:30", None, "yesterday", False),
    ("DST autumn, past the due time by the stopwatch", LONDON, "2026-10-24T22:00",
     "2026-10-24T23:00", "2026-10-25T22:30", None, "yesterday", True),
    # spring DST (Paris, Sun 29 Mar 2026): due 24 real hours after 23:00 CET is Mon 00:00 CEST
    ("DST spring, not yet due at the same wall clock", PARIS, "2026-03-28T22:00",
     "2026-03-28T23:00", "2026-03-29T23:30", None, "yesterday", False),
    ("DST spring, due", PARIS, "2026-03-28T22:00", "2026-03-28T23:00", "2026-03-30T00:00", None,
     "on Saturday", True),
    # UTC+14: the interview is on Monday in UTC, and going out on Tuesday in UTC
    ("far east, same local day", KIRITIMATI, "2026-09-15T09:00", "2026-09-15T10:00",
     "2026-09-15T23:30", None, "today", False),
    ("far east, next local day", KIRITIMATI, "2026-09-15T09:00", "2026-09-15T10:00",
     "2026-09-16T00:30", None, "yesterday", False),
    # the interviewer in New York, the user in London: 03:30 in London is 22:30 in New York
    ("New York interview, London clock", NEW_YORK, "2026-09-15T15:00", "2026-09-15T16:00",
     "2026-09-16T03:30", LONDON, "today", False),
    ("New York interview, London clock, next New York day", NEW_YORK, "2026-09-15T15:00",
     "2026-09-15T16:00", "2026-09-16T05:30", LONDON, "yesterday", False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("zone", "start", "end", "at", "at_tz", "says", "late"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_the_interview_is_worded_from_the_moment_it_goes_out(
    zone: str, start: str, end: str, at: str, at_tz: str | None, says: str, late: bool
) -> None:
    iv = interview(start, end, zone)
    moment = local(at, at_tz or zone)
    assert interview_when(iv, moment) == says
    assert is_late(iv, moment, DUE_HOURS) is late
    assert moment_values("thank_you", iv, moment, DUE_HOURS) == {
        "interview_when": says,
        "late": late,
    }
    assert moment_values("follow_up", iv, moment, DUE_HOURS) == {"interview_when": says}


def test_the_due_moment_counts_real_hours_across_dst() -> None:
    iv = interview("2026-10-24T22:00", "2026-10-24T23:00", LONDON)
    assert thank_you_due(iv, 24).isoformat() == "2026-10-25T22:00:00+00:00"


# (case, kind, written for, going out, still fits)
WORDS = [
    ("same day, later", "thank_you", "2026-09-15T17:00", "2026-09-15T23:00", True),
    ("today, then yesterday", "thank_you", "2026-09-15T23:50", "2026-09-16T00:10", False),
    ("before, then past the due time", "thank_you", "2026-09-16T14:50", "2026-09-16T15:05",
     False),
    ("the date on day 8 and day 9", "follow_up", "2026-09-23T09:00", "2026-09-24T09:00", True),
    ("weekday, then the date", "follow_up", "2026-09-21T09:00", "2026-09-22T09:00", False),
    ("a follow-up ignores the thank-you's due time", "follow_up", "2026-09-16T14:50",
     "2026-09-16T15:05", True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "written", "going", "fits"), [w[1:] for w in WORDS], ids=[w[0] for w in WORDS]
)
def test_words_fit_another_moment_only_when_they_say_the_same(
    kind: str, written: str, going: str, fits: bool
) -> None:
    iv = interview("2026-09-15T14:00", "2026-09-15T15:00", PARIS)
    assert same_words(kind, iv, local(written, PARIS), local(going, PARIS), DUE_HOURS) is fits


def _touch(n: int, person: int | None, at: str, kind: TouchKind = TouchKind.THANK_YOU,
           direction: Direction = Direction.SENT) -> Touch:  # fmt: skip
    return Touch(n, 1, direction, kind, local(at, PARIS), person)


# (case, interviewers, touches, thanked person, thanked?)
THANKED = [
    ("nothing sent", 1, [], 1, False),
    ("a thank-you to them", 2, [_touch(1, 1, "2026-09-15T17:00")], 1, True),
    ("a thank-you to another panel member", 2, [_touch(1, 2, "2026-09-15T17:00")], 1, False),
    ("a note to nobody in particular, one interviewer", 1, [_touch(1, None, "2026-09-15T17:00")],
     1, True),
    ("a note to nobody in particular, a panel", 2, [_touch(1, None, "2026-09-15T17:00")], 1,
     False),
    ("a thank-you after the moment", 1, [_touch(1, 1, "2026-09-23T10:00")], 1, False),
    ("a follow-up is no thank-you", 1, [_touch(1, 1, "2026-09-16T10:00", TouchKind.FOLLOW_UP)], 1,
     False),
    ("a message received is no thank-you", 1,
     [_touch(1, 1, "2026-09-16T10:00", direction=Direction.RECEIVED)], 1, False),
    ("the team, after a thank-you to one of them", 2, [_touch(1, 2, "2026-09-15T17:00")], None,
     True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("people", "touches", "person", "expected"),
    [t[1:] for t in THANKED],
    ids=[t[0] for t in THANKED],
)
def test_who_was_thanked_by_the_moment_a_follow_up_goes_out(
    people: int, touches: list[Touch], person: int | None, expected: bool
) -> None:
    iv = interview("2026-09-15T14:00", "2026-09-15T15:00", PARIS, people)
    who = iv.interviewers[person - 1] if person else None
    assert thanked(iv, touches, who, local("2026-09-22T15:00", PARIS)) is expected


def test_a_draft_shown_before_its_action_opens_is_worded_for_the_opening() -> None:
    opens = local("2026-09-22T15:00", PARIS)
    assert draft_moment(local("2026-09-15T17:30", PARIS), opens) == opens
    later = local("2026-09-23T09:00", PARIS)
    assert draft_moment(later, opens) == later
