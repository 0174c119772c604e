"""The funnel of a job search: leads, applied, interviewed, offer; how fast and how
often employers answer; by company, by source and by week. Pure: facts in, numbers out.

Definitions (each figure says what it counts):
- an application is *applied* when it has an applied date or an interview, and
  *interviewed* when it has an interview; *offer* when an interview ended in an offer;
- *response rate*: interviewed / applied, over applications with an applied date;
- *days to first response*: from the applied date to the first sign of the employer
  (the first interview's start or the first message received, whichever is earlier);
- *days to decision*: from the applied date to the first offer or rejection;
- *ghosting rate*: interviews that ended `no_response`, over interviews that ended at
  all (an outcome, or `no_response`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from statistics import median
from typing import Any, NamedTuple

from afterview.core.model import Direction, Facts, InterviewStatus, OutcomeResult
from afterview.core.timeutil import week_start, zone

STAGES = ("leads", "applied", "interviewed", "offer")
#: weeks listed at most (about ten years): the latest ones
MAX_WEEKS = 520
DECIDED = {InterviewStatus.OFFER, InterviewStatus.REJECTED, InterviewStatus.NEXT_ROUND}


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _median(values: list[int]) -> float | None:
    return float(median(values)) if values else None


class FunnelFacts(NamedTuple):
    """What the funnel reads besides the applications: each interview as (id, application
    id, start), messages received as (interview id, when; the first of each interview is
    enough), and outcomes as (interview id, result, when)."""

    interviews: Sequence[tuple[int, int, datetime]]
    received: Sequence[tuple[int, datetime]]
    outcomes: Sequence[tuple[int, OutcomeResult, datetime]]

    def as_of(self, at: datetime) -> FunnelFacts:
        """Without the messages and outcomes that came after `at` (`core.as_of`)."""
        return FunnelFacts(
            self.interviews,
            [r for r in self.received if r[1] <= at],
            [o for o in self.outcomes if o[2] <= at],
        )


def funnel(
    facts: Facts,
    statuses: dict[int, InterviewStatus],
    sources: dict[int, str],
    since: date | None = None,
) -> dict[str, Any]:
    """The funnel's figures over the applications applied on or after `since` (all if
    None; leads, having no applied date, count only without `since`)."""
    parts = FunnelFacts(
        [(iv.id, iv.application_id, iv.start) for iv in facts.interviews],
        [(t.interview_id, t.at) for t in facts.touches if t.direction is Direction.RECEIVED],
        [(o.interview_id, o.result, o.at) for o in facts.outcomes],
    )
    apps = ((a.id, a.company, a.applied_on) for a in facts.applications)
    return funnel_of(parts, facts.user_tz, apps, statuses, sources, since)


def funnel_of(
    parts: FunnelFacts,
    user_tz: str,
    apps: Iterable[tuple[int, str, date | None]],
    statuses: dict[int, InterviewStatus],
    sources: dict[int, str],
    since: date | None = None,
) -> dict[str, Any]:
    """`funnel` over the applications given as (id, company, applied day), read once, and
    the rest of what it reads in `parts`: a long history need not be held whole."""
    tz = zone(user_tz)
    ivs_of: dict[int, list[tuple[int, datetime]]] = {}
    iv_app: dict[int, int] = {}
    for iv_id, app_id, start in parts.interviews:
        ivs_of.setdefault(app_id, []).append((iv_id, start))
        iv_app[iv_id] = app_id
    first_reply: dict[int, date] = {}
    for iv_id, at in parts.received:
        if iv_id in iv_app:
            app_id, day = iv_app[iv_id], at.astimezone(tz).date()
            if app_id not in first_reply or day < first_reply[app_id]:
                first_reply[app_id] = day
    decision: dict[int, date] = {}
    offered: set[int] = set()
    for iv_id, result, at in parts.outcomes:
        if iv_id not in iv_app or result not in (OutcomeResult.OFFER, OutcomeResult.REJECTED):
            continue
        app_id, day = iv_app[iv_id], at.astimezone(tz).date()
        if result is OutcomeResult.OFFER:
            offered.add(app_id)
        if app_id not in decision or day < decision[app_id]:
            decision[app_id] = day

    counts = Counter[str]()
    to_response: list[int] = []
    to_decision: list[int] = []
    per_week = Counter[str]()
    by_company: dict[str, Counter[str]] = {}
    by_source: dict[str, Counter[str]] = {}
    ended = ghosted = applied_dated = responded = 0
    for app_id, company_name, applied_on in apps:
        if since is not None and (applied_on is None or applied_on < since):
            continue
        ivs = ivs_of.get(app_id, [])
        stages = ["leads"]
        if applied_on is not None or ivs:
            stages.append("applied")
        if ivs:
            stages.append("interviewed")
        if app_id in offered:
            stages.append("offer")
        for iv_id, _start in ivs:
            status = statuses.get(iv_id)
            if status in DECIDED or status is InterviewStatus.NO_RESPONSE:
                ended += 1
                ghosted += status is InterviewStatus.NO_RESPONSE
        company = by_company.setdefault(company_name, Counter())
        source = by_source.setdefault(sources.get(app_id, "manual"), Counter())
        for stage in stages:
            counts[stage] += 1
            company[stage] += 1
            source[stage] += 1
        if applied_on is None:
            continue
        applied_dated += 1
        responded += bool(ivs)
        per_week[week_start(applied_on).isoformat()] += 1
        firsts = [start.astimezone(tz).date() for _iv, start in ivs]
        if app_id in first_reply:
            firsts.append(first_reply[app_id])
        if firsts:
            to_response.append(max(0, (min(firsts) - applied_on).days))
        if app_id in decision:
            to_decision.append(max(0, (decision[app_id] - applied_on).days))
    return {
        "since": since.isoformat() if since else None,
        "funnel": {s: counts[s] for s in STAGES},
        "response_rate": _ratio(responded, applied_dated),
        "responses": {"responded": responded, "applied": applied_dated},
        "median_days_to_first_response": _median(to_response),
        "median_days_to_decision": _median(to_decision),
        "samples": {"first_response": len(to_response), "decision": len(to_decision)},
        "ghosting_rate": _ratio(ghosted, ended),
        "ghosted": {"no_response": ghosted, "ended": ended},
        "by_company": _table(by_company),
        "by_source": _table(by_source),
        "applications_per_week": _weeks(per_week),
    }


def _weeks(per_week: Counter[str]) -> list[dict[str, Any]]:
    """Every week from the first application's to the last one's, empty weeks included."""
    from datetime import timedelta

    if not per_week:
        return []
    first, last = (date.fromisoformat(w) for w in (min(per_week), max(per_week)))
    count = min((last - first).days // 7 + 1, MAX_WEEKS)
    start = last - timedelta(days=7 * (count - 1))  # the latest weeks, at most MAX_WEEKS
    days = (start + timedelta(days=7 * i) for i in range(count))
    return [{"week_of": d.isoformat(), "applied": per_week[d.isoformat()]} for d in days]


def _table(groups: dict[str, Counter[str]]) -> list[dict[str, Any]]:
    rows = [{"name": name, **{s: c[s] for s in STAGES}} for name, c in groups.items()]
    return sorted(rows, key=lambda r: (-r["applied"], -r["leads"], r["name"].lower()))
