"""The pipeline: applications by where they stand, and this week's keep-searching progress."""

from __future__ import annotations

from datetime import date
from typing import Any

from afterview.core.timeutil import iso_week_label, week_bounds, week_start, zone
from afterview.services.context import Context
from afterview.services.views import list_applications

#: the order the pipeline shows its columns in: most advanced first
STATUS_ORDER = (
    "offer",
    "awaiting",
    "scheduled",
    "next_round",
    "no_response",
    "applied",
    "lead",
    "rejected",
    "withdrawn",
)


def week_progress(ctx: Context, apps: list[dict[str, Any]]) -> dict[str, Any]:
    """This week's keep-searching progress: `{"label", "from", "until", "applied",
    "target"}`, counting the applications (as `list_applications` gives them) applied in
    the current week of the user's zone."""
    tz = zone(ctx.user_tz)
    monday = week_start(ctx.now.astimezone(tz).date())
    start, end = week_bounds(monday, tz)
    first, after = start.date().isoformat(), end.date().isoformat()
    return {
        "label": iso_week_label(monday),
        "from": start.isoformat(),
        "until": end.isoformat(),
        "applied": sum(1 for a in apps if a["applied_on"] and first <= a["applied_on"] < after),
        "target": ctx.config.playbook.weekly_target,
    }


def pipeline_view(ctx: Context) -> dict[str, Any]:
    """Return `{"week": {...}, "groups": [{"status", "applications"}...]}` at now."""
    tz = zone(ctx.user_tz)
    apps = list_applications(ctx)
    by_status: dict[str, list[dict[str, Any]]] = {}
    for a in apps:
        by_status.setdefault(a["status"], []).append(a)
    order = [s for s in STATUS_ORDER if s in by_status]
    order += sorted(s for s in by_status if s not in STATUS_ORDER)
    return {
        "at": ctx.now.astimezone(tz).isoformat(),
        "week": week_progress(ctx, apps),
        "groups": [
            {
                "status": s,
                "applications": sorted(
                    by_status[s], key=lambda a: (a["applied_on"] or "", a["id"]), reverse=True
                ),
            }
            for s in order
        ],
    }


def goal_view(ctx: Context, weeks: int = 8) -> dict[str, Any]:
    """The weekly keep-searching goal: this week, the streak of weeks met, the last
    `weeks` weeks, and what is in the pipeline."""
    from datetime import timedelta

    view = pipeline_view(ctx)
    target = ctx.config.playbook.weekly_target
    tz = zone(ctx.user_tz)
    today = ctx.now.astimezone(tz).date()
    this_monday = week_start(today)
    per_week: dict[str, int] = {}
    for g in view["groups"]:
        for a in g["applications"]:
            # an application counts from its applied day (a --now in the past: not yet)
            if a["applied_on"] and date.fromisoformat(a["applied_on"]) <= today:
                monday = week_start(date.fromisoformat(a["applied_on"]))
                per_week[monday.isoformat()] = per_week.get(monday.isoformat(), 0) + 1
    # the streak: weeks met in a row, counted back from last week (and this week, if met)
    streak = 0
    monday = this_monday
    if per_week.get(monday.isoformat(), 0) < target:
        monday -= timedelta(days=7)
    first = min((date.fromisoformat(k) for k in per_week), default=this_monday)
    while monday >= first and per_week.get(monday.isoformat(), 0) >= target:
        streak += 1
        monday -= timedelta(days=7)
    history = []
    for n in range(weeks - 1, -1, -1):
        m = this_monday - timedelta(days=7 * n)
        count = per_week.get(m.isoformat(), 0)
        history.append(
            {
                "week": iso_week_label(m),
                "from": m.isoformat(),
                "applied": count,
                "met": count >= target,
            }
        )
    return {
        "at": view["at"],
        "week": view["week"],
        "streak": streak,
        "weeks": history,
        "pipeline": {g["status"]: len(g["applications"]) for g in view["groups"]},
    }
