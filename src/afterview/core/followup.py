"""Practice 2: the follow-up cycle of one interview, and the interview's status over time.

The anti-pestering rules (PRODUCT.md) are hard limits:

- the first follow-up opens at the later of 09:00 on the first business day after
  the stated decision date and 7 days after the interview;
- the next one opens 7 days after the previous one was sent;
- at most `cap` follow-ups in a row without an answer; 7 days after the last one,
  with still nothing back, the interview reads `no_response`;
- a message from the employer cancels the pending follow-up and restarts the clock;
- an outcome ends the cycle; skipping a follow-up ends the proposals.
"""

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from itertools import count
from typing import NamedTuple

from afterview.core.model import (
    Action,
    ActionKind,
    ActionMark,
    ActionState,
    Direction,
    Facts,
    Interview,
    InterviewStatus,
    Outcome,
    Person,
    Touch,
    TouchKind,
    Window,
)
from afterview.core.playbook import Playbook
from afterview.core.timeutil import (
    add_days,
    local_at,
    next_business_day,
    on_business_day,
    said,
    utc,
    zone,
)


class Cycle:
    """The follow-up actions of one interview and how its status changes over time."""

    __slots__ = ("actions", "changes", "closed_why", "interview", "pending")

    def __init__(
        self,
        interview: Interview,
        actions: list[Action] | None = None,
        changes: list[tuple[datetime, InterviewStatus]] | None = None,
        pending: Action | None = None,
        closed_why: str | None = None,
    ) -> None:
        self.interview = interview
        self.actions: list[Action] = actions if actions is not None else []
        #: (moment, status) in time order; before the first entry the interview is `scheduled`.
        self.changes: list[tuple[datetime, InterviewStatus]] = (
            changes if changes is not None else []
        )
        #: The follow-up waiting to be sent at the end of the recorded facts, if any.
        self.pending = pending
        #: Why no follow-up is pending (cap reached, skipped, outcome), when none is.
        self.closed_why = closed_why

    def _key(self) -> tuple[object, ...]:
        return (self.interview, self.actions, self.changes, self.pending, self.closed_why)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Cycle) and self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"Cycle(interview={self.interview.id}, actions={[a.id for a in self.actions]}, "
            f"changes={self.changes!r}, pending={self.pending and self.pending.id}, "
            f"closed_why={self.closed_why!r})"
        )

    def status(self, at: datetime) -> InterviewStatus:
        """Return the interview's status at `at`."""
        current = InterviewStatus.SCHEDULED
        t = utc(at)
        for moment, status in self.changes:
            if utc(moment) > t:
                break
            current = status
        return current

    def awaiting(self) -> list[tuple[datetime, datetime | None]]:
        """Return the intervals during which the interview awaits a decision."""
        out: list[tuple[datetime, datetime | None]] = []
        start: datetime | None = None
        for moment, status in self.changes:
            if status is InterviewStatus.AWAITING:
                if start is None:
                    start = moment
            elif start is not None:
                out.append((start, moment))
                start = None
        if start is not None:
            out.append((start, None))
        return out


def _fmt_day(d: date) -> str:
    return f"{d:%a %d %b %Y}"


def _fmt_at(at: datetime, tz: tzinfo, here: tzinfo) -> str:
    return said(at, tz, here)


class _Pending(NamedTuple):
    opens_at: datetime
    why: Callable[[], str]  # formatted only for the actions built


