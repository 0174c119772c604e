"""Practice 3, keep searching: one action for the current week while an interview awaits a decision.

The week's action is computed from `WeekInputs`: the intervals during which
interviews await a decision, the days applications were sent, and the marks on
week actions. Those inputs do not depend on the moment; the week does, so the
agenda's snapshot keeps the inputs and computes the week again at each moment
(`core/plan.py`, `LiveSnapshot`).
"""

from datetime import date, datetime, time
from typing import NamedTuple

from afterview.core.model import Action, ActionKind, ActionMark, ActionState, Progress, Window
from afterview.core.playbook import Playbook
from afterview.core.timeutil import (
    iso_week_label,
    local_at,
    utc,
    week_bounds,
    week_start,
    zone,
)

#: An interval during which an interview awaited a decision: start, stop (None: still
#: awaiting) and the company it is with (None when its application is unknown).
Awaiting = tuple[datetime, datetime | None, str | None]


class WeekInputs(NamedTuple):
    """What the keep-searching weeks are computed from."""

    user_tz: str
    intervals: tuple[Awaiting, ...]
    #: the days applications were submitted
    applied: tuple[date, ...]
    #: the first mark (done or skipped by hand) of each keep-searching action, by action id
    marks: dict[str, ActionMark]


def settled_before(at: datetime, user_tz: str, pb: Playbook) -> datetime:
    """Return the moment before which an outcome leaves an interview's cycle with nothing live at `at`.

    An interview whose outcome was recorded by then has ended all its follow-ups,
    and it awaited no decision in the week that holds `at` or any later one: only
    its thank-you, self-assessment and profile actions can still be live. The
    moment is Monday 00:00 of that week in the user's zone. (`pb` is taken for the
    callers' sake: the answer depends on no setting.)
    """
    tz = zone(user_tz)
    return local_at(week_start(at.astimezone(tz).date()), time(0), tz)


def since_live(inputs: WeekInputs, at: datetime, pb: Playbook) -> WeekInputs:
    """Drop what cannot matter to the weeks still live at `at` or any later moment.

    Those weeks start at `settled_before(at)`: an interval that stopped by then,
    and an application submitted in an earlier week, count for none of them.
    """
    start = settled_before(at, inputs.user_tz, pb)
    first_week = start.astimezone(zone(inputs.user_tz)).date()
    return inputs._replace(
        intervals=tuple(i for i in inputs.intervals if i[1] is None or utc(i[1]) > utc(start)),
        applied=tuple(d for d in inputs.applied if week_start(d) >= first_week),
    )


def _end(
    inputs: WeekInputs, action_id: str, end: tuple[datetime, ActionState, str] | None
) -> tuple[datetime, ActionState, str] | None:
    mark = inputs.marks.get(action_id)
    if mark is not None and (end is None or utc(mark.at) < utc(end[0])):
        return (mark.at, mark.state, mark.why or mark.state.value)
    return end


def keep_searching_weeks(
    inputs: WeekInputs, at: datetime, pb: Playbook, *, live_only: bool = False
) -> list[Action]:
    """Practice 3: the action of the week that holds `at`, while an interview awaits a decision.

    It exists for the current calendar week only (Monday 00:00 in the user's zone to
    the next Monday): when the week ends it is gone, and next week's does not exist
    before Monday (the weekly history lives in `stats`). It opens at the start of
    the week, or when the first interview awaiting a decision that week ends; it is
    done when the week's applications reach the target, and ends `cancelled` once
    no interview awaits a decision any more that week. (`live_only` is kept for
    the callers: there is never more than the current week.)
    """
    if not inputs.intervals:
        return []
    tz = zone(inputs.user_tz)
    monday = week_start(at.astimezone(tz).date())
    ws, we = week_bounds(monday, tz)
    t, ws_u, we_u = utc(at), utc(ws), utc(we)
    live = [
        (start, stop, company)
        for start, stop, company in inputs.intervals
        if utc(start) < we_u and (stop is None or utc(stop) > ws_u)
    ]
    if not live:
        return []
    opens = max(ws, min((s for s, _, _ in live), key=utc), key=utc)
    days = sorted(d for d in inputs.applied if week_start(d) == monday)
    target = pb.weekly_target
    names = sorted({company for _, _, company in live if company is not None})
    waiting = ", ".join(names) if names else f"{len(live)} interview(s)"
    why = (
        f"Keep applying while you wait for a decision ({waiting}): "
        f"{len(days)} of {target} applications this week."
    )
    label = iso_week_label(monday)
    window = Window(opens_at=opens, ideal_from=opens, ideal_until=we, due_at=we)
    action = Action(
        id=f"keep_searching:{label}",
        kind=ActionKind.KEEP_SEARCHING,
        window=window,
        why=why,
        progress=Progress(done=len(days), target=target),
    )
    end: tuple[datetime, ActionState, str] | None = None
    if len(days) >= target:
        reached = max(opens, local_at(days[target - 1], time(0), tz), key=utc)
        end = (reached, ActionState.DONE, f"{len(days)} applications this week")
    elif all(stop is not None and utc(stop) <= t for _, stop, _ in live):
        # every interview of the week has its decision (or reads no_response) by now
        last = max((stop for _, stop, _ in live if stop is not None), key=utc)
        end = (last, ActionState.CANCELLED, "no interview awaits a decision any more")
    end = _end(inputs, action.id, end)
    if end is not None:
        action = action._replace(end_state=end[1], ended_at=end[0], end_why=end[2])
    return [action]
