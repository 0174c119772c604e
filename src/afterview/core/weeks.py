"""Practice 3, keep searching: one action per calendar week while an interview awaits a decision.

The weeks are computed from `WeekInputs`: the intervals during which interviews
awaited a decision, the days applications were sent, and the marks on week
actions. Those inputs are facts and do not depend on the moment; the weeks do
(they run up to the agenda's horizon), so the agenda's snapshot keeps the inputs
and computes the weeks again at each moment (`core/plan.py`, `LiveSnapshot`).
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from afterview.core.model import Action, ActionKind, ActionMark, ActionState, Progress, Window
from afterview.core.playbook import Playbook
from afterview.core.timeutil import (
    add_days,
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
    and the weeks it awaited a decision in have all ended at `at` (the latest of
    them, grace period included, more than a day before `at`): only its thank-you,
    self-assessment and profile actions can still be live. The moment is Monday
    00:00 in the user's zone, `keep_searching_grace_days` + 8 days or more before `at`.
    """
    tz = zone(user_tz)
    back = at.astimezone(tz).date() - timedelta(days=pb.keep_searching_grace_days + 8)
    return local_at(week_start(back), time(0), tz)


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
    inputs: WeekInputs, action_id: str, end: tuple[datetime, ActionState, str]
) -> tuple[datetime, ActionState, str]:
    mark = inputs.marks.get(action_id)
    if mark is not None and utc(mark.at) < utc(end[0]):
        return (mark.at, mark.state, mark.why or mark.state.value)
    return end


def keep_searching_weeks(
    inputs: WeekInputs, at: datetime, pb: Playbook, *, live_only: bool = False
) -> list[Action]:
    """Practice 3: one action per calendar week while any interview awaits a decision.

    Weeks are generated up to the week that holds `at` plus the agenda horizon.
    A week that closes short of the target stays overdue for the grace period,
    then ends as cancelled. With `live_only`, weeks that have surely ended at `at`
    (those before `settled_before`) are left out.
    """
    tz = zone(inputs.user_tz)
    first_week = settled_before(at, inputs.user_tz, pb).astimezone(tz).date() if live_only else None
    horizon = at + timedelta(days=pb.agenda_horizon_days)
    if not inputs.intervals:
        return []
    weeks: dict[date, list[tuple[datetime, str | None]]] = defaultdict(list)
    last_monday = week_start(horizon.astimezone(tz).date())
    for start, stop, company in inputs.intervals:
        if utc(start) > utc(horizon):
            continue
        first = week_start(start.astimezone(tz).date())
        if first_week is not None and first < first_week:
            first = first_week
        until = stop if stop is not None and utc(stop) < utc(horizon) else horizon
        final = min(
            week_start((until - timedelta(microseconds=1)).astimezone(tz).date()), last_monday
        )
        d = first
        while d <= final:
            weeks[d].append((start, company))
            d += timedelta(days=7)
    applied: dict[date, list[date]] = defaultdict(list)
    for day in inputs.applied:
        applied[week_start(day)].append(day)
    out = []
    for monday in sorted(weeks):
        ws, we = week_bounds(monday, tz)
        live = weeks[monday]
        opens = max(ws, min((s for s, _ in live), key=utc), key=utc)
        days = sorted(applied.get(monday, ()))
        target = pb.weekly_target
        names = sorted({company for _, company in live if company is not None})
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
        end: tuple[datetime, ActionState, str]
        if len(days) >= target:
            reached = max(opens, local_at(days[target - 1], time(0), tz), key=utc)
            end = (reached, ActionState.DONE, f"{len(days)} applications this week")
        else:
            closes = add_days(we, pb.keep_searching_grace_days, tz)
            end = (closes, ActionState.CANCELLED, f"week {label} closed at {len(days)} of {target}")
        at_, state, end_why = _end(inputs, action.id, end)
        out.append(action._replace(end_state=state, ended_at=at_, end_why=end_why))
    return out
