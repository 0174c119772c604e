"""The agenda's quick load: `load_facts(settled_before=...)` + `live_actions` on a real database.

For a heavy five-year history (bench/generate.py, moved onto each engine with
export and import) and for the demo, at moments across the history, the quick
path must list exactly what the whole plan lists, and load fewer rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from afterview.config import Config
from afterview.core.plan import agenda, live_actions, plan
from afterview.core.plan_parts import interview_statuses
from afterview.core.weeks import settled_before
from afterview.services.context import Context, open_database
from afterview.services.demo import fill_demo
from afterview.services.live import live_agenda
from afterview.services.live import statuses as live_statuses
from afterview.services.porting import import_document
from afterview.services.stats import stats_view
from afterview.store import quiet
from afterview.store.codec import put_dt
from tests.store.conftest import HISTORY_NOW, ZONE, _generator


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


def test_bounds_list_what_the_whole_plan_lists_and_load_a_few_interviews(
    db_url: str, history_document: dict[str, object]
) -> None:
    """`services/live.py` on the heavy history, at moments across it (the bounds computed
    at the first, then read back), and at the present it loads only the open interviews."""
    moments = [
        HISTORY_NOW,
        "2026-11-30T08:59:00+01:00",
        "2026-06-15T12:00:00+02:00",
        "2024-01-01T00:00:00+01:00",
        "2027-01-10T09:00:00+01:00",
        HISTORY_NOW,
    ]
    for ctx in _context(db_url, HISTORY_NOW):
        import_document(ctx, history_document)
        full = ctx.facts()
        pb = ctx.config.playbook
        for text in moments:
            at = datetime.fromisoformat(text)
            moved = Context(ctx.db, ctx.config, at, True)
            expected = sorted(
                (a for a in plan(full, at, pb) if not a.state(at).ended), key=lambda a: a.id
            )
            assert sorted(live_agenda(moved).actions, key=lambda a: a.id) == expected, text
            assert live_statuses(moved) == interview_statuses(full, at, pb), text
            # the funnel from the bounds and the first replies == from every fact (the web's)
            whole = Context(ctx.db, ctx.config, at, True)
            whole.facts_source = lambda every=full: every
            assert stats_view(moved) == stats_view(whole), text
        since = settled_before(ctx.now, ZONE, pb)
        open_ = quiet.open_interviews(ctx.db, 1, put_dt(since), put_dt(ctx.now))
        assert 0 < len(open_) < len(full.interviews) / 20
        assert not any(o.unknown for o in open_)


def test_a_four_times_longer_history_loads_the_same_interviews(tmp_path: Path) -> None:
    """bench/generate.py --scale (4 here; 10 and 100 in bench/scale.py): the older histories
    are over, so the agenda of the present loads as many interviews as on the history
    alone, and lists the same work."""
    seen = []
    for scale in (1, 4):
        path = str(tmp_path / f"x{scale}.db")
        _generator().generate(path, seed=3, now_text=HISTORY_NOW, scale=scale)
        for ctx in _context(path, HISTORY_NOW):
            live = live_agenda(ctx)
            since = settled_before(ctx.now, ZONE, ctx.config.playbook)
            open_ = quiet.open_interviews(ctx.db, 1, put_dt(since), put_dt(ctx.now))
            seen.append((len(open_), sorted((a.kind, a.window) for a in live.actions)))
    assert seen[0] == seen[1] and seen[0][0] > 0
