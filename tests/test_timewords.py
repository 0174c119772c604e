"""The rule for times people read (afterview.timewords): a moment on the user's clock, its
day word judged there, with the interview's local time and city added when that zone's
clock differs at that moment (UTC offsets compared, not names)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from afterview.timewords import moment, place, same_clock, span_words, when_line

LONDON, NEW_YORK, PARIS, BERLIN = (
    "Europe/London",
    "America/New_York",
    "Europe/Paris",
    "Europe/Berlin",
)
KIRITIMATI, PAGO_PAGO = "Pacific/Kiritimati", "Pacific/Pago_Pago"  # UTC+14, UTC-11


def at(text: str, tz: str) -> datetime:
    """A wall-clock time in a zone."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz))


# (case, the moment, its zone, now on the user's clock, the user's zone, expected words)
MOMENTS = [
    (
        "same zone: nothing added",
        ("2026-09-15T17:00", PARIS),
        ("2026-09-15T12:00", PARIS),
        PARIS,
        "today 17:00",
    ),
    (
        "New York seen from London, 5 h apart",
        ("2026-09-15T15:00", NEW_YORK),
        ("2026-09-15T12:00", LONDON),
        LONDON,
        "today 20:00 (15:00 New York)",
    ),
    (
        "late March 2026: New York on summer time, London not yet, 4 h apart",
        ("2026-03-26T15:00", NEW_YORK),
        ("2026-03-26T12:00", LONDON),
        LONDON,
        "today 19:00 (15:00 New York)",
    ),
    (
        "after 29 March both on summer time: 5 h again",
        ("2026-03-30T15:00", NEW_YORK),
        ("2026-03-30T12:00", LONDON),
        LONDON,
        "today 20:00 (15:00 New York)",
    ),
    (
        "late October 2026: London back on winter time, New York not yet, 4 h apart",
        ("2026-10-28T15:00", NEW_YORK),
        ("2026-10-27T12:00", LONDON),
        LONDON,
        "tomorrow 19:00 (15:00 New York)",
    ),
    (
        "after 1 November both on winter time: 5 h again",
        ("2026-11-02T15:00", NEW_YORK),
        ("2026-11-02T12:00", LONDON),
        LONDON,
        "today 20:00 (15:00 New York)",
    ),
    (
        "New York's evening is London's next day: the added time carries its weekday",
        ("2026-09-15T22:00", NEW_YORK),
        ("2026-09-15T12:00", LONDON),
        LONDON,
        "tomorrow 03:00 (Tue 22:00 New York)",
    ),
    (
        "Kiritimati seen from Pago Pago: a day ahead, the day word is Pago Pago's",
        ("2026-09-16T10:00", KIRITIMATI),
        ("2026-09-15T08:00", PAGO_PAGO),
        PAGO_PAGO,
        "today 09:00 (Wed 10:00 Kiritimati)",
    ),
    (
        "Pago Pago seen from Kiritimati: a day behind, the day word is Kiritimati's",
        ("2026-09-15T09:00", PAGO_PAGO),
        ("2026-09-16T08:00", KIRITIMATI),
        KIRITIMATI,
        "today 10:00 (Tue 09:00 Pago Pago)",
    ),
    (
        "Kiritimati's today is Pago Pago's yesterday",
        ("2026-09-16T10:00", KIRITIMATI),
        ("2026-09-16T08:00", PAGO_PAGO),
        PAGO_PAGO,
        "yesterday 09:00 (Wed 10:00 Kiritimati)",
    ),
    (
        "Paris seen from Berlin: the same clock, no zone added",
        ("2026-09-16T10:00", PARIS),
        ("2026-09-15T08:00", BERLIN),
        BERLIN,
        "tomorrow 10:00",
    ),
    (
        "Paris seen from Berlin in the DST week too",
        ("2026-03-29T10:00", PARIS),
        ("2026-03-29T08:00", BERLIN),
        BERLIN,
        "today 10:00",
    ),
]


