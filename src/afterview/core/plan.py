"""`plan(facts, at, playbook)`: the five after-interview practices as actions.

Each practice is a small function of the recorded facts. The plan at `at` uses the
facts as they stood at `at` (`core/as_of.py`); an action ends at the earliest of its
fact, its mark, a replacement and its lapse (`core/plan_index.py`), and keep-searching
is the action of the week that holds `at`.
"""

from bisect import bisect_right
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import NamedTuple

from afterview.core.as_of import facts_as_of, next_fact_after
from afterview.core.followup import Cycle, follow_up_cycle
from afterview.core.model import (
    LIVE_ORDER,
    Action,
    ActionKind,
    ActionState,
    Facts,
    Interview,
    Person,
    Window,
)
from afterview.core.plan_index import (
    FactIndex,
    earliest,
    ended,
    ends_by,
    hours_window,
    lapse_end,
    mark_end,
)
from afterview.core.playbook import Playbook
from afterview.core.timeutil import add_days, said, utc, zone
from afterview.core.weeks import WeekInputs, keep_searching_weeks, settled_before, since_live


class Plan(NamedTuple):
    """The actions of a plan and the follow-up cycle (status over time) of each interview.

    `until`: the moment a fact recorded for later starts to count (None: none is); up to
    then the plan holds for every moment from the one it was computed at.
    """

    actions: list[Action]
    cycles: dict[int, Cycle]
    until: datetime | None = None


def thank_you_actions(
    iv: Interview, ix: FactIndex, pb: Playbook, live_at: datetime | None = None
) -> list[Action]:
    """Practice 1: one thank-you per interviewer (or one for the team when none is known).

    With `live_at`, the actions that have ended at that moment are left out.
    """
    tz, here = zone(iv.tz), zone(ix.facts.user_tz)
    thanks = ix.first_thanks.get(iv.id, {})
    people: Iterable[Person | None] = iv.interviewers or (None,)
    single = len(iv.interviewers) <= 1
    window: Window | None = None
    lapse: tuple[datetime, ActionState, str] | None = None
    out = []
    for person in people:
        key = str(person.id) if person else "team"
        action_id = f"thank_you:{iv.id}:{key}"
        # a note to nobody in particular thanks the team, or the only interviewer
        if person is None:
            mine = list(thanks.values())
        else:
            mine = [
                thanks[p] for p in ((person.id, None) if single else (person.id,)) if p in thanks
            ]
        first = min(mine, key=utc) if mine else None
        touch_end = (first, ActionState.DONE, "") if first is not None else None
        if lapse is None:
            lapse = lapse_end(
                iv,
                pb.thank_you_lapse_days,
                pb.thank_you_due_hours,
                tz,
                "no thank-you was sent",
                "",
            )
        end = earliest(lapse, touch_end, mark_end(ix, action_id))
        if ends_by(end, live_at):
            continue
        if end is not None and end is touch_end:
            end = (end[0], end[1], f"thank-you sent {said(end[0], tz, here)}")
        if window is None:
            window = hours_window(
                iv.end,
                pb.thank_you_ideal_from_hours,
                pb.thank_you_ideal_until_hours,
                pb.thank_you_due_hours,
            )
        name = person.name if person else "the interview team"
        why = (
            f"Thank {name} within {pb.thank_you_due_hours:g} hours of the interview's end "
            f"({said(iv.end, tz, here)}); {pb.thank_you_ideal_from_hours:g}–"
            f"{pb.thank_you_ideal_until_hours:g} hours after it is the best moment."
        )
        action = Action(
            id=action_id,
            kind=ActionKind.THANK_YOU,
            window=window,
            why=why,
            interview_id=iv.id,
            application_id=iv.application_id,
            person=person,
        )
        out.append(ended(action, end))
    return out


