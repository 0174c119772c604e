"""When an interview falls quiet: no action of it can be live, and it awaits no decision.

The agenda of a long history needs only the interviews that have not fallen quiet
(`store/quiet.py` keeps the moment). The moment is an upper bound, from the interview's
own facts: every action's end is bounded by its lapse (thank-you, self-assessment,
profile) or by its follow-up cycle's recorded end, and a mark or another record can only
end one earlier. It holds for every moment at or after `last_fact`, the latest fact that
moved the cycle (a message, the outcome, a follow-up's mark): before that, the facts as
they stood differ.

The profile action's part is taken from the interview's end by a fixed amount (its lapse
and two days of margin for clock changes), so it grows with the end: when an interview
has fallen quiet, so has every earlier one's profile action, which a later qualifying
interview replaces (`core.plan.refresh_profile_actions`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from afterview.core.followup import Cycle
from afterview.core.model import Interview, InterviewStatus, Outcome
from afterview.core.plan_index import FactIndex, lapse_end
from afterview.core.playbook import Playbook
from afterview.core.timeutil import utc, zone


def quiet_from(iv: Interview, cycle: Cycle, pb: Playbook) -> datetime | None:
    """The moment after which `iv` has no live action and awaits no decision (None: no
    such moment is known yet), given its follow-up cycle planned from all its facts."""
    tz = zone(iv.tz)
    ends = [
        utc(lapse_end(iv, pb.thank_you_lapse_days, pb.thank_you_due_hours, tz, "", "")[0]),
        utc(lapse_end(iv, pb.self_assess_lapse_days, pb.self_assess_due_hours, tz, "", "")[0]),
        profile_bound(iv, pb),
    ]
    for action in cycle.actions:
        if action.ended_at is None:
            return None
        ends.append(utc(action.ended_at))
    for _start, stop in cycle.awaiting():
        if stop is None:
            return None
        ends.append(utc(stop))
    ends.extend(utc(moment) for moment, _status in cycle.changes)
    return max(ends)


def profile_bound(iv: Interview, pb: Playbook) -> datetime:
    """No later than the lapse of `iv`'s profile action, growing with `iv`'s end."""
    return utc(iv.end) + timedelta(hours=pb.profile_due_hours, days=pb.profile_lapse_days + 2)


def last_fact(iv: Interview, ix: FactIndex) -> datetime | None:
    """The latest moment of a fact that moves `iv`'s follow-up cycle: a message about it,
    its outcome, or a mark on one of its follow-ups (None: there is none)."""
    moments = [utc(t.at) for t in ix.touches.get(iv.id, [])]
    outcome = ix.outcomes.get(iv.id)
    if outcome is not None:
        moments.append(utc(outcome.at))
    prefix = f"follow_up:{iv.id}:"
    moments.extend(utc(m.at) for m in ix.facts.marks if m.action_id.startswith(prefix))
    return max(moments) if moments else None


def final_status(iv: Interview, cycle: Cycle, outcome: Outcome | None) -> InterviewStatus:
    """`iv`'s status once it is quiet (what `core.plan_parts.interview_statuses` gives at
    every moment from its bound on): its outcome, or where its cycle ended."""
    if outcome is not None and utc(iv.end) <= utc(outcome.at):
        return InterviewStatus(outcome.result.value)
    return cycle.changes[-1][1] if cycle.changes else InterviewStatus.SCHEDULED
