"""Checks that refuse what the playbook forbids, before anything is recorded."""

from __future__ import annotations

from datetime import datetime

from afterview.core.followup import follow_up_cycle
from afterview.core.model import Facts, Interview
from afterview.core.playbook import Playbook
from afterview.core.timeutil import said, utc, zone


def follow_up_refusal(facts: Facts, iv: Interview, at: datetime, pb: Playbook) -> str | None:
    """Return why a follow-up sent at `at` would break the anti-pestering rules, or None.

    Only facts recorded before `at` count: the question is whether a follow-up
    was open at that moment (not before it opens, inside the spacing, or beyond
    the cap; not after an outcome or a skip).
    """
    t = utc(at)
    if t < utc(iv.end):
        return "the interview has not ended yet at that time"
    before = facts._replace(
        touches=tuple(x for x in facts.touches if x.interview_id == iv.id and utc(x.at) < t),
        outcomes=tuple(o for o in facts.outcomes if o.interview_id == iv.id and utc(o.at) < t),
        marks=tuple(m for m in facts.marks if utc(m.at) < t),
    )
    outcome = before.outcomes[0] if before.outcomes else None
    marks = [m for m in before.marks if m.action_id.startswith(f"follow_up:{iv.id}:")]
    cycle = follow_up_cycle(iv, list(before.touches), marks, outcome, before, pb)
    pending = cycle.pending
    if pending is None:
        return cycle.closed_why or "no follow-up is open for this interview"
    if pending.state(at).ended:
        return f"{pending.id} has {pending.state(at).value}: {pending.end_why}"
    opens = pending.window.opens_at
    if t < utc(opens):
        when = said(opens, zone(iv.tz), zone(facts.user_tz), year=True)
        return f"{pending.id} opens {when} ({pending.why})"
    return None
