"""`afterview backup` and `restore` on both engines: round trip, a copy taken while a real
second process writes, an empty database only, and hostile files refused with one line.

On SQLite the backup is an SQLite file (the online backup API); on PostgreSQL the JSON
export. Restore takes either kind, into either engine.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.helpers import Afterview

NOW = "2026-09-15T18:30"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def target(db_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Another empty database on the engine of `db_url`."""
    if not db_url.startswith("postgresql://"):
        yield str(tmp_path / "target.db")
        return
    server = request.getfixturevalue("postgres_server")
    schema = server.create_schema()
    try:
        yield server.url(schema)
    finally:
        server.drop_schema(schema)


def _filled(av: Afterview) -> None:
    av.ok("demo", now=NOW)
    av.ok("skip", "follow_up:2:1", "--why", "they said not to chase", now=NOW)
    av.ok("draft", "thank-you", "1", now=NOW)
    av.ok(
        "mail", "setup", "--smtp-host", "127.0.0.1", "--smtp-port", "2525",
        "--smtp-security", "none", "--from", "sam@example.org", now=NOW,
    )  # fmt: skip
    av.ok("send", "thank_you:1:1", now=NOW)  # scheduled in the outbox


def _one_line(err: str) -> bool:
    return err.count("\n") == 1 and err.startswith("afterview: ") and "Traceback" not in err


def test_round_trip_gives_the_same_export(
    av: Afterview, db_url: str, target: str, tmp_path: Path
) -> None:
    _filled(av)
    before = av.ok("export", now=NOW).out
    out = tmp_path / "backup.bak"
    r = av.ok("backup", "--out", str(out), "--json", now=NOW).json()
    assert r["out"] == str(out) and r["bytes"] == out.stat().st_size
    assert (r["applications"], r["interviews"]) == (35, 7)
    if db_url.startswith("postgresql://"):
        assert r["kind"] == "json"
        assert json.loads(out.read_text())["format"] == "afterview-export"
    else:
        assert r["kind"] == "sqlite"
        with sqlite3.connect(out) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert not Path(f"{out}-wal").exists()
    assert sorted(os.listdir(tmp_path)).count("backup.bak") == 1
    assert not [f for f in os.listdir(tmp_path) if f.endswith(".tmp")]
    # into an empty database of the same engine, and into a new SQLite file
    for where in (target, str(tmp_path / "other.db")):
        other = Afterview(where)
        r = other.ok("restore", str(out), now=NOW)
        assert r.out.startswith(f"Restored from {out} (") and "35 applications" in r.out
        assert other.ok("export", now=NOW).out == before
        agenda = av.ok("agenda", "--json", "--all", now=NOW).json()["actions"]
        restored = other.ok("agenda", "--json", "--all", now=NOW).json()["actions"]
        assert [{**a, "queued": None} for a in restored] == [{**a, "queued": None} for a in agenda]
        # the approved message comes back held: it may have gone from the other machine
        rows = other.ok("outbox", now=NOW).out
        assert "held" in rows and "scheduled" not in rows
        # a database with data is refused, with one line, and nothing changes
        again = other("restore", str(out), now=NOW)
        assert again.code == 1 and _one_line(again.err) and "holds data" in again.err
        assert other.ok("export", now=NOW).out == before
    # the source itself is not empty either
    r = av("restore", str(out), now=NOW)
    assert r.code == 1 and "restore into an empty one" in r.err


def test_backup_refuses_a_bad_destination(av: Afterview, db_url: str, tmp_path: Path) -> None:
    av.ok("demo", now=NOW)
    cases = [(str(tmp_path), "is a folder"), (str(tmp_path / "no" / "b.bak"), "does not exist")]
    if not db_url.startswith("postgresql://"):
        cases.append((db_url, "is the database itself"))
    for out, said in cases:
        r = av("backup", "--out", out, now=NOW)
        assert r.code == 2 and said in r.err and _one_line(r.err), r.err
    # an existing file is replaced whole
    out = tmp_path / "b.bak"
    out.write_text("old")
    av.ok("backup", "--out", str(out), now=NOW)
    assert out.read_bytes()[:6] in (b"SQLite", b'{\n "fo')


# -- a second process writes while the backups are taken ------------------------------------------
WRITER = """
import os, sys
from datetime import datetime, UTC
from afterview.config import load_config
from afterview.services import records
from afterview.services.context import Context, open_database

url, stop, progress = sys.argv[1:4]
db = open_database(url)
ctx = Context(db, load_config(), datetime(2026, 9, 15, 16, 30, tzinfo=UTC))
n = 0
while not os.path.exists(stop):
    n += 1
    with db.transaction():  # an application, its interview, two interviewers and a message
        iv = records.add_interview(
            ctx, f"Company {n}", "Engineer", "2026-09-15T10:00",
            interviewers=[f"P {n} <p{n}@example.com>", f"Q {n} <q{n}@example.com>"],
        )
        records.log_touch(ctx, iv, "received", note=f"message {n}")
    with open(progress + ".tmp", "w") as fh:
        fh.write(str(n))
    os.replace(progress + ".tmp", progress)
db.close()
"""


