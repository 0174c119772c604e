"""The facts as they stood at a moment: the time machine of the plan.

PRODUCT.md: the plan at a moment t uses the facts as they stood at t. A message,
an outcome, a review, an assessment, a mark or a profile check counts from its own
moment, and an application from its applied day (00:00 in the user's zone), never
before. Interviews and decision dates are plans and always count.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from types import MappingProxyType

from afterview.core.model import Facts
from afterview.core.timeutil import local_at, zone


def _utc(at: datetime) -> datetime:
    return at.astimezone(UTC)


def facts_as_of(facts: Facts, at: datetime, *, checked: bool = False) -> Facts:
    """Return `facts` without what happened after `at` (the same object when nothing did).

    `checked` says the caller found `next_fact_after(facts, at)` to be None already.
    """
    if checked or next_fact_after(facts, at) is None:
        return facts
    t = _utc(at)
    today = at.astimezone(zone(facts.user_tz)).date()
    check = facts.profile_check
    return facts._replace(
        applications=tuple(
            a if applied_by(a.applied_on, today) == a.applied_on else a._replace(applied_on=None)
            for a in facts.applications
        ),
        touches=tuple(x for x in facts.touches if _utc(x.at) <= t),
        outcomes=tuple(o for o in facts.outcomes if _utc(o.at) <= t),
        assessed=MappingProxyType({i: m for i, m in facts.assessed.items() if _utc(m) <= t}),
        marks=tuple(m for m in facts.marks if _utc(m.at) <= t),
        profile_reviews=tuple(r for r in facts.profile_reviews if _utc(r) <= t),
        profile_check=check if check is None or _utc(check.at) <= t else None,
    )


def applied_by(applied_on: date | None, today: date) -> date | None:
    """An application's applied day as it stood on `today`: a day still to come has not
    happened yet (None)."""
    return applied_on if applied_on is not None and applied_on <= today else None


def next_fact_after(facts: Facts, at: datetime) -> datetime | None:
    """Return the earliest moment after `at` at which a fact counts (None: none does).

    A plan computed from the facts as of `at` is the plan of every moment from `at` up to
    (not including) this one. Applications count from their applied day, in the user's
    zone.
    """
    t = _utc(at)
    moments = [
        *(x.at for x in facts.touches),
        *(o.at for o in facts.outcomes),
        *facts.assessed.values(),
        *(m.at for m in facts.marks),
        *facts.profile_reviews,
    ]
    if facts.profile_check is not None:
        moments.append(facts.profile_check.at)
    later = [m for m in (_utc(m) for m in moments) if m > t]
    tz = zone(facts.user_tz)
    today = at.astimezone(tz).date()
    days = [a.applied_on for a in facts.applications if a.applied_on and a.applied_on > today]
    if days:
        later.append(_utc(local_at(min(days), time(0), tz)))
    return min(later) if later else None
