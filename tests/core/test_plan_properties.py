"""Property tests of the plan: random interviews, zones, messages, outcomes, marks.

Moments are generated around the 2026 daylight-saving changes of the zones used,
and each recorded moment is expressed at random in UTC, in the interview's zone or
in another zone: the plan must not depend on how a moment is written.
"""

from __future__ import annotations

import bisect
import functools
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from afterview.core.model import (
    LIVE_ORDER,
    Action,
    ActionKind,
    ActionMark,
    ActionState,
    Application,
    Direction,
    Facts,
    Interview,
    InterviewStatus,
    Outcome,
    OutcomeResult,
    Person,
    Touch,
    TouchKind,
)
from afterview.core.plan import (
    Plan,
    agenda,
    live_actions,
    live_snapshot,
    plan,
    plan_with_cycles,
    snapshot_actions,
)
from afterview.core.plan_parts import follow_up_cycles, interview_actions, interview_statuses
from afterview.core.playbook import Playbook
from afterview.core.timeutil import add_days, is_business_day, local_at
from afterview.core.weeks import settled_before
from tests.core.helpers import LORD_HOWE, NEW_YORK, ZONES, follow_ups, hours_between, utc

PROPS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: The UTC instants of the 2026 DST changes of the zones used, and an ordinary day.
ANCHORS = sorted(
    {
        datetime(2026, 3, 8, 7, 0, tzinfo=UTC),  # New York spring
        datetime(2026, 3, 8, 5, 30, tzinfo=UTC),  # St John's spring
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # Berlin/Paris spring
        datetime(2026, 4, 4, 15, 0, tzinfo=UTC),  # Lord Howe autumn
        datetime(2026, 6, 10, 12, 0, tzinfo=UTC),
        datetime(2026, 10, 3, 15, 30, tzinfo=UTC),  # Lord Howe spring
        datetime(2026, 10, 25, 1, 0, tzinfo=UTC),  # Berlin/Paris autumn
        datetime(2026, 11, 1, 4, 30, tzinfo=UTC),  # St John's autumn
        datetime(2026, 11, 1, 6, 0, tzinfo=UTC),  # New York autumn
    }
)
RANK = {
    ActionState.UPCOMING: 0,
    ActionState.IDEAL: 1,
    ActionState.OPEN: 1,
    ActionState.OVERDUE: 2,
}


# -- strategies ---------------------------------------------------------------------------------


# Strategies are built once: building them in every draw costs more than the plan itself.
HOW_NEAR = st.integers(0, 2)
YEAR_MINUTES = st.integers(0, 365 * 24 * 60)
ANCHOR = st.sampled_from(ANCHORS)
QUARTERS = {d: st.integers(-d * 96, d * 96) for d in (2, 14)}
ZONE = st.sampled_from(ZONES)
ROUND_MINUTES = st.sampled_from([0, 0, 0, 1, -1, 30, 60, 90, 600])
ANY_MINUTE = st.integers(0, 24 * 60 - 1)
WRITING = st.sampled_from(["utc", "own", "own", "other"])
DIRECTION = st.sampled_from([Direction.SENT, Direction.SENT, Direction.RECEIVED])
KIND = st.sampled_from(
    [TouchKind.FOLLOW_UP, TouchKind.FOLLOW_UP, TouchKind.THANK_YOU, TouchKind.OTHER]
)
RESULT = st.sampled_from(list(OutcomeResult))
MARK_STATE = st.sampled_from([ActionState.SKIPPED, ActionState.DONE])


@st.composite
def instants(draw: st.DrawFn) -> datetime:
    """A UTC moment near a DST change (often within the day or two around it), or any in 2026."""
    how = draw(HOW_NEAR)
    if how == 2:
        return datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=draw(YEAR_MINUTES))
    return draw(ANCHOR) + timedelta(minutes=15 * draw(QUARTERS[2 if how else 14]))


