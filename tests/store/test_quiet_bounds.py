"""The bounds of `store/quiet.py` on a real database (both engines): never trusted when stale.

Each agenda read here is compared with the whole plan's actions not ended at the same
moment, computed from every fact; and the tests look at how many bounds are unknown
(to be computed) after what they do.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pytest

from afterview.config import Config
from afterview.core.plan import plan
from afterview.core.playbook import Playbook
from afterview.services import live
from afterview.services.context import Context, open_database
from afterview.services.demo import fill_demo
from afterview.services.porting import export_document, import_document
from afterview.services.records import log_touch
from tests.store.conftest import ZONE

NOW = "2026-11-27T12:00:00+01:00"


@contextmanager
def _session(db_url: str, at: str = NOW, config: Config | None = None) -> Iterator[Context]:
    db = open_database(db_url)
    try:
        yield Context(
            db, config or Config(path="none", timezone=ZONE), datetime.fromisoformat(at), True
        )
    finally:
        db.close()


def _read(db_url: str, at: str = NOW, config: Config | None = None) -> list[str]:
    """The live actions' ids from the bounds, checked against the whole plan."""
    with _session(db_url, at, config) as ctx:
        got = sorted(live.live_agenda(ctx).actions, key=lambda a: a.id)
        pb = ctx.config.playbook
        expected = [a for a in plan(ctx.facts(), ctx.now, pb) if not a.state(ctx.now).ended]
        assert got == sorted(expected, key=lambda a: a.id), at
        return [a.id for a in got]


def _unknown(db_url: str) -> int:
    with _session(db_url) as ctx:
        row = ctx.db.one("SELECT COUNT(*) FROM interview_quiet WHERE quiet_from IS NULL")
        return int(row[0]) if row else -1


@pytest.fixture
def demo(db_url: str) -> str:
    with _session(db_url) as ctx:
        fill_demo(ctx)
    return db_url


def test_a_write_forgets_only_its_interviews_bound(demo: str) -> None:
    before = _read(demo)
    assert before and _unknown(demo) == 0
    thank = next(a for a in before if a.startswith("thank_you:"))
    with _session(demo) as ctx:
        action = next(a for a in live.live_agenda(ctx).actions if a.id == thank)
        name = action.person.name if action.person else None
        log_touch(ctx, int(thank.split(":")[1]), "sent", "thank_you", to=name)
        assert _unknown(demo) == 1
    after = _read(demo)
    assert thank not in after and _unknown(demo) == 0