class _CycleBuilder:
    """Walks one interview's events in time order and emits its follow-up actions."""

    def __init__(
        self,
        iv: Interview,
        outcome: Outcome | None,
        pb: Playbook,
        facts: Facts,
        live_at: datetime | None = None,
    ) -> None:
        self.iv = iv
        self.live_at = utc(live_at) if live_at is not None else None
        self.pb = pb
        self.tz = zone(iv.tz)
        #: the user's zone: reasons say moments on the user's clock
        self.here = zone(facts.user_tz)
        self.holidays = facts.holidays
        self.workdays = pb.workdays
        self.outcome = outcome
        self.person: Person | None = iv.interviewers[0] if iv.interviewers else None
        self.cycle = Cycle(iv, changes=[(iv.end, InterviewStatus.AWAITING)])
        self.numbers = count(1)
        self.pending: _Pending | None = None
        self.pending_id = ""
        self.sent_since_reply = 0
        self.no_response_at: datetime | None = None
        self.proposals_over = False

    # -- times ------------------------------------------------------------------------------
    def _business(self, at: datetime) -> datetime:
        return on_business_day(at, self.tz, self.pb.morning, self.holidays, self.workdays)

    def _after_decision(self) -> datetime | None:
        d = self.iv.decision_by
        if d is None:
            return None
        return local_at(
            next_business_day(d, self.holidays, self.workdays), self.pb.morning, self.tz
        )

    def _window(self, opens: datetime) -> Window:
        return Window(
            opens_at=opens,
            ideal_from=opens,
            ideal_until=add_days(opens, self.pb.follow_up_ideal_days, self.tz),
            due_at=add_days(opens, self.pb.follow_up_due_days, self.tz),
        )

    def _clock_from(self, moment: datetime, what: Callable[[], str]) -> _Pending:
        """Open the next follow-up `follow_up_min_days` after `moment`, or after the decision date."""
        days = self.pb.follow_up_min_days
        week = add_days(moment, days, self.tz)
        after_d = self._after_decision()
        if after_d is not None and utc(after_d) > utc(week):
            d = self.iv.decision_by
            assert d is not None
            opens = after_d
            morning = self.pb.business_morning

            def why() -> str:
                return (
                    f"opens {morning} on the first business day after the stated "
                    f"decision date ({_fmt_day(d)}), later than {days} days after {what()}"
                )

        else:
            opens = week
            passed = " (the decision date has passed by then)" if after_d is not None else ""

            def why() -> str:
                return f"opens {days} days after {what()}{passed}"

        return self._moved(opens, why)

    def _moved(self, opens: datetime, why: Callable[[], str]) -> _Pending:
        moved = self._business(opens)
        if moved == opens:
            return _Pending(moved, why)
        tz, here = self.tz, self.here

        def moved_why() -> str:
            return (
                f"{why()}; {opens.astimezone(tz):%a %d %b} is not a business day, so it moves to "
                f"{_fmt_at(moved, tz, here)}"
            )

        return _Pending(moved, moved_why)

    # -- events -----------------------------------------------------------------------------
    def start(self) -> None:
        if self.pb.follow_up_cap == 0:
            self.proposals_over = True
            self.cycle.closed_why = "follow-ups are turned off (follow_up_cap = 0)"
            return
        end, tz, here = self.iv.end, self.tz, self.here
        self._propose(
            self._clock_from(end, lambda: f"the interview ended ({_fmt_at(end, tz, here)})")
        )

    def _propose(self, pending: _Pending) -> None:
        if self.proposals_over:
            return
        self.cycle.closed_why = None
        self.pending = pending
        self.pending_id = f"follow_up:{self.iv.id}:{next(self.numbers)}"

    def _end_pending(self, state: ActionState, at: datetime, end_why: Callable[[], str]) -> None:
        if self.pending is None:
            return
        if self.live_at is None or utc(at) > self.live_at:
            self.cycle.actions.append(self._action(self.pending, state, at, end_why()))
        # else: ended at `live_at` already, and only live actions were asked for
        self.pending = None

    def _action(
        self,
        p: _Pending,
        state: ActionState | None = None,
        at: datetime | None = None,
        end_why: str | None = None,
    ) -> Action:
        nth = self.sent_since_reply + 1
        cap = self.pb.follow_up_cap
        why = f"Follow-up {nth} of at most {cap} since the employer last wrote: {p.why()}."
        return Action(
            id=self.pending_id,
            kind=ActionKind.FOLLOW_UP,
            window=self._window(p.opens_at),
            why=why,
            interview_id=self.iv.id,
            application_id=self.iv.application_id,
            person=self.person,
            end_state=state,
            ended_at=at,
            end_why=end_why,
        )

    def _lapse_at(self) -> datetime | None:
        """When the pending follow-up passes for good: `follow_up_lapse_days` after its due."""
        if self.pending is None:
            return None
        due = self._window(self.pending.opens_at).due_at
        return add_days(due, self.pb.follow_up_lapse_days, self.tz)

    def lapse_before(self, at: datetime | None) -> None:
        """End the pending follow-up as `lapsed` if it passed for good by `at` (None: ever).

        A fact at exactly the lapse moment is too late. The lapse ends the cycle: no
        more follow-ups, and the interview reads `no_response` from that moment.
        """
        lapse = self._lapse_at()
        if lapse is None or (at is not None and utc(lapse) > utc(at)):
            return
        days = self.pb.follow_up_lapse_days
        nth = self.pending_id.rsplit(":", 1)[-1]
        self._end_pending(
            ActionState.LAPSED,
            lapse,
            lambda: f"not sent within {days} days of its due moment: the cycle has ended",
        )
        self.proposals_over = True
        self.no_response_at = lapse
        self.cycle.closed_why = (
            f"follow-up {nth} was not sent within {days} days of its due moment: "
            "no more follow-ups (record an outcome when the employer writes)"
        )

    def received(self, t: Touch) -> None:
        if self.no_response_at is not None and utc(t.at) >= utc(self.no_response_at):
            # it reads `no_response`, which ended the cycle: a later message from the
            # employer starts no new follow-up (PRODUCT.md: record an outcome instead)
            return
        tz, here = self.tz, self.here
        self._end_pending(
            ActionState.CANCELLED, t.at, lambda: f"the employer wrote on {_fmt_at(t.at, tz, here)}"
        )
        if self.proposals_over:
            # a skip ended the proposals; the interview still reads `no_response` when
            # the skipped follow-up would have lapsed, unless an outcome comes first
            return
        self.no_response_at = None
        self.sent_since_reply = 0
        self._propose(
            self._clock_from(t.at, lambda: f"the employer wrote ({_fmt_at(t.at, tz, here)})")
        )

    def sent(self, t: Touch) -> None:
        if self.no_response_at is not None and utc(t.at) >= utc(self.no_response_at):
            # The interview already reads `no_response`, which ended the cycle: a follow-up
            # sent anyway (beyond the cap, forced) does not rewrite that.
            return
        if self.proposals_over and self.pending is None:
            # sent anyway after a skip ended the proposals: nothing changes
            return
        tz, here = self.tz, self.here
        self._end_pending(
            ActionState.DONE, t.at, lambda: f"follow-up sent {_fmt_at(t.at, tz, here)}"
        )
        self.sent_since_reply += 1
        if self.sent_since_reply < self.pb.follow_up_cap:
            days = self.pb.follow_up_spacing_days

            def why() -> str:
                return f"opens {days} days after the last follow-up ({_fmt_at(t.at, tz, here)})"

            self._propose(self._moved(add_days(t.at, days, self.tz), why))
        else:
            self.no_response_at = add_days(t.at, self.pb.no_response_days, self.tz)
            if not self.proposals_over:
                self.cycle.closed_why = (
                    f"{self.sent_since_reply} follow-ups sent without an answer (the cap is "
                    f"{self.pb.follow_up_cap}): no more follow-ups"
                )

    def skipped(self, m: ActionMark) -> None:
        if self.pending is None:
            return
        lapse = self._lapse_at()
        self._end_pending(ActionState.SKIPPED, m.at, lambda: m.why or "skipped")
        self.proposals_over = True
        # it reads `no_response` from when the skipped follow-up would have lapsed
        self.no_response_at = lapse
        self.cycle.closed_why = "a follow-up was skipped: no more follow-ups for this interview"

    def finish(self) -> Cycle:
        if self.outcome is not None:
            o = self.outcome
            self.lapse_before(o.at)
            self._end_pending(
                ActionState.CANCELLED, o.at, lambda: f"outcome recorded: {o.result.value}"
            )
            if utc(o.at) <= utc(self.iv.end):
                # decided before the interview ended: it never awaited a decision
                self.cycle.changes = []
            elif self.no_response_at is not None and utc(self.no_response_at) <= utc(o.at):
                self.cycle.changes.append((self.no_response_at, InterviewStatus.NO_RESPONSE))
            self.cycle.changes.append((o.at, InterviewStatus(o.result.value)))
            self.cycle.closed_why = f"outcome recorded: {o.result.value}"
        else:
            pending = self.pending
            if pending is not None:
                # still pending at the end of the facts: it lapses later unless a fact comes
                lapse = self._lapse_at()
                assert lapse is not None
                days = self.pb.follow_up_lapse_days
                action = self._action(pending)._replace(
                    end_state=ActionState.LAPSED,
                    ended_at=lapse,
                    end_why=f"not sent within {days} days of its due moment: the cycle has ended",
                )
                if self.live_at is None or utc(lapse) > self.live_at:
                    self.cycle.actions.append(action)
                self.cycle.pending = action
                self.pending = None
                self.no_response_at = lapse
            if self.no_response_at is not None:
                self.cycle.changes.append((self.no_response_at, InterviewStatus.NO_RESPONSE))
        if self.pending is not None:
            action = self._action(self.pending)
            self.cycle.actions.append(action)
            self.cycle.pending = action
        self.cycle.changes.sort(key=lambda c: utc(c[0]))
        return self.cycle