@functools.cache
def offsets(lo_days: int, hi_days: int) -> st.SearchStrategy[timedelta]:
    """A delay, often a whole number of days plus a round number of minutes (rule boundaries)."""
    return st.builds(
        lambda d, m: timedelta(days=d, minutes=m),
        st.integers(lo_days, hi_days),
        ROUND_MINUTES | ANY_MINUTE,
    )


def express(draw: st.DrawFn, at: datetime, tz: str) -> datetime:
    """The same moment written in UTC, in `tz` or in another zone."""
    how = draw(WRITING)
    if how == "utc":
        return at.astimezone(UTC)
    if how == "own":
        return at.astimezone(ZoneInfo(tz))
    return at.astimezone(ZoneInfo(draw(ZONE)))


@dataclass(frozen=True)
class Scenario:
    facts: Facts
    pb: Playbook
    at: datetime
    moments: tuple[datetime, ...]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    user_tz = draw(ZONE)
    pids = iter(range(1, 1000))
    tids = iter(range(1, 1000))
    interviews: list[Interview] = []
    touches: list[Touch] = []
    outcomes: list[Outcome] = []
    marks: list[ActionMark] = []
    assessed: dict[int, datetime] = {}
    apps: list[Application] = []
    for iid in range(1, draw(st.integers(1, 3)) + 1):
        tz = draw(ZONE)
        end = draw(instants())
        people = tuple(Person(next(pids), f"P{iid}") for _ in range(draw(st.integers(0, 4))))
        local_end = end.astimezone(ZoneInfo(tz)).date()
        decision = (
            local_end + timedelta(days=draw(st.integers(-5, 25))) if draw(st.booleans()) else None
        )
        minutes = draw(st.integers(15, 180))
        interviews.append(
            Interview(
                id=iid,
                application_id=iid,
                start=express(draw, end - timedelta(minutes=minutes), tz),
                end=express(draw, end, tz),
                tz=tz,
                interviewers=people,
                decision_by=decision,
            )
        )
        apps.append(Application(iid, f"Acme {iid}", "Engineer"))
        # touches at distinct moments (the order of two at the same moment is not a rule)
        delays = draw(st.lists(offsets(-2, 60), max_size=7, unique_by=lambda d: d.total_seconds()))
        for delay in delays:
            direction = draw(DIRECTION)
            kind = draw(KIND)
            pid = draw(st.sampled_from([None, *(p.id for p in people)]))
            at = express(draw, end + delay, tz)
            touches.append(Touch(next(tids), iid, direction, kind, at, pid))
        if draw(st.integers(0, 2)) == 0:
            result = draw(RESULT)
            outcomes.append(Outcome(iid, result, express(draw, end + draw(offsets(-1, 60)), tz)))
        candidates = [f"follow_up:{iid}:{n}" for n in range(1, 5)]
        candidates += [f"thank_you:{iid}:{p.id}" for p in people] or [f"thank_you:{iid}:team"]
        candidates += [f"self_assess:{iid}", f"refresh_profile:{iid}"]
        for _ in range(draw(st.integers(0, 3))):
            state = draw(MARK_STATE)
            at = express(draw, end + draw(offsets(-1, 40)), tz)
            marks.append(ActionMark(draw(st.sampled_from(candidates)), state, at, "because"))
        if draw(st.booleans()):
            assessed[iid] = express(draw, end + draw(offsets(-1, 4)), tz)
    ends = [utc(iv.end) for iv in interviews]
    first = min(ends)
    reviews = tuple(
        express(draw, first + draw(offsets(-70, 60)), user_tz)
        for _ in range(draw(st.integers(0, 3)))
    )
    for n in range(draw(st.integers(0, 12))):
        day = (first + draw(offsets(-10, 40))).astimezone(ZoneInfo(user_tz)).date()
        apps.append(Application(100 + n, f"Lead {n}", "Engineer", applied_on=day))
    holidays = frozenset(
        (first + timedelta(days=draw(st.integers(0, 50)))).date()
        for _ in range(draw(st.integers(0, 3)))
    )
    pb = Playbook(
        follow_up_cap=draw(st.sampled_from([0, 1, 2, 2, 2, 3])),
        follow_up_min_days=draw(st.sampled_from([7, 7, 5])),
        follow_up_spacing_days=draw(st.sampled_from([7, 7, 4])),
        weekly_target=draw(st.integers(1, 6)),
        thank_you_lapse_days=draw(st.sampled_from([7, 7, 2])),
        follow_up_lapse_days=draw(st.sampled_from([14, 14, 0, 3])),
    )
    f = Facts(
        applications=tuple(apps),
        interviews=tuple(interviews),
        touches=tuple(touches),
        outcomes=tuple(outcomes),
        assessed=assessed,
        marks=tuple(marks),
        profile_reviews=reviews,
        holidays=holidays,
        user_tz=user_tz,
    )
    at = express(draw, first + draw(offsets(-2, 70)), user_tz)
    moments = tuple(
        express(draw, first + draw(offsets(-3, 90)), user_tz)
        for _ in range(draw(st.integers(3, 12)))
    )
    return Scenario(f, pb, at, moments)


