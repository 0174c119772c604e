"""Transactions, ids and account separation on a real SQLite file and a real PostgreSQL schema."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from afterview.core.model import Facts
from afterview.store import repo
from afterview.store.db import Database, connect
from afterview.store.facts import load_facts, load_interviewers, load_topics
from afterview.store.migrations import migrate

NOW = datetime(2026, 9, 15, 12, 0, tzinfo=UTC)
START = datetime(2026, 9, 16, 13, 0, tzinfo=UTC)
END = datetime(2026, 9, 16, 14, 0, tzinfo=UTC)


@pytest.fixture
def store(db: Database) -> Database:
    """The test's database at the latest schema."""
    migrate(db)
    return db


@pytest.fixture
def other(db_url: str, store: Database) -> Iterator[Database]:
    """A second connection to the same database, as another process would have."""
    conn = connect(db_url)
    try:
        yield conn
    finally:
        conn.close()


def count(db: Database, table: str) -> int:
    """The number of rows in `table`."""
    row = db.one(f"SELECT COUNT(*) FROM {table}")
    assert row is not None
    return int(row[0])


def companies(db: Database, account: int = 1) -> list[str]:
    """The account's applications' companies, oldest first."""
    return [a.company for a in repo.list_applications(db, account)]


# -- one transaction per use case ---------------------------------------------------------------
def test_exception_inside_transaction_leaves_no_row(store: Database, other: Database) -> None:
    with pytest.raises(RuntimeError, match="boom"), store.transaction():
        app = repo.add_application(store, 1, "Acme", "Dev", None, None, NOW)
        iv = repo.add_interview(store, 1, app, START, END, "UTC", None, NOW)
        person = repo.find_or_add_person(store, 1, "Ada", "ada@acme.example")
        repo.set_interviewers(store, iv, [person])
        repo.add_touch(store, 1, iv, "sent", "thank_you", person.id, END, None, False, NOW)
        raise RuntimeError("boom")
    for db in (store, other):
        for table in ("application", "interview", "person", "interview_person", "touch"):
            assert count(db, table) == 0, table
    assert repo.is_empty(store, 1)


def test_database_error_rolls_back_the_whole_transaction(store: Database) -> None:
    with pytest.raises(Exception, match=r"(?i)check"), store.transaction():
        app = repo.add_application(store, 1, "Acme", "Dev", None, None, NOW)
        repo.add_interview(store, 1, app, END, START, "UTC", None, NOW)  # ends before it starts
    assert companies(store) == []
    # The connection is usable again and the next transaction commits.
    with store.transaction():
        repo.add_application(store, 1, "Globex", "Analyst", None, None, NOW)
    assert companies(store) == ["Globex"]


def test_committed_transaction_is_seen_by_another_connection(
    store: Database, other: Database
) -> None:
    with store.transaction():
        repo.add_application(store, 1, "Acme", "Dev", None, None, NOW)
    assert companies(other) == ["Acme"]


def test_nested_transaction_joins_the_outer_one(store: Database, other: Database) -> None:
    with store.transaction():
        repo.add_application(store, 1, "Outer", "Dev", None, None, NOW)
        with store.transaction() as inner:
            assert inner is store
            repo.add_application(store, 1, "Inner", "Dev", None, None, NOW)
        # The inner block ended but nothing is committed until the outer one ends.
        assert companies(other) == []
        assert companies(store) == ["Outer", "Inner"]
    assert companies(other) == ["Outer", "Inner"]


def test_error_in_nested_transaction_rolls_back_the_outer_one(
    store: Database, other: Database
) -> None:
    with pytest.raises(ValueError), store.transaction():
        repo.add_application(store, 1, "Outer", "Dev", None, None, NOW)
        with store.transaction():
            repo.add_application(store, 1, "Inner", "Dev", None, None, NOW)
            raise ValueError("inner failed")
    assert companies(store) == [] and companies(other) == []
    # The nesting depth is back to zero: the next transaction commits on its own.
    with store.transaction():
        repo.add_application(store, 1, "After", "Dev", None, None, NOW)
    assert companies(other) == ["After"]


