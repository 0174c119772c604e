"""Row-level security on a server's PostgreSQL: as the application's role, a query that
forgets its account reads and writes nothing of anyone's, and the role cannot turn the
policies off. Real PostgreSQL, a real role (not the superuser the other tests use)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import datetime
from typing import NamedTuple

import psycopg
import pytest

from afterview.config import Config
from afterview.errors import NotFound, Refused
from afterview.services import records
from afterview.services.context import Context
from afterview.store import journal, server_accounts, server_roles, server_schema
from afterview.store.db import Database, connect
from tests.conftest import PostgresServer

pytestmark = pytest.mark.postgres

NOW = datetime.fromisoformat("2026-10-05T10:00:00+02:00")


class Server(NamedTuple):
    """One database, its owner's connection and the application role's URL."""

    owner: Database
    app_url: str
    role: str
    first: int  # the accounts made through the application's role
    second: int


def _as_app(url: str) -> Database:
    return connect(url)


def _ctx(db: Database, account: int) -> Context:
    return Context(db, Config(path="none", timezone="Europe/Paris"), NOW, True, account=account)


@pytest.fixture
def server(postgres_server: PostgresServer) -> Iterator[Server]:
    """A migrated database, an application role made by `server_roles.prepare`, and two
    accounts (made by the owner, as `server user add` does) with an application, an
    interview (interviewers, topics) and a journal each, written through the application's
    role."""
    url = postgres_server.create_database()
    role = f"app_{secrets.token_hex(4)}"
    owner = connect(url)
    try:
        with owner.transaction():
            assert server_roles.prepare(owner, role, None) is True
        app_url = url.replace("postgresql://postgres@", f"postgresql://{role}@")
        app = _as_app(app_url)
        try:
            ids = []
            for n, company in enumerate(("Acme", "Globex")):
                with owner.unrecorded(), owner.transaction():  # accounts: the administrator's
                    account = server_accounts.create_account(
                        owner, f"seeker {n}", f"s{n}@example.org", "seeker", None, NOW
                    )
                ids.append(account)
                _write_some(app, account, company)
        finally:
            app.close()
        yield Server(owner, app_url, role, ids[0], ids[1])
    finally:
        owner.close()
        postgres_server.drop_database(url)
        postgres_server.admin.execute(f'DROP ROLE IF EXISTS "{role}"')


def _write_some(db: Database, account: int, company: str) -> None:
    """An application, an interview with an interviewer and a note, through use cases."""
    ctx = _ctx(db, account)
    ctx.journal_source = "interview add"
    records.add_application(ctx, company, "Engineer", "2026-10-01")
    iv = records.add_interview(
        ctx,
        company,
        "Engineer",
        "2026-10-02T14:00",
        duration=60,
        tz="Europe/Paris",
        interviewers=["Ada Lovelace <ada@example.org>"],
    )
    records.note_interview(ctx, iv, ["the data platform"])


def _counts(db: Database) -> dict[str, int]:
    return {
        t: int((db.one(f'SELECT COUNT(*) FROM "{t}"') or (0,))[0])
        for t in journal.tables(db)
        if t not in server_schema.GLOBAL_TABLES
    }


def test_every_table_has_a_kind(server: Server) -> None:
    """Every table of the schema is global, an account's, or an account's through its parent."""
    for table in journal.tables(server.owner):
        cond = server_schema.policy_of(table, journal.columns(server.owner, table))
        assert cond != server_schema.NO_ROWS, f"{table} has no kind in store/server_schema.py"


def test_raw_sql_without_an_account_reads_and_writes_nothing(server: Server) -> None:
    owner_counts = _counts(server.owner)
    assert owner_counts["interview"] == 2 and owner_counts["topic"] == 2
    assert owner_counts["interview_person"] == 2 and owner_counts["journal_row"] > 0
    db = _as_app(server.app_url)
    try:
        assert db.account is None
        assert set(_counts(db).values()) == {0}, "a table showed rows to no account"
        with db.transaction():
            assert db.update("UPDATE application SET company = 'x'") == 0
            assert db.update("DELETE FROM interview_person") == 0
            assert db.update("DELETE FROM journal_row") == 0
            assert db.update("UPDATE server_login SET failed_logins = 9") == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege), db.transaction():
            db.execute("UPDATE server_login SET role = 'admin'")  # never the app's to change
        with pytest.raises(psycopg.errors.InsufficientPrivilege), db.transaction():
            db.execute(
                "INSERT INTO application (account_id, company, role) VALUES (?, 'x', 'y')",
                (server.first,),
            )
    finally:
        db.close()
    assert _counts(server.owner) == owner_counts


def test_an_account_sees_and_writes_only_its_own_rows(server: Server) -> None:
    db = _as_app(server.app_url)
    try:
        db.use_account(server.first)
        companies = {r[0] for r in db.query("SELECT company FROM application")}
        assert companies == {"Acme"}
        assert {r[0] for r in db.query("SELECT email FROM server_login")} == {"s0@example.org"}
        theirs = server.owner.query(
            "SELECT id FROM interview WHERE account_id = ?", (server.second,)
        )[0][0]
        with db.transaction():
            assert db.update("UPDATE interview SET tz = 'UTC' WHERE id = ?", (theirs,)) == 0
            assert db.update("DELETE FROM account WHERE id = ?", (server.second,)) == 0
        for sql, params in (
            ("INSERT INTO application (account_id, company, role) VALUES (?, 'x', 'y')",
             (server.second,)),
            ("INSERT INTO topic (interview_id, text) VALUES (?, 'x')", (theirs,)),
            ("UPDATE application SET account_id = ?", (server.second,)),
        ):  # fmt: skip
            with pytest.raises(psycopg.errors.InsufficientPrivilege), db.transaction():
                db.execute(sql, params)
        # sign-in finds another account's id (and only its id) before one is set
        assert server_accounts.account_of_email(db, "s1@example.org") == server.second
        assert server_accounts.get_login(db, server.second) is None
    finally:
        db.close()


def test_use_cases_of_one_account_cannot_reach_the_other(server: Server) -> None:
    db = _as_app(server.app_url)
    try:
        ctx = _ctx(db, server.first)
        theirs = int(
            server.owner.query("SELECT id FROM interview WHERE account_id = ?", (server.second,))[
                0
            ][0]
        )
        with pytest.raises(NotFound):
            ctx.interview(theirs)
        from afterview.services import journal as history

        assert all("Globex" not in c.summary for c in history.history(ctx, 100))
        assert len(history.history(ctx, 100)) == 3  # its account, application, interview
    finally:
        db.close()


def test_the_application_role_cannot_turn_the_policies_off(server: Server) -> None:
    facts = server_roles.facts(server.owner, server.role)
    assert facts == server_roles.RoleFacts(True, False, False, 0)
    db = _as_app(server.app_url)
    try:
        for sql in (
            "ALTER TABLE application DISABLE ROW LEVEL SECURITY",
            "DROP POLICY account_rows ON application",
            "CREATE POLICY everything ON application USING (true)",
            "SET ROLE postgres",
            "CREATE TABLE mine (id int)",
            "UPDATE schema_version SET version = 1",
            "ALTER ROLE CURRENT_USER BYPASSRLS",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege), db.transaction():
                db.execute(sql)
        # row_security = off does not show the rows: it makes the query fail
        with pytest.raises(psycopg.errors.InsufficientPrivilege), db.transaction():
            db.execute("SET LOCAL row_security = off")
            db.query("SELECT * FROM application")
    finally:
        db.close()


def test_a_role_that_would_bypass_the_policies_is_refused(
    server: Server, postgres_server: PostgresServer
) -> None:
    with pytest.raises(Refused, match="superuser"), server.owner.transaction():
        server_roles.prepare(server.owner, "postgres", None)
    other = f"app_{secrets.token_hex(4)}"
    postgres_server.admin.execute(f'CREATE ROLE "{other}" LOGIN BYPASSRLS')
    try:
        with pytest.raises(Refused, match="BYPASSRLS"), server.owner.transaction():
            server_roles.prepare(server.owner, other, None)
    finally:
        postgres_server.admin.execute(f'DROP ROLE "{other}"')


def test_erasing_an_account_leaves_no_row_of_it_and_every_row_of_the_other(
    server: Server,
) -> None:
    before = _counts(server.owner)
    db = _as_app(server.app_url)
    try:
        db.use_account(server.second)
        with db.unrecorded(), db.transaction():
            gone = server_accounts.erase_account(db, server.second)
    finally:
        db.close()
    after = _counts(server.owner)
    assert gone == sum(before.values()) - sum(after.values()) > 0
    for table in after:
        cols = journal.columns(server.owner, table)
        if "account_id" in cols:
            left = server.owner.one(
                f'SELECT COUNT(*) FROM "{table}" WHERE account_id = ?', (server.second,)
            )
            assert left == (0,), table
    assert server.owner.one("SELECT COUNT(*) FROM account WHERE id = ?", (server.second,)) == (0,)
    assert after["application"] == before["application"] // 2 > 0


def test_erasing_covers_every_table_of_an_account(server: Server) -> None:
    erased = {t for t, _ in server_accounts.ERASED}
    kept = {
        t
        for t in journal.tables(server.owner)
        if server_schema.policy_of(t, journal.columns(server.owner, t)) is not None
    }
    assert erased == kept