# -- references -------------------------------------------------------------------------------


def fact_moments(f: Facts) -> list[datetime]:
    """Every moment at which a recorded fact starts to count (applications from 00:00 of
    their applied day in the user's zone), in UTC."""
    tz = ZoneInfo(f.user_tz)
    out = [utc(t.at) for t in f.touches] + [utc(o.at) for o in f.outcomes]
    out += [utc(m.at) for m in f.marks] + [utc(v) for v in f.assessed.values()]
    out += [utc(r) for r in f.profile_reviews]
    out += [utc(local_at(a.applied_on, time(0), tz)) for a in f.applications if a.applied_on]
    return out


def as_of(f: Facts, at: datetime) -> Facts:
    """The facts as they stood at `at`, written here independently of `core/as_of.py`."""
    t = utc(at)
    today = at.astimezone(ZoneInfo(f.user_tz)).date()
    return f._replace(
        applications=tuple(
            x._replace(applied_on=None) if x.applied_on and x.applied_on > today else x
            for x in f.applications
        ),
        touches=tuple(x for x in f.touches if utc(x.at) <= t),
        outcomes=tuple(x for x in f.outcomes if utc(x.at) <= t),
        marks=tuple(x for x in f.marks if utc(x.at) <= t),
        assessed={k: v for k, v in f.assessed.items() if utc(v) <= t},
        profile_reviews=tuple(r for r in f.profile_reviews if utc(r) <= t),
        profile_check=f.profile_check
        if f.profile_check is None or utc(f.profile_check.at) <= t
        else None,
    )


def check_the_plan_at_a_moment_uses_only_the_facts_known_then(s: Scenario) -> None:
    """No future leakage: at every moment, the plan, the live actions and the agenda equal
    those computed from only the facts dated at or before it."""
    for at in (s.at, *s.moments):
        known = as_of(s.facts, at)
        assert [comparable(a) for a in plan(s.facts, at, s.pb)] == [
            comparable(a) for a in plan(known, at, s.pb)
        ]
        assert live_actions(s.facts, at, s.pb) == live_actions(known, at, s.pb)
        assert agenda(plan(s.facts, at, s.pb), at, s.pb, everything=True) == agenda(
            plan(known, at, s.pb), at, s.pb, everything=True
        )
        full = plan_with_cycles(s.facts, at, s.pb).cycles
        part = plan_with_cycles(known, at, s.pb).cycles
        assert {i: c.status(at) for i, c in full.items()} == {
            i: c.status(at) for i, c in part.items()
        }


def expected_state(a: Action, at: datetime) -> ActionState:
    """PRODUCT.md's definition of the state, read on real (UTC) time."""
    t = utc(at)
    if a.end_state is not None and a.ended_at is not None and t >= utc(a.ended_at):
        return a.end_state
    w = a.window
    if t >= utc(w.due_at):
        return ActionState.OVERDUE
    if t < utc(w.opens_at):
        return ActionState.UPCOMING
    if utc(w.ideal_from) <= t < utc(w.ideal_until):
        return ActionState.IDEAL
    return ActionState.OPEN


