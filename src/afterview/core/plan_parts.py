"""Parts of the plan without the rest: one interview's actions, the follow-up cycles
alone, each interview's status. Each equals the matching part of `plan_with_cycles`
(the property tests check it); they exist because pages and figures need only a part.
"""

from __future__ import annotations

from datetime import datetime

from afterview.core.as_of import facts_as_of
from afterview.core.followup import Cycle
from afterview.core.model import Action, Facts, InterviewStatus
from afterview.core.plan import (
    _cycle,
    refresh_profile_actions,
    self_assess_action,
    thank_you_actions,
)
from afterview.core.plan_index import FactIndex
from afterview.core.playbook import Playbook
from afterview.core.timeutil import utc


def interview_actions(
    facts: Facts, interview_id: int, at: datetime, pb: Playbook
) -> tuple[list[Action], Cycle]:
    """Return one interview's actions and its follow-up cycle, without planning the others.

    Equal to the actions of `plan(facts, at, pb)` whose `interview_id` is this one, in the
    plan's order (keep-searching weeks belong to no interview).
    """
    facts = facts_as_of(facts, at)
    ix = FactIndex(facts)
    iv = next(i for i in facts.interviews if i.id == interview_id)
    actions = list(thank_you_actions(iv, ix, pb))
    assess = self_assess_action(iv, ix, pb)
    if assess is not None:
        actions.append(assess)
    cycle = _cycle(iv, ix, facts, pb)
    actions.extend(cycle.actions)
    profile = refresh_profile_actions(list(facts.interviews), ix, pb)
    actions.extend(a for a in profile if a.interview_id == interview_id)
    return actions, cycle


def follow_up_cycles(facts: Facts, at: datetime, pb: Playbook) -> dict[int, Cycle]:
    """Each interview's follow-up cycle as known at `at`, without the rest of the plan:
    equal to `plan_with_cycles(facts, at, pb).cycles`."""
    facts = facts_as_of(facts, at)
    ix = FactIndex(facts)
    return {iv.id: _cycle(iv, ix, facts, pb) for iv in facts.interviews}


def interview_statuses(facts: Facts, at: datetime, pb: Playbook) -> dict[int, InterviewStatus]:
    """Each interview's status at `at`, walking the follow-up cycle only of those not
    decided by then (an outcome recorded by `at` is the status); the facts as of `at`."""
    facts = facts_as_of(facts, at)
    ix = FactIndex(facts)
    out: dict[int, InterviewStatus] = {}
    for iv in facts.interviews:
        outcome = ix.outcomes.get(iv.id)
        if outcome is not None and utc(outcome.at) <= utc(at) and utc(iv.end) <= utc(outcome.at):
            out[iv.id] = InterviewStatus(outcome.result.value)
        else:
            out[iv.id] = _cycle(iv, ix, facts, pb).status(at)
    return out
