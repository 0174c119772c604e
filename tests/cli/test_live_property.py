"""The agenda's live actions and the interviews' statuses read with the stored bounds equal
a full recomputation (issue 19).

`services/live.py` loads only the interviews not yet quiet (`store/quiet.py`, kept by
triggers). As a property, on SQLite and PostgreSQL: random writes of the CLI's kinds
(those of the undo property, `tests/cli/test_undo_property.py`), among them undo,
interleaved with reads at moments that jump ahead by days and weeks and sometimes back
before the latest facts; at every read, the live actions equal the whole plan's actions
not ended at that moment, and each interview's status its status in the whole plan,
computed from every fact.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from afterview.config import Config
from afterview.core.plan import plan
from afterview.core.plan_parts import interview_statuses
from afterview.services.context import Context, open_database
from afterview.services.live import live_agenda
from afterview.services.live import statuses as live_statuses
from afterview.services.stats import stats_view
from tests.cli.helpers import Afterview
from tests.cli.test_undo_property import FIRST, KINDS, START, World

#: Writes that move the follow-up cycle, drawn more often, with undo
MOVING = ("interview add", "log", "log", "outcome", "skip", "done", "undo", "undo")
#: What a read does before it looks: jump ahead (days), or back (negative days).
JUMPS = (0, 0, 1, 3, 9, 20, 45, -2, -30)


class Clocked(World):
    """The undo property's world on a clock the test moves."""

    def __init__(self, av: Afterview, files: dict[str, Path]) -> None:
        super().__init__(av, files)
        self.clock = START

    def now(self) -> str:
        return self.clock.isoformat()

    def run(self, *args: str):  # type: ignore[no-untyped-def]
        self.clock += timedelta(minutes=7)
        return self.av(*args, now=self.now())


def _check(db_url: str, at: datetime) -> int:
    """Live actions from the bounds == the whole plan's actions not ended at `at`, twice
    (the second read uses the bounds the first stored); return how many there are."""
    db = open_database(db_url)
    try:
        config = Config(path="none", timezone="Europe/Paris")
        ctx = Context(db, config, at.replace(tzinfo=ZoneInfo("Europe/Paris")), True)
        expected = sorted(
            (a for a in plan(ctx.facts(), ctx.now, config.playbook) if not a.state(ctx.now).ended),
            key=lambda a: a.id,
        )
        statuses = interview_statuses(ctx.facts(), ctx.now, config.playbook)
        for _ in range(2):
            got = sorted(live_agenda(ctx).actions, key=lambda a: a.id)
            assert [a.id for a in got] == [a.id for a in expected]
            assert got == expected
            assert live_statuses(ctx) == statuses
        # the funnel from the bounds and the first replies == from every fact (the web's way)
        full = Context(db, config, ctx.now, True)
        every = ctx.facts()
        full.facts_source = lambda: every
        assert stats_view(ctx) == stats_view(full)
        return len(expected)
    finally:
        db.close()


@pytest.mark.timeout(900)
def test_live_actions_equal_a_full_recomputation(av: Afterview, files: dict[str, Path]) -> None:
    world = Clocked(av, files)
    seen: list[int] = []

    @given(
        first=st.sampled_from(FIRST),
        steps=st.lists(
            st.tuples(
                st.sampled_from((*KINDS, *MOVING)),
                st.integers(0, 10_000),
                st.sampled_from(JUMPS),
            ),
            min_size=2,
            max_size=10,
        ),
    )
    @settings(
        max_examples=int(os.environ.get("AFTERVIEW_LIVE_EXAMPLES", "12")),
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(first: str, steps: list[tuple[str, int, int]]) -> None:
        if first != "nothing":
            world.apply(first, 0)
        for kind, n, jump in steps:
            if kind == "undo":
                world.run("undo")
            else:
                world.apply(kind, n)
            world.clock += timedelta(days=jump)
            seen.append(_check(av.db_url, world.clock))
        world.undo_all()
        world.clock = START

    run()
    print("reads", len(seen), "max", max(seen), "nonzero", sum(1 for s in seen if s))
    assert max(seen) > 0  # the reads saw live work, not only empty agendas