def probes(a: Action, tz: str, extra: tuple[datetime, ...]) -> list[datetime]:
    """Moments around each boundary of `a`, written in `tz` (so inside repeated hours too)."""
    w = a.window
    edges = [w.opens_at, w.ideal_from, w.ideal_until, w.due_at]
    if a.ended_at is not None:
        edges.append(a.ended_at)
    out = list(extra)
    for e in edges:
        for d in (-1800, -1, 0, 1, 1800, 3600):
            m = utc(e) + timedelta(seconds=d)
            out += [m, m.astimezone(ZoneInfo(tz))]
    return sorted(out, key=utc)


def comparable(a: Action) -> tuple[object, ...]:
    """What an action means, independent of how its moments are written."""
    w = a.window
    return (
        a.id,
        a.kind,
        (utc(w.opens_at), utc(w.ideal_from), utc(w.ideal_until), utc(w.due_at)),
        a.interview_id,
        a.application_id,
        a.person,
        a.progress,
        a.end_state,
        None if a.ended_at is None else utc(a.ended_at),
    )


def zone_of(a: Action, f: Facts) -> str:
    for iv in f.interviews:
        if iv.id == a.interview_id:
            return iv.tz
    return f.user_tz


def all_utc(f: Facts) -> Facts:
    """The same facts with every moment written in UTC."""
    return f._replace(
        interviews=tuple(iv._replace(start=utc(iv.start), end=utc(iv.end)) for iv in f.interviews),
        touches=tuple(t._replace(at=utc(t.at)) for t in f.touches),
        outcomes=tuple(o._replace(at=utc(o.at)) for o in f.outcomes),
        marks=tuple(m._replace(at=utc(m.at)) for m in f.marks),
        assessed={k: utc(v) for k, v in f.assessed.items()},
        profile_reviews=tuple(utc(r) for r in f.profile_reviews),
    )


def effective_received(f: Facts, iv: Interview) -> list[datetime]:
    """The employer's messages that take part in the cycle: after the end, before an outcome."""
    o = next((x for x in f.outcomes if x.interview_id == iv.id), None)
    return sorted(
        utc(t.at)
        for t in f.touches
        if t.interview_id == iv.id
        and t.direction is Direction.RECEIVED
        and utc(t.at) >= utc(iv.end)
        and (o is None or utc(t.at) < utc(o.at))
    )


def stretch_of(a: Action, bounds: list[datetime], received: set[datetime]) -> int:
    """The reply-free stretch in which follow-up `a` was proposed (bounds[0] is the end)."""
    if a.ended_at is None:
        return len(bounds) - 1
    e = utc(a.ended_at)
    if a.end_state is ActionState.CANCELLED and e in received:
        return bounds.index(e, 1) - 1  # cancelled by that message: proposed before it
    return max(0, bisect.bisect_right(bounds, e) - 1)


# -- properties -------------------------------------------------------------------------------


def check_windows_are_ordered(s: Scenario) -> None:
    for a in plan(s.facts, s.at, s.pb):
        w = a.window
        assert utc(w.opens_at) <= utc(w.ideal_from) < utc(w.ideal_until) <= utc(w.due_at), a.id
        assert a.why
        if a.ended_at is not None:
            assert a.end_state is not None and a.end_state.ended


def check_thank_you_due_exactly_24_real_hours_after_the_end(s: Scenario) -> None:
    ends = {iv.id: iv.end for iv in s.facts.interviews}
    thanks = [a for a in plan(s.facts, s.at, s.pb) if a.kind is ActionKind.THANK_YOU]
    assert Counter(a.interview_id for a in thanks) == Counter(
        {iv.id: max(1, len(iv.interviewers)) for iv in s.facts.interviews}
    )
    for a in thanks:
        assert a.interview_id is not None
        end = ends[a.interview_id]
        assert utc(a.window.opens_at) == utc(end)
        assert hours_between(end, a.window.ideal_from) == s.pb.thank_you_ideal_from_hours
        assert hours_between(end, a.window.ideal_until) == s.pb.thank_you_ideal_until_hours
        assert hours_between(end, a.window.due_at) == s.pb.thank_you_due_hours