def test_settings_holidays_zone_rules_and_code_forget_every_bound(
    demo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _read(demo)
    with _session(demo) as ctx:
        total = int((ctx.db.one("SELECT COUNT(*) FROM interview") or (0,))[0])
    for config in (
        Config(path="none", timezone=ZONE, playbook=Playbook(follow_up_lapse_days=30)),
        Config(path="none", timezone=ZONE, country="FR"),
    ):
        with _session(demo, config=config) as ctx:
            assert live.store.check_stamp(ctx.db, 1, live.stamp(ctx)) is False
        assert _unknown(demo) == total
        _read(demo, config=config)
        assert _unknown(demo) == 0
    monkeypatch.setattr(live, "_zone_rules", lambda: "updated")
    with _session(demo) as ctx:
        assert live.store.check_stamp(ctx.db, 1, live.stamp(ctx)) is False
        assert live.store.check_stamp(ctx.db, 1, live.stamp(ctx)) is True
    monkeypatch.setattr(live, "code_stamp", lambda: "edited")
    with _session(demo) as ctx:
        assert live.store.check_stamp(ctx.db, 1, live.stamp(ctx)) is False
    _read(demo)


def test_a_missing_row_is_made_again(demo: str) -> None:
    """Rows written by hand away (or a restore that skipped them) are made again."""
    before = _read(demo)
    with _session(demo) as ctx, ctx.db.transaction():
        ctx.db.execute(
            "DELETE FROM interview_quiet WHERE interview_id = (SELECT MAX(id) FROM interview)"
        )
    assert _read(demo) == before


def test_the_code_stamp_follows_every_module_the_bounds_depend_on(tmp_path: Any) -> None:
    """Computing the bounds (in a new process, holidays on) imports no afterview module
    the stamp leaves out, besides those that only open the context."""
    path = str(tmp_path / "stamp.db")
    with _session(path) as ctx:
        fill_demo(ctx)
    probe = (
        "import sys\n"
        "from datetime import datetime\n"
        "from afterview.config import Config\n"
        "from afterview.services.live import live_agenda\n"
        "from afterview.services.context import Context, open_database\n"
        f"db = open_database({path!r})\n"
        "config = Config(path='none', timezone='Europe/Paris', country='FR')\n"
        f"assert live_agenda(Context(db, config, datetime.fromisoformat({NOW!r}), True)).actions\n"
        "print(' '.join(m for m in sys.modules if m.startswith('afterview')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "afterview.services.holidays" in loaded
    stamp = live.code_stamp()
    not_computing = {
        "afterview",
        "afterview.core",
        "afterview.services",
        "afterview.store",
        "afterview.errors",
        "afterview.paths",
        "afterview.clock",
        "afterview.config",
        "afterview.parsing",
        "afterview.textcheck",  # checks what enters, computes nothing
        "afterview.daterange",  # the store's check of what it writes
        "afterview.redact",  # hides secrets in error lines
        "afterview.store.db",
        "afterview.store.journal",  # records each write for undo, computes nothing
        "afterview.store.migrations",
        "afterview.store.migration_years",
        "afterview.store.migration_board",
        "afterview.store.migration_mail_auth",
        "afterview.store.worker_runs",  # its table's schema, loaded by the migrations
        "afterview.store.server_schema",  # the server tables (LOCAL_TABLES), the same
        "afterview.store.cohort_schema",  # the cohorts' tables (LOCAL_TABLES), the same
        "afterview.store.account_secrets",  # a server's mail secrets (LOCAL_TABLES), the same
        "afterview.store.schema_version",  # read by the migrations, computes nothing
        "afterview.store.worker_accounts",  # a server's workers (migration 25), the same
        "afterview.store.account_config",  # a server account's settings (LOCAL_TABLES)
        "afterview.store.revision",
    }
    for module in set(loaded) - not_computing:
        rel = module.removeprefix("afterview.").replace(".", "/") + ".py"
        assert f"{rel}:" in stamp, f"{module} is not in the bounds' code stamp"


def test_a_locked_database_still_shows_the_agenda(tmp_path: Any) -> None:
    path = str(tmp_path / "locked.db")
    with _session(path) as ctx:
        fill_demo(ctx)
    _read(path)
    with _session(path) as ctx:
        log_touch(ctx, 1, "received", "other")
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # holds the write lock
        began = time.perf_counter()
        assert _read(path)
        assert time.perf_counter() - began < 5
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert _unknown(path) == 1  # nothing was stored while locked
    _read(path)
    assert _unknown(path) == 0


def test_the_bounds_are_not_exported_and_an_import_computes_them(demo: str, tmp_path: Any) -> None:
    listed = _read(demo)
    with _session(demo) as ctx:
        document = export_document(ctx)
    assert "interview_quiet" not in str(document.keys())
    other = str(tmp_path / "imported.db")
    with _session(other) as ctx:
        import_document(ctx, document)
    assert _unknown(other) > 0
    assert len(_read(other)) == len(listed)
    assert _unknown(other) == 0


@pytest.mark.parametrize("read", ["agenda", "statuses"])
def test_many_unknown_bounds_are_computed_a_slice_at_a_time(
    db_url: str, history_document: dict[str, Any], monkeypatch: pytest.MonkeyPatch, read: str
) -> None:
    """After an upgrade every bound is unknown: they are computed 150 interviews at a time
    (`live._fill_bounds`), never from every fact at once, and the agenda and the statuses
    still equal a whole recomputation's."""
    with _session(db_url) as ctx:
        import_document(ctx, history_document)
    monkeypatch.setattr(live, "_SLICE", 150)
    loaded: list[int] = []
    whole = Context.facts

    def counted(self: Context, **kwargs: Any) -> Any:
        facts = whole(self, **kwargs)
        loaded.append(len(facts.interviews))
        return facts

    monkeypatch.setattr(Context, "facts", counted)
    monkeypatch.setattr(live, "code_stamp", lambda: "upgraded")
    with _session(db_url) as ctx:
        total = int((ctx.db.one("SELECT COUNT(*) FROM interview") or (0,))[0])
        assert total > 400  # more than `live._MANY`: the slices are taken
        if read == "agenda":
            live.live_agenda(ctx)
        else:
            got = live.statuses(ctx)
    assert not loaded, "every fact was loaded at once"
    assert _unknown(db_url) == 0
    monkeypatch.setattr(Context, "facts", whole)
    if read == "agenda":
        _read(db_url)
    else:
        from afterview.core.plan_parts import interview_statuses

        with _session(db_url) as ctx:
            assert got == interview_statuses(ctx.facts(), ctx.now, ctx.config.playbook)
