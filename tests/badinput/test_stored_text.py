"""Rows written before the checks on the way in (or by hand) never break a command.

Control characters and markup in stored names print as text, escaped; a zone the
zone database no longer knows reads as UTC instead of failing every command.
"""

from __future__ import annotations

from pathlib import Path

from afterview.store.db import connect
from tests.badinput.runner import run

NOW = "2026-11-20T10:00"
HOSTILE = "Evil\x1b]0;pwned\x07Corp [bold red]x[/] \u202eesrever"


def _db(tmp_path: Path) -> str:
    db = str(tmp_path / "a.db")
    assert run(["--db", db, "--now", NOW, "demo"]).code == 0
    conn = connect(db)
    with conn.transaction():
        conn.execute("UPDATE application SET company = ? WHERE id = 1", (HOSTILE,))
        conn.execute("UPDATE person SET name = ? WHERE id = 1", ("Ana\x1b[2J\nBcc: x",))
        conn.execute("UPDATE interview SET tz = 'Mars/Olympus_Mons' WHERE id = 2")
    conn.close()
    return db


def test_stored_control_characters_and_markup_print_as_text(tmp_path: Path) -> None:
    db = _db(tmp_path)
    for argv in (
        ["agenda"],
        ["agenda", "--all"],
        ["application", "list"],
        ["interview", "list"],
        ["interview", "show", "1"],
    ):
        r = run(["--db", db, "--now", NOW, *argv])
        assert r.code == 0, (argv, r.err)
        assert "\x1b" not in r.out and "\x07" not in r.out and "\u202e" not in r.out, argv
        if argv[0] != "application" and argv[:2] != ["interview", "list"]:  # tables fold cells
            assert "\\x1b" in r.out, argv
        if argv[:2] == ["interview", "show"]:
            assert "[bold red]x[/]" in r.out  # markup shown, not obeyed


def test_a_zone_the_system_no_longer_knows_reads_as_utc(tmp_path: Path) -> None:
    db = _db(tmp_path)
    for argv in (["agenda", "--json"], ["interview", "list", "--json"], ["stats", "--json"],
                 ["calendar", "export"], ["interview", "show", "2", "--json"]):  # fmt: skip
        r = run(["--db", db, "--now", NOW, *argv])
        assert r.code == 0, (argv, r.err)
    shown = run(["--db", db, "--now", NOW, "interview", "show", "2", "--json"])
    assert '"tz": "UTC"' in shown.out