@pytest.mark.parametrize(
    ("moment_at", "now", "here", "expected"),
    [case[1:] for case in MOMENTS],
    ids=[case[0] for case in MOMENTS],
)
def test_a_moment_is_said_on_the_users_clock_with_the_interviews_when_it_differs(
    moment_at: tuple[str, str], now: tuple[str, str], here: str, expected: str
) -> None:
    there = moment_at[1]
    assert moment(at(*moment_at), at(*now), here, there) == expected


# (case, start, end, zone, now, the user's zone, expected words)
SPANS = [
    (
        "same zone",
        "2026-09-15T14:00",
        "2026-09-15T15:00",
        PARIS,
        ("2026-09-15T12:00", PARIS),
        PARIS,
        "today 14:00–15:00",
    ),
    (
        "New York seen from London",
        "2026-09-15T15:00",
        "2026-09-15T16:00",
        NEW_YORK,
        ("2026-09-15T12:00", LONDON),
        LONDON,
        "today 20:00–21:00 (15:00–16:00 New York)",
    ),
    (
        "the DST week: 4 h apart",
        "2026-03-26T15:00",
        "2026-03-26T16:00",
        NEW_YORK,
        ("2026-03-26T12:00", LONDON),
        LONDON,
        "today 19:00–20:00 (15:00–16:00 New York)",
    ),
    (
        "London's end on the next day, New York's on the same",
        "2026-09-15T18:00",
        "2026-09-15T19:30",
        NEW_YORK,
        ("2026-09-15T12:00", LONDON),
        LONDON,
        "today 23:00–tomorrow 00:30 (18:00–19:30 New York)",
    ),
    (
        "Kiritimati seen from Pago Pago",
        "2026-09-16T10:00",
        "2026-09-16T11:00",
        KIRITIMATI,
        ("2026-09-15T08:00", PAGO_PAGO),
        PAGO_PAGO,
        "today 09:00–10:00 (Wed 10:00–11:00 Kiritimati)",
    ),
    (
        "Paris seen from Berlin",
        "2026-09-15T14:00",
        "2026-09-15T15:00",
        PARIS,
        ("2026-09-15T12:00", BERLIN),
        BERLIN,
        "today 14:00–15:00",
    ),
    (
        "Reykjavik seen from London across London's spring change: the same clock at the "
        "start, not at the end, so the zone is added",
        "2026-03-28T22:00",
        "2026-03-29T03:00",
        "Atlantic/Reykjavik",
        ("2026-03-28T12:00", LONDON),
        LONDON,
        "today 22:00–tomorrow 04:00 (22:00–Sun 03:00 Reykjavik)",
    ),
]


@pytest.mark.parametrize(
    ("start", "end", "tz", "now", "here", "expected"),
    [case[1:] for case in SPANS],
    ids=[case[0] for case in SPANS],
)
def test_a_span_is_said_on_the_users_clock_with_the_interviews_when_it_differs(
    start: str, end: str, tz: str, now: tuple[str, str], here: str, expected: str
) -> None:
    assert span_words(at(start, tz), at(end, tz), at(*now), here, tz) == expected


def action(tz: str, state: str, **moments: str) -> dict[str, Any]:
    """An action as `views.action_json` gives it, its moments in zone `tz`."""
    return {
        "tz": tz,
        "state": state,
        **{k: at(v, tz).isoformat() for k, v in moments.items()},
    }


