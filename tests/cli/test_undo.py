"""`afterview undo` and `afterview history` on both engines (issue 18): a typo taken back,
undo again and again, one change alone, `--to`, the refusals, pruning, no secrets."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from afterview.store.db import connect
from tests.cli.helpers import Afterview

NOW = "2026-09-15T18:00"


def add(av: Afterview, who: str = "Bbo Smith <bob@acme.example>", company: str = "Acme") -> str:
    return av.ok(
        "interview", "add", "--company", company, "--role", "Data Engineer",
        "--start", "2026-09-15T14:00", "--interviewer", who, now=NOW,
    ).out.strip()  # fmt: skip


def history(av: Afterview, *args: str) -> list[dict[str, object]]:
    return list(av.ok("history", "--json", *args, now=NOW).json())


def test_a_typo_is_taken_back_by_undo(av: Afterview) -> None:
    iv = add(av)
    av.ok("interview", "update", iv, "--interviewer", "Bob Smith <bob@acme.example>", now=NOW)
    av.ok("interview", "update", iv, "--interviewer", "Bob Smit <bob@acme.example>", now=NOW)
    r = av.ok("undo", now=NOW)
    assert r.out.startswith("undone: change 3 (interview update): changed person 1")
    shown = av.ok("interview", "show", iv, "--json", now=NOW).json()
    assert [p["name"] for p in shown["interviewers"]] == ["Bob Smith"]
    changes = history(av)
    assert [(c["id"], c["source"], c["undone"]) for c in changes] == [
        (3, "interview update", True),
        (2, "interview update", False),
        (1, "interview add", False),
    ]
    assert changes[2]["summary"] == "added application 1, interview 1, person 1, 1 interviewer"
    assert changes[0]["at"] == "2026-09-15T18:00:00+02:00"  # the user's zone
    text = av.ok("history", now=NOW).out.splitlines()
    assert text[0].startswith("3  Tue 15 Sep 2026 18:00  interview update")
    assert text[0].endswith("[undone Tue 15 Sep 18:00]")


def test_undo_again_and_again_down_to_the_first_then_nothing(av: Afterview) -> None:
    empty = av.ok("export", now=NOW).out
    iv = add(av)
    av.ok("interview", "note", iv, "--topic", "streaming", "--text", "went well", now=NOW)
    av.ok("log", iv, "--received", "--note", "they call back", now=NOW)
    av.ok("outcome", iv, "next_round", now=NOW)
    for source in ("outcome", "log", "interview note", "interview add"):
        r = av.ok("undo", "--json", now=NOW).json()
        assert [c["source"] for c in r["undone"]] == [source] and r["kept"] == []
    assert av.ok("export", now=NOW).out == empty
    r = av("undo", now=NOW)
    assert (
        r.code == 1
        and r.err == "afterview: nothing to undo: every change in the history is undone\n"
    )


def test_nothing_recorded_yet(av: Afterview) -> None:
    assert av.ok("history", now=NOW).out == "no change recorded yet\n"
    assert history(av) == []
    r = av("history", "--limit", "0", now=NOW)
    assert r.code == 2 and "--limit" in r.err
    r = av("undo", now=NOW)
    assert r.code == 1 and "nothing to undo: no change is recorded" in r.err


def test_undo_to_takes_back_a_change_and_every_one_after(av: Afterview) -> None:
    first = add(av)
    av.ok("application", "add", "--company", "Globex", "--role", "SRE", now=NOW)
    av.ok("outcome", first, "offer", now=NOW)
    r = av.ok("undo", "--to", "2", "--json", now=NOW).json()
    assert [c["id"] for c in r["undone"]] == [3, 2]
    assert [a["company"] for a in av.ok("application", "list", "--json", now=NOW).json()] == [
        "Acme"
    ]
    r = av("undo", "--to", "2", now=NOW)
    assert r.code == 1 and "nothing to undo: change 2 and those after it are undone" in r.err
    r = av.ok("undo", "--to", "1", now=NOW)  # 2 and 3 are undone already: 1 only
    assert r.out.startswith("undone: change 1 (interview add)")
    assert av.ok("interview", "list", "--json", now=NOW).json() == []


def test_one_change_alone_or_refused_naming_the_later_one(av: Afterview) -> None:
    iv = add(av)
    av.ok("application", "add", "--company", "Globex", "--role", "SRE", now=NOW)
    av.ok("interview", "note", iv, "--text", "notes", now=NOW)
    before = av.ok("export", now=NOW).out
    r = av("undo", "1", now=NOW)  # the note changed the interview it added
    assert r.code == 1
    assert r.err == (
        "afterview: change 1 cannot be undone alone: change 3 (interview note) changed the "
        "same interview since; `afterview undo --to 1` takes back both and every change "
        "between\n"
    )
    assert av.ok("export", now=NOW).out == before
    r = av.ok("undo", "2", now=NOW)  # the application alone: nothing later touched it
    assert r.out == "undone: change 2 (application add): added application 2\n"
    doc = json.loads(av.ok("export", now=NOW).out)
    assert [a["company"] for a in doc["applications"]] == ["Acme"]
    assert doc["interviews"][0]["notes"] == "notes"
    r = av("undo", "2", now=NOW)
    assert r.code == 1 and "change 2 was undone already" in r.err


def test_a_later_change_that_builds_on_what_it_added_is_named(av: Afterview) -> None:
    add(av)
    iv2 = add(av, "Ana Lopez <ana@globex.example>", company="Globex")
    av.ok("log", iv2, "--received", now=NOW)
    r = av("undo", "2", now=NOW)
    assert r.code == 1
    assert "change 3 (log) added a message to what it added" in r.err


@pytest.mark.parametrize(
    ("args", "code", "line"),
    [
        (("undo", "x"), 2, "afterview: CHANGE_ID: expected a numeric id (digits 0-9), got 'x'"),
        (("undo", "0"), 2, "afterview: CHANGE_ID: expected a numeric id"),
        (("undo", "--to", "1_0"), 2, "afterview: --to: expected a numeric id"),
        (("undo", "1", "--to", "1"), 2, "afterview: --to: give either CHANGE_ID or --to"),
        (("undo", "99"), 1, "afterview: change 99: no such change in the history"),
        (("undo", "--to", "99"), 1, "afterview: change 99: no such change in the history"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    av: Afterview, args: tuple[str, ...], code: int, line: str
) -> None:
    add(av)
    before = av.ok("export", now=NOW).out
    r = av(*args, now=NOW)
    assert r.code == code and line in r.err and len(r.err.splitlines()) == 1, r.err
    assert av.ok("export", now=NOW).out == before
    assert [c["undone"] for c in history(av)] == [False]


def test_an_import_is_taken_back_whole_and_can_be_made_again(av: Afterview, tmp_path: Path) -> None:
    other = Afterview(str(tmp_path / "demo.db"))
    other.ok("demo", now="2026-09-14T09:00")
    doc = other.ok("export", now="2026-09-14T09:00").out
    empty = av.ok("export", now=NOW).out
    av.ok("import", "-", input=doc, now=NOW)
    assert history(av)[0]["source"] == "import"
    av.ok("undo", now=NOW)
    assert av.ok("export", now=NOW).out == empty
    av.ok("import", "-", input=doc, now=NOW)  # empty again: an import is let in
    assert av.ok("export", now=NOW).out == doc


def test_changes_older_than_keep_days_are_dropped(
    av: Afterview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('timezone = "Europe/Paris"\n[history]\nkeep_days = 2\n', encoding="utf-8")
    monkeypatch.setenv("AFTERVIEW_CONFIG", str(cfg))
    add(av)  # 15 Sep
    av.ok("application", "add", "--company", "Globex", "--role", "SRE", now="2026-09-16T09:00")
    assert [c["id"] for c in history(av)] == [2, 1]
    av.ok("application", "add", "--company", "Initech", "--role", "QA", now="2026-09-17T19:00")
    assert [c["id"] for c in history(av)] == [3, 2]  # 1 was more than 2 days old
    r = av("undo", "--to", "1", now="2026-09-17T19:00")
    assert r.code == 1 and "changes older than 2 days are dropped" in r.err
    assert av.ok("config", "show", "--json").json()["history"] == {"keep_days": 2}


@pytest.mark.parametrize(
    "setting", ["keep_days = 0", "keep_days = 3651", 'keep_days = "90"', "keep = 3"]
)
def test_a_bad_keep_days_is_refused(
    av: Afterview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f"[history]\n{setting}\n", encoding="utf-8")
    monkeypatch.setenv("AFTERVIEW_CONFIG", str(cfg))
    r = av("history", now=NOW)
    assert r.code == 2 and r.err.startswith("afterview: config history.keep")


def test_reads_write_no_change_and_the_journal_holds_no_secret(
    av: Afterview, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AFTERVIEW_SMTP_PASSWORD", "s3cret-Pa55")
    iv = add(av)
    for read in (("agenda",), ("interview", "show", iv), ("export",), ("stats",), ("goal",)):
        av.ok(*read, now=NOW)
    assert len(history(av)) == 1
    av.ok(
        "mail", "setup", "--smtp-host", "smtp.example.org", "--smtp-user", "me@example.org",
        "--from", "me@example.org", now=NOW,
    )  # fmt: skip
    # the calendar feed's token (its hash) is never journaled: an undo must not revive it
    from afterview.config import load_config
    from afterview.services import feed_token
    from afterview.services.context import Context, open_database

    db = open_database(av.db_url)
    try:
        ctx = Context(db, load_config(), datetime.fromisoformat("2026-09-15T18:00+02:00"))
        feed_token.rotate(ctx)
    finally:
        db.close()
    assert [c["source"] for c in history(av)] == ["mail setup", "interview add"]
    db = connect(av.db_url)
    try:
        stored = " ".join(
            f"{old} {new}" for old, new in db.query("SELECT old, new FROM journal_row")
        )
        tables = {t for (t,) in db.query("SELECT DISTINCT tbl FROM journal_row")}
    finally:
        db.close()
    assert "s3cret" not in stored and "feed_token" not in tables
    assert "mail_settings" in tables
