"""The database layer itself: opening, placeholders, quoting, on both engines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from afterview.errors import StoreError
from afterview.store import migrations
from afterview.store.db import Database, connect, is_postgres_url
from afterview.store.migrations import LATEST, MIGRATIONS, Migration, current_version, migrate

# each test starts from a database with no schema at all
pytestmark = pytest.mark.empty_database


def test_placeholders_become_parameters(db: Database) -> None:
    assert db.one("SELECT ?, ?", ("a", 2)) == ("a", 2)
    assert db.query("SELECT ? UNION ALL SELECT ?", (1, 2)) in ([(1,), (2,)], [(2,), (1,)])


def test_question_marks_and_percent_signs_in_quoted_text_stay(db: Database) -> None:
    # A `?` or `%` inside a string literal is text, not a placeholder, on both engines.
    assert db.one("SELECT 'Why us?', '100%', 'it''s ?'") == ("Why us?", "100%", "it's ?")
    assert db.one("SELECT ?, 'still ?', '50% off'", ("param",)) == ("param", "still ?", "50% off")
    migrate(db)
    with db.transaction():
        db.execute("INSERT INTO account (name, created_at) VALUES ('what?', '100%')")
    assert db.one("SELECT name, created_at FROM account WHERE name = ?", ("what?",)) == (
        "what?",
        "100%",
    )
    assert db.query("SELECT name FROM account WHERE name LIKE ?", ("wh%",)) == [("what?",)]


def test_migration_text_may_hold_question_marks_and_percent_signs(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = Migration(
        LATEST + 1,
        "a note table with quoted text",
        "CREATE TABLE note (id {pk}, text TEXT NOT NULL CHECK (text <> '?'));"
        "INSERT INTO note (text) VALUES ('Done? 100% — yes')",
    )
    monkeypatch.setattr(migrations, "MIGRATIONS", (*MIGRATIONS, extra))
    assert migrate(db, LATEST + 1) == LATEST + 1
    assert db.query("SELECT text FROM note") == [("Done? 100% — yes",)]


def test_text_round_trips_unchanged(db: Database) -> None:
    migrate(db)
    text = "Zürich — naïve café ☕, emoji 🙂, quote ' and \" and back\\slash, tab\tnew\nline"
    with db.transaction():
        db.execute(
            "INSERT INTO profile_review (account_id, at) VALUES (1, ?)",
            (text,),
        )
    assert db.one("SELECT at FROM profile_review") == (text,)


def test_connect_reports_the_engine(db_url: str, db: Database) -> None:
    assert db.dialect == ("postgresql" if is_postgres_url(db_url) else "sqlite")
    assert current_version(db) == 0


def test_missing_folder_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"does not exist"):
        connect(str(tmp_path / "nowhere" / "afterview.db"))


def test_folder_given_as_file_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"is a folder"):
        connect(str(tmp_path))


def test_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_bytes(b"these are my notes, not a database\n" * 200)
    with pytest.raises(StoreError, match=r"not an afterview database"):
        connect(str(junk))


def test_sqlite_url_form_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "afterview.db"
    db = connect(f"sqlite://{path}")
    try:
        assert migrate(db) == LATEST
    finally:
        db.close()
    assert path.exists()


@pytest.mark.postgres
def test_unreachable_postgresql_is_a_store_error_without_the_password() -> None:
    with pytest.raises(StoreError, match=r"cannot connect to PostgreSQL") as err:
        connect("postgresql://me:s3cret-pw@127.0.0.1:1/afterview?connect_timeout=2")
    assert "s3cret-pw" not in str(err.value)


@pytest.mark.postgres
def test_postgresql_location_hides_the_password(postgres_server: Any) -> None:
    url = postgres_server.url().replace("postgres@", "postgres:hunter2@")
    db = connect(url)
    try:
        assert "hunter2" not in db.where and "postgres:***@" in db.where
    finally:
        db.close()
