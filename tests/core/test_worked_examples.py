"""PRODUCT.md, "Worked examples (Europe/Paris, no holidays configured)", as exact assertions."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from afterview.core.model import (
    Action,
    ActionKind,
    ActionState,
    Application,
    Facts,
    InterviewStatus,
    Progress,
    Touch,
)
from afterview.core.plan import agenda, plan, plan_with_cycles
from afterview.core.playbook import Playbook
from afterview.core.rules import follow_up_refusal
from tests.core.helpers import (
    PARIS,
    applications,
    by_id,
    facts,
    follow_ups,
    interview,
    local,
    person,
    received,
    sent,
    utc,
)

PB = Playbook()
ALICE = person(11, "Alice Martin", "alice@acme.example")
BOB = person(12, "Bob Durand", "bob@acme.example")


def paris(mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return local(PARIS, 2026, mo, d, h, mi)


#: Tue 2026-09-15 14:00–15:00, two interviewers, no decision date.
END = paris(9, 15, 15)
AT = paris(9, 15, 15, 30)


def example(
    decision_by: date | None = None,
    *,
    touches: tuple[Touch, ...] = (),
    reviews: tuple[datetime, ...] = (),
    apps: tuple[Application, ...] = (),
) -> Facts:
    iv = interview(1, END, PARIS, people=(ALICE, BOB), decision_by=decision_by)
    return facts(iv, touches=touches, reviews=reviews, apps=apps, user_tz=PARIS)


def window(a: Action) -> tuple[datetime, datetime, datetime, datetime]:
    w = a.window
    return (utc(w.opens_at), utc(w.ideal_from), utc(w.ideal_until), utc(w.due_at))


def paris_window(*moments: datetime) -> tuple[datetime, ...]:
    return tuple(utc(m) for m in moments)


# -- example 1: the day of the interview ---------------------------------------------------


def test_example1_interview_start_is_tuesday_14h() -> None:
    iv = example().interviews[0]
    assert iv.start == paris(9, 15, 14)
    assert iv.start.strftime("%a") == "Tue"


def test_example1_ids() -> None:
    ids = {a.id for a in plan(example(), AT, PB)}
    assert {
        "thank_you:1:11",
        "thank_you:1:12",
        "self_assess:1",
        "refresh_profile:1",
        "keep_searching:2026-W38",
        "follow_up:1:1",
    } <= ids
    # Nothing else but next week's keep-searching (it opens within the 7-day horizon).
    assert ids - {
        "thank_you:1:11",
        "thank_you:1:12",
        "self_assess:1",
        "refresh_profile:1",
        "keep_searching:2026-W38",
        "follow_up:1:1",
    } <= {"keep_searching:2026-W39"}


def test_example1_two_thank_yous_open_ideal_17_to_18_due_wednesday_15() -> None:
    acts = by_id(plan(example(), AT, PB))
    thanks = [a for a in acts.values() if a.kind is ActionKind.THANK_YOU]
    assert sorted(a.id for a in thanks) == ["thank_you:1:11", "thank_you:1:12"]
    assert {a.person for a in thanks} == {ALICE, BOB}
    for a in thanks:
        assert a.state(AT) is ActionState.OPEN
        assert window(a) == paris_window(END, paris(9, 15, 17), paris(9, 15, 18), paris(9, 16, 15))
        assert a.state(paris(9, 15, 17)) is ActionState.IDEAL
        assert a.state(paris(9, 15, 18)) is ActionState.OPEN
        assert a.state(paris(9, 16, 15)) is ActionState.OVERDUE
        assert a.why


def test_example1_self_assess_ideal_until_21h_due_thursday_15h() -> None:
    a = by_id(plan(example(), AT, PB))["self_assess:1"]
    assert a.state(AT) is ActionState.IDEAL
    assert window(a) == paris_window(END, END, paris(9, 15, 21), paris(9, 17, 15))
    assert paris(9, 17, 15).strftime("%a") == "Thu"
    assert a.state(paris(9, 15, 21)) is ActionState.OPEN


@pytest.mark.parametrize(
    "reviewed, expected",
    [
        (None, True),  # never reviewed
        (paris(7, 1, 12), True),
        (paris(8, 16, 14, 59), True),  # more than 30 days before the end (15:00)
        (paris(8, 16, 15), False),  # exactly 30 days: not more than 30
        (paris(8, 17, 9), False),  # reviewed since 2026-08-16
        (paris(9, 15, 12), False),  # the morning of the interview
    ],
)
def test_example1_refresh_profile_when_not_reviewed_since_0816(
    reviewed: datetime | None, expected: bool
) -> None:
    f = example(reviews=() if reviewed is None else (reviewed,))
    acts = by_id(plan(f, AT, PB))
    assert ("refresh_profile:1" in acts) is expected
    if expected:
        a = acts["refresh_profile:1"]
        assert a.state(AT) is ActionState.IDEAL
        # ideal until 03:00 Wednesday, due Wednesday 15:00
        assert window(a) == paris_window(END, END, paris(9, 16, 3), paris(9, 16, 15))
        assert a.state(paris(9, 16, 3)) is ActionState.OPEN


def test_example1_keep_searching_week_38() -> None:
    a = by_id(plan(example(), AT, PB))["keep_searching:2026-W38"]
    assert a.state(AT) is ActionState.IDEAL
    assert a.progress == Progress(0, 5)
    assert window(a) == paris_window(END, END, paris(9, 21), paris(9, 21))
    assert a.interview_id is None and a.person is None


def test_example1_keep_searching_counts_applications_of_that_week() -> None:
    # Mon 09-14 and Sun 09-20 are in W38; Sun 09-13 and Mon 09-21 are not.
    apps = applications(
        [date(2026, 9, 13), date(2026, 9, 14), date(2026, 9, 20), date(2026, 9, 21)]
    )
    a = by_id(plan(example(apps=apps), paris(9, 20, 23), PB))["keep_searching:2026-W38"]
    assert a.progress == Progress(2, 5)
    # on Tuesday the Sunday application is still to come: it does not count yet
    a = by_id(plan(example(apps=apps), AT, PB))["keep_searching:2026-W38"]
    assert a.progress == Progress(1, 5)


def test_example1_follow_up_1_upcoming_and_listed() -> None:
    acts = plan(example(), AT, PB)
    fu = by_id(acts)["follow_up:1:1"]
    assert window(fu) == paris_window(
        paris(9, 22, 15), paris(9, 22, 15), paris(9, 24, 15), paris(9, 29, 15)
    )
    assert paris(9, 22).strftime("%a") == "Tue" and paris(9, 29).strftime("%a") == "Tue"
    assert fu.state(AT) is ActionState.UPCOMING
    assert fu.person == ALICE  # the first interviewer
    assert fu in agenda(acts, AT, PB)
    # ... and a moment before the horizon reaches it, it is not listed.
    assert fu not in agenda(acts, paris(9, 15, 14, 59), PB)


def test_example1_agenda_order() -> None:
    listed = [a.id for a in agenda(plan(example(), AT, PB), AT, PB)]
    assert listed == [
        # ideal, by due time
        "refresh_profile:1",  # due Wed 15:00
        "self_assess:1",  # due Thu 15:00
        "keep_searching:2026-W38",  # due Mon 09-21 00:00
        # open, by due time then id
        "thank_you:1:11",
        "thank_you:1:12",
        # upcoming, by due time
        "follow_up:1:1",  # due Tue 09-29 15:00
    ]
    # keep_searching exists for the current week only: W39's does not exist before Monday
    monday = [a.id for a in agenda(plan(example(), paris(9, 21), PB), paris(9, 21), PB)]
    assert "keep_searching:2026-W39" in monday and "keep_searching:2026-W38" not in monday


# -- example 2: a stated decision date -------------------------------------------------------


def test_example2_decision_friday_opens_monday_9h() -> None:
    assert date(2026, 9, 25).strftime("%a") == "Fri"
    acts = plan(example(decision_by=date(2026, 9, 25)), AT, PB)
    fu = by_id(acts)["follow_up:1:1"]
    assert utc(fu.window.opens_at) == utc(paris(9, 28, 9))
    assert utc(fu.window.ideal_until) == utc(paris(9, 30, 9))
    assert utc(fu.window.due_at) == utc(paris(10, 5, 9))
    # later than end + 7 days (Tue 09-22 15:00)
    assert utc(fu.window.opens_at) > utc(paris(9, 22, 15))
    assert "decision date" in fu.why


# -- example 3: sending, the refusal, the employer's answer ---------------------------------


D = date(2026, 9, 25)
SENT_1 = paris(9, 29, 10)
ANSWER = paris(10, 2, 11)


def test_example3_follow_up_1_sent_then_2_opens_a_week_later() -> None:
    f = example(decision_by=D, touches=(sent(1, 1, SENT_1, person_id=11),))
    acts = plan(f, SENT_1, PB)
    fu1, fu2 = follow_ups(acts, 1)
    assert fu1.id == "follow_up:1:1" and fu2.id == "follow_up:1:2"
    assert fu1.state(SENT_1) is ActionState.DONE
    assert fu1.state(paris(9, 29, 9, 59)) is ActionState.IDEAL  # before it was sent
    assert utc(fu1.ended_at) == utc(SENT_1)
    assert utc(fu2.window.opens_at) == utc(paris(10, 6, 10))
    assert paris(10, 6).strftime("%a") == "Tue"
    assert fu2.state(paris(10, 1, 12)) is ActionState.UPCOMING
    assert "Follow-up 2 of at most 2" in fu2.why


def test_example3_follow_up_on_thursday_refused_unless_it_opens() -> None:
    f = example(decision_by=D, touches=(sent(1, 1, SENT_1, person_id=11),))
    refusal = follow_up_refusal(f, f.interviews[0], paris(10, 1, 10), PB)
    assert refusal is not None
    assert "follow_up:1:2" in refusal and "06 Oct 2026 10:00" in refusal
    # From the moment it opens, it is allowed.
    assert follow_up_refusal(f, f.interviews[0], paris(10, 6, 10), PB) is None
    # And follow-up 1 itself was allowed when it was sent, not before Mon 09:00.
    before = example(decision_by=D)
    assert follow_up_refusal(before, before.interviews[0], SENT_1, PB) is None
    assert follow_up_refusal(before, before.interviews[0], paris(9, 28, 8, 59), PB) is not None
    assert follow_up_refusal(before, before.interviews[0], paris(9, 28, 9), PB) is None


def test_example3_employer_writes_cancels_2_and_3_opens_a_week_after() -> None:
    f = example(
        decision_by=D,
        touches=(sent(1, 1, SENT_1, person_id=11), received(2, 1, ANSWER)),
    )
    p = plan_with_cycles(f, ANSWER, PB)
    fus = follow_ups(p.actions, 1)
    assert [a.id for a in fus] == ["follow_up:1:1", "follow_up:1:2", "follow_up:1:3"]
    fu1, fu2, fu3 = fus
    assert fu1.state(ANSWER) is ActionState.DONE
    assert fu2.state(paris(10, 2, 10, 59)) is ActionState.UPCOMING
    assert fu2.state(ANSWER) is ActionState.CANCELLED
    assert utc(fu2.ended_at) == utc(ANSWER)
    assert utc(fu3.window.opens_at) == utc(paris(10, 9, 11))
    assert paris(10, 9).strftime("%a") == "Fri"
    assert utc(fu3.window.ideal_until) == utc(paris(10, 11, 11))
    assert utc(fu3.window.due_at) == utc(paris(10, 16, 11))
    assert fu3.state(ANSWER) is ActionState.UPCOMING
    # unsent, it would lapse 14 days after its due moment
    assert fu3.end_state is ActionState.LAPSED
    assert utc(fu3.ended_at) == utc(paris(10, 30, 11))  # type: ignore[arg-type]
    # the cap counts from zero again
    assert "Follow-up 1 of at most 2" in fu3.why
    assert p.cycles[1].pending == fu3
    assert p.cycles[1].status(ANSWER) is InterviewStatus.AWAITING


def test_example3_cap_counts_from_zero_after_the_answer() -> None:
    third = paris(10, 9, 11)
    fourth = paris(10, 16, 11)
    f = example(
        decision_by=D,
        touches=(
            sent(1, 1, SENT_1, person_id=11),
            received(2, 1, ANSWER),
            sent(3, 1, third, person_id=11),
            sent(4, 1, fourth, person_id=11),
        ),
    )
    p = plan_with_cycles(f, fourth, PB)
    fus = follow_ups(p.actions, 1)
    # 3 and 4 are both allowed (two since the employer wrote), no 5th is proposed.
    assert [a.id for a in fus] == [f"follow_up:1:{n}" for n in (1, 2, 3, 4)]
    assert [a.end_state for a in fus] == [
        ActionState.DONE,
        ActionState.CANCELLED,
        ActionState.DONE,
        ActionState.DONE,
    ]
    assert utc(fus[3].window.opens_at) == utc(paris(10, 16, 11))
    assert p.cycles[1].pending is None
    iv = f.interviews[0]
    refusal = follow_up_refusal(f, iv, paris(10, 30, 11), PB)
    assert refusal is not None and "cap" in refusal
    # 7 days after the last one: no_response.
    cyc = p.cycles[1]
    assert cyc.status(paris(10, 23, 10, 59)) is InterviewStatus.AWAITING
    assert cyc.status(paris(10, 23, 11)) is InterviewStatus.NO_RESPONSE


def test_example3_refusal_ignores_facts_after_the_moment() -> None:
    # The refusal reads only what was recorded before the moment asked about.
    f = example(
        decision_by=D,
        touches=(sent(1, 1, SENT_1, person_id=11), received(2, 1, ANSWER)),
    )
    assert follow_up_refusal(f, f.interviews[0], paris(10, 1, 10), PB) is not None
    assert follow_up_refusal(f, f.interviews[0], paris(10, 8, 10), PB) is not None
    assert follow_up_refusal(f, f.interviews[0], paris(10, 9, 11), PB) is None