def check_follow_ups_respect_the_cap_spacing_and_business_days(s: Scenario) -> None:
    f, pb = as_of(s.facts, s.at), s.pb
    actions = plan(f, s.at, pb)
    for iv in f.interviews:
        fus = follow_ups(actions, iv.id)
        # numbered 1..n without gaps, every one proposed counts
        assert [a.id for a in fus] == [f"follow_up:{iv.id}:{n}" for n in range(1, len(fus) + 1)]
        if pb.follow_up_cap == 0:
            assert fus == []
            continue
        received = effective_received(f, iv)
        bounds = [utc(iv.end), *received]
        stretch = [stretch_of(a, bounds, set(received)) for a in fus]
        assert stretch == sorted(stretch)
        per = Counter(stretch)
        assert all(n <= pb.follow_up_cap for n in per.values()), (per, pb.follow_up_cap)
        tz = ZoneInfo(iv.tz)
        for n, a in enumerate(fus):
            opens = a.window.opens_at
            assert is_business_day(opens.astimezone(tz).date(), f.holidays, pb.workdays)
            # never before `follow_up_min_days` after the end or the employer's last message
            start = bounds[stretch[n]]
            assert utc(opens) >= utc(add_days(start, pb.follow_up_min_days, tz)) or (
                n > 0 and stretch[n - 1] == stretch[n]
            )
            if n > 0 and stretch[n - 1] == stretch[n]:
                prev = fus[n - 1]
                # the previous one was sent (ended as done) and this one opens after the spacing
                assert prev.end_state is ActionState.DONE
                assert prev.ended_at is not None
                assert utc(opens) >= utc(add_days(prev.ended_at, pb.follow_up_spacing_days, tz))
            if iv.decision_by is not None and (n == 0 or stretch[n - 1] != stretch[n]):
                assert opens.astimezone(tz).date() > iv.decision_by
            # every follow-up goes to the first interviewer by default
            assert a.person == (iv.interviewers[0] if iv.interviewers else None)


def check_nothing_follows_up_after_an_outcome(s: Scenario) -> None:
    p = plan_with_cycles(s.facts, s.at, s.pb)
    for o in as_of(s.facts, s.at).outcomes:
        cycle = p.cycles[o.interview_id]
        assert cycle.pending is None
        for a in follow_ups(p.actions, o.interview_id):
            for t in (o.at, utc(o.at) + timedelta(days=1), *s.moments):
                if utc(t) >= utc(o.at):
                    assert a.state(t).ended, (a.id, t)
        for t in (o.at, utc(o.at) + timedelta(days=400), *s.moments):
            if utc(t) >= utc(o.at):
                assert cycle.status(t) is InterviewStatus(o.result.value)


def check_states_follow_the_definition_and_only_move_forward(s: Scenario) -> None:
    for a in plan(s.facts, s.at, s.pb):
        seen: ActionState | None = None
        for t in probes(a, zone_of(a, s.facts), s.moments):
            state = a.state(t)
            assert state is expected_state(a, t), (a.id, t, state)
            if state is ActionState.UPCOMING:
                assert utc(t) < utc(a.window.opens_at)
            if seen is not None:
                if seen.ended:
                    assert state is seen, (a.id, t)
                elif not state.ended:
                    assert RANK[state] >= RANK[seen], (a.id, seen, state)
            seen = state


