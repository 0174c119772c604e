"""The funnel of the search (`afterview stats`, the web's stats page): the core's
figures over the account's facts, with each interview's status at now."""

from __future__ import annotations

from typing import Any

from afterview.core.funnel import funnel
from afterview.core.plan_parts import interview_statuses
from afterview.parsing import parse_date
from afterview.services.context import Context


def stats_view(ctx: Context, since: str | None = None) -> dict[str, Any]:
    """The funnel's figures at now, over applications applied since `since` (YYYY-MM-DD).

    Only what had happened by now counts: a `--now` in the past gives the figures of then.
    """
    from afterview.core.as_of import facts_as_of
    from afterview.store import leads

    day = parse_date(since, "--since") if since else None
    if ctx.facts_source is None:  # the statuses from the bounds; of the messages, the replies
        from afterview.services.live import statuses as live_statuses

        statuses = live_statuses(ctx)
        facts = facts_as_of(ctx.facts(first_replies=True), ctx.now)
    else:
        facts = facts_as_of(ctx.facts(), ctx.now)
        statuses = interview_statuses(facts, ctx.now, ctx.config.playbook)
    sources = {
        app_id: str(d["source"])
        for app_id, d in leads.details(ctx.db, ctx.account).items()
        if d.get("source")
    }
    out = funnel(facts, statuses, sources, day)
    out["at"] = ctx.now.isoformat()
    return out
