"""Table tests of each rule of PRODUCT.md, run on DST-change days and in far zones.

Every comparison of moments goes through UTC (`utc()`): Python compares two
datetimes that share a tzinfo by their wall clock, which is wrong in the hour
repeated in autumn.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from afterview.core.model import (
    Action,
    ActionKind,
    ActionState,
    Application,
    Facts,
    InterviewStatus,
    Progress,
    TouchKind,
    Window,
)
from afterview.core.plan import agenda, plan, plan_with_cycles
from afterview.core.playbook import Playbook
from afterview.core.rules import follow_up_refusal
from afterview.core.timeutil import (
    NonexistentLocalTime,
    add_days,
    add_hours,
    iso_week_label,
    local_at,
    next_business_day,
    on_business_day,
    parse_local,
    resolve_local,
    week_bounds,
    week_start,
)
from tests.core.helpers import (
    BERLIN,
    KIRITIMATI,
    LORD_HOWE,
    NEW_YORK,
    ST_JOHNS,
    ZONES,
    applications,
    by_id,
    done,
    facts,
    follow_ups,
    hours_between,
    interview,
    local,
    of_kind,
    outcome,
    person,
    received,
    sent,
    skip,
    utc,
    wall,
)

PB = Playbook()
ANN = person(1, "Ann", "ann@x.example")
BEN = person(2, "Ben", "ben@x.example")
CAT = person(3, "Cat")


def the(actions: list[Action], action_id: str) -> Action:
    return by_id(actions)[action_id]


def in_utc(w: Window) -> tuple[datetime, datetime, datetime, datetime]:
    return (utc(w.opens_at), utc(w.ideal_from), utc(w.ideal_until), utc(w.due_at))


# =============================================================================================
# Time arithmetic (timeutil)
# =============================================================================================

GAPS = [  # (zone, a wall-clock time the zone skips, where a computed one lands)
    (BERLIN, datetime(2026, 3, 29, 2, 30), (2026, 3, 29, 3, 30)),
    (NEW_YORK, datetime(2026, 3, 8, 2, 30), (2026, 3, 8, 3, 30)),
    (ST_JOHNS, datetime(2026, 3, 8, 2, 30), (2026, 3, 8, 3, 30)),
    (LORD_HOWE, datetime(2026, 10, 4, 2, 15), (2026, 10, 4, 2, 45)),
]

REPEATS = [  # (zone, a wall-clock time the zone repeats, UTC offset of its first occurrence)
    (BERLIN, datetime(2026, 10, 25, 2, 30), timedelta(hours=2)),
    (NEW_YORK, datetime(2026, 11, 1, 1, 30), timedelta(hours=-4)),
    (ST_JOHNS, datetime(2026, 11, 1, 1, 30), timedelta(hours=-2, minutes=-30)),
    (LORD_HOWE, datetime(2026, 4, 5, 1, 45), timedelta(hours=11)),
]


@pytest.mark.parametrize("tz, naive, _", GAPS)
def test_parse_local_refuses_a_nonexistent_time(tz: str, naive: datetime, _: object) -> None:
    with pytest.raises(NonexistentLocalTime, match="does not exist"):
        parse_local(naive, ZoneInfo(tz))


@pytest.mark.parametrize("tz, naive, landing", GAPS)
def test_a_computed_time_in_the_gap_moves_forward(
    tz: str, naive: datetime, landing: tuple[int, ...]
) -> None:
    moved = resolve_local(naive, ZoneInfo(tz))
    assert wall(moved, tz) == landing
    assert local_at(naive.date(), naive.time(), ZoneInfo(tz)) == moved
    # moved forward by the length of the gap, i.e. past the skipped hour
    before = parse_local(naive - timedelta(hours=1), ZoneInfo(tz))
    assert utc(moved) > utc(before)


@pytest.mark.parametrize("tz, naive, offset", REPEATS)
def test_an_ambiguous_time_means_its_first_occurrence(
    tz: str, naive: datetime, offset: timedelta
) -> None:
    for f in (parse_local, resolve_local):
        got = f(naive, ZoneInfo(tz))
        assert got.utcoffset() == offset
        assert got.replace(tzinfo=None) == naive
    # the second occurrence is a real, later moment
    second = naive.replace(tzinfo=ZoneInfo(tz), fold=1)
    assert utc(second) > utc(parse_local(naive, ZoneInfo(tz)))


@pytest.mark.parametrize("tz", ZONES)
def test_parse_local_keeps_an_ordinary_time(tz: str) -> None:
    got = parse_local(datetime(2026, 6, 10, 9, 15), ZoneInfo(tz))
    assert wall(got, tz) == (2026, 6, 10, 9, 15)


HOURS_24 = [  # (zone, end wall clock, wall clock 24 real hours later)
    (BERLIN, (2026, 3, 28, 15, 0), (2026, 3, 29, 16, 0)),
    (BERLIN, (2026, 10, 24, 15, 0), (2026, 10, 25, 14, 0)),
    (BERLIN, (2026, 3, 29, 0, 0), (2026, 3, 30, 1, 0)),
    (BERLIN, (2026, 10, 25, 0, 0), (2026, 10, 25, 23, 0)),
    (BERLIN, (2026, 3, 29, 1, 30), (2026, 3, 30, 2, 30)),
    (NEW_YORK, (2026, 3, 7, 15, 0), (2026, 3, 8, 16, 0)),
    (NEW_YORK, (2026, 10, 31, 15, 0), (2026, 11, 1, 14, 0)),
    (NEW_YORK, (2026, 3, 8, 0, 0), (2026, 3, 9, 1, 0)),
    (NEW_YORK, (2026, 11, 1, 0, 30), (2026, 11, 1, 23, 30)),
    (ST_JOHNS, (2026, 3, 7, 15, 0), (2026, 3, 8, 16, 0)),
    (ST_JOHNS, (2026, 10, 31, 15, 0), (2026, 11, 1, 14, 0)),
    (LORD_HOWE, (2026, 10, 3, 15, 0), (2026, 10, 4, 15, 30)),
    (LORD_HOWE, (2026, 4, 4, 15, 0), (2026, 4, 5, 14, 30)),
    (KIRITIMATI, (2026, 3, 28, 0, 0), (2026, 3, 29, 0, 0)),
    (KIRITIMATI, (2026, 10, 24, 14, 0), (2026, 10, 25, 14, 0)),
]


@pytest.mark.parametrize("tz, start, after", HOURS_24)
def test_add_hours_is_real_elapsed_time(
    tz: str, start: tuple[int, ...], after: tuple[int, ...]
) -> None:
    at = local(tz, *start)
    later = add_hours(at, 24)
    assert hours_between(at, later) == 24
    assert wall(later, tz) == after


DAYS_7 = [  # (zone, wall clock, real hours in the next 7 calendar days)
    (BERLIN, (2026, 3, 24, 15, 0), 167),
    (BERLIN, (2026, 10, 20, 15, 0), 169),
    (NEW_YORK, (2026, 3, 3, 15, 0), 167),
    (NEW_YORK, (2026, 10, 27, 15, 0), 169),
    (ST_JOHNS, (2026, 3, 3, 15, 0), 167),
    (ST_JOHNS, (2026, 10, 27, 15, 0), 169),
    (LORD_HOWE, (2026, 9, 29, 15, 0), 167.5),
    (LORD_HOWE, (2026, 3, 31, 15, 0), 168.5),
    (KIRITIMATI, (2026, 3, 3, 15, 0), 168),
]


@pytest.mark.parametrize("tz, start, hours", DAYS_7)
def test_add_days_keeps_the_wall_clock(tz: str, start: tuple[int, ...], hours: float) -> None:
    at = local(tz, *start)
    later = add_days(at, 7, ZoneInfo(tz))
    assert wall(later, tz)[3:] == start[3:]
    assert hours_between(at, later) == hours
    # the same from a UTC representation of the same moment
    assert utc(add_days(utc(at), 7, ZoneInfo(tz))) == utc(later)


@pytest.mark.parametrize(
    "monday, label",
    [
        (date(2026, 9, 14), "2026-W38"),
        (date(2025, 12, 29), "2026-W01"),
        (date(2026, 12, 28), "2026-W53"),
        (date(2027, 1, 4), "2027-W01"),
        (date(2026, 3, 2), "2026-W10"),
    ],
)
def test_iso_week_label(monday: date, label: str) -> None:
    assert iso_week_label(monday) == label
    assert week_start(monday + timedelta(days=6)) == monday


@pytest.mark.parametrize(
    "tz, monday, hours",
    [
        (BERLIN, date(2026, 3, 23), 167),
        (BERLIN, date(2026, 10, 19), 169),
        (NEW_YORK, date(2026, 3, 2), 167),
        (NEW_YORK, date(2026, 10, 26), 169),
        (ST_JOHNS, date(2026, 10, 26), 169),
        (LORD_HOWE, date(2026, 9, 28), 167.5),
        (LORD_HOWE, date(2026, 3, 30), 168.5),
        (KIRITIMATI, date(2026, 3, 2), 168),
    ],
)
def test_week_bounds_are_local_mondays(tz: str, monday: date, hours: float) -> None:
    ws, we = week_bounds(monday, ZoneInfo(tz))
    assert wall(ws, tz) == (monday.year, monday.month, monday.day, 0, 0)
    nxt = monday + timedelta(days=7)
    assert wall(we, tz) == (nxt.year, nxt.month, nxt.day, 0, 0)
    assert hours_between(ws, we) == hours


def test_business_days_skip_weekends_and_holidays() -> None:
    hol = {date(2026, 12, 25)}
    assert next_business_day(date(2026, 12, 24), hol) == date(2026, 12, 28)
    assert next_business_day(date(2026, 9, 25), set()) == date(2026, 9, 28)
    tz = ZoneInfo(BERLIN)
    sat = local(BERLIN, 2026, 10, 24, 15)
    assert wall(on_business_day(sat, tz, time(9), set()), BERLIN) == (2026, 10, 26, 9, 0)
    tue = local(BERLIN, 2026, 10, 27, 15)
    assert on_business_day(tue, tz, time(9), set()) == tue


# =============================================================================================
# 1. Thank-you notes
# =============================================================================================


@pytest.mark.parametrize("tz, start, after", HOURS_24)
def test_thank_you_due_exactly_24_real_hours_after_the_end(
    tz: str, start: tuple[int, ...], after: tuple[int, ...]
) -> None:
    end = local(tz, *start)
    for given in (end, utc(end)):  # however the end is expressed
        acts = plan(facts(interview(1, given, tz, people=(ANN,)), user_tz=tz), end, PB)
        a = the(acts, "thank_you:1:1")
        assert hours_between(end, a.window.due_at) == 24
        assert wall(a.window.due_at, tz) == after
        assert utc(a.window.opens_at) == utc(end)
        assert hours_between(end, a.window.ideal_from) == 2
        assert hours_between(end, a.window.ideal_until) == 3
        assert a.state(a.window.due_at - timedelta(seconds=1)) is ActionState.OPEN
        assert a.state(utc(a.window.due_at)) is ActionState.OVERDUE


def test_thank_you_ideal_window_across_the_skipped_hour() -> None:
    # Ends Sun 2026-03-29 01:00 CET; two real hours later the clocks read 04:00.
    end = local(BERLIN, 2026, 3, 29, 1)
    a = the(plan(facts(interview(1, end, BERLIN), user_tz=BERLIN), end, PB), "thank_you:1:team")
    assert wall(a.window.ideal_from, BERLIN) == (2026, 3, 29, 4, 0)
    assert wall(a.window.ideal_until, BERLIN) == (2026, 3, 29, 5, 0)


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize("n", [0, 1, 2, 3])
def test_one_thank_you_per_interviewer_or_one_for_the_team(tz: str, n: int) -> None:
    people = (ANN, BEN, CAT)[:n]
    end = local(tz, 2026, 5, 12, 11)
    acts = of_kind(plan(facts(interview(7, end, tz, people=people)), end, PB), ActionKind.THANK_YOU)
    if n == 0:
        assert [a.id for a in acts] == ["thank_you:7:team"]
        assert acts[0].person is None
    else:
        assert [a.id for a in acts] == [f"thank_you:7:{p.id}" for p in people]
        assert [a.person for a in acts] == list(people)
    for a in acts:
        assert a.interview_id == 7 and a.application_id == 7
        assert a.state(end - timedelta(minutes=1)) is ActionState.UPCOMING
        assert a.state(end) is ActionState.OPEN
        assert a.state(end + timedelta(hours=2)) is ActionState.IDEAL
        assert "Thank" in a.why


END_TY = local(NEW_YORK, 2026, 11, 2, 10)


@pytest.mark.parametrize(
    "people, touch_person, kind, direction, ended_ids",
    [
        # a thank-you to that person ends that person's action only
        ((ANN, BEN), 1, TouchKind.THANK_YOU, "sent", {"thank_you:9:1"}),
        ((ANN, BEN), 2, TouchKind.THANK_YOU, "sent", {"thank_you:9:2"}),
        # with several interviewers, an unaddressed one ends none of them
        ((ANN, BEN), None, TouchKind.THANK_YOU, "sent", set()),
        # with one interviewer, an unaddressed one is for that person
        ((ANN,), None, TouchKind.THANK_YOU, "sent", {"thank_you:9:1"}),
        # with none known, any thank-you ends the team's action
        ((), None, TouchKind.THANK_YOU, "sent", {"thank_you:9:team"}),
        ((), 5, TouchKind.THANK_YOU, "sent", {"thank_you:9:team"}),
        # other messages are not thank-yous
        ((ANN,), 1, TouchKind.OTHER, "sent", set()),
        ((ANN,), 1, TouchKind.FOLLOW_UP, "sent", set()),
        ((ANN,), 1, TouchKind.THANK_YOU, "received", set()),
    ],
)
def test_thank_you_ends_when_sent_to_that_person(
    people: tuple, touch_person: int | None, kind: TouchKind, direction: str, ended_ids: set
) -> None:
    at = END_TY + timedelta(hours=2, minutes=10)
    touch = sent(1, 9, at, kind, touch_person) if direction == "sent" else received(1, 9, at, kind)
    f = facts(interview(9, END_TY, NEW_YORK, people=people), touches=(touch,))
    acts = of_kind(plan(f, at, PB), ActionKind.THANK_YOU)
    ended = {a.id for a in acts if a.state(at).ended}
    assert ended == ended_ids
    for a in acts:
        if a.id in ended_ids:
            assert a.state(at) is ActionState.DONE
            assert utc(a.ended_at) == utc(at)  # type: ignore[arg-type]
            assert a.state(at - timedelta(seconds=1)) is ActionState.IDEAL


def test_thank_you_skipped_and_first_of_two_sends_counts() -> None:
    f = facts(
        interview(9, END_TY, NEW_YORK, people=(ANN, BEN)),
        touches=(
            sent(2, 9, END_TY + timedelta(hours=5), TouchKind.THANK_YOU, 1),
            sent(1, 9, END_TY + timedelta(hours=1), TouchKind.THANK_YOU, 1),
        ),
        marks=(skip("thank_you:9:2", END_TY + timedelta(hours=30), "no address"),),
    )
    acts = by_id(plan(f, END_TY + timedelta(hours=30), PB))
    assert utc(acts["thank_you:9:1"].ended_at) == utc(END_TY + timedelta(hours=1))  # type: ignore[arg-type]
    b = acts["thank_you:9:2"]
    assert b.state(END_TY + timedelta(hours=29)) is ActionState.OVERDUE
    assert b.state(END_TY + timedelta(hours=30)) is ActionState.SKIPPED
    assert b.end_why == "no address"


# =============================================================================================
# 5. Self-assessment
# =============================================================================================


@pytest.mark.parametrize("tz", ZONES)
def test_self_assess_window_and_end(tz: str) -> None:
    end = local(tz, 2026, 10, 24, 22, 30)  # across the autumn change in Berlin/NY zones
    iv = interview(3, end, tz)
    a = the(plan(facts(iv), end, PB), "self_assess:3")
    assert in_utc(a.window) == (
        utc(end),
        utc(end),
        utc(end) + timedelta(hours=6),
        utc(end) + timedelta(hours=48),
    )
    assert a.state(end) is ActionState.IDEAL
    assert a.state(utc(end) + timedelta(hours=6)) is ActionState.OPEN
    assessed_at = utc(end) + timedelta(hours=7)
    b = the(plan(facts(iv, assessed={3: assessed_at}), assessed_at, PB), "self_assess:3")
    assert b.state(assessed_at) is ActionState.DONE
    assert b.state(assessed_at - timedelta(seconds=1)) is ActionState.OPEN
    # read before the assessment was recorded, the plan does not know of it yet
    early = the(plan(facts(iv, assessed={3: assessed_at}), end, PB), "self_assess:3")
    assert early.end_state is ActionState.LAPSED
    c = the(
        plan(facts(iv, marks=(done("self_assess:3", assessed_at),)), assessed_at, PB),
        "self_assess:3",
    )
    assert c.state(assessed_at) is ActionState.DONE


# =============================================================================================
# 4. Update profile
# =============================================================================================


END_P = local(BERLIN, 2026, 4, 15, 15)  # CEST; 30 calendar days before is in CET


@pytest.mark.parametrize("as_utc", [False, True], ids=["zoned", "utc"])
@pytest.mark.parametrize(
    "review, qualifies",
    [
        (None, True),
        (local(BERLIN, 2026, 1, 2, 9), True),
        (local(BERLIN, 2026, 3, 16, 14, 59), True),
        # 30 calendar days before the end is 2026-03-16 15:00 (CET): not *more* than 30 days.
        (local(BERLIN, 2026, 3, 16, 15, 0), False),
        # 720 real hours before would be 14:00 CET; 14:30 is still more than 30 calendar days.
        (local(BERLIN, 2026, 3, 16, 14, 30), True),
        (local(BERLIN, 2026, 4, 1, 9), False),
        (local(BERLIN, 2026, 4, 15, 14), False),
    ],
)
def test_refresh_profile_when_not_reviewed_for_more_than_30_days(
    review: datetime | None, qualifies: bool, as_utc: bool
) -> None:
    end = utc(END_P) if as_utc else END_P
    reviews = () if review is None else ((utc(review) if as_utc else review),)
    acts = by_id(plan(facts(interview(4, end, BERLIN), reviews=reviews), END_P, PB))
    assert ("refresh_profile:4" in acts) is qualifies
    if qualifies:
        a = acts["refresh_profile:4"]
        assert in_utc(a.window) == (
            utc(END_P),
            utc(END_P),
            utc(END_P) + timedelta(hours=12),
            utc(END_P) + timedelta(hours=24),
        )
        assert a.state(END_P) is ActionState.IDEAL
        assert ("never reviewed" in a.why) is (review is None)


@pytest.mark.parametrize("tz", ZONES)
def test_refresh_profile_done_by_a_review_after_the_end(tz: str) -> None:
    end = local(tz, 2026, 11, 1, 12)
    rev = utc(end) + timedelta(hours=30)
    a = the(plan(facts(interview(1, end, tz), reviews=(rev,)), rev, PB), "refresh_profile:1")
    assert a.state(rev - timedelta(seconds=1)) is ActionState.OVERDUE
    assert a.state(rev) is ActionState.DONE
    m = the(
        plan(facts(interview(1, end, tz), marks=(done("refresh_profile:1", rev),)), rev, PB),
        "refresh_profile:1",
    )
    assert m.state(rev) is ActionState.DONE


def test_refresh_profile_at_most_one_live_a_newer_replaces_an_older() -> None:
    e1 = local(BERLIN, 2026, 3, 27, 11)
    e2 = local(BERLIN, 2026, 3, 29, 16)  # DST day
    e3 = local(BERLIN, 2026, 3, 30, 10)
    ivs = (interview(1, e1, BERLIN), interview(2, e2, BERLIN), interview(3, e3, BERLIN))
    acts = by_id(plan(facts(*ivs), e3, PB))
    a1, a2, a3 = (acts[f"refresh_profile:{n}"] for n in (1, 2, 3))
    assert a1.state(e2 - timedelta(seconds=1)) is ActionState.OVERDUE
    assert a1.state(e2) is ActionState.CANCELLED
    assert a1.end_why == "replaced by refresh_profile:2"
    assert a2.state(e3) is ActionState.CANCELLED
    assert a3.end_state is ActionState.LAPSED  # not updated within 7 days of its end
    assert utc(a3.ended_at) == utc(add_days(e3, 7, ZoneInfo(BERLIN)))  # type: ignore[arg-type]
    for t in (e1, e2, e3, e3 + timedelta(days=3)):
        live = [
            a for a in (a1, a2, a3) if not a.state(t).ended and utc(a.window.opens_at) <= utc(t)
        ]
        assert len(live) <= 1


def test_refresh_profile_a_review_between_interviews_stops_the_next_one() -> None:
    e1 = local(NEW_YORK, 2026, 3, 6, 11)
    e2 = local(NEW_YORK, 2026, 3, 9, 16)
    rev = local(NEW_YORK, 2026, 3, 7, 9)
    acts = by_id(
        plan(facts(interview(1, e1, NEW_YORK), interview(2, e2, NEW_YORK), reviews=(rev,)), e2, PB)
    )
    assert acts["refresh_profile:1"].state(e2) is ActionState.DONE
    assert "refresh_profile:2" not in acts


def test_refresh_profile_ended_before_the_next_stays_done() -> None:
    e1 = local(BERLIN, 2026, 3, 2, 11)
    e2 = local(BERLIN, 2026, 5, 20, 11)  # > 30 days after the review: qualifies again
    rev = local(BERLIN, 2026, 3, 2, 18)
    acts = by_id(
        plan(facts(interview(1, e1, BERLIN), interview(2, e2, BERLIN), reviews=(rev,)), e2, PB)
    )
    assert acts["refresh_profile:1"].state(e2) is ActionState.DONE
    assert "last reviewed 02 Mar 2026" in acts["refresh_profile:2"].why


# =============================================================================================
# 2. Follow-ups
# =============================================================================================


def first_follow_up(f: Facts, at: datetime, pb: Playbook = PB) -> Action:
    fus = follow_ups(plan(f, at, pb), f.interviews[0].id)
    return fus[0]


@pytest.mark.parametrize("tz, start, hours", DAYS_7)
def test_follow_up_opens_end_plus_7_days_same_wall_clock(
    tz: str, start: tuple[int, ...], hours: float
) -> None:
    end = local(tz, *start)
    fu = first_follow_up(facts(interview(1, end, tz, people=(ANN,))), end)
    assert fu.id == "follow_up:1:1"
    assert wall(fu.window.opens_at, tz)[3:] == (15, 0)
    assert hours_between(end, fu.window.opens_at) == hours
    assert utc(fu.window.ideal_from) == utc(fu.window.opens_at)
    assert utc(fu.window.ideal_until) == utc(add_days(fu.window.opens_at, 2, ZoneInfo(tz)))
    assert utc(fu.window.due_at) == utc(add_days(fu.window.opens_at, 7, ZoneInfo(tz)))
    assert wall(fu.window.due_at, tz)[3:] == (15, 0)
    assert fu.person == ANN
    assert fu.state(end) is ActionState.UPCOMING


@pytest.mark.parametrize(
    "tz, end, decision, opens",
    [
        # decision date a Friday: 09:00 the Monday after (later than end + 7 days)
        (BERLIN, (2026, 9, 15, 15), date(2026, 9, 25), (2026, 9, 28, 9, 0)),
        # decision on a Wednesday: Thursday 09:00
        (NEW_YORK, (2026, 10, 27, 15), date(2026, 11, 4), (2026, 11, 5, 9, 0)),
        # decision on the Friday before the spring change: Monday after the DST Sunday
        (BERLIN, (2026, 3, 17, 15), date(2026, 3, 27), (2026, 3, 30, 9, 0)),
        (NEW_YORK, (2026, 2, 24, 15), date(2026, 3, 6), (2026, 3, 9, 9, 0)),
        (ST_JOHNS, (2026, 10, 20, 15), date(2026, 10, 30), (2026, 11, 2, 9, 0)),
        (LORD_HOWE, (2026, 9, 22, 15), date(2026, 10, 2), (2026, 10, 5, 9, 0)),
        (KIRITIMATI, (2026, 9, 15, 15), date(2026, 9, 30), (2026, 10, 1, 9, 0)),
        # decision date before end + 7 days: end + 7 days wins
        (BERLIN, (2026, 9, 15, 15), date(2026, 9, 16), (2026, 9, 22, 15, 0)),
        # decision date on the day before end + 7 days' date: 09:00 < 15:00, end + 7 days wins
        (BERLIN, (2026, 9, 15, 15), date(2026, 9, 21), (2026, 9, 22, 15, 0)),
        # decision on end + 7 days' date: the next business day at 09:00 is later
        (BERLIN, (2026, 9, 15, 15), date(2026, 9, 22), (2026, 9, 23, 9, 0)),
        # decision date before the interview
        (NEW_YORK, (2026, 9, 15, 15), date(2026, 9, 1), (2026, 9, 22, 15, 0)),
    ],
)
def test_first_follow_up_after_the_decision_date(
    tz: str, end: tuple[int, ...], decision: date, opens: tuple[int, ...]
) -> None:
    iv = interview(1, local(tz, *end), tz, people=(ANN,), decision_by=decision)
    fu = first_follow_up(facts(iv), iv.end)
    assert wall(fu.window.opens_at, tz) == opens


@pytest.mark.parametrize(
    "tz, end, holidays, opens",
    [
        # end + 7 days on a Saturday or Sunday: 09:00 Monday
        (BERLIN, (2026, 10, 17, 11), (), (2026, 10, 26, 9, 0)),
        (BERLIN, (2026, 10, 18, 11), (), (2026, 10, 26, 9, 0)),  # lands on the DST Sunday
        (NEW_YORK, (2026, 2, 28, 11), (), (2026, 3, 9, 9, 0)),
        (NEW_YORK, (2026, 3, 1, 11), (), (2026, 3, 9, 9, 0)),  # lands on the DST Sunday
        (KIRITIMATI, (2026, 5, 16, 23, 30), (), (2026, 5, 25, 9, 0)),
        (LORD_HOWE, (2026, 9, 27, 2, 15), (), (2026, 10, 5, 9, 0)),
        # a public holiday (Thanksgiving, Thu 2026-11-26): Friday 09:00
        (NEW_YORK, (2026, 11, 19, 15), (date(2026, 11, 26),), (2026, 11, 27, 9, 0)),
        # Christmas Friday then the weekend: Monday 09:00
        (BERLIN, (2026, 12, 18, 15), (date(2026, 12, 25),), (2026, 12, 28, 9, 0)),
        # two holidays in a row
        (
            BERLIN,
            (2026, 12, 17, 15),
            (date(2026, 12, 24), date(2026, 12, 25)),
            (2026, 12, 28, 9, 0),
        ),
    ],
)
def test_follow_up_on_a_non_business_day_moves_to_9h_next_business_day(
    tz: str, end: tuple[int, ...], holidays: tuple[date, ...], opens: tuple[int, ...]
) -> None:
    iv = interview(1, local(tz, *end), tz)
    fu = first_follow_up(facts(iv, holidays=holidays), iv.end)
    assert wall(fu.window.opens_at, tz) == opens
    assert "not a business day" in fu.why


def test_decision_date_followed_by_a_holiday() -> None:
    # Decision Wed 2026-11-25; Thursday is Thanksgiving: Friday 09:00.
    iv = interview(1, local(NEW_YORK, 2026, 11, 10, 15), NEW_YORK, decision_by=date(2026, 11, 25))
    fu = first_follow_up(facts(iv, holidays=(date(2026, 11, 26),)), iv.end)
    assert wall(fu.window.opens_at, NEW_YORK) == (2026, 11, 27, 9, 0)


def test_custom_workweek_and_morning() -> None:
    pb = Playbook(workweek=("sun", "mon", "tue", "wed", "thu"), business_morning="08:30")
    # End Thu 2026-10-15 + 7 days = Thu: a workday; decision Thu 10-22 -> Sun 10-25 08:30.
    iv = interview(1, local(BERLIN, 2026, 10, 15, 15), BERLIN, decision_by=date(2026, 10, 22))
    fu = first_follow_up(facts(iv), iv.end, pb)
    assert wall(fu.window.opens_at, BERLIN) == (2026, 10, 25, 8, 30)


GAP_WINDOWS = [  # an interview ending at night, whose follow-up's ideal_until lands in the gap
    (BERLIN, (2026, 3, 20, 2, 30), (2026, 3, 29, 3, 30)),
    (NEW_YORK, (2026, 2, 27, 2, 30), (2026, 3, 8, 3, 30)),
    (ST_JOHNS, (2026, 2, 27, 2, 30), (2026, 3, 8, 3, 30)),
    (LORD_HOWE, (2026, 9, 25, 2, 15), (2026, 10, 4, 2, 45)),
]


@pytest.mark.parametrize("tz, end, ideal_until", GAP_WINDOWS)
def test_follow_up_window_time_in_the_gap_moves_forward(
    tz: str, end: tuple[int, ...], ideal_until: tuple[int, ...]
) -> None:
    iv = interview(1, local(tz, *end), tz)
    fu = first_follow_up(facts(iv), iv.end)
    week_later = date(*end[:3]) + timedelta(days=7)
    assert wall(fu.window.opens_at, tz) == (*week_later.timetuple()[:3], *end[3:])
    assert wall(fu.window.ideal_until, tz) == ideal_until


REPEAT_WINDOWS = [  # ... whose ideal_until is an ambiguous time: its first occurrence
    (BERLIN, (2026, 10, 16, 2, 30), timedelta(hours=2)),
    (NEW_YORK, (2026, 10, 23, 1, 30), timedelta(hours=-4)),
    (ST_JOHNS, (2026, 10, 23, 1, 30), timedelta(hours=-2, minutes=-30)),
    (LORD_HOWE, (2026, 3, 27, 1, 45), timedelta(hours=11)),
]


@pytest.mark.parametrize("tz, end, offset", REPEAT_WINDOWS)
def test_follow_up_window_ambiguous_time_is_the_first_occurrence(
    tz: str, end: tuple[int, ...], offset: timedelta
) -> None:
    iv = interview(1, local(tz, *end), tz)
    fu = first_follow_up(facts(iv), iv.end)
    until = fu.window.ideal_until.astimezone(ZoneInfo(tz))
    assert until.utcoffset() == offset
    assert until.hour == end[3] and until.minute == end[4]
    # The state in the repeated hour follows real time: after the first occurrence it is
    # `open`, even at a wall-clock time that reads earlier (the second occurrence).
    second = until.replace(minute=until.minute - 15 if until.minute >= 15 else 0, fold=1)
    assert utc(second) > utc(until)
    assert fu.state(second) is ActionState.OPEN
    assert fu.state(until - timedelta(minutes=1)) is ActionState.IDEAL


def test_follow_up_opens_in_the_gap_with_a_sunday_workweek() -> None:
    pb = Playbook(workweek=("sun", "mon", "tue", "wed", "thu"))
    iv = interview(1, local(BERLIN, 2026, 3, 22, 2, 30), BERLIN)
    fu = first_follow_up(facts(iv), iv.end, pb)
    assert wall(fu.window.opens_at, BERLIN) == (2026, 3, 29, 3, 30)


# -- spacing, cap, no_response -------------------------------------------------------------------


@pytest.mark.parametrize(
    "tz, sent_at, opens",
    [
        # 7 days later at the same wall clock, across the DST change
        (BERLIN, (2026, 3, 24, 10), (2026, 3, 31, 10, 0)),
        (BERLIN, (2026, 10, 23, 16), (2026, 10, 30, 16, 0)),
        (NEW_YORK, (2026, 3, 5, 10), (2026, 3, 12, 10, 0)),
        (NEW_YORK, (2026, 10, 29, 16), (2026, 11, 5, 16, 0)),
        (ST_JOHNS, (2026, 10, 29, 16), (2026, 11, 5, 16, 0)),
        (LORD_HOWE, (2026, 9, 30, 8), (2026, 10, 7, 8, 0)),
        (KIRITIMATI, (2026, 9, 30, 8), (2026, 10, 7, 8, 0)),
        # sent on a Saturday: a week later is a Saturday -> 09:00 Monday
        (BERLIN, (2026, 10, 24, 10), (2026, 11, 2, 9, 0)),
    ],
)
def test_next_follow_up_opens_spacing_days_after_the_last_one_sent(
    tz: str, sent_at: tuple[int, ...], opens: tuple[int, ...]
) -> None:
    s = local(tz, *sent_at)
    end = add_days(s, -8, ZoneInfo(tz))
    iv = interview(1, end, tz, people=(ANN,))
    acts = plan(facts(iv, touches=(sent(1, 1, s),)), s, PB)
    fu1, fu2 = follow_ups(acts, 1)
    assert fu1.state(s) is ActionState.DONE
    assert wall(fu2.window.opens_at, tz) == opens
    assert "Follow-up 2 of at most 2" in fu2.why
    # not sent: it lapses follow_up_lapse_days after its due moment, ending the cycle
    assert fu2.end_state is ActionState.LAPSED
    assert fu2.ended_at == add_days(fu2.window.due_at, 14, ZoneInfo(tz))


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize("cap", [1, 2, 3])
def test_cap_then_no_response_seven_days_after_the_last(tz: str, cap: int) -> None:
    pb = Playbook(follow_up_cap=cap)
    end = local(tz, 2026, 10, 13, 15)  # a Tuesday
    sends = [add_days(end, 7 * (n + 1), ZoneInfo(tz)) for n in range(cap)]
    iv = interview(1, end, tz, people=(ANN,))
    f = facts(iv, touches=[sent(n + 1, 1, s) for n, s in enumerate(sends)])
    p = plan_with_cycles(f, sends[-1], pb)
    fus = follow_ups(p.actions, 1)
    assert [a.id for a in fus] == [f"follow_up:1:{n}" for n in range(1, cap + 1)]
    assert all(a.end_state is ActionState.DONE for a in fus)
    assert p.cycles[1].pending is None
    assert "cap" in (p.cycles[1].closed_why or "")
    last = sends[-1]
    nr = add_days(last, 7, ZoneInfo(tz))
    cyc = p.cycles[1]
    assert cyc.status(end - timedelta(minutes=1)) is InterviewStatus.SCHEDULED
    assert cyc.status(end) is InterviewStatus.AWAITING
    assert cyc.status(nr - timedelta(seconds=1)) is InterviewStatus.AWAITING
    assert cyc.status(nr) is InterviewStatus.NO_RESPONSE
    refusal = follow_up_refusal(f, iv, nr + timedelta(days=3), pb)
    assert refusal is not None and "cap" in refusal
    # one more sent beyond the cap (with --force) proposes nothing more
    forced = facts(iv, touches=[*f.touches, sent(99, 1, last + timedelta(days=2))])
    assert len(follow_ups(plan(forced, last, pb), 1)) == cap


def test_cap_zero_turns_follow_ups_off() -> None:
    end = local(BERLIN, 2026, 10, 13, 15)
    p = plan_with_cycles(facts(interview(1, end, BERLIN)), end, Playbook(follow_up_cap=0))
    assert follow_ups(p.actions, 1) == []
    assert "follow_up_cap = 0" in (p.cycles[1].closed_why or "")


@pytest.mark.parametrize("tz", [BERLIN, NEW_YORK, ST_JOHNS, LORD_HOWE, KIRITIMATI])
def test_received_message_cancels_pending_resets_clock_and_cap(tz: str) -> None:
    z = ZoneInfo(tz)
    end = local(tz, 2026, 10, 13, 15)
    s1 = add_days(end, 7, z)  # Tue
    s2 = add_days(s1, 7, z)  # Tue -> cap reached, nothing pending
    r = add_hours(s2, 50)  # Thursday
    iv = interview(1, end, tz, people=(ANN,))
    f = facts(iv, touches=(sent(1, 1, s1), sent(2, 1, s2), received(3, 1, r)))
    p = plan_with_cycles(f, r, PB)
    fus = follow_ups(p.actions, 1)
    assert [a.id for a in fus] == ["follow_up:1:1", "follow_up:1:2", "follow_up:1:3"]
    fu3 = fus[2]
    assert utc(fu3.window.opens_at) == utc(on_business_day(add_days(r, 7, z), z, time(9), ()))
    assert "Follow-up 1 of at most 2" in fu3.why
    # a message while 3 is pending cancels it and opens 4 a week after that message
    r2 = add_hours(r, 24 * 3)
    f2 = facts(iv, touches=(*f.touches, received(4, 1, r2)))
    fus2 = follow_ups(plan(f2, r2, PB), 1)
    assert [a.id for a in fus2][-2:] == ["follow_up:1:3", "follow_up:1:4"]
    assert fus2[2].state(r2) is ActionState.CANCELLED
    assert utc(fus2[2].ended_at) == utc(r2)  # type: ignore[arg-type]
    assert fus2[2].state(r2 - timedelta(seconds=1)) is ActionState.UPCOMING
    assert utc(fus2[3].window.opens_at) == utc(on_business_day(add_days(r2, 7, z), z, time(9), ()))


def test_received_message_with_a_new_later_decision_date() -> None:
    end = local(BERLIN, 2026, 10, 6, 15)
    r = local(BERLIN, 2026, 10, 8, 10)  # "we decide by Fri 10-23"
    iv = interview(1, end, BERLIN, decision_by=date(2026, 10, 23))
    fus = follow_ups(plan(facts(iv, touches=(received(1, 1, r),)), r, PB), 1)
    assert fus[0].state(r) is ActionState.CANCELLED
    assert wall(fus[1].window.opens_at, BERLIN) == (2026, 10, 26, 9, 0)  # Mon after, DST passed


def test_received_before_the_end_is_ignored() -> None:
    end = local(BERLIN, 2026, 10, 6, 15)
    iv = interview(1, end, BERLIN)
    fus = follow_ups(
        plan(facts(iv, touches=(received(1, 1, end - timedelta(days=2)),)), end, PB), 1
    )
    assert [a.id for a in fus] == ["follow_up:1:1"]
    assert wall(fus[0].window.opens_at, BERLIN) == (2026, 10, 13, 15, 0)


@pytest.mark.parametrize("result", ["offer", "rejected", "next_round", "withdrawn"])
@pytest.mark.parametrize("tz", [BERLIN, NEW_YORK, LORD_HOWE])
def test_outcome_cancels_follow_ups_but_not_the_rest(tz: str, result: str) -> None:
    end = local(tz, 2026, 10, 20, 15)
    o_at = add_hours(end, 30)
    iv = interview(1, end, tz, people=(ANN,))
    f = facts(iv, outcomes=(outcome(1, result, o_at),))
    p = plan_with_cycles(f, o_at, PB)
    (fu,) = follow_ups(p.actions, 1)
    assert fu.state(o_at) is ActionState.CANCELLED
    assert fu.end_why == f"outcome recorded: {result}"
    assert p.cycles[1].status(o_at) is InterviewStatus(result)
    assert p.cycles[1].status(o_at - timedelta(seconds=1)) is InterviewStatus.AWAITING
    acts = by_id(p.actions)
    # thank-you, profile and self-assessment stay
    assert acts["thank_you:1:1"].state(o_at) is ActionState.OVERDUE
    assert acts["self_assess:1"].state(o_at) is ActionState.OPEN
    assert acts["refresh_profile:1"].state(o_at) is ActionState.OVERDUE
    # facts after the outcome change nothing
    later = facts(iv, outcomes=f.outcomes, touches=(received(1, 1, o_at + timedelta(days=1)),))
    assert [a.id for a in follow_ups(plan(later, o_at, PB), 1)] == ["follow_up:1:1"]
    assert follow_up_refusal(f, iv, o_at + timedelta(days=9), PB) == f"outcome recorded: {result}"


def test_outcome_before_the_end_means_never_awaiting() -> None:
    # e.g. the user withdrew before the interview took place
    end = local(BERLIN, 2026, 10, 20, 15)
    o_at = end - timedelta(days=1)
    iv = interview(1, end, BERLIN)
    p = plan_with_cycles(
        facts(iv, outcomes=(outcome(1, "withdrawn", o_at),), user_tz=BERLIN), end, PB
    )
    assert p.cycles[1].status(end + timedelta(days=2)) is InterviewStatus.WITHDRAWN
    assert p.cycles[1].awaiting() == []
    assert of_kind(p.actions, ActionKind.KEEP_SEARCHING) == []
    assert all(a.state(end).ended for a in follow_ups(p.actions, 1))


def test_outcome_after_no_response_keeps_no_response_in_between() -> None:
    end = local(NEW_YORK, 2026, 10, 13, 15)
    s1, s2 = local(NEW_YORK, 2026, 10, 20, 15), local(NEW_YORK, 2026, 10, 27, 15)
    nr = local(NEW_YORK, 2026, 11, 3, 15)
    o_at = local(NEW_YORK, 2026, 11, 20, 9)
    iv = interview(1, end, NEW_YORK)
    f = facts(
        iv, touches=(sent(1, 1, s1), sent(2, 1, s2)), outcomes=(outcome(1, "rejected", o_at),)
    )
    cyc = plan_with_cycles(f, o_at, PB).cycles[1]
    assert cyc.status(nr - timedelta(seconds=1)) is InterviewStatus.AWAITING
    assert cyc.status(nr) is InterviewStatus.NO_RESPONSE
    assert cyc.status(o_at) is InterviewStatus.REJECTED
    assert cyc.awaiting() == [(end, nr)]


def test_follow_up_sent_beyond_the_cap() -> None:
    end = local(BERLIN, 2026, 10, 13, 15)
    s1, s2 = local(BERLIN, 2026, 10, 20, 15), local(BERLIN, 2026, 10, 27, 15)
    iv = interview(1, end, BERLIN)
    # forced before no_response: no_response moves to 7 days after it, nothing is proposed
    forced = local(BERLIN, 2026, 10, 30, 10)
    p = plan_with_cycles(
        facts(iv, touches=(sent(1, 1, s1), sent(2, 1, s2), sent(3, 1, forced))), forced, PB
    )
    assert len(follow_ups(p.actions, 1)) == 2
    assert p.cycles[1].status(local(BERLIN, 2026, 11, 3, 15)) is InterviewStatus.AWAITING
    assert p.cycles[1].status(local(BERLIN, 2026, 11, 6, 10)) is InterviewStatus.NO_RESPONSE
    # forced after no_response (Tue 11-03 15:00, which ended the cycle): it stays no_response
    late = local(BERLIN, 2026, 11, 10, 10)
    p = plan_with_cycles(
        facts(iv, touches=(sent(1, 1, s1), sent(2, 1, s2), sent(3, 1, late))), late, PB
    )
    assert len(follow_ups(p.actions, 1)) == 2
    for t in (local(BERLIN, 2026, 11, 3, 15), late, late + timedelta(days=30)):
        assert p.cycles[1].status(t) is InterviewStatus.NO_RESPONSE
    assert p.cycles[1].awaiting() == [(end, local(BERLIN, 2026, 11, 3, 15))]


def test_status_in_the_repeated_hour_follows_real_time() -> None:
    # The last follow-up is sent Sun 10-25 01:30 EDT: no_response at Sun 11-01 01:30 EDT,
    # the first 01:30 of that night. 01:15 EST (the second 01:15) is 45 minutes later.
    end = local(NEW_YORK, 2026, 10, 10, 15)
    s1, s2 = local(NEW_YORK, 2026, 10, 18, 1, 30), local(NEW_YORK, 2026, 10, 25, 1, 30)
    cyc = plan_with_cycles(
        facts(interview(1, end, NEW_YORK), touches=(sent(1, 1, s1), sent(2, 1, s2))), s2, PB
    ).cycles[1]
    second = local(NEW_YORK, 2026, 11, 1, 1, 15, fold=1)
    first = local(NEW_YORK, 2026, 11, 1, 1, 15)
    assert cyc.status(first) is InterviewStatus.AWAITING
    assert cyc.status(second) is InterviewStatus.NO_RESPONSE


@pytest.mark.parametrize("tz", [BERLIN, NEW_YORK, KIRITIMATI])
def test_skip_ends_the_proposals(tz: str) -> None:
    end = local(tz, 2026, 10, 13, 15)
    k = add_days(end, 8, ZoneInfo(tz))
    iv = interview(1, end, tz)
    r = add_days(k, 2, ZoneInfo(tz))
    f = facts(iv, marks=(skip("follow_up:1:1", k),), touches=(received(1, 1, r),))
    p = plan_with_cycles(f, k, PB)
    (fu,) = follow_ups(p.actions, 1)
    assert fu.state(k) is ActionState.SKIPPED
    assert fu.state(k - timedelta(seconds=1)) is ActionState.IDEAL
    assert p.cycles[1].pending is None
    assert "skipped" in (p.cycles[1].closed_why or "")
    assert follow_up_refusal(f, iv, r + timedelta(days=8), PB) is not None
    # the interview reads no_response when the skipped follow-up would have lapsed
    lapse = add_days(fu.window.due_at, PB.follow_up_lapse_days, ZoneInfo(tz))
    assert p.cycles[1].status(lapse - timedelta(seconds=1)) is InterviewStatus.AWAITING
    assert p.cycles[1].status(lapse) is InterviewStatus.NO_RESPONSE
    # the employer's message after the skip proposes nothing new either
    later = plan_with_cycles(f, r, PB)
    assert [a.id for a in follow_ups(later.actions, 1)] == ["follow_up:1:1"]
    assert later.cycles[1].status(lapse) is InterviewStatus.NO_RESPONSE
    # PRODUCT.md: a skip ends the cycle whichever follow-up was pending then
    other = facts(iv, marks=(skip("follow_up:1:7", k),))
    (only,) = follow_ups(plan(other, k, PB), 1)
    assert only.end_state is ActionState.SKIPPED


@pytest.mark.parametrize("tz", [BERLIN, NEW_YORK, ST_JOHNS, LORD_HOWE, KIRITIMATI])
def test_message_after_no_response_starts_no_new_follow_up(tz: str) -> None:
    # PRODUCT.md: after no_response (cap, lapse or skip) a later employer message starts no
    # new follow-up; the user records an outcome instead
    z = ZoneInfo(tz)
    end = local(tz, 2026, 9, 15, 15)
    s1, s2 = add_days(end, 7, z), add_days(end, 14, z)
    nr = add_days(s2, 7, z)
    r = add_days(nr, 10, z)  # the employer writes long after
    iv = interview(1, end, tz, people=(ANN,))
    f = facts(iv, touches=(sent(1, 1, s1), sent(2, 1, s2), received(3, 1, r)), user_tz=tz)
    p = plan_with_cycles(f, r, PB)
    cyc = p.cycles[1]
    assert cyc.status(nr - timedelta(seconds=1)) is InterviewStatus.AWAITING
    assert cyc.status(nr) is InterviewStatus.NO_RESPONSE
    assert cyc.status(r) is InterviewStatus.NO_RESPONSE
    assert cyc.awaiting() == [(end, nr)]
    assert [a.id for a in follow_ups(p.actions, 1)] == ["follow_up:1:1", "follow_up:1:2"]
    assert cyc.pending is None
    # nothing to keep searching for in the week of the message
    assert of_kind(p.actions, ActionKind.KEEP_SEARCHING) == []
    # an employer message before no_response still restarts the clock (cap from zero)
    early = add_days(s2, 3, z)
    g = facts(iv, touches=(sent(1, 1, s1), sent(2, 1, s2), received(3, 1, early)), user_tz=tz)
    q = plan_with_cycles(g, early, PB)
    assert [a.id for a in follow_ups(q.actions, 1)][-1] == "follow_up:1:3"
    assert q.cycles[1].status(nr + timedelta(days=1)) is InterviewStatus.AWAITING


# -- the refusal ---------------------------------------------------------------------------------

END_R = local(BERLIN, 2026, 10, 13, 15)  # Tue; follow-up 1 opens Tue 10-20 15:00
S1 = local(BERLIN, 2026, 10, 20, 16)
S2 = local(BERLIN, 2026, 10, 27, 16)


@pytest.mark.parametrize(
    "touches, marks, outcomes, at, refused, words",
    [
        ((), (), (), END_R - timedelta(minutes=1), True, "not ended"),
        ((), (), (), local(BERLIN, 2026, 10, 20, 14, 59), True, "follow_up:1:1 opens Tue 20 Oct"),
        ((), (), (), local(BERLIN, 2026, 10, 20, 15), False, ""),
        ((), (), (), local(BERLIN, 2026, 11, 10, 14, 59), False, ""),  # overdue but allowed
        # 14 days after its due moment (Tue 10-27 15:00) it has lapsed: the cycle is over
        ((), (), (), local(BERLIN, 2026, 11, 10, 15), True, "follow_up:1:1 has lapsed"),
        ((), (), (), local(BERLIN, 2026, 11, 30, 15), True, "not sent within 14 days"),
        ((sent(1, 1, S1),), (), (), local(BERLIN, 2026, 10, 24, 9), True, "follow_up:1:2 opens"),
        ((sent(1, 1, S1),), (), (), local(BERLIN, 2026, 10, 27, 16), False, ""),
        (
            (sent(1, 1, S1), sent(2, 1, S2)),
            (),
            (),
            local(BERLIN, 2026, 11, 20, 9),
            True,
            "cap is 2",
        ),
        ((), (skip("follow_up:1:1", S1),), (), S2, True, "skipped"),
        ((), (), (outcome(1, "offer", S1),), S2, True, "outcome recorded: offer"),
        # the employer wrote: 7 days after that message
        ((received(1, 1, S1),), (), (), S1 + timedelta(days=6), True, "follow_up:1:2"),
        ((received(1, 1, S1),), (), (), S1 + timedelta(days=7), False, ""),
        # facts at or after the moment do not count
        ((sent(1, 1, S1),), (), (), S1, False, ""),
    ],
)
def test_follow_up_refusal(
    touches: tuple, marks: tuple, outcomes: tuple, at: datetime, refused: bool, words: str
) -> None:
    iv = interview(1, END_R, BERLIN, people=(ANN,))
    f = facts(iv, touches=touches, marks=marks, outcomes=outcomes)
    got = follow_up_refusal(f, iv, at, PB)
    if refused:
        assert got is not None and words in got
    else:
        assert got is None


# =============================================================================================
# 3. Keep searching
# =============================================================================================


@pytest.mark.parametrize(
    "user_tz, end, label, week_hours",
    [
        (BERLIN, (2026, 3, 24, 15), "2026-W13", 167),
        (BERLIN, (2026, 10, 20, 15), "2026-W43", 169),
        (NEW_YORK, (2026, 3, 3, 15), "2026-W10", 167),
        (NEW_YORK, (2026, 10, 27, 15), "2026-W44", 169),
        (ST_JOHNS, (2026, 10, 27, 15), "2026-W44", 169),
        (LORD_HOWE, (2026, 9, 29, 15), "2026-W40", 167.5),
        (LORD_HOWE, (2026, 3, 31, 15), "2026-W14", 168.5),
        (KIRITIMATI, (2026, 9, 15, 15), "2026-W38", 168),
    ],
)
def test_keep_searching_per_iso_week_from_the_first_awaiting_end(
    user_tz: str, end: tuple[int, ...], label: str, week_hours: float
) -> None:
    e = local(user_tz, *end)
    f = facts(interview(1, e, user_tz), user_tz=user_tz)
    a = the(plan(f, e, PB), f"keep_searching:{label}")
    monday = week_start(e.date())
    ws, we = week_bounds(monday, ZoneInfo(user_tz))
    assert in_utc(a.window) == (utc(e), utc(e), utc(we), utc(we))
    assert hours_between(ws, we) == week_hours
    assert a.progress == Progress(0, 5)
    assert a.state(e) is ActionState.IDEAL
    assert a.state(we - timedelta(seconds=1)) is ActionState.IDEAL
    assert a.state(we) is ActionState.OVERDUE
    # the next week opens at Monday 00:00 local
    nxt = the(
        plan(f, e + timedelta(days=7), PB),
        f"keep_searching:{iso_week_label(monday + timedelta(days=7))}",
    )
    assert utc(nxt.window.opens_at) == utc(we)
    assert wall(nxt.window.opens_at, user_tz)[3:] == (0, 0)


def test_keep_searching_weeks_are_in_the_users_zone_not_the_interviews() -> None:
    # Ends Sun 2026-09-20 20:00 in New York = Mon 09-21 02:00 in Berlin (user): W39.
    e = local(NEW_YORK, 2026, 9, 20, 20)
    acts = by_id(plan(facts(interview(1, e, NEW_YORK), user_tz=BERLIN), e, PB))
    assert "keep_searching:2026-W38" not in acts
    assert utc(acts["keep_searching:2026-W39"].window.opens_at) == utc(e)
    # Kiritimati (UTC+14): Sun 23:30 local stays in W38 there.
    k = local(KIRITIMATI, 2026, 9, 20, 23, 30)
    acts = by_id(plan(facts(interview(1, k, KIRITIMATI), user_tz=KIRITIMATI), k, PB))
    a = acts["keep_searching:2026-W38"]
    assert wall(a.window.due_at, KIRITIMATI) == (2026, 9, 21, 0, 0)
    assert utc(a.window.due_at) == datetime(2026, 9, 20, 10, 0, tzinfo=UTC)


def test_keep_searching_opens_at_the_first_awaiting_end_of_the_week() -> None:
    e1 = local(BERLIN, 2026, 10, 21, 11)
    e2 = local(BERLIN, 2026, 10, 20, 17)  # the earlier one, listed second
    acts = by_id(
        plan(facts(interview(1, e1, BERLIN), interview(2, e2, BERLIN), user_tz=BERLIN), e1, PB)
    )
    a = acts["keep_searching:2026-W43"]
    assert utc(a.window.opens_at) == utc(e2)
    assert "Acme 1" in a.why and "Acme 2" in a.why


@pytest.mark.parametrize(
    "days, done_count, ended_on",
    [
        ([], 0, None),
        ([(10, 19), (10, 20), (10, 21), (10, 22)], 4, None),
        # the 5th application (Sat 10-24) completes the week at 00:00 that day
        ([(10, 19), (10, 20), (10, 21), (10, 22), (10, 24), (10, 25)], 6, (10, 24)),
        # five on Monday, before the interview ended: done from the opening
        ([(10, 19)] * 5, 5, "opens"),
        # applications of other weeks do not count
        ([(10, 18), (10, 26), (10, 12), (10, 12), (10, 12), (10, 12)], 0, None),
        # the week of the DST Sunday: Sunday counts
        ([(10, 20), (10, 21), (10, 22), (10, 23), (10, 25)], 5, (10, 25)),
    ],
)
def test_keep_searching_progress_and_done(
    days: list[tuple[int, int]], done_count: int, ended_on: object
) -> None:
    e = local(BERLIN, 2026, 10, 20, 15)
    apps = applications([date(2026, m, d) for m, d in days])
    f = facts(interview(1, e, BERLIN), apps=apps, user_tz=BERLIN)
    sunday = local(BERLIN, 2026, 10, 25, 23, 59)  # the week's last minute: all of it known
    a = the(plan(f, sunday, PB), "keep_searching:2026-W43")
    assert a.progress == Progress(done_count, 5)
    # on Tuesday, the applications of the days still to come do not count yet
    early = the(plan(f, e, PB), "keep_searching:2026-W43")
    assert early.progress == Progress(sum(1 for m, d in days if (m, d) in WEEK43 and d <= 20), 5)
    if ended_on is None:
        assert a.end_state is not ActionState.DONE
    else:
        assert a.end_state is ActionState.DONE
        expect = e if ended_on == "opens" else local(BERLIN, 2026, *ended_on)  # type: ignore[misc]
        assert utc(a.ended_at) == utc(expect)  # type: ignore[arg-type]
        assert a.state(a.ended_at) is ActionState.DONE  # type: ignore[arg-type]


WEEK43 = {(10, d) for d in range(19, 26)}


@pytest.mark.parametrize("user_tz", [BERLIN, NEW_YORK, LORD_HOWE, KIRITIMATI])
def test_keep_searching_week_closed_short_is_gone_when_the_week_ends(user_tz: str) -> None:
    e = local(user_tz, 2026, 10, 20, 15)
    f = facts(interview(1, e, user_tz), apps=applications([date(2026, 10, 21)]), user_tz=user_tz)
    we = local(user_tz, 2026, 10, 26)
    assert wall(we, user_tz)[3:] == (0, 0)
    last = we - timedelta(seconds=1)
    a = the(plan(f, last, PB), "keep_searching:2026-W43")
    assert a.state(last) is ActionState.IDEAL and a.end_state is None
    # Monday 00:00: last week's action is gone (not overdue, not listed with --all) and
    # this week's exists
    at_we = plan(f, we, PB)
    assert [x.id for x in of_kind(at_we, ActionKind.KEEP_SEARCHING)] == ["keep_searching:2026-W44"]
    assert "keep_searching:2026-W43" not in [x.id for x in agenda(at_we, we, PB, everything=True)]
    # and next week's does not exist before Monday
    ids = [x.id for x in agenda(plan(f, last, PB), last, PB, everything=True)]
    assert "keep_searching:2026-W44" not in ids


def test_keep_searching_only_while_an_interview_awaits() -> None:
    e = local(BERLIN, 2026, 10, 20, 15)
    o = local(BERLIN, 2026, 10, 28, 9)  # outcome on Wednesday of W44
    f = facts(interview(1, e, BERLIN), outcomes=(outcome(1, "offer", o),), user_tz=BERLIN)

    def weeks(at: datetime) -> list[Action]:
        return of_kind(plan(f, at, PB), ActionKind.KEEP_SEARCHING)

    (w44,) = weeks(local(BERLIN, 2026, 10, 27, 9))
    assert w44.id == "keep_searching:2026-W44" and w44.end_state is None
    # once the decision is in, the week's action ends: nothing awaits a decision any more
    (after,) = weeks(o + timedelta(hours=1))
    assert after.state(o + timedelta(hours=1)) is ActionState.CANCELLED
    assert utc(after.ended_at) == utc(o)  # type: ignore[arg-type]
    assert weeks(local(BERLIN, 2026, 11, 20, 9)) == []
    # before the interview ended there is nothing to keep searching for
    assert weeks(e - timedelta(days=30)) == []


def test_keep_searching_is_the_current_week_only() -> None:
    e = local(BERLIN, 2026, 10, 20, 15)
    f = facts(interview(1, e, BERLIN), user_tz=BERLIN)
    at = local(BERLIN, 2026, 11, 4, 12)  # Wed W45; the horizon (Wed 11-11) is in W46
    ids = [a.id for a in plan(f, at, PB) if a.kind is ActionKind.KEEP_SEARCHING]
    assert ids == ["keep_searching:2026-W45"]
    # follow-up 1 (opens Tue 10-27 15:00, due Tue 11-03 15:00) lapses unsent 14 days after its
    # due moment: no_response ends the cycle, and the week after has nothing to keep
    # searching for
    lapse = local(BERLIN, 2026, 11, 17, 15)
    cycle = plan_with_cycles(f, at, PB).cycles[1]
    assert cycle.status(lapse - timedelta(seconds=1)) is InterviewStatus.AWAITING
    assert cycle.status(lapse) is InterviewStatus.NO_RESPONSE
    (w47,) = of_kind(plan(f, lapse + timedelta(hours=1), PB), ActionKind.KEEP_SEARCHING)
    assert w47.id == "keep_searching:2026-W47"
    assert w47.state(lapse + timedelta(hours=1)) is ActionState.CANCELLED
    assert of_kind(plan(f, local(BERLIN, 2026, 11, 23, 0), PB), ActionKind.KEEP_SEARCHING) == []


def test_keep_searching_applications_without_a_date_do_not_count() -> None:
    e = local(BERLIN, 2026, 10, 20, 15)
    apps = (Application(50, "X", "Y", applied_on=None),)
    a = the(
        plan(facts(interview(1, e, BERLIN), apps=apps, user_tz=BERLIN), e, PB),
        "keep_searching:2026-W43",
    )
    assert a.progress == Progress(0, 5)


# =============================================================================================
# The agenda
# =============================================================================================


def test_agenda_order_overdue_ideal_open_upcoming_then_due() -> None:
    ny = interview(1, local(NEW_YORK, 2026, 10, 30, 11), NEW_YORK, people=(ANN,))
    be = interview(2, local(BERLIN, 2026, 11, 1, 16), BERLIN, people=(BEN, CAT))
    f = facts(ny, be, user_tz=BERLIN, reviews=(local(BERLIN, 2026, 10, 29, 9),))
    at = local(BERLIN, 2026, 11, 1, 19, 30)  # Berlin thank-yous open, self-assessment ideal
    acts = plan(f, at, PB)
    listed = agenda(acts, at, PB)
    states = [a.state(at) for a in listed]
    rank = {
        ActionState.OVERDUE: 0,
        ActionState.IDEAL: 1,
        ActionState.OPEN: 2,
        ActionState.UPCOMING: 3,
    }
    assert [rank[s] for s in states] == sorted(rank[s] for s in states)
    for x, y in pairwise(listed):
        if x.state(at) is y.state(at):
            assert (utc(x.window.due_at), x.id) <= (utc(y.window.due_at), y.id)
    ids = [a.id for a in listed]
    assert ids[0] == "thank_you:1:1"  # overdue since Sat 11:00 New York
    assert ids.index("thank_you:2:2") < ids.index("thank_you:2:3")  # same due time: by id
    assert set(states) == {
        ActionState.OVERDUE,
        ActionState.IDEAL,
        ActionState.OPEN,
        ActionState.UPCOMING,
    }


def test_agenda_horizon_and_ended_actions() -> None:
    e = local(BERLIN, 2026, 9, 15, 15)
    f = facts(
        interview(1, e, BERLIN, people=(ANN,)),
        touches=(sent(1, 1, e + timedelta(hours=2), TouchKind.THANK_YOU, 1),),
        user_tz=BERLIN,
    )
    t = e + timedelta(hours=3)
    acts = plan(f, t, PB)
    fu_open = local(BERLIN, 2026, 9, 22, 15)
    before = fu_open - timedelta(days=7, minutes=1)
    at_edge = fu_open - timedelta(days=7)
    assert "follow_up:1:1" not in [a.id for a in agenda(acts, before, PB)]
    assert "follow_up:1:1" in [a.id for a in agenda(acts, at_edge, PB)]
    listed = [a.id for a in agenda(acts, t, PB)]
    assert "thank_you:1:1" not in listed  # ended
    full = agenda(acts, t, PB, everything=True)
    assert full[-1].id == "thank_you:1:1"
    assert {a.id for a in full} == {a.id for a in acts}
    # a shorter horizon
    pb3 = Playbook(agenda_horizon_days=3)
    assert "follow_up:1:1" not in [a.id for a in agenda(plan(f, t, pb3), t, pb3)]
    assert "follow_up:1:1" in [a.id for a in agenda(plan(f, t, pb3), t, pb3, everything=True)]


def test_agenda_lists_actions_that_opened_long_ago_but_are_live() -> None:
    e = local(NEW_YORK, 2026, 3, 2, 15)
    acts = plan(facts(interview(1, e, NEW_YORK), user_tz=NEW_YORK), e, PB)
    later = local(NEW_YORK, 2026, 3, 13, 9)  # 11 days on, across the spring change
    listed = [a.id for a in agenda(acts, later, PB)]
    assert "self_assess:1" in listed  # lapses 14 days after the end
    assert "thank_you:1:team" not in listed  # lapsed 7 days after the end
    assert all(not a.state(later).ended for a in agenda(acts, later, PB))
    # 14 days after the end (the same wall clock, a DST change in between) it has lapsed
    lapse = local(NEW_YORK, 2026, 3, 16, 15)
    assert "self_assess:1" in [a.id for a in agenda(acts, lapse - timedelta(seconds=1), PB)]
    assert "self_assess:1" not in [a.id for a in agenda(acts, lapse, PB)]


def test_plan_reads_states_at_any_moment_the_same_facts() -> None:
    # With the same facts known, the moment only sets when states are read.
    e = local(BERLIN, 2026, 9, 15, 15)
    s9 = e + timedelta(days=9)
    f = facts(interview(1, e, BERLIN, people=(ANN,)), touches=(sent(1, 1, s9),))
    a = {x.id: x for x in plan(f, s9, PB) if x.kind is not ActionKind.KEEP_SEARCHING}
    b = {
        x.id: x
        for x in plan(f, e + timedelta(days=30), PB)
        if x.kind is not ActionKind.KEEP_SEARCHING
    }
    assert a == b
    assert a["follow_up:1:1"].end_state is ActionState.DONE
    # before the follow-up was sent the plan does not know it will be: the time machine
    c = {x.id: x for x in plan(f, e, PB)}
    assert c["follow_up:1:1"].end_state is ActionState.LAPSED
    assert "follow_up:1:2" not in c


def test_local_at_and_week_start_sanity() -> None:
    assert local_at(date(2026, 3, 29), time(2, 30), ZoneInfo(BERLIN)).utcoffset() == timedelta(
        hours=2
    )
    assert week_start(date(2026, 3, 29)) == date(2026, 3, 23)
    assert add_hours(local(BERLIN, 2026, 1, 1), 1.5).minute == 30
