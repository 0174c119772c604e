"""When an approved message goes out, and when it is held (core.sending)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from afterview.core.model import (
    Application,
    Direction,
    Facts,
    Interview,
    Outcome,
    OutcomeResult,
    Person,
    Touch,
    TouchKind,
)
from afterview.core.plan import plan
from afterview.core.playbook import Playbook
from afterview.core.sending import hold_reason, schedule_time

PARIS = ZoneInfo("Europe/Paris")
PB = Playbook()
END = datetime(2026, 9, 15, 15, 0, tzinfo=PARIS)
ANA = Person(1, "Ana Lopez", "ana@acme.example")


def facts(*touches: Touch, outcome: Outcome | None = None) -> Facts:
    iv = Interview(1, 1, END - timedelta(hours=1), END, "Europe/Paris", (ANA,))
    return Facts(
        applications=(Application(1, "Acme", "Data Engineer"),),
        interviews=(iv,),
        touches=touches,
        outcomes=(outcome,) if outcome else (),
        user_tz="Europe/Paris",
    )


def action(f: Facts, action_id: str, at: datetime):  # type: ignore[no-untyped-def]
    return next(a for a in plan(f, at, PB) if a.id == action_id)


def test_thank_you_waits_for_its_ideal_window_or_goes_at_once_inside_it() -> None:
    f = facts()
    early = END + timedelta(minutes=20)
    a = action(f, "thank_you:1:1", early)
    assert schedule_time(a, early) == (END + timedelta(hours=2), None)
    inside = END + timedelta(hours=2, minutes=30)
    assert schedule_time(a, inside) == (inside, None)
    late = END + timedelta(hours=10)  # past the ideal window, before due: at once
    assert schedule_time(a, late) == (late, None)


def test_past_the_due_time_needs_force() -> None:
    f = facts()
    after = END + timedelta(hours=25)
    a = action(f, "thank_you:1:1", after)
    _, refusal = schedule_time(a, after)
    assert refusal is not None and "was due" in refusal  # the CLI adds its --force
    assert schedule_time(a, after, force=True) == (after, None)


def test_an_ended_action_has_nothing_to_send() -> None:
    sent = Touch(1, 1, Direction.SENT, TouchKind.THANK_YOU, END + timedelta(hours=1), 1)
    f = facts(sent)
    at = END + timedelta(hours=2)
    _, refusal = schedule_time(action(f, "thank_you:1:1", at), at, force=True)
    assert refusal is not None and "has ended" in refusal


def test_held_when_the_employer_wrote_after_approval() -> None:
    approved = END + timedelta(days=5, hours=1)  # late, but before it lapses (7 days)
    reply = Touch(1, 1, Direction.RECEIVED, TouchKind.OTHER, approved + timedelta(hours=2))
    f = facts(reply)
    at = approved + timedelta(hours=5)
    reason = hold_reason(action(f, "thank_you:1:1", at), f, approved, at, PB)
    assert reason is not None and "the employer wrote" in reason
    # a message from before the approval does not hold it
    older = Touch(1, 1, Direction.RECEIVED, TouchKind.OTHER, approved - timedelta(hours=2))
    f2 = facts(older)
    assert hold_reason(action(f2, "thank_you:1:1", at), f2, approved, at, PB) is None


def test_held_when_the_follow_up_was_cancelled_or_an_outcome_came() -> None:
    opens = datetime(2026, 9, 22, 15, 0, tzinfo=PARIS)  # end + 7 days
    approved = opens + timedelta(hours=1)
    f = facts(outcome=Outcome(1, OutcomeResult.REJECTED, approved + timedelta(hours=1)))
    at = approved + timedelta(hours=3)
    a = action(f, "follow_up:1:1", at)
    reason = hold_reason(a, f, approved, at, PB)
    assert reason is not None and "has ended" in reason and "rejected" in reason


def test_a_follow_up_is_held_when_the_rules_refuse_it_at_that_moment() -> None:
    # approved and due, but a follow-up was logged by hand meanwhile: spacing holds the next one
    opens = datetime(2026, 9, 22, 15, 0, tzinfo=PARIS)
    sent = Touch(1, 1, Direction.SENT, TouchKind.FOLLOW_UP, opens + timedelta(hours=1), 1)
    f = facts(sent)
    at = opens + timedelta(hours=3)
    a = action(f, "follow_up:1:1", at)
    assert hold_reason(a, f, opens, at, PB) is not None  # follow_up:1:1 is done
    assert hold_reason(None, f, opens, at, PB) is not None


def test_a_thank_you_that_lapsed_before_it_went_out_is_not_sent() -> None:
    approved = END + timedelta(days=6)
    at = END + timedelta(days=7)  # the lapse moment: too late
    f = facts()
    reason = hold_reason(action(f, "thank_you:1:1", at), f, approved, at, PB)
    assert reason is not None and "lapsed" in reason
    assert (
        hold_reason(
            action(f, "thank_you:1:1", at - timedelta(seconds=1)),
            f,
            approved,
            at - timedelta(seconds=1),
            PB,
        )
        is None
    )
