"""Nothing stale (PRODUCT.md): each kind of action lapses at its own moment, exactly.

Thank-you and profile update 7 calendar days after the interview's end, self-assessment
14 days, an unsent follow-up 14 days after its due moment (which ends the cycle: the
interview reads `no_response` from then, and keep-searching stops the week after).
Days are calendar days at the same wall-clock time, so a lapse across a daylight-saving
change is 167 or 169 real hours; a fact at exactly the lapse moment is too late.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from afterview.core.model import (
    Action,
    ActionKind,
    ActionState,
    InterviewStatus,
    TouchKind,
)
from afterview.core.plan import agenda, live_actions, plan, plan_with_cycles
from afterview.core.playbook import Playbook
from afterview.core.timeutil import add_days
from tests.core.helpers import (
    BERLIN,
    KIRITIMATI,
    NEW_YORK,
    done,
    facts,
    hours_between,
    interview,
    local,
    person,
    sent,
    skip,
    utc,
    wall,
)

PB = Playbook()
ANN = person(1, "Ann Lee", "ann@example.com")

#: (zone, interview end, real hours in the 7 days after it) — the end sits a few days
#: before a daylight-saving change so that every lapse crosses it, or in a far zone.
CASES = [
    (BERLIN, (2026, 3, 25, 15), 167),  # spring forward on Sun 03-29
    (BERLIN, (2026, 10, 21, 15), 169),  # fall back on Sun 10-25
    (NEW_YORK, (2026, 10, 28, 16), 169),  # fall back on Sun 11-01
    (NEW_YORK, (2026, 3, 5, 16), 167),  # spring forward on Sun 03-08
    (KIRITIMATI, (2026, 9, 15, 10), 168),  # UTC+14, no DST
]


def _the(actions: list[Action], action_id: str) -> Action:
    return next(a for a in actions if a.id == action_id)


@pytest.mark.parametrize("tz, end_at, hours", CASES)
@pytest.mark.parametrize(
    "action_id, days",
    [("thank_you:1:1", 7), ("refresh_profile:1", 7), ("self_assess:1", 14)],
)
def test_each_kind_lapses_at_the_same_wall_clock_days_later(
    tz: str, end_at: tuple[int, ...], hours: int, action_id: str, days: int
) -> None:
    end = local(tz, *end_at)
    f = facts(interview(1, end, tz, people=(ANN,)), user_tz=tz)
    lapse = add_days(end, days, ZoneInfo(tz))
    assert wall(lapse, tz)[3:] == wall(end, tz)[3:]
    if days == 7:
        assert hours_between(end, lapse) == hours
    a = _the(plan(f, lapse, PB), action_id)
    assert a.state(lapse - timedelta(seconds=1)) is ActionState.OVERDUE
    assert a.state(lapse) is ActionState.LAPSED
    assert a.end_state is ActionState.LAPSED and utc(a.ended_at) == utc(lapse)  # type: ignore[arg-type]
    assert f"within {days} days" in (a.end_why or "")
    # the agenda leaves it out from that moment; `--all` lists it among the ended
    just_before = lapse - timedelta(seconds=1)
    assert action_id in [x.id for x in agenda(plan(f, just_before, PB), just_before, PB)]
    assert action_id not in [x.id for x in agenda(plan(f, lapse, PB), lapse, PB)]
    assert action_id not in [x.id for x in live_actions(f, lapse, PB)]
    assert action_id in [x.id for x in agenda(plan(f, lapse, PB), lapse, PB, everything=True)]


def _fact(action_id: str, at: datetime) -> dict[str, object]:
    if action_id.startswith("thank_you"):
        return {"touches": (sent(1, 1, at, TouchKind.THANK_YOU, 1),)}
    if action_id.startswith("refresh_profile"):
        return {"reviews": (at,)}
    return {"assessed": {1: at}}


@pytest.mark.parametrize("tz, end_at, hours", CASES)
@pytest.mark.parametrize(
    "action_id, days",
    [("thank_you:1:1", 7), ("refresh_profile:1", 7), ("self_assess:1", 14)],
)
def test_a_fact_at_the_lapse_moment_is_too_late(
    tz: str, end_at: tuple[int, ...], hours: int, action_id: str, days: int
) -> None:
    end = local(tz, *end_at)
    lapse = add_days(end, days, ZoneInfo(tz))
    iv = interview(1, end, tz, people=(ANN,))
    late = _the(plan(facts(iv, user_tz=tz, **_fact(action_id, lapse)), lapse, PB), action_id)  # type: ignore[arg-type]
    assert late.state(lapse) is ActionState.LAPSED
    in_time = lapse - timedelta(seconds=1)
    ok = _the(plan(facts(iv, user_tz=tz, **_fact(action_id, in_time)), lapse, PB), action_id)  # type: ignore[arg-type]
    assert ok.state(lapse) is ActionState.DONE
    # a mark by hand at the lapse moment is too late as well
    marked = facts(iv, user_tz=tz, marks=(done(action_id, lapse),))
    assert _the(plan(marked, lapse, PB), action_id).state(lapse) is ActionState.LAPSED


@pytest.mark.parametrize("tz, end_at, hours", CASES)
def test_an_unsent_follow_up_lapses_14_days_after_its_due_and_ends_the_cycle(
    tz: str, end_at: tuple[int, ...], hours: int
) -> None:
    z = ZoneInfo(tz)
    end = local(tz, *end_at)
    f = facts(interview(1, end, tz, people=(ANN,)), user_tz=tz)
    fu = _the(plan(f, end, PB), "follow_up:1:1")
    lapse = add_days(fu.window.due_at, 14, z)
    assert wall(lapse, tz)[3:] == wall(fu.window.due_at, tz)[3:]
    p = plan_with_cycles(f, lapse, PB)
    fu = _the(p.actions, "follow_up:1:1")
    assert fu.state(lapse - timedelta(seconds=1)) is ActionState.OVERDUE
    assert fu.state(lapse) is ActionState.LAPSED
    # no follow-up 2, and the interview reads no_response from the lapse
    assert [a.id for a in p.actions if a.kind is ActionKind.FOLLOW_UP] == ["follow_up:1:1"]
    cycle = p.cycles[1]
    assert cycle.status(lapse - timedelta(seconds=1)) is InterviewStatus.AWAITING
    assert cycle.status(lapse) is InterviewStatus.NO_RESPONSE
    assert cycle.awaiting() == [(end, lapse)]
    # keep-searching: the lapse's week still has its action (cancelled from the lapse);
    # the week after has none
    week = [a for a in plan(f, lapse, PB) if a.kind is ActionKind.KEEP_SEARCHING]
    assert [a.state(lapse) for a in week] == [ActionState.CANCELLED]
    local_lapse = lapse.astimezone(z)
    next_monday = local_lapse.date() + timedelta(days=7 - local_lapse.weekday())
    m = local(tz, next_monday.year, next_monday.month, next_monday.day)
    assert [a for a in plan(f, m, PB) if a.kind is ActionKind.KEEP_SEARCHING] == []
    # sent one second before the lapse it is done, and follow-up 2 is proposed
    s = lapse - timedelta(seconds=1)
    g = facts(interview(1, end, tz, people=(ANN,)), touches=(sent(1, 1, s),), user_tz=tz)
    q = plan(g, s, PB)
    assert _the(q, "follow_up:1:1").state(s) is ActionState.DONE
    assert "follow_up:1:2" in [a.id for a in q]
    # sent at the lapse moment, it is too late: the cycle had ended (a forced send)
    h = facts(interview(1, end, tz, people=(ANN,)), touches=(sent(1, 1, lapse),), user_tz=tz)
    r = plan_with_cycles(h, lapse, PB)
    assert _the(r.actions, "follow_up:1:1").state(lapse) is ActionState.LAPSED
    assert r.cycles[1].status(lapse + timedelta(days=30)) is InterviewStatus.NO_RESPONSE


def test_a_skipped_follow_up_reads_no_response_when_it_would_have_lapsed() -> None:
    end = local(BERLIN, 2026, 10, 21, 15)
    f0 = facts(interview(1, end, BERLIN, people=(ANN,)), user_tz=BERLIN)
    fu = _the(plan(f0, end, PB), "follow_up:1:1")
    k = fu.window.opens_at + timedelta(hours=1)
    f = facts(
        interview(1, end, BERLIN, people=(ANN,)),
        marks=(skip("follow_up:1:1", k),),
        user_tz=BERLIN,
    )
    cycle = plan_with_cycles(f, k, PB).cycles[1]
    lapse = add_days(fu.window.due_at, 14, ZoneInfo(BERLIN))
    assert cycle.status(k) is InterviewStatus.AWAITING
    assert cycle.status(lapse - timedelta(seconds=1)) is InterviewStatus.AWAITING
    assert cycle.status(lapse) is InterviewStatus.NO_RESPONSE


def test_the_lapse_numbers_are_settings() -> None:
    end = local(BERLIN, 2026, 9, 15, 15)
    pb = Playbook(thank_you_lapse_days=2, self_assess_lapse_days=3, follow_up_lapse_days=0)
    f = facts(interview(1, end, BERLIN, people=(ANN,)), user_tz=BERLIN)
    acts = {a.id: a for a in plan(f, end, pb)}
    assert utc(acts["thank_you:1:1"].ended_at) == utc(local(BERLIN, 2026, 9, 17, 15))  # type: ignore[arg-type]
    assert utc(acts["self_assess:1"].ended_at) == utc(local(BERLIN, 2026, 9, 18, 15))  # type: ignore[arg-type]
    fu = acts["follow_up:1:1"]
    assert utc(fu.ended_at) == utc(fu.window.due_at)  # type: ignore[arg-type]
    # a lapse at the due moment: it goes from open straight to lapsed, never overdue
    assert fu.state(fu.window.due_at) is ActionState.LAPSED


def test_a_quiet_fortnight_leaves_only_what_can_still_help() -> None:
    # Worked example: an interview Tue 09-15 14:00-15:00 (Paris), nothing recorded since.
    # Back on Thu 10-01 10:00 (16 days on): the thank-yous and the profile update lapsed on
    # Tue 09-22 15:00, the self-assessment on Tue 09-29 15:00; follow-up 1 (opened Tue
    # 09-22 15:00, due Tue 09-29 15:00) is overdue but can still help until Tue 10-13
    # 15:00; this week's keep-searching action is the only other one.
    paris = "Europe/Paris"
    end = local(paris, 2026, 9, 15, 15)
    bob = person(2, "Bob Ray", "bob@example.com")
    f = facts(interview(1, end, paris, people=(ANN, bob)), user_tz=paris)
    back = local(paris, 2026, 10, 1, 10)
    listed = agenda(plan(f, back, PB), back, PB)
    assert [(a.id, a.state(back).value) for a in listed] == [
        ("follow_up:1:1", "overdue"),
        ("keep_searching:2026-W40", "ideal"),
    ]
    ended = {
        a.id: a.state(back).value
        for a in agenda(plan(f, back, PB), back, PB, everything=True)
        if a.state(back).ended
    }
    assert ended == {
        "thank_you:1:1": "lapsed",
        "thank_you:1:2": "lapsed",
        "refresh_profile:1": "lapsed",
        "self_assess:1": "lapsed",
    }


@pytest.mark.parametrize(
    "iv_tz, user_tz, at, said_as",
    [
        # the same clock: the moment alone
        ("Europe/Paris", "Europe/Berlin", (2026, 9, 15, 15), "Tue 15 Sep 15:00"),
        # New York seen from London: 5 hours, and 4 in the weeks between the changes
        (
            "America/New_York",
            "Europe/London",
            (2026, 9, 15, 15),
            "Tue 15 Sep 20:00, 15:00 New York time",
        ),
        (
            "America/New_York",
            "Europe/London",
            (2026, 3, 20, 15),
            "Fri 20 Mar 19:00, 15:00 New York time",
        ),
        # another date: the interview's weekday too
        (
            "Pacific/Kiritimati",
            "Pacific/Pago_Pago",
            (2026, 9, 16, 10),
            "Tue 15 Sep 09:00, Wed 10:00 Kiritimati time",
        ),
    ],
)
def test_reasons_say_moments_on_the_users_clock(
    iv_tz: str, user_tz: str, at: tuple[int, ...], said_as: str
) -> None:
    from afterview.core.timeutil import said

    moment = local(iv_tz, *at)
    assert said(moment, ZoneInfo(iv_tz), ZoneInfo(user_tz)) == said_as
    end = moment
    f = facts(interview(1, end, iv_tz, people=(ANN,)), user_tz=user_tz)
    thank = _the(plan(f, end, PB), "thank_you:1:1")
    assert f"({said_as})" in thank.why


def test_a_lapse_never_comes_before_the_due_moment_in_a_short_spring_day() -> None:
    # thank_you_lapse_days = 1 passes the settings check (24 h >= 24 h), but the day of the
    # spring change has 23 hours: the action still lapses no earlier than it is due
    pb = Playbook(thank_you_lapse_days=1, profile_lapse_days=1, self_assess_lapse_days=2)
    end = local(BERLIN, 2026, 3, 28, 15)
    f = facts(interview(1, end, BERLIN, people=(ANN,)), user_tz=BERLIN)
    for a in plan(f, end, pb):
        if a.end_state is ActionState.LAPSED:
            assert utc(a.ended_at) >= utc(a.window.due_at), a.id  # type: ignore[arg-type]
    thank = _the(plan(f, end, pb), "thank_you:1:1")
    assert thank.state(thank.window.due_at - timedelta(seconds=1)) is ActionState.OPEN
