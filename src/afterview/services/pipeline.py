"""The pipeline: applications by where they stand, and this week's keep-searching progress."""

from __future__ import annotations

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


def pipeline_view(ctx: Context) -> dict[str, Any]:
    """Return `{"week": {...}, "groups": [{"status", "applications"}...]}` at now."""
    tz = zone(ctx.user_tz)
    monday = week_start(ctx.now.astimezone(tz).date())
    start, end = week_bounds(monday, tz)
    apps = list_applications(ctx)
    done = sum(
        1
        for a in apps
        if a["applied_on"] and start.date().isoformat() <= a["applied_on"] < end.date().isoformat()
    )
    by_status: dict[str, list[dict[str, Any]]] = {}
    for a in apps:
        by_status.setdefault(a["status"], []).append(a)
    order = [s for s in STATUS_ORDER if s in by_status]
    order += sorted(s for s in by_status if s not in STATUS_ORDER)
    return {
        "at": ctx.now.astimezone(tz).isoformat(),
        "week": {
            "label": iso_week_label(monday),
            "from": start.isoformat(),
            "until": end.isoformat(),
            "applied": done,
            "target": ctx.config.playbook.weekly_target,
        },
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