def follow_up_cycle(
    iv: Interview,
    touches: list[Touch],
    marks: list[ActionMark],
    outcome: Outcome | None,
    facts: Facts,
    pb: Playbook,
    live_at: datetime | None = None,
) -> Cycle:
    """Return the follow-up cycle of `iv` from its touches, skip marks and outcome.

    Only messages at or after the interview's end take part; nothing after the
    outcome changes the cycle. With `live_at`, `actions` holds only the follow-ups
    not ended at that moment (the status changes are complete either way).
    """
    b = _CycleBuilder(iv, outcome, pb, facts, live_at)
    b.start()
    events: list[tuple[datetime, int, int, Touch | ActionMark]] = []
    end = utc(iv.end)
    for t in touches:
        if utc(t.at) < end:
            continue
        if t.direction is Direction.RECEIVED:
            events.append((utc(t.at), 0, t.id, t))
        elif t.kind is TouchKind.FOLLOW_UP:
            events.append((utc(t.at), 1, t.id, t))
    for i, m in enumerate(marks):
        if m.state is ActionState.SKIPPED and m.action_id.startswith(f"follow_up:{iv.id}:"):
            events.append((utc(m.at), 2, i, m))
    events.sort(key=lambda e: e[:3])
    for at, _, _, ev in events:
        if outcome is not None and at >= utc(outcome.at):
            break
        b.lapse_before(at)
        if isinstance(ev, ActionMark):
            b.skipped(ev)
        elif ev.direction is Direction.RECEIVED:
            b.received(ev)
        else:
            b.sent(ev)
    return b.finish()