def self_assess_action(
    iv: Interview, ix: FactIndex, pb: Playbook, live_at: datetime | None = None
) -> Action | None:
    """Practice 5: record a self-assessment while the interview is fresh.

    With `live_at`, None when the action has ended at that moment.
    """
    tz, here = zone(iv.tz), zone(ix.facts.user_tz)
    action_id = f"self_assess:{iv.id}"
    assessed = ix.facts.assessed.get(iv.id)
    fact_end = (assessed, ActionState.DONE, "") if assessed is not None else None
    lapse = lapse_end(
        iv,
        pb.self_assess_lapse_days,
        pb.self_assess_due_hours,
        tz,
        "no self-assessment was recorded",
        "; `afterview assess` still records one for insights",
    )
    end = earliest(lapse, fact_end, mark_end(ix, action_id))
    if ends_by(end, live_at):
        return None
    if end is not None and end is fact_end:
        end = (end[0], end[1], f"self-assessment recorded {said(end[0], tz, here)}")
    window = hours_window(iv.end, 0, pb.self_assess_ideal_hours, pb.self_assess_due_hours)
    why = (
        f"Gauge your own performance while it is fresh: within {pb.self_assess_ideal_hours:g} "
        f"hours of the end ({said(iv.end, tz, here)}) is best, {pb.self_assess_due_hours:g} at most."
    )
    action = Action(
        id=action_id,
        kind=ActionKind.SELF_ASSESS,
        window=window,
        why=why,
        interview_id=iv.id,
        application_id=iv.application_id,
    )
    return ended(action, end)


def refresh_profile_actions(
    interviews: list[Interview], ix: FactIndex, pb: Playbook, live_at: datetime | None = None
) -> list[Action]:
    """Practice 4: bring the profile up to date after an interview when it was not reviewed lately.

    At most one such action is live at a time: a newer qualifying interview's
    action replaces an older one that has not ended. With `live_at`, the actions
    that have ended at that moment are left out.
    """
    reviews, reviews_utc = ix.reviews, ix.reviews_utc
    stale = timedelta(days=pb.profile_stale_days)
    # Calendar days differ from 24-hour days only by the zone's offset changes (DST, or
    # a zone that skipped a whole day): outside this margin the quick answer is exact.
    margin = timedelta(days=2)
    qualifying: list[tuple[Interview, datetime | None]] = []
    for iv in sorted(interviews, key=lambda i: (utc(i.end), i.id)):
        end_utc = utc(iv.end)
        k = bisect_right(reviews_utc, end_utc)
        if not k:
            qualifying.append((iv, None))
            continue
        gap = end_utc - reviews_utc[k - 1]
        if gap > stale + margin:
            qualifying.append((iv, reviews[k - 1]))
        elif gap > stale - margin:
            # "more than 30 days": calendar days at the same wall-clock time in the interview's zone
            stale_before = add_days(iv.end, -pb.profile_stale_days, zone(iv.tz))
            if reviews_utc[k - 1] < utc(stale_before):
                qualifying.append((iv, reviews[k - 1]))
    out = []
    here = zone(ix.facts.user_tz)
    for n, (iv, last) in enumerate(qualifying):
        tz = zone(iv.tz)
        action_id = f"refresh_profile:{iv.id}"
        k = bisect_right(reviews_utc, utc(iv.end))
        # A review at the very end of the interview counts as done.
        k = k - 1 if k and reviews_utc[k - 1] == utc(iv.end) else k
        review_end = (reviews[k], ActionState.DONE, "") if k < len(reviews) else None
        replaced = None
        if n + 1 < len(qualifying):
            nxt = qualifying[n + 1][0]
            replaced = (nxt.end, ActionState.CANCELLED, f"replaced by refresh_profile:{nxt.id}")
        lapse = lapse_end(
            iv, pb.profile_lapse_days, pb.profile_due_hours, tz, "the profile was not updated", ""
        )
        end = earliest(lapse, review_end, mark_end(ix, action_id), replaced)
        if ends_by(end, live_at):
            continue
        if end is not None and end is review_end:
            end = (end[0], end[1], f"profile reviewed {said(end[0], tz, here)}")
        seen = f"last reviewed {last.astimezone(tz):%d %b %Y}" if last else "never reviewed"
        why = (
            f"The interviewers will look you up: your profile was {seen}, more than "
            f"{pb.profile_stale_days} days before this interview; update it within "
            f"{pb.profile_ideal_hours:g} hours."
        )
        if end is lapse:  # nothing recorded ends it: what the profile check found helps
            why += _check_says(ix, tz)
        window = hours_window(iv.end, 0, pb.profile_ideal_hours, pb.profile_due_hours)
        action = Action(
            id=action_id,
            kind=ActionKind.REFRESH_PROFILE,
            window=window,
            why=why,
            interview_id=iv.id,
            application_id=iv.application_id,
        )
        out.append(ended(action, end))
    return out