def check_ids_unique_stable_and_the_plan_deterministic(s: Scenario) -> None:
    one = plan(s.facts, s.at, s.pb)
    two = plan(s.facts, s.at, s.pb)
    ids = [a.id for a in one]
    assert len(ids) == len(set(ids))
    assert [comparable(a) for a in one] == [comparable(a) for a in two]
    # Another moment, with the same facts known, gives the same actions (but another week).
    later = plan(as_of(s.facts, s.at), utc(s.at) + timedelta(days=30), s.pb)
    now = {a.id: comparable(a) for a in one}
    then = {a.id: comparable(a) for a in later}
    for k, v in now.items():
        if not k.startswith("keep_searching:"):
            assert then[k] == v
    assert {k for k in then if not k.startswith("keep_searching:")} == {
        k for k in now if not k.startswith("keep_searching:")
    }


def check_the_plan_does_not_depend_on_how_moments_are_written(s: Scenario) -> None:
    a = plan(s.facts, s.at, s.pb)
    b = plan(all_utc(s.facts), utc(s.at), s.pb)
    assert sorted(map(comparable, a), key=repr) == sorted(map(comparable, b), key=repr)
    by = {x.id: x for x in b}
    for x in a:
        for t in s.moments:
            assert x.state(t) is by[x.id].state(utc(t))


def check_later_facts_do_not_change_earlier_states(s: Scenario, hours: int) -> None:
    """What is recorded after a moment T changes nothing about the states before T."""
    f = s.facts
    cut = min(utc(iv.end) for iv in f.interviews) + timedelta(hours=hours - 48)
    early = f._replace(
        touches=tuple(t for t in f.touches if utc(t.at) < cut),
        outcomes=tuple(o for o in f.outcomes if utc(o.at) < cut),
        marks=tuple(m for m in f.marks if utc(m.at) < cut),
        assessed={k: v for k, v in f.assessed.items() if utc(v) < cut},
        profile_reviews=tuple(r for r in f.profile_reviews if utc(r) < cut),
    )
    full = {a.id: a for a in plan(f, s.at, s.pb)}
    part = {a.id: a for a in plan(early, s.at, s.pb)}
    before = [t for t in s.moments if utc(t) < cut] + [cut - timedelta(seconds=1)]
    for key in full.keys() | part.keys():
        for t in before:
            x = full[key].state(t) if key in full else ActionState.UPCOMING
            y = part[key].state(t) if key in part else ActionState.UPCOMING
            assert x is y, (key, t, x, y)
    pf: Plan = plan_with_cycles(f, s.at, s.pb)
    pe: Plan = plan_with_cycles(early, s.at, s.pb)
    for iid, cycle in pf.cycles.items():
        for t in before:
            assert cycle.status(t) is pe.cycles[iid].status(t), (iid, t)


def check_keep_searching_weeks(s: Scenario) -> None:
    """One action at most: the week that holds the moment, counting the applications of
    that week submitted by the moment's day."""
    for at in (s.at, *s.moments):
        f = s.facts
        p = plan_with_cycles(f, at, s.pb)
        tz = ZoneInfo(f.user_tz)
        today = at.astimezone(tz).date()
        monday = today - timedelta(days=today.weekday())
        weeks = [a for a in p.actions if a.kind is ActionKind.KEEP_SEARCHING]
        assert len(weeks) <= 1
        year, week, _ = monday.isocalendar()
        sunday_end = local_at(monday + timedelta(days=7), time(0), tz)
        awaiting = [
            (s0, e0)
            for c in p.cycles.values()
            for s0, e0 in c.awaiting()
            if utc(s0) < utc(sunday_end)
            and (e0 is None or utc(e0) > utc(local_at(monday, time(0), tz)))
        ]
        assert bool(weeks) == bool(awaiting), (at, weeks, awaiting)
        if not weeks:
            continue
        a = weeks[0]
        assert a.id == f"keep_searching:{year}-W{week:02d}"
        due = a.window.due_at.astimezone(tz)
        assert (due.date(), due.hour, due.minute) == (monday + timedelta(days=7), 0, 0)
        assert a.progress is not None
        done = sum(
            1
            for x in f.applications
            if x.applied_on is not None and monday <= x.applied_on <= today
        )
        assert a.progress.done == done
        assert a.progress.target == s.pb.weekly_target
        if a.progress.done >= a.progress.target:
            assert a.end_state is ActionState.DONE or a.end_state is ActionState.SKIPPED
        # opened while an interview awaits a decision
        o = utc(a.window.opens_at)
        assert any(utc(s0) <= o and (e0 is None or utc(e0) > o) for s0, e0 in awaiting), a.id