def _committed(progress: Path) -> int:
    try:
        return int(progress.read_text())
    except (OSError, ValueError):
        return 0


def _consistent(counts: dict[str, int], low: int, high: int) -> None:
    """The counts of one moment: every write's rows all there, or none of them."""
    n = counts["interviews"]
    assert counts["applications"] == n and counts["touches"] == n, counts
    assert counts["interviewers"] == 2 * n, counts
    assert low <= n <= high, (low, n, high)


def _counts_in_sqlite(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        one = conn.execute
        return {
            "applications": one("SELECT COUNT(*) FROM application").fetchone()[0],
            "interviews": one("SELECT COUNT(*) FROM interview").fetchone()[0],
            "touches": one("SELECT COUNT(*) FROM touch").fetchone()[0],
            "interviewers": one("SELECT COUNT(*) FROM interview_person").fetchone()[0],
        }


def _counts_in_json(path: Path) -> dict[str, int]:
    doc = json.loads(path.read_text())
    return {
        "applications": len(doc["applications"]),
        "interviews": len(doc["interviews"]),
        "touches": len(doc["touches"]),
        "interviewers": sum(len(iv["interviewers"]) for iv in doc["interviews"]),
    }


def test_backup_while_another_process_writes(
    av: Afterview, db_url: str, tmp_path: Path, env_isolated: object
) -> None:
    av.ok("application", "list", now=NOW)  # the schema, before the writer starts
    stop, progress = tmp_path / "stop", tmp_path / "progress"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, db_url, str(stop), str(progress)],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    backups: list[tuple[Path, int, int]] = []
    try:
        deadline = time.monotonic() + 60
        while _committed(progress) < 5:
            assert writer.poll() is None, writer.stderr.read() if writer.stderr else ""
            assert time.monotonic() < deadline, "the writer wrote nothing"
            time.sleep(0.05)
        for k in range(4):
            out = tmp_path / f"b{k}.bak"
            low = _committed(progress)
            av.ok("backup", "--out", str(out), now=NOW)
            high = _committed(progress) + 1  # one more may be committed, not yet reported
            backups.append((out, low, high))
            time.sleep(0.1)
        assert writer.poll() is None, "the writer stopped while the backups were taken"
    finally:
        stop.touch()
        _, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    assert _committed(progress) > backups[0][1], "nothing was written during the backups"
    sqlite_kind = not db_url.startswith("postgresql://")
    for n, (out, low, high) in enumerate(backups):
        counts = _counts_in_sqlite(out) if sqlite_kind else _counts_in_json(out)
        _consistent(counts, low, high)
        restored = Afterview(str(tmp_path / f"restored{n}.db"))
        r = restored.ok("restore", str(out), "--json", now=NOW).json()
        assert (r["applications"], r["interviews"], r["touches"]) == (
            counts["applications"],
            counts["interviews"],
            counts["touches"],
        )
    # the last backup restored equals the backup's own export (SQLite: read in place)
    if sqlite_kind:
        last = backups[-1][0]
        copy = tmp_path / "last-copy.db"
        copy.write_bytes(last.read_bytes())
        direct = Afterview(str(copy)).ok("export", now=NOW).out
        assert Afterview(str(tmp_path / "restored3.db")).ok("export", now=NOW).out == direct


# -- hostile files ---------------------------------------------------------------------------------
def _sqlite_backup(tmp_path: Path) -> Path:
    """A real SQLite backup of the demo data."""
    src = Afterview(str(tmp_path / "source.db"))
    src.ok("demo", now=NOW)
    out = tmp_path / "good.bak"
    src.ok("backup", "--out", str(out), now=NOW)
    return out


