"""The agenda's quick load: `load_facts(settled_before=...)` + `live_actions` on a real database.

For a heavy five-year history (bench/generate.py, moved onto each engine with
export and import) and for the demo, at moments across the history, the quick
path must list exactly what the whole plan lists, and load fewer rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from afterview.config import Config
from afterview.core.plan import agenda, live_actions, plan
from afterview.core.weeks import settled_before
from afterview.services.context import Context, open_database
from afterview.services.demo import fill_demo
from afterview.services.porting import import_document
from tests.store.conftest import HISTORY_NOW, ZONE


def _context(db_url: str, at: str) -> Iterator[Context]:
    db = open_database(db_url)
    try:
        yield Context(db, Config(path="none", timezone=ZONE), datetime.fromisoformat(at), True)
    finally:
        db.close()


def _check(ctx: Context, moments: list[str]) -> None:
    pb = ctx.config.playbook
    full_facts = ctx.facts()
    for text in moments:
        at = datetime.fromisoformat(text)
        since = settled_before(at, ZONE, pb)
        quick_facts = ctx.facts(settled_before=since)
        expected = [a for a in plan(full_facts, at, pb) if not a.state(at).ended]
        assert live_actions(quick_facts, at, pb) == expected, text
        assert agenda(live_actions(quick_facts, at, pb), at, pb) == agenda(
            plan(full_facts, at, pb), at, pb
        )


def test_heavy_history_quick_load_lists_what_the_whole_plan_lists(
    db_url: str, history_document: dict[str, object]
) -> None:
    for ctx in _context(db_url, HISTORY_NOW):
        import_document(ctx, history_document)
        _check(
            ctx,
            [
                HISTORY_NOW,
                "2026-11-30T08:59:00+01:00",
                "2026-06-15T12:00:00+02:00",
                "2025-03-30T02:30:00+00:00",
                "2024-01-01T00:00:00+01:00",
                "2021-12-24T18:00:00+01:00",
                "2027-01-10T09:00:00+01:00",
            ],
        )
        full = ctx.facts()
        quick = ctx.facts(settled_before=settled_before(ctx.now, ZONE, ctx.config.playbook))
        assert len(quick.touches) < len(full.touches) / 2
        assert len(quick.applications) < len(full.applications) / 2


def test_demo_quick_load_lists_what_the_whole_plan_lists(db_url: str) -> None:
    now = "2026-11-27T12:00:00+01:00"
    for ctx in _context(db_url, now):
        fill_demo(ctx)
        _check(
            ctx,
            [now, "2026-11-20T08:00:00+01:00", "2026-12-10T09:00:00+01:00", "2027-02-01T12:00:00Z"],
        )