def check_agenda_selects_and_orders(s: Scenario) -> None:
    actions = plan(s.facts, s.at, s.pb)
    listed = agenda(actions, s.at, s.pb)
    horizon = utc(s.at) + timedelta(days=s.pb.agenda_horizon_days)
    order = {st: n for n, st in enumerate(LIVE_ORDER)}
    keys = [(order[a.state(s.at)], utc(a.window.due_at), a.id) for a in listed]
    assert keys == sorted(keys)
    assert {a.id for a in listed} == {
        a.id
        for a in actions
        if not a.state(s.at).ended
        and utc(a.window.opens_at) <= utc(s.at + timedelta(days=s.pb.agenda_horizon_days))
    }
    assert all(utc(a.window.opens_at) <= horizon + timedelta(hours=1) for a in listed)
    everything = agenda(actions, s.at, s.pb, everything=True)
    assert sorted(a.id for a in everything) == sorted(a.id for a in actions)
    assert everything[: len(listed)] == listed
    tail = everything[len(listed) :]
    ended = [a for a in tail if a.state(s.at).ended]
    assert tail[len(tail) - len(ended) :] == ended  # ended ones last


def prune_like_the_store(f: Facts, since: datetime) -> Facts:
    """Drop what `load_facts(..., settled_before=since)` leaves out: the touches of
    interviews decided by `since` (except the thank-you notes sent), and the
    applications without an interview submitted over a week before it."""
    decided = {o.interview_id for o in f.outcomes if utc(o.at) <= utc(since)}
    kept = tuple(
        t
        for t in f.touches
        if t.interview_id not in decided
        or (t.direction is Direction.SENT and t.kind is TouchKind.THANK_YOU)
    )
    first_day = since.astimezone(ZoneInfo(f.user_tz)).date() - timedelta(days=7)
    interviewed = {iv.application_id for iv in f.interviews}
    apps = tuple(
        a
        for a in f.applications
        if a.id in interviewed or (a.applied_on is not None and a.applied_on >= first_day)
    )
    return f._replace(touches=kept, applications=apps)


def check_live_actions_are_the_plans_live_actions(s: Scenario) -> None:
    for at in (s.at, *s.moments):
        expected = [a for a in plan(s.facts, at, s.pb) if not a.state(at).ended]
        assert live_actions(s.facts, at, s.pb) == expected
        pruned = prune_like_the_store(s.facts, settled_before(at, s.facts.user_tz, s.pb))
        assert live_actions(pruned, at, s.pb) == expected
        assert agenda(live_actions(pruned, at, s.pb), at, s.pb) == agenda(
            plan(s.facts, at, s.pb), at, s.pb
        )


def check_a_snapshot_answers_for_every_later_moment(s: Scenario) -> None:
    """A snapshot taken at `t0` (from facts pruned for `t0`) gives `live_actions` at any
    later moment until a fact recorded for later counts: weeks later, across week
    starts, DST changes and ends still to come."""
    moments = sorted({utc(m) for m in (s.at, *s.moments)})
    for i, t0 in enumerate(moments):
        written = t0.astimezone(ZoneInfo(s.facts.user_tz))
        pruned = prune_like_the_store(s.facts, settled_before(written, s.facts.user_tz, s.pb))
        snapshot = live_snapshot(pruned, written, s.pb)
        assert list(snapshot.actions) + [
            a for a in live_actions(s.facts, written, s.pb) if a.kind is ActionKind.KEEP_SEARCHING
        ] == live_actions(s.facts, written, s.pb)
        for t1 in moments[i:]:
            if snapshot.answers(t1):
                assert snapshot_actions(snapshot, t1, s.pb) == live_actions(s.facts, t1, s.pb)
            else:
                # a fact recorded for a moment after t0 counts by t1: the snapshot says no
                assert snapshot.until is not None and utc(snapshot.until) <= t1
                assert any(t0 < m <= t1 for m in fact_moments(s.facts)), (
                    "refused with no fact in between"
                )
                with pytest.raises(ValueError):
                    snapshot_actions(snapshot, t1, s.pb)
        if i:
            with pytest.raises(ValueError):
                snapshot_actions(snapshot, moments[i - 1], s.pb)