def _check_says(ix: FactIndex, tz: tzinfo) -> str:
    """What the latest profile check left open, when no review came after it."""
    check = ix.profile_check
    if check is None or not check.open_findings:
        return ""
    if ix.reviews_utc and ix.reviews_utc[-1] >= utc(check.at):
        return ""
    n, high = check.open_findings, check.high_findings
    said = f" The profile check of {check.at.astimezone(tz):%d %b %Y} found {n} difference{'s' if n != 1 else ''}"
    said += f" ({high} high)" if high else ""
    fix = check.first_fix or ""
    fix = fix if len(fix) <= 160 else fix[:159].rstrip() + "…"
    return said + (f"; first: {fix}" if fix else ".")


def plan_with_cycles(facts: Facts, at: datetime, pb: Playbook) -> Plan:
    """Return every action of the plan at `at` and each interview's follow-up cycle.

    Only the facts as they stood at `at` count (`core/as_of.py`): what is recorded
    with a later moment has not happened yet at `at`.
    """
    until = next_fact_after(facts, at)
    facts = facts_as_of(facts, at, checked=until is None)
    ix = FactIndex(facts)
    actions: list[Action] = []
    cycles: dict[int, Cycle] = {}
    for iv in facts.interviews:
        actions.extend(thank_you_actions(iv, ix, pb))
        assess = self_assess_action(iv, ix, pb)
        if assess is not None:
            actions.append(assess)
        cycle = _cycle(iv, ix, facts, pb)
        cycles[iv.id] = cycle
        actions.extend(cycle.actions)
    actions.extend(refresh_profile_actions(list(facts.interviews), ix, pb))
    actions.extend(keep_searching_actions(cycles, ix, at, pb))
    return Plan(actions=actions, cycles=cycles, until=until)


def _cycle(
    iv: Interview, ix: FactIndex, facts: Facts, pb: Playbook, live_at: datetime | None = None
) -> Cycle:
    return follow_up_cycle(
        iv,
        ix.touches.get(iv.id, []),
        ix.marks_by_interview.get(iv.id, []),
        ix.outcomes.get(iv.id),
        facts,
        pb,
        live_at,
    )


def plan(facts: Facts, at: datetime, playbook: Playbook) -> list[Action]:
    """Return every action of the five practices for `facts`, states read at `at`."""
    return plan_with_cycles(facts, at, playbook).actions


def keep_searching_actions(
    cycles: dict[int, Cycle], ix: FactIndex, at: datetime, pb: Playbook
) -> list[Action]:
    """Practice 3 for the cycles given (see `core/weeks.py`)."""
    return keep_searching_weeks(_week_inputs(cycles, ix), at, pb)


def _week_inputs(cycles: dict[int, Cycle], ix: FactIndex) -> WeekInputs:
    apps = ix.applications
    intervals = [
        (
            start,
            stop,
            apps[c.interview.application_id].company
            if c.interview.application_id in apps
            else None,
        )
        for c in cycles.values()
        for start, stop in c.awaiting()
    ]
    return WeekInputs(
        user_tz=ix.facts.user_tz,
        intervals=tuple(intervals),
        applied=tuple(a.applied_on for a in ix.facts.applications if a.applied_on is not None),
        marks={k: m[0] for k, m in ix.marks.items() if k.startswith("keep_searching:") and m},
    )


