"""A database that cannot take a write now says why, in one line, and still reads.

Busy (another writer holds the lock), a full disk, a read-only folder or file, a
data folder that cannot be made: each is a condition to fix or wait out, not bad
input and never "not an afterview database". The full disk is a real tmpfs of a
few megabytes (the demo's writes and their journal fit), mounted by the test (root, as the suite runs here and in CI);
read-only is a real read-only remount of it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.badinput.runner import content, run
from tests.conftest import ON_CI

NOW = "2026-11-20T10:00"


def _demo(db: str) -> None:
    assert run(["--db", db, "--now", NOW, "demo"]).code == 0


def _one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("afterview: "), err[:500]
    return lines[0]


def test_a_busy_database_says_busy_and_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import afterview.store.db as dbmod

    db = str(tmp_path / "a.db")
    _demo(db)
    before = content(db)
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_S", 1)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer, mid-import
    try:
        r = run(["--db", db, "--now", NOW, "application", "add", "--company", "A", "--role", "B"])
        line = _one_line(r.err)
        assert r.code == 1 and "busy" in line and "try again" in line
        reading = run(["--db", db, "--now", NOW, "interview", "list", "--json"])
        assert reading.code == 0  # readers are not blocked by a writer (WAL)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert content(db) == before


def test_the_web_answers_503_with_retry_after_when_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from starlette.testclient import TestClient

    import afterview.store.db as dbmod
    from afterview.web.app import create_app
    from afterview.web.runtime import WebSettings

    db = str(tmp_path / "a.db")
    _demo(db)
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_S", 1)
    app = create_app(WebSettings(db_target=db))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        client.get("/")
        token = client.cookies.get("afterview_csrf")
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            r = client.post(
                "/api/applications",
                json={"company": "A", "role": "B"},
                headers={"X-CSRF-Token": token or ""},
            )
        finally:
            holder.execute("ROLLBACK")
            holder.close()
    assert r.status_code == 503, r.text
    assert r.headers.get("retry-after") == "5"
    assert "busy" in r.json()["error"]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real file system of 4 MB (tmpfs), unmounted afterwards."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        reason = f"cannot mount a tmpfs here: {done.stderr.strip()}"
        if ON_CI:
            pytest.fail(f"{reason} (CI=true: the storage tests must run)")
        pytest.skip(reason)
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _fill(folder: Path) -> None:
    st = os.statvfs(folder)
    with open(folder / "filler", "wb") as fh, contextlib.suppress(OSError):  # full: the point
        fh.write(b"\0" * (st.f_bavail * st.f_frsize))


def test_a_full_disk_refuses_writes_with_its_reason_and_still_reads(small_disk: Path) -> None:
    db = str(small_disk / "afterview.db")
    _demo(db)
    exported = run(["--db", db, "--now", NOW, "export"]).out
    _fill(small_disk)
    r = run(["--db", db, "--now", NOW, "application", "add", "--company", "A", "--role", "B"])
    line = _one_line(r.err)
    assert r.code == 1 and "full" in line and "not an afterview database" not in line
    for argv in (["agenda"], ["agenda", "--json"], ["interview", "list"], ["stats", "--json"]):
        assert run(["--db", db, "--now", NOW, *argv]).code == 0, argv
    again = run(["--db", db, "--now", NOW, "export"])
    assert again.code == 0 and again.out == exported


def test_a_read_only_file_system_refuses_writes_and_still_reads(small_disk: Path) -> None:
    db = str(small_disk / "afterview.db")
    _demo(db)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    r = run(["--db", db, "--now", NOW, "log", "1", "--received"])
    line = _one_line(r.err)
    assert r.code == 1 and "read-only" in line and "not an afterview database" not in line
    assert run(["--db", db, "--now", NOW, "agenda"]).code == 0
    assert run(["--db", db, "--now", NOW, "export"]).code == 0
    new = run(["--db", str(small_disk / "new.db"), "--now", NOW, "agenda"])
    assert new.code == 1 and "read-only" in _one_line(new.err)


def test_a_file_that_is_not_sqlite_is_named_so_and_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "notes.txt"
    db.write_text("my notes, not a database\n")
    r = run(["--db", str(db), "agenda"])
    assert r.code == 2 and "not an afterview database" in _one_line(r.err)
    assert db.read_text() == "my notes, not a database\n"


def test_a_data_folder_that_cannot_be_made_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.delenv("AFTERVIEW_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    for argv in (["agenda"], ["application", "add", "--company", "A", "--role", "B"]):
        r = run(argv)
        assert r.code == 2 and "XDG_DATA_HOME" in _one_line(r.err), r.err


def test_an_empty_home_does_not_put_the_database_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AFTERVIEW_DB")
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", "")
    monkeypatch.chdir(tmp_path)
    from afterview import paths

    assert os.path.isabs(paths.user_data_dir())
    assert not paths.user_data_dir().startswith(str(tmp_path))


def test_secrets_in_a_database_url_never_reach_the_error_line() -> None:
    for url, secret in (
        ("postgresql://u:p%zzsecret@127.0.0.1:1/x", "zzsecret"),
        ("postgresql://u:se@cr@et@127.0.0.1:1/x", "cr@et"),
        ("postgresql://127.0.0.1:1/x?password=s3cr3tvalue", "s3cr3tvalue"),
        ("postgresql://u:hunter2hunter@127.0.0.1:1/x", "hunter2hunter"),
    ):
        for argv in (["agenda"], ["interview", "list"]):
            r = run(["--db", url, *argv])
            line = _one_line(r.err)
            assert r.code == 2 and secret not in line, line


def test_a_mail_password_read_is_hidden_from_every_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from afterview.mail.secrets import find_password
    from afterview.redact import redact

    monkeypatch.setenv("AFTERVIEW_SMTP_PASSWORD", "S3cret:Passw0rd")
    assert find_password("smtp", "sam", "smtp.example.org") == "S3cret:Passw0rd"
    line = redact("535 authentication failed for sam (S3cret:Passw0rd); the wrong one: Passw0rd")
    assert "S3cret" not in line and "Passw0rd" not in line and "wrong" in line


def test_a_short_password_in_a_database_url_is_hidden_too() -> None:
    r = run(["--db", "postgresql://alice:p%zz@127.0.0.1:1/db", "agenda"])
    line = _one_line(r.err)
    assert r.code == 2 and "p%zz" not in line and "***" in line, line