# -- ids ----------------------------------------------------------------------------------------
def test_insert_returns_the_new_ids(store: Database) -> None:
    with store.transaction():
        ids = [
            store.insert(
                "INSERT INTO application (account_id, company, role, created_at) VALUES (?, ?, ?, ?)",
                (1, f"Company {n}", "Dev", "2026-09-15T12:00:00+00:00"),
            )
            for n in range(5)
        ]
    assert all(isinstance(i, int) for i in ids)
    assert ids == sorted(set(ids))
    rows = store.query("SELECT id, company FROM application ORDER BY id")
    assert rows == [(i, f"Company {n}") for n, i in enumerate(ids)]


def test_sync_ids_after_explicit_ids_lets_the_next_insert_succeed(store: Database) -> None:
    with store.transaction():
        for app_id in (10, 11, 12):
            store.execute(
                "INSERT INTO application (id, account_id, company, role, created_at) "
                "VALUES (?, 1, ?, 'Dev', '2026-09-15T12:00:00+00:00')",
                (app_id, f"Imported {app_id}"),
            )
        store.sync_ids("application")
    with store.transaction():
        new_id = repo.add_application(store, 1, "Fresh", "Dev", None, None, NOW)
    assert new_id == 13
    assert companies(store)[-1] == "Fresh"


def test_explicit_ids_need_sync_ids_on_postgresql(store: Database) -> None:
    """Why `sync_ids` exists: PostgreSQL's identity does not move past explicit ids.

    (SQLite's AUTOINCREMENT does, so there the insert succeeds without it.)
    """
    with store.transaction():
        store.execute(
            "INSERT INTO application (id, account_id, company, role, created_at) "
            "VALUES (1, 1, 'Imported', 'Dev', '2026-09-15T12:00:00+00:00')"
        )
    if store.dialect == "postgresql":
        import psycopg

        with pytest.raises(psycopg.errors.UniqueViolation), store.transaction():
            repo.add_application(store, 1, "Fresh", "Dev", None, None, NOW)
        store.sync_ids("application")
    with store.transaction():
        assert repo.add_application(store, 1, "Fresh", "Dev", None, None, NOW) == 2
    assert companies(store) == ["Imported", "Fresh"]


def test_migration_moves_account_ids_past_the_built_in_account(store: Database) -> None:
    with store.transaction():
        new = store.insert(
            "INSERT INTO account (name, created_at) VALUES ('work', '2026-09-15T12:00:00+00:00')"
        )
    assert new == 2


# -- accounts -----------------------------------------------------------------------------------
def add_account_2_rows(db: Database) -> dict[str, int]:
    """Rows of every kind for a second account, written with plain SQL."""
    t = "2026-09-15T12:00:00+00:00"
    ids: dict[str, int] = {}
    with db.transaction():
        db.execute("INSERT INTO account (id, name, created_at) VALUES (2, 'other', ?)", (t,))
        db.sync_ids("account")
        ids["app"] = db.insert(
            "INSERT INTO application (account_id, company, role, created_at) "
            "VALUES (2, 'Secret Co', 'CTO', ?)",
            (t,),
        )
        ids["person"] = db.insert(
            "INSERT INTO person (account_id, name, email) VALUES (2, 'Eve', 'eve@secret.example')"
        )
        ids["iv"] = db.insert(
            "INSERT INTO interview (account_id, application_id, start_at, end_at, tz, notes, "
            "created_at) VALUES (2, ?, ?, ?, 'UTC', 'private notes', ?)",
            (ids["app"], "2026-09-16T13:00:00+00:00", "2026-09-16T14:00:00+00:00", t),
        )
        db.execute(
            "INSERT INTO interview_person (interview_id, person_id, position) VALUES (?, ?, 0)",
            (ids["iv"], ids["person"]),
        )
        db.execute(
            "INSERT INTO topic (interview_id, text, created_at) VALUES (?, 'salary', ?)",
            (ids["iv"], t),
        )
        db.execute(
            "INSERT INTO touch (account_id, interview_id, direction, kind, person_id, at, "
            "created_at) VALUES (2, ?, 'sent', 'thank_you', ?, ?, ?)",
            (ids["iv"], ids["person"], "2026-09-16T18:00:00+00:00", t),
        )
        db.execute(
            "INSERT INTO outcome (interview_id, account_id, result, at) "
            "VALUES (?, 2, 'offer', '2026-09-20T10:00:00+00:00')",
            (ids["iv"],),
        )
        aid = db.insert(
            "INSERT INTO assessment (account_id, interview_id, at, confidence) "
            "VALUES (2, ?, '2026-09-16T20:00:00+00:00', 90)",
            (ids["iv"],),
        )
        db.execute(
            "INSERT INTO assessment_score (assessment_id, item, score) VALUES (?, 'answers', 5)",
            (aid,),
        )
        db.execute(
            "INSERT INTO question (account_id, assessment_id, position, text) "
            "VALUES (2, ?, 0, 'Why us?')",
            (aid,),
        )
        db.execute(
            "INSERT INTO action_mark (account_id, action_id, state, at) "
            "VALUES (2, 'keep_searching:2026-W38', 'done', ?)",
            (t,),
        )
        db.execute("INSERT INTO profile_review (account_id, at) VALUES (2, ?)", (t,))
        db.execute(
            "INSERT INTO draft (account_id, interview_id, action_id, kind, subject, body, "
            "created_at) VALUES (2, ?, 'shared-action', 'thank_you', 'Hi', 'Body', ?)",
            (ids["iv"], t),
        )
    return ids


