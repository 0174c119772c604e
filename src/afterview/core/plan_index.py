"""What the practices of the plan share: the facts indexed for look-up, and how an
action's end is chosen among its candidates (a fact, a mark, a replacement, a lapse)."""

from collections import defaultdict
from datetime import datetime, tzinfo

from afterview.core.model import (
    Action,
    ActionMark,
    ActionState,
    Application,
    Direction,
    Facts,
    Interview,
    Outcome,
    Touch,
    TouchKind,
    Window,
)
from afterview.core.timeutil import add_days, add_hours, utc


class FactIndex:
    """The facts grouped for quick look-up by interview and action id."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self.touches: dict[int, list[Touch]] = defaultdict(list)
        #: interview id -> person id (None: nobody named) -> the first thank-you sent
        self.first_thanks: dict[int, dict[int | None, datetime]] = {}
        for t in facts.touches:
            self.touches[t.interview_id].append(t)
            if t.direction is Direction.SENT and t.kind is TouchKind.THANK_YOU:
                per = self.first_thanks.setdefault(t.interview_id, {})
                known = per.get(t.person_id)
                if known is None or utc(t.at) < utc(known):
                    per[t.person_id] = t.at
        self.reviews = sorted(facts.profile_reviews, key=utc)
        self.reviews_utc = [utc(r) for r in self.reviews]
        self.profile_check = facts.profile_check
        self.marks: dict[str, list[ActionMark]] = defaultdict(list)
        self.marks_by_interview: dict[int, list[ActionMark]] = defaultdict(list)
        for m in sorted(facts.marks, key=lambda m: utc(m.at)):
            self.marks[m.action_id].append(m)
            parts = m.action_id.split(":")
            if len(parts) >= 2 and parts[1].isdigit():
                self.marks_by_interview[int(parts[1])].append(m)
        self.outcomes: dict[int, Outcome] = {o.interview_id: o for o in facts.outcomes}
        self.applications: dict[int, Application] = {a.id: a for a in facts.applications}

    def first_mark(self, action_id: str) -> ActionMark | None:
        """The first mark (done or skip) on an action, if any."""
        marks = self.marks.get(action_id)
        return marks[0] if marks else None


def earliest(
    *candidates: tuple[datetime, ActionState, str] | None,
) -> tuple[datetime, ActionState, str] | None:
    """The first end among `candidates`; of two at the same moment, the one given first."""
    found = [c for c in candidates if c is not None]
    return min(found, key=lambda c: utc(c[0])) if found else None


def ended(action: Action, end: tuple[datetime, ActionState, str] | None) -> Action:
    """`action` with its end (moment, state, reason) set; unchanged when `end` is None."""
    if end is None:
        return action
    at, state, why = end
    return action._replace(end_state=state, ended_at=at, end_why=why)


def mark_end(ix: FactIndex, action_id: str) -> tuple[datetime, ActionState, str] | None:
    """The end the user's first mark (done or skip) gives the action, if any."""
    m = ix.first_mark(action_id)
    if m is None:
        return None
    return (m.at, m.state, m.why or m.state.value)


def hours_window(end: datetime, ideal_from: float, ideal_until: float, due: float) -> Window:
    """A window opening at `end`, its ideal part and due moment real hours after it."""
    return Window(
        opens_at=end,
        ideal_from=add_hours(end, ideal_from),
        ideal_until=add_hours(end, ideal_until),
        due_at=add_hours(end, due),
    )


def lapse_end(
    iv: Interview, days: int, due_hours: float, tz: tzinfo, what: str, then: str
) -> tuple[datetime, ActionState, str]:
    """The moment an action of `iv` passes for good: `days` calendar days after the end,
    and never before its due moment (`due_hours` after the end: a day of 23 hours, in
    spring, does not make it lapse early).

    Put first among the candidates of `earliest`: a fact at exactly this moment is too late.
    """
    at = max(add_days(iv.end, days, tz), add_hours(iv.end, due_hours), key=utc)
    return (at, ActionState.LAPSED, f"{what} within {days} days of the interview{then}")


def ends_by(end: tuple[datetime, ActionState, str] | None, live_at: datetime | None) -> bool:
    """True when `live_at` is given and the action has ended at that moment."""
    return live_at is not None and end is not None and utc(end[0]) <= utc(live_at)
