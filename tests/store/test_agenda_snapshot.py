"""The agenda's snapshot on a real database (both engines): read while it answers, never stale.

Each test compares what the snapshot gives with what the facts give at the same
moment (the agenda's JSON, as `afterview agenda --json` prints it), and checks
whether it was read (`LiveAgenda.stored`).
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings

from afterview.config import Config
from afterview.core.plan import agenda, live_actions, live_snapshot, snapshot_actions
from afterview.core.playbook import Playbook
from afterview.core.weeks import settled_before
from afterview.services import agenda_snapshot
from afterview.services.agenda_snapshot import LiveAgenda, live_agenda
from afterview.services.context import Context, open_database
from afterview.services.demo import fill_demo
from afterview.services.porting import export_document, import_document
from afterview.services.records import add_interview, log_touch, profile_reviewed
from afterview.services.views import action_json
from afterview.store import agenda_snapshot as store
from tests.core.helpers import utc
from tests.core.test_plan_properties import Scenario, comparable, scenarios
from tests.store.conftest import HISTORY_NOW, ZONE

NOW = "2026-11-27T12:00:00+01:00"


@pytest.fixture
def opened(db_url: str) -> Iterator[str]:
    """The database URL, opened once so later contexts find it migrated."""
    db = open_database(db_url)
    db.close()
    yield db_url


def _ctx(db_url: str, at: str, config: Config | None = None) -> Context:
    db = open_database(db_url)
    return Context(
        db, config or Config(path="none", timezone=ZONE), datetime.fromisoformat(at), True
    )


@contextmanager
def _session(db_url: str, at: str = NOW) -> Iterator[Context]:
    ctx = _ctx(db_url, at)
    try:
        yield ctx
    finally:
        ctx.db.close()


def _demo(db_url: str) -> None:
    with _session(db_url) as ctx:
        fill_demo(ctx)


def _json(ctx: Context, live: LiveAgenda) -> list[dict[str, Any]]:
    pb = ctx.config.playbook
    return [
        action_json(a, ctx.now, live.apps, live.tz_of, ctx.user_tz)
        for a in agenda(live.actions, ctx.now, pb)
    ]


def _from_facts(ctx: Context) -> list[dict[str, Any]]:
    pb = ctx.config.playbook
    facts = ctx.facts(settled_before=settled_before(ctx.now, ctx.user_tz, pb))
    apps = {a.id: a for a in facts.applications}
    tz_of = {iv.id: iv.tz for iv in facts.interviews}
    actions = agenda(live_actions(facts, ctx.now, pb), ctx.now, pb)
    return [action_json(a, ctx.now, apps, tz_of, ctx.user_tz) for a in actions]


def _agenda_at(db_url: str, at: str, config: Config | None = None) -> tuple[bool, list[Any]]:
    """Run the agenda's use case at `at`; return whether it read the snapshot, and check
    that what it lists is what the facts give."""
    ctx = _ctx(db_url, at, config)
    try:
        live = live_agenda(ctx)
        listed = _json(ctx, live)
        assert listed == _from_facts(ctx), at
        return live.stored, listed
    finally:
        ctx.db.close()


def test_the_snapshot_answers_later_moments_of_a_long_history(
    opened: str, history_document: dict[str, object]
) -> None:
    with _session(opened, HISTORY_NOW) as ctx:
        import_document(ctx, history_document)
    stored, first = _agenda_at(opened, HISTORY_NOW)
    # a long history, yet only what can still help: what passed for good has lapsed
    assert not stored and 5 < len(first) < 60
    # later moments, up to weeks later: across week starts, the horizon, a DST change
    for at in (
        HISTORY_NOW,
        "2026-11-27T12:00:01+01:00",
        "2026-11-29T23:59:59+01:00",
        "2026-11-30T00:00:00+01:00",
        "2026-12-07T09:00:00+01:00",
        "2027-01-04T00:00:00+01:00",
        "2027-03-28T02:59:00+00:00",
        "2027-04-05T10:00:00+02:00",
    ):
        assert _agenda_at(opened, at)[0], at
    # an earlier moment computes again (and is stored in its place)
    assert _agenda_at(opened, "2026-11-20T08:00:00+01:00")[0] is False
    assert _agenda_at(opened, "2026-11-20T08:00:00+01:00")[0] is True


def test_any_write_makes_it_stale(opened: str) -> None:
    _demo(opened)
    stored, before = _agenda_at(opened, NOW)
    assert not stored
    assert _agenda_at(opened, NOW) == (True, before)
    with _session(opened, NOW) as ctx:
        profile_reviewed(ctx)
    stored, after = _agenda_at(opened, NOW)
    assert not stored and after != before
    assert not [a for a in after if a["kind"] == "refresh_profile"]
    # a thank-you logged by the CLI's use case ends that action at once
    thank = next(a for a in after if a["kind"] == "thank_you")
    with _session(opened, NOW) as ctx:
        name = thank["person"]["name"] if thank["person"] else None
        log_touch(ctx, thank["interview_id"], "sent", "thank_you", to=name)
    stored, later = _agenda_at(opened, NOW)
    assert not stored and thank["id"] not in {a["id"] for a in later}


def test_settings_zone_and_code_make_it_stale(opened: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _demo(opened)
    assert _agenda_at(opened, NOW)[0] is False
    assert _agenda_at(opened, NOW)[0] is True
    stricter = Config(path="none", timezone=ZONE, playbook=Playbook(weekly_target=9))
    stored, listed = _agenda_at(opened, NOW, stricter)
    assert not stored
    weeks = [a for a in listed if a["kind"] == "keep_searching"]
    assert weeks and all(a["progress"]["target"] == 9 for a in weeks)
    assert _agenda_at(opened, NOW, stricter)[0] is True
    assert _agenda_at(opened, NOW, Config(path="none", timezone="Asia/Tokyo"))[0] is False
    holidays = Config(path="none", timezone="Asia/Tokyo", country="JP")
    assert _agenda_at(opened, NOW, holidays)[0] is False
    assert _agenda_at(opened, NOW, holidays)[0] is True
    # with holidays, a new year loads that year's: computed again
    assert _agenda_at(opened, "2027-01-02T12:00:00+09:00", holidays)[0] is False
    monkeypatch.setattr(agenda_snapshot, "code_stamp", lambda: "edited")
    assert _agenda_at(opened, "2027-01-02T12:00:00+09:00", holidays)[0] is False


def test_the_code_stamp_follows_every_module_the_snapshot_depends_on(tmp_path: Any) -> None:
    """Computing the snapshot (in a new process, holidays on) imports no afterview module
    the stamp leaves out, besides those that only open the context."""
    import subprocess
    import sys

    path = str(tmp_path / "stamp.db")
    _demo(path)
    probe = (
        "import sys\n"
        "from datetime import datetime\n"
        "from afterview.config import Config\n"
        "from afterview.services.agenda_snapshot import live_agenda\n"
        "from afterview.services.context import Context, open_database\n"
        f"db = open_database({path!r})\n"
        "config = Config(path='none', timezone='Europe/Paris', country='FR')\n"
        f"live = live_agenda(Context(db, config, datetime.fromisoformat({NOW!r}), True))\n"
        "assert live.actions and not live.stored\n"
        "print(' '.join(m for m in sys.modules if m.startswith('afterview')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "afterview.services.holidays" in loaded
    stamp = agenda_snapshot.code_stamp()
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
        "afterview.store.revision",
    }
    for module in set(loaded) - not_computing:
        rel = module.removeprefix("afterview.").replace(".", "/") + ".py"
        assert f"{rel}:" in stamp, f"{module} is not in the snapshot's code stamp"


def _edit_snapshot(db_url: str, sql: str, params: tuple[Any, ...] = ()) -> None:
    with _session(db_url, NOW) as ctx, ctx.db.transaction():
        ctx.db.execute(sql, params)


def test_a_damaged_snapshot_is_computed_again(opened: str) -> None:
    _demo(opened)
    _agenda_at(opened, NOW)
    with _session(opened, NOW) as row:
        good = row.db.one("SELECT body FROM agenda_snapshot")[0]
    assert '"user_tz":"Europe/Paris"' in good and ',"Globex"]' in good
    bodies = [
        '{"format": 2, "at": ',
        '{"format": 0}',
        "[]",
        '{"format": 2}',
        good.replace('"user_tz":"Europe/Paris"', '"user_tz":"No/Such"'),
        good.replace('"user_tz":"Europe/Paris"', '"user_tz":"../../etc/passwd"'),
        good.replace(',"Globex"]', ",7]"),
        good.replace('"thank_you"', '"thanks"'),
        good.replace('"format":2', '"format":1'),  # before the time machine
        good.replace('"format":2', '"format":true'),
        good.replace('"until":null', '"until":"soon"'),
        good.replace('"until":null', '"until":7'),
        good.replace('"user_tz":"Europe/Paris"', '"user_tz":"Europe"'),  # a folder
        good.replace('"user_tz":"Europe/Paris"', '"user_tz":"' + "A" * 300 + '"'),
        good.replace('"Europe/Paris"]', '"Europe"]'),  # an interview's zone
        "[" * 100_000,
        re.sub(r'"at":"[^"]+"', '"at":"0001-01-01T00:00:00+01:00"', good, count=1),
    ]
    for body in bodies:
        _edit_snapshot(opened, "UPDATE agenda_snapshot SET body = ?", (body,))
        assert _agenda_at(opened, NOW)[0] is False, body[:80]
        assert _agenda_at(opened, NOW)[0] is True, body[:80]
    # a fingerprint or body of another type
    for column, value in (("fingerprint", 7), ("body", 7)):
        _edit_snapshot(opened, f"UPDATE agenda_snapshot SET {column} = ?", (value,))
        assert _agenda_at(opened, NOW)[0] is False, column
        assert _agenda_at(opened, NOW)[0] is True, column


def test_a_snapshot_with_a_revision_of_another_type_is_ignored(tmp_path: Any) -> None:
    path = str(tmp_path / "typed.db")
    _demo(path)
    _agenda_at(path, NOW)
    _edit_snapshot(path, "UPDATE agenda_snapshot SET revision = 'x'")  # SQLite keeps the text
    assert _agenda_at(path, NOW)[0] is False
    assert _agenda_at(path, NOW)[0] is True


@pytest.mark.parametrize(
    ("changed", "replacement", "offset"),
    [("Europe/Paris", "Europe/Moscow", "+03:00"), ("America/New_York", "Asia/Tokyo", "+09:00")],
)
def test_an_update_of_the_zone_data_makes_it_stale(
    tmp_path: Any, changed: str, replacement: str, offset: str
) -> None:
    """New rules for a zone (a tzdata update) change local times and the words written
    with them: the snapshot is computed again with the new rules, whether the zone is
    the user's or only an interview's."""
    import shutil
    import zoneinfo

    from afterview.core.timeutil import zone

    rules = tmp_path / "zoneinfo"
    shutil.copytree(zoneinfo.TZPATH[0], rules, symlinks=True)

    def use_rules() -> None:
        zoneinfo.reset_tzpath(to=[str(rules)])
        zoneinfo.ZoneInfo.clear_cache()
        zone.cache_clear()

    try:
        use_rules()
        path = str(tmp_path / "zones.db")
        _demo(path)
        with _session(path, NOW) as ctx:
            add_interview(
                ctx, "Initech", "SRE", "2026-11-26T10:00", duration=60, tz="America/New_York"
            )
        assert _agenda_at(path, NOW)[0] is False
        assert _agenda_at(path, NOW)[0] is True
        target = rules / changed
        target.unlink()
        shutil.copyfile(rules / replacement, target)
        use_rules()
        stored, listed = _agenda_at(path, NOW)  # (and it lists what the new rules give)
        assert not stored
        assert any(offset in a["due_at"] for a in listed)
    finally:
        zoneinfo.reset_tzpath()
        zoneinfo.ZoneInfo.clear_cache()
        zone.cache_clear()


def test_a_locked_database_still_shows_the_agenda(tmp_path: Any) -> None:
    path = str(tmp_path / "locked.db")
    _demo(path)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # holds the write lock
        began = time.perf_counter()
        stored, listed = _agenda_at(path, NOW)
        assert not stored and listed
        assert time.perf_counter() - began < 5
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert _agenda_at(path, NOW)[0] is False  # nothing was stored while locked
    assert _agenda_at(path, NOW)[0] is True


def test_the_snapshot_is_not_exported_and_an_import_starts_without_one(
    opened: str, tmp_path: Any
) -> None:
    _demo(opened)
    _agenda_at(opened, NOW)
    with _session(opened, NOW) as ctx:
        document = export_document(ctx)
    assert "agenda_snapshot" not in str(document.keys())
    other = str(tmp_path / "imported.db")
    with _session(other, NOW) as ctx:
        import_document(ctx, document)
        assert ctx.db.one("SELECT COUNT(*) FROM agenda_snapshot") == (0,)
    stored, listed = _agenda_at(other, NOW)
    assert not stored and listed == _agenda_at(opened, NOW)[1]


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_a_snapshot_reads_back_as_it_was_stored(s: Scenario) -> None:
    """The stored body gives back the same actions at every later moment, to the
    microsecond, with the same reasons and end reasons."""
    moments = sorted({utc(m) for m in (s.at, *s.moments)})
    snapshot = live_snapshot(s.facts, moments[0], s.pb)
    lookups = store.Lookups(
        apps={a.id: (a.company, a.role) for a in s.facts.applications},
        tz_of={iv.id: iv.tz for iv in s.facts.interviews},
    )
    found = store.decode(store.encode(snapshot, lookups))
    assert found is not None and found[1] == lookups
    back = found[0]
    assert utc(back.at) == utc(snapshot.at)
    assert (back.until is None) is (snapshot.until is None)
    assert back.until is None or utc(back.until) == utc(snapshot.until)  # type: ignore[arg-type]
    for at in moments:
        if not snapshot.answers(at):
            assert not back.answers(at)
            continue
        want = snapshot_actions(snapshot, at, s.pb)
        got = snapshot_actions(back, at, s.pb)
        assert [(comparable(a), a.why, a.end_why) for a in got] == [
            (comparable(a), a.why, a.end_why) for a in want
        ]