class LiveSnapshot(NamedTuple):
    """The live actions at `at`, in a form that stays exact at later moments, up to `until`.

    `actions` are the thank-you, self-assessment, follow-up and profile actions
    not ended at `at`. A later moment changes none of them until a recorded fact
    dated after `at` starts to count (`until`, None when there is none): their
    ends still to come (lapses, the next interview's profile action) follow from
    the facts, so a later moment only drops the ones ended by then. The
    keep-searching week depends on the moment, so it is computed again from
    `weeks`. Until the facts change, `snapshot_actions` answers `live_actions`
    without the facts, at any moment from `at` to before `until`.
    """

    at: datetime
    actions: tuple[Action, ...]
    weeks: WeekInputs
    until: datetime | None = None

    def answers(self, at: datetime) -> bool:
        """True when the snapshot holds the live actions at `at`."""
        t = utc(at)
        return utc(self.at) <= t and (self.until is None or t < utc(self.until))


def live_snapshot(facts: Facts, at: datetime, pb: Playbook) -> LiveSnapshot:
    """Return the live actions at `at` as a snapshot (see `live_actions`).

    Ended thank-you, self-assessment and profile actions are never built, and the
    follow-up cycle of an interview decided before `settled_before(at, ...)` is
    not walked. For the same reason `facts` may leave out the touches of those
    interviews, except the thank-you notes sent.
    """
    until = next_fact_after(facts, at)
    facts = facts_as_of(facts, at, checked=until is None)
    ix = FactIndex(facts)
    since = utc(settled_before(at, facts.user_tz, pb))
    actions: list[Action] = []
    cycles: dict[int, Cycle] = {}
    for iv in facts.interviews:
        actions.extend(thank_you_actions(iv, ix, pb, at))
        assess = self_assess_action(iv, ix, pb, at)
        if assess is not None:
            actions.append(assess)
        outcome = ix.outcomes.get(iv.id)
        if outcome is not None and utc(outcome.at) <= since:
            continue
        cycle = _cycle(iv, ix, facts, pb, at)
        cycles[iv.id] = cycle
        actions.extend(cycle.actions)
    actions.extend(refresh_profile_actions(list(facts.interviews), ix, pb, at))
    live = tuple(a for a in actions if not a.state(at).ended)
    return LiveSnapshot(at, live, since_live(_week_inputs(cycles, ix), at, pb), until)


def snapshot_actions(snapshot: LiveSnapshot, at: datetime, pb: Playbook) -> list[Action]:
    """Return `live_actions(facts, at, pb)` from a snapshot of the same facts taken at or before `at`."""
    if not snapshot.answers(at):
        raise ValueError("a snapshot answers from its own moment until the next fact only")
    actions = [a for a in snapshot.actions if not a.state(at).ended]
    weeks = keep_searching_weeks(snapshot.weeks, at, pb, live_only=True)
    return actions + [a for a in weeks if not a.state(at).ended]


def live_actions(facts: Facts, at: datetime, pb: Playbook) -> list[Action]:
    """Return the actions of the plan that have not ended at `at`, without computing the rest.

    Equal to the actions of `plan(facts, at, pb)` whose state at `at` is not an
    end state, in the same order; the agenda's quick path for a long history
    (`facts` may be loaded as `live_snapshot` says).
    """
    return snapshot_actions(live_snapshot(facts, at, pb), at, pb)


_RANK = {state: n for n, state in enumerate(LIVE_ORDER)}


def agenda(
    actions: Iterable[Action], at: datetime, pb: Playbook, *, everything: bool = False
) -> list[Action]:
    """Select and order actions for the agenda.

    Live actions whose window opens within the horizon, ordered overdue, ideal,
    open, upcoming, then by due time and id; with `everything`, ended actions
    (and later ones) too, after the others.
    """
    horizon = at + timedelta(days=pb.agenda_horizon_days)
    live: list[tuple[int, datetime, str, Action]] = []
    rest: list[tuple[int, datetime, str, Action]] = []
    for a in actions:
        state = a.state(at)
        if state.ended:
            if everything:
                rest.append((1, utc(a.ended_at or a.window.due_at), a.id, a))
        elif utc(a.window.opens_at) <= utc(horizon):
            live.append((_RANK[state], a.window.due_at.astimezone(UTC), a.id, a))
        elif everything:
            live.append((len(_RANK), a.window.due_at.astimezone(UTC), a.id, a))
    live.sort(key=lambda r: r[:3])
    rest.sort(key=lambda r: r[1:3])
    return [r[3] for r in live] + [r[3] for r in rest]