def test_hostile_files_are_refused_with_one_line(av: Afterview, tmp_path: Path) -> None:
    good = _sqlite_backup(tmp_path)
    data = good.read_bytes()
    page = int.from_bytes(data[16:18], "big")
    files: dict[str, bytes | None] = {
        "empty": b"",
        "text": b"just some notes\n",
        "json-not-export": b'{"applications": []}',
        "json-broken": b'{"format": "afterview-export", "version": 2, "applications": [',
        "json-newer": b'{"format": "afterview-export", "version": 99}',
        "truncated-header": data[:50],
        "truncated-half": data[: len(data) // 2 + 100],
        "truncated-pages": data[: page * 3],
    }
    corrupt = bytearray(data)
    corrupt[page * 5 : page * 5 + 2000] = b"\xff" * 2000
    files["corrupt"] = bytes(corrupt)
    expected = {
        "empty": "is empty",
        "text": "is not an afterview backup",
        "json-not-export": "is not an afterview export",
        "json-broken": "is not valid JSON",
        "json-newer": "newer afterview",
        "truncated-header": "is truncated",
        "truncated-half": "is truncated",
        "truncated-pages": "is truncated",
        "corrupt": "SQLite",
        "other-sqlite": "not afterview's",
        "newer-schema": "newer afterview (schema version 99",
        # no size limit: a large file is read up to its first problem
        "huge": "is not a usable SQLite database",
        "huge-json": "is not valid JSON (line 1, column 46",
        "folder": "not a regular file",
        "missing": "cannot read",
    }
    for name, content in files.items():
        assert content is not None
        (tmp_path / name).write_bytes(content)
    with sqlite3.connect(tmp_path / "other-sqlite") as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    (tmp_path / "newer-schema").write_bytes(data)
    with sqlite3.connect(tmp_path / "newer-schema") as conn:
        conn.execute("INSERT INTO schema_version VALUES (99, 'from the future')")
    with open(tmp_path / "huge", "wb") as fh:  # sparse: costs no disk
        fh.write(data[:100])
        fh.truncate(201 * 1024 * 1024)
    with open(tmp_path / "huge-json", "wb") as fh:
        fh.write(b'{"format": "afterview-export", "version": 2, ')
        fh.truncate(201 * 1024 * 1024)
    (tmp_path / "folder").mkdir()
    empty_export = av.ok("export", now=NOW).out
    for name, said in expected.items():
        r = av("restore", str(tmp_path / name), now=NOW)
        assert r.code == 2 and r.out == "", (name, r.code, r.err)
        assert _one_line(r.err) and said in r.err, (name, r.err)
    assert av.ok("export", now=NOW).out == empty_export  # nothing was written
    # the good one still comes in
    assert "35 applications" in av.ok("restore", str(good), now=NOW).out


def test_an_older_backup_is_migrated_and_the_file_left_as_it_was(
    av: Afterview, tmp_path: Path
) -> None:
    from afterview.store.db import connect
    from afterview.store.migrations import current_version, migrate
    from tests.store.test_migrations import SEEDS

    old = tmp_path / "old.bak"
    db = connect(str(old))
    ids: dict[str, int] = {}
    try:
        for version in range(1, 11):
            migrate(db, version)
            SEEDS[version][0](db, ids)
        assert current_version(db) == 10
        db.execute("PRAGMA journal_mode = DELETE")
    finally:
        db.close()
    before = old.read_bytes()
    r = av.ok("restore", str(old), now=NOW)
    assert "(an SQLite backup, schema version 10)" in r.out
    assert old.read_bytes() == before
    assert not [f for f in os.listdir(tmp_path) if f.startswith("old.bak-")]
    apps = av.ok("application", "list", "--json", now=NOW).json()
    assert {a["company"] for a in apps} >= {"Acme Corp", "Globex"}


def test_the_calendar_link_survives_an_sqlite_restore(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from afterview.config import load_config
    from afterview.services import feed_token
    from afterview.services.backup import backup, restore
    from afterview.services.context import Context, open_database

    at = datetime(2026, 9, 15, 16, 30, tzinfo=UTC)
    source = open_database(str(tmp_path / "a.db"))
    try:
        ctx = Context(source, load_config(), at)
        token = feed_token.rotate(ctx)
        backup(ctx, str(tmp_path / "a.bak"))
    finally:
        source.close()
    target = open_database(str(tmp_path / "b.db"))
    try:
        ctx = Context(target, load_config(), at)
        restore(ctx, str(tmp_path / "a.bak"))
        assert feed_token.valid(ctx, token)
    finally:
        target.close()


def test_a_copied_database_file_restores_and_nothing_appears_beside_it(
    av: Afterview, tmp_path: Path
) -> None:
    src = Afterview(str(tmp_path / "live.db"))
    src.ok("demo", now=NOW)
    folder = tmp_path / "copied"
    folder.mkdir()
    (folder / "afterview.db").write_bytes((tmp_path / "live.db").read_bytes())  # WAL mode
    assert "35 applications" in av.ok("restore", str(folder / "afterview.db"), now=NOW).out
    assert os.listdir(folder) == ["afterview.db"]
    assert av.ok("export", now=NOW).out == src.ok("export", now=NOW).out


def test_a_refused_record_of_an_sqlite_backup_is_one_line(av: Afterview, tmp_path: Path) -> None:
    """The backup's private copy is read as the records are imported; a refusal closes
    that reading before the copy, so nothing else reaches the terminal (a real process:
    what the interpreter prints at exit is seen)."""
    source = Afterview(str(tmp_path / "source.db"))  # SQLite, whichever engine `av` has
    source.ok("demo", now=NOW)
    backup = tmp_path / "bk.db"
    source.ok("backup", "--out", str(backup), now=NOW)
    with sqlite3.connect(backup) as conn:
        conn.execute("UPDATE interview SET tz = 'Mars/Base' WHERE id = 3")
    env = {**os.environ, "AFTERVIEW_DB": str(tmp_path / "new.db")}
    r = subprocess.run(
        [sys.executable, "-m", "afterview", "--now", NOW, "restore", str(backup)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.splitlines() == [
        "afterview: restore interviews[2].tz: " + r.stderr.split("tz: ", 1)[1].splitlines()[0]
    ]
    assert "Mars/Base" in r.stderr