def check_interview_actions_are_the_plans_for_that_interview(s: Scenario) -> None:
    everything = plan(s.facts, s.at, s.pb)
    for iv in s.facts.interviews:
        actions, cycle = interview_actions(s.facts, iv.id, s.at, s.pb)
        assert actions == [a for a in everything if a.interview_id == iv.id]
        full = plan_with_cycles(s.facts, s.at, s.pb).cycles[iv.id]
        assert cycle.status(s.at) == full.status(s.at)
        assert follow_up_cycles(s.facts, s.at, s.pb)[iv.id].status(s.at) == full.status(s.at)
    for at in (s.at, *s.moments):
        cycles = plan_with_cycles(s.facts, at, s.pb).cycles
        assert interview_statuses(s.facts, at, s.pb) == {i: c.status(at) for i, c in cycles.items()}


# -- the tests: one generated scenario serves several properties (generation is the cost) ------


@PROPS
@given(scenarios())
def test_windows_ids_and_determinism(s: Scenario) -> None:
    """Windows ordered, thank-you due 24 real hours after the end, ids unique and stable,
    the plan deterministic and independent of how moments are written."""
    check_windows_are_ordered(s)
    check_thank_you_due_exactly_24_real_hours_after_the_end(s)
    check_ids_unique_stable_and_the_plan_deterministic(s)
    check_the_plan_does_not_depend_on_how_moments_are_written(s)


@PROPS
@given(scenarios())
def test_follow_up_and_keep_searching_rules(s: Scenario) -> None:
    """At most `cap` follow-ups per reply-free stretch, spacing, business days, nothing
    live after an outcome; keep-searching weeks, progress and done."""
    check_follow_ups_respect_the_cap_spacing_and_business_days(s)
    check_nothing_follows_up_after_an_outcome(s)
    check_keep_searching_weeks(s)


@PROPS
@given(scenarios())
def test_states_move_forward_and_the_agenda_orders_them(s: Scenario) -> None:
    """States follow PRODUCT.md's definition on real time and only move forward; the
    agenda selects and orders them."""
    check_states_follow_the_definition_and_only_move_forward(s)
    check_agenda_selects_and_orders(s)


@PROPS
@given(scenarios())
def test_live_actions_equal_the_plans_live_actions(s: Scenario) -> None:
    """The agenda's quick path (`live_actions`, on facts pruned as the store prunes them)
    gives exactly the plan's actions not ended, at every moment probed; so does a
    snapshot at every later moment."""
    check_live_actions_are_the_plans_live_actions(s)
    check_the_plan_at_a_moment_uses_only_the_facts_known_then(s)
    check_a_snapshot_answers_for_every_later_moment(s)
    check_interview_actions_are_the_plans_for_that_interview(s)


@PROPS
@given(scenarios(), st.integers(0, 100 * 24))
def test_later_facts_do_not_change_earlier_states(s: Scenario, hours: int) -> None:
    check_later_facts_do_not_change_earlier_states(s, hours)


def test_zones_of_interest_are_covered() -> None:
    # a guard that the strategies keep the far zones in play
    assert {LORD_HOWE, NEW_YORK, "Pacific/Kiritimati", "America/St_Johns"} <= set(ZONES)
    assert date(2026, 3, 29) in {d.date() for d in ANCHORS}
