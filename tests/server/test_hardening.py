"""What a review of server mode found, each held by a test: wrong passwords sent at once
are all counted; links die when the password changes; the reset form tells nothing; row-
level security keeps what a seeker shares theirs, and a login's role to the
administrator; a temporary table cannot stand in for one of ours; hostile bodies and
command lines get one line, not a traceback; the server fetches no page and connects to
no mail host on its own networks. Real PostgreSQL as the application's role."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from afterview.server import signin
from afterview.server.settings import ServerSettings
from afterview.store import server_accounts
from afterview.store.db import connect
from tests.cli.helpers import Afterview
from tests.server.conftest import NOW, PASSWORD, ServerDb, add_account, csrf, sign_in

pytestmark = pytest.mark.postgres


def test_wrong_passwords_sent_at_once_are_all_counted(server_db: ServerDb) -> None:
    add_account(server_db.owner, "ana@example.org")
    refused: list[str] = []

    def guess() -> None:
        db = connect(server_db.app_url)
        try:
            signin.sign_in(db, "ana@example.org", "a wrong guess!", NOW)
        except signin.SignInRefused as exc:
            refused.append(str(exc))
        finally:
            db.close()

    threads = [threading.Thread(target=guess) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(refused) == 8
    row = server_db.owner.one("SELECT failed_logins, locked_until FROM server_login")
    assert row is not None and row[0] == 5 and row[1] is not None  # paused at five


def test_links_die_when_the_password_changes(server_db: ServerDb) -> None:
    ana = add_account(server_db.owner, "ana@example.org")
    db = connect(server_db.app_url)
    try:
        invite = signin.make_link(db, ana, "invite", NOW)
        reset = signin.make_link(db, ana, "reset", NOW)
        signin.use_link(db, reset, "reset", "a new password here", NOW)
        assert signin.link_account(db, invite, "invite", NOW) is None
    finally:
        db.close()


def test_the_reset_form_says_the_same_without_mail_settings(
    server_db: ServerDb, server_app: Callable[[], TestClient]
) -> None:
    add_account(server_db.owner, "ana@example.org")
    c = server_app()
    known = c.post("/reset", data={"email": "ana@example.org"}, headers=csrf(c))
    unknown = c.post("/reset", data={"email": "who@example.org"}, headers=csrf(c))
    assert known.status_code == unknown.status_code == 200
    assert "server.toml" not in known.text and "on its way" in known.text


def test_row_security_keeps_shares_to_the_seeker_and_roles_to_the_administrator(
    server_db: ServerDb,
) -> None:
    from afterview.server import cohorts
    from tests.server.conftest import context

    coach = add_account(server_db.owner, "coach@example.org", role="coach")
    ana = add_account(server_db.owner, "ana@example.org")
    other = add_account(server_db.owner, "other@example.org")
    cohort = cohorts.create_cohort(context(server_db.owner, coach), "Autumn")
    with server_db.owner.unrecorded(), server_db.owner.transaction():
        server_db.owner.use_account(ana)
        server_db.owner.execute(
            "INSERT INTO cohort_member (cohort_id, account_id, joined_at, shares) "
            "VALUES (?, ?, '2026-09-15T10:00:00+00:00', 'figures')",
            (cohort, ana),
        )
    app = connect(server_db.app_url)
    try:
        app.use_account(coach)
        for sql, params in (
            ("UPDATE cohort_member SET shares = 'figures,notes,messages' WHERE account_id = ?",
             (ana,)),
            ("INSERT INTO cohort_member (cohort_id, account_id, joined_at, shares) VALUES "
             "(?, ?, '2026-09-15T10:00:00+00:00', 'figures,notes')", (cohort, other)),
        ):  # fmt: skip
            with pytest.raises(psycopg.errors.InsufficientPrivilege), app.transaction():
                app.execute(sql, params)
        with app.transaction():  # releasing is the coach's to do
            assert app.update("UPDATE cohort_member SET left_at = '2026-09-16T10:00:00+00:00'"
                              " WHERE account_id = ?", (ana,)) == 1  # fmt: skip
        app.use_account(ana)
        with pytest.raises(psycopg.errors.InsufficientPrivilege), app.transaction():
            app.execute("UPDATE server_login SET role = 'admin' WHERE account_id = ?", (ana,))
        # a temporary table of the same name does not stand in for ours
        with app.transaction():
            app.execute("CREATE TEMP TABLE server_login (account_id bigint, role text, "
                        "disabled_at text)")  # fmt: skip
            app.execute("INSERT INTO server_login VALUES (?, 'admin', NULL)", (ana,))
            assert app.one("SELECT afterview_staff()") == (False,)
    finally:
        app.close()
    login = server_accounts.get_login(server_db.owner, ana)
    assert login is not None and login.role == "seeker"


def test_hostile_bodies_and_command_lines_get_one_line(
    server_db: ServerDb, server_app: Callable[[], TestClient], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    add_account(server_db.owner, "coach@example.org", role="coach")
    c = server_app()
    sign_in(c, "coach@example.org")
    deep = "[" * 100_000 + "]" * 100_000
    r = c.post("/api/cohorts", content=deep,
               headers={**csrf(c), "content-type": "application/json"})  # fmt: skip
    # as every API route with a body answers it: 400 and one JSON line, never a 500
    assert r.status_code == 400 and set(r.json()) == {"error"}
    monkeypatch.setenv("AFTERVIEW_SERVER_CONFIG", str(tmp_path / "server.toml"))
    av = Afterview(str(tmp_path / "unused.db"))
    for argv in (
        ["--app-db", "postgresql://app@[::1/db", "--url", "https://a.example.org"],
        ["--app-db", server_db.app_url, "--url", "https://[::1"],
    ):
        r = av("server", "init", "--admin-db", server_db.owner_url, *argv)
        assert r.code == 2 and "Traceback" not in r.err and r.err.count("\n") == 1, r.err


def test_no_page_is_fetched_and_no_internal_mail_host_taken(
    server_db: ServerDb, server_app: Callable[[], TestClient], server_settings: ServerSettings
) -> None:
    add_account(server_db.owner, "ana@example.org")
    c = server_app()
    sign_in(c, "ana@example.org", PASSWORD)
    for path, body in (("/leads/new", {"url": "http://127.0.0.1:5432/"}),):
        r = c.post(path, data=body, headers=csrf(c))
        assert r.status_code == 409 and "does not fetch" in r.text
    r = c.post("/api/leads/read", json={"url": "http://169.254.169.254/latest/"},
               headers=csrf(c))  # fmt: skip
    assert r.status_code == 409
    r = c.post("/settings/mail", data={"smtp_host": "127.0.0.1", "smtp_port": "25",
               "smtp_security": "none", "from_address": "ana@example.org"},
               headers=csrf(c))  # fmt: skip
    assert r.status_code == 422 and "internal address" in r.text
    assert server_db.owner.query("SELECT * FROM mail_settings") == []
