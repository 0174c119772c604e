"""The funnel of the search (`afterview stats`, the web's stats page): the core's
figures over the account's facts, with each interview's status at now."""

from __future__ import annotations

from typing import Any

from afterview.core.funnel import funnel, funnel_of
from afterview.core.plan_parts import interview_statuses
from afterview.core.timeutil import zone
from afterview.parsing import parse_date
from afterview.services.context import Context


def stats_view(ctx: Context, since: str | None = None) -> dict[str, Any]:
    """The funnel's figures at now, over applications applied since `since` (YYYY-MM-DD).

    Only what had happened by now counts: a `--now` in the past gives the figures of then.
    """
    from afterview.core.as_of import applied_by, facts_as_of
    from afterview.store import leads

    day = parse_date(since, "since") if since else None
    if ctx.facts_source is not None:
        facts = facts_as_of(ctx.facts(), ctx.now)
        statuses = interview_statuses(facts, ctx.now, ctx.config.playbook)
        out = funnel(facts, statuses, leads.sources(ctx.db, ctx.account), day)
    else:
        # the statuses from the bounds; a few values per interview; the applications a
        # row at a time
        from afterview.services.live import statuses as live_statuses
        from afterview.store.applications import funnel_rows
        from afterview.store.facts import load_funnel

        statuses = live_statuses(ctx)
        today = ctx.now.astimezone(zone(ctx.user_tz)).date()
        with ctx.db.snapshot():
            parts = load_funnel(ctx.db, ctx.account).as_of(ctx.now)
            sources = leads.sources(ctx.db, ctx.account)
            apps = ((i, c, applied_by(d, today)) for i, c, d in funnel_rows(ctx.db, ctx.account))
            out = funnel_of(parts, ctx.user_tz, apps, statuses, sources, day)
    out["at"] = ctx.now.isoformat()
    return out