# a thank-you after a New York interview that ended at 15:00 New York time
THANKS = {
    "opens_at": "2026-09-15T15:00",
    "ideal_from": "2026-09-15T17:00",
    "ideal_until": "2026-09-15T18:00",
    "due_at": "2026-09-16T15:00",
}
# (case, the action's zone, state, now (London), the user's zone, expected line)
LINES = [
    (
        "open, before its ideal window",
        NEW_YORK,
        "open",
        ("2026-09-15T20:30", LONDON),
        LONDON,
        "ideal today 22:00–23:00 (17:00–18:00 New York), in 1 h 30 min; "
        "due tomorrow 20:00 (15:00 New York)",
    ),
    (
        "ideal now",
        NEW_YORK,
        "ideal",
        ("2026-09-15T22:30", LONDON),
        LONDON,
        "ideal now until 23:00 (18:00 New York), 30 min left; due tomorrow 20:00 (15:00 New York)",
    ),
    (
        "open, after its ideal window",
        NEW_YORK,
        "open",
        ("2026-09-16T08:00", LONDON),
        LONDON,
        "due today 20:00 (15:00 New York), in 12 h",
    ),
    (
        "overdue",
        NEW_YORK,
        "overdue",
        ("2026-09-17T08:00", LONDON),
        LONDON,
        "was due yesterday 20:00 (15:00 New York), 12 h ago",
    ),
    (
        "upcoming",
        NEW_YORK,
        "upcoming",
        ("2026-09-14T12:00", LONDON),
        LONDON,
        "opens tomorrow 20:00 (15:00 New York), in 1 day; ideal 22:00–23:00 "
        "(17:00–18:00 New York); due Wed 20:00 (15:00 New York)",
    ),
    (
        "the same action for a user in New York: no zone added",
        NEW_YORK,
        "open",
        ("2026-09-15T15:30", NEW_YORK),
        NEW_YORK,
        "ideal today 17:00–18:00, in 1 h 30 min; due tomorrow 15:00",
    ),
    (
        "a Paris action for a user in Berlin: the same clock",
        PARIS,
        "ideal",
        ("2026-09-15T17:30", BERLIN),
        BERLIN,
        "ideal now until 18:00, 30 min left; due tomorrow 15:00",
    ),
]


@pytest.mark.parametrize(
    ("tz", "state", "now", "here", "expected"),
    [case[1:] for case in LINES],
    ids=[case[0] for case in LINES],
)
def test_an_actions_line_follows_the_rule(
    tz: str, state: str, now: tuple[str, str], here: str, expected: str
) -> None:
    assert when_line(action(tz, state, **THANKS), at(*now), here) == expected


def test_an_ended_action_says_when_it_ended_on_the_users_clock() -> None:
    a = action(NEW_YORK, "done", **THANKS, ended_at="2026-09-15T17:10")
    assert (
        when_line(a, at("2026-09-16T09:00", LONDON), LONDON)
        == "done yesterday 22:10 (17:10 New York)"
    )
    a = action(PARIS, "skipped", **THANKS, ended_at="2026-09-15T17:10")
    assert when_line(a, at("2026-09-16T09:00", BERLIN), BERLIN) == "skipped yesterday 17:10"


def test_the_kiritimati_line_keeps_each_day_word_with_its_clock() -> None:
    a = action(
        KIRITIMATI,
        "open",
        opens_at="2026-09-16T11:00",
        ideal_from="2026-09-16T13:00",
        ideal_until="2026-09-16T14:00",
        due_at="2026-09-17T11:00",
    )
    assert when_line(a, at("2026-09-15T09:00", PAGO_PAGO), PAGO_PAGO) == (
        "ideal today 12:00–13:00 (Wed 13:00–14:00 Kiritimati), in 3 h; "
        "due tomorrow 10:00 (Thu 11:00 Kiritimati)"
    )


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("America/New_York", "New York"),
        ("Pacific/Kiritimati", "Kiritimati"),
        ("Pacific/Pago_Pago", "Pago Pago"),
        ("America/Argentina/Buenos_Aires", "Buenos Aires"),
        ("America/Port-au-Prince", "Port-au-Prince"),
        ("Etc/GMT+5", "UTC-5"),
        ("Etc/GMT-14", "UTC+14"),
        ("Etc/UTC", "UTC"),
        ("UTC", "UTC"),
        ("EST5EDT", "EST5EDT"),
    ],
)
def test_a_zone_is_said_by_its_city(name: str, said: str) -> None:
    assert place(name) == said


def test_same_clock_compares_offsets_at_that_moment() -> None:
    winter, march = at("2026-02-01T12:00", LONDON), at("2026-03-20T12:00", LONDON)
    assert same_clock(winter, LONDON, "Atlantic/Reykjavik")  # both UTC+0 in winter
    assert not same_clock(at("2026-06-01T12:00", LONDON), LONDON, "Atlantic/Reykjavik")
    assert same_clock(march, PARIS, BERLIN) and same_clock(march, LONDON, None)
    assert not same_clock(march, LONDON, NEW_YORK)