def test_rows_of_another_account_are_invisible(store: Database) -> None:
    theirs = add_account_2_rows(store)
    # Account 1 sees nothing of account 2.
    assert repo.is_empty(store, 1)
    assert repo.list_applications(store, 1) == []
    assert repo.get_application(store, 1, theirs["app"]) is None
    assert repo.find_application(store, 1, "Secret Co", "CTO") is None
    assert repo.get_interview(store, 1, theirs["iv"]) is None
    assert repo.get_assessment(store, 1, theirs["iv"]) is None
    assert repo.list_drafts(store, 1, theirs["iv"]) == []
    assert load_interviewers(store, 1) == {}
    assert load_topics(store, 1) == {}
    assert load_facts(store, 1, user_tz="UTC", with_topics=True) == Facts(user_tz="UTC")
    # The same e-mail address in account 1 is a new person, not account 2's.
    mine = repo.find_or_add_person(store, 1, "Eve (recruiter)", "EVE@secret.example")
    assert mine.id != theirs["person"]
    row = store.one("SELECT name FROM person WHERE id = ?", (theirs["person"],))
    assert row == ("Eve",)

    # Account 1's writes leave account 2's rows alone.
    with store.transaction():
        app = repo.add_application(store, 1, "Secret Co", "CTO", None, None, NOW)
        iv = repo.add_interview(store, 1, app, START, END, "UTC", None, NOW)
        repo.save_draft(store, 1, iv, "shared-action", "thank_you", None, None, "S", "B", NOW)
    assert [d.subject for d in repo.list_drafts(store, 2, theirs["iv"])] == ["Hi"]
    assert repo.find_application(store, 1, "secret co", "cto") == app

    # Account 2 still sees exactly its own rows.
    assert [a.company for a in repo.list_applications(store, 2)] == ["Secret Co"]
    their_iv = repo.get_interview(store, 2, theirs["iv"])
    assert their_iv is not None
    assert [p.name for p in their_iv.interviewers] == ["Eve"]
    assert load_topics(store, 2) == {theirs["iv"]: ["salary"]}
    facts = load_facts(store, 2, user_tz="UTC")
    assert [iv.id for iv in facts.interviews] == [theirs["iv"]]
    assert len(facts.touches) == 1 and len(facts.outcomes) == 1 and len(facts.marks) == 1
    assert list(facts.assessed) == [theirs["iv"]] and len(facts.profile_reviews) == 1
    assessment = repo.get_assessment(store, 2, theirs["iv"])
    assert assessment is not None and assessment.asked == ["Why us?"]
    # ...and account 1 now sees only its own.
    assert [i.id for i in load_facts(store, 1, user_tz="UTC").interviews] == [iv]
