"""Signing in to a server: wrong passwords lock out, sessions rotate at sign-in and die
at sign-out everywhere (a stolen cookie too), expire when idle, and every write needs
the CSRF token. Each seeker's pages list their own records only. Real PostgreSQL as the
application's role, the app in-process with a clock the test moves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from afterview.services import records
from afterview.store import journal
from tests.server.conftest import (
    PASSWORD,
    Clock,
    ServerDb,
    add_account,
    context,
    csrf,
    sign_in,
)

pytestmark = pytest.mark.postgres


def _session(client: TestClient) -> str:
    return client.cookies.get("afterview_session") or ""


def test_sign_in_page_then_today_and_back_where_asked(
    server_db: ServerDb, server_app: Callable[[], TestClient]
) -> None:
    add_account(server_db.owner, "ana@example.org", demo=True)
    c = server_app()
    r = c.get("/interviews?state=awaiting")
    assert r.status_code == 303 and r.headers["location"].startswith("/signin?next=")
    page = c.get(r.headers["location"])
    assert page.status_code == 200 and 'name="password"' in page.text
    assert "Interviews" not in page.text.split("<main")[0]  # no navigation before sign-in
    wrong = c.post("/signin", data={"email": "ana@example.org", "password": "nope nope nope"},
                   headers=csrf(c))  # fmt: skip
    assert wrong.status_code == 401 and "wrong email or password" in wrong.text
    unknown = c.post("/signin", data={"email": "who@example.org", "password": PASSWORD},
                     headers=csrf(c))  # fmt: skip
    assert unknown.status_code == 401 and "wrong email or password" in unknown.text
    ok = c.post(
        "/signin",
        data={"email": " ANA@example.org ", "password": PASSWORD, "next": "/interviews"},
        headers=csrf(c),
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/interviews"
    cookie = ok.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=" in cookie
    today = c.get("/")
    assert today.status_code == 200 and "Signed in as ana@example.org" in today.text
    for bad in ("https://evil.example/", "//evil.example/x", "/\\evil"):
        r = c.post("/signin", data={"email": "ana@example.org", "password": PASSWORD,
                                    "next": bad}, headers=csrf(c))  # fmt: skip
        assert r.headers["location"] == "/", bad


def test_wrong_passwords_lock_the_sign_in_for_a_while(
    server_db: ServerDb, server_app: Callable[[], TestClient], clock: Clock
) -> None:
    add_account(server_db.owner, "ana@example.org")
    c = server_app()
    for _ in range(5):
        r = c.post("/signin", data={"email": "ana@example.org", "password": "wrong guess!"},
                   headers=csrf(c))  # fmt: skip
        assert r.status_code == 401
    locked = c.post("/signin", data={"email": "ana@example.org", "password": PASSWORD},
                    headers=csrf(c))  # fmt: skip
    # paused: the same answer as a wrong password (it tells no one the address exists)
    assert locked.status_code == 401 and "wrong email or password" in locked.text
    assert "afterview_session" not in c.cookies
    clock.at += timedelta(minutes=16)
    sign_in(c, "ana@example.org")
    row = server_db.owner.one("SELECT failed_logins, locked_until FROM server_login")
    assert row == (0, None)
    # five wrong again, then one more once the pause is over: the pause doubles
    for _ in range(5):
        c.post("/signin", data={"email": "ana@example.org", "password": "wrong guess!"},
               headers=csrf(c))  # fmt: skip
    clock.at += timedelta(minutes=16)
    c.post("/signin", data={"email": "ana@example.org", "password": "wrong guess!"},
           headers=csrf(c))  # fmt: skip
    clock.at += timedelta(minutes=16)
    still = c.post("/signin", data={"email": "ana@example.org", "password": PASSWORD},
                   headers=csrf(c))  # fmt: skip
    assert still.status_code == 401 and "wrong email or password" in still.text


def test_a_session_rotates_at_sign_in_and_a_stolen_one_dies_at_sign_out_everywhere(
    server_db: ServerDb, server_app: Callable[[], TestClient]
) -> None:
    add_account(server_db.owner, "ana@example.org", demo=True)
    laptop, phone, thief = server_app(), server_app(), server_app()
    sign_in(laptop, "ana@example.org")
    first = _session(laptop)
    sign_in(laptop, "ana@example.org")
    assert _session(laptop) != first
    thief.cookies.set("afterview_session", first)
    assert thief.get("/").status_code == 303, "the session before sign-in still works"
    sign_in(phone, "ana@example.org")
    thief.cookies.set("afterview_session", _session(laptop))  # a cookie copied off the laptop
    assert thief.get("/api/today").status_code == 200
    r = phone.post("/signout/everywhere", headers=csrf(phone))
    assert r.status_code == 303 and r.headers["location"] == "/signin"
    for c in (laptop, phone, thief):
        assert c.get("/api/today").status_code == 401
    assert server_db.owner.one("SELECT COUNT(*) FROM server_session") == (0,)
    sign_in(laptop, "ana@example.org")
    laptop.post("/signout", headers=csrf(laptop))
    assert laptop.get("/").status_code == 303


def test_a_session_expires_when_idle_and_after_two_weeks(
    server_db: ServerDb, server_app: Callable[[], TestClient], clock: Clock
) -> None:
    add_account(server_db.owner, "ana@example.org")
    c = server_app()
    sign_in(c, "ana@example.org")
    clock.at += timedelta(hours=11)
    assert c.get("/api/today").status_code == 200  # in use: 12 more hours
    clock.at += timedelta(hours=11)
    assert c.get("/api/today").status_code == 200
    clock.at += timedelta(hours=12, minutes=1)
    assert c.get("/api/today").status_code == 401
    sign_in(c, "ana@example.org")
    for n in range(1, 40):  # used every 11 hours, it still ends 14 days after sign-in
        clock.at += timedelta(hours=11)
        if c.get("/api/today").status_code == 401:
            assert n * 11 >= 14 * 24
            break
    else:
        raise AssertionError("the session outlived 14 days")


def test_a_disabled_account_is_signed_out_and_cannot_sign_in(
    server_db: ServerDb, server_app: Callable[[], TestClient]
) -> None:
    ana = add_account(server_db.owner, "ana@example.org")
    c = server_app()
    sign_in(c, "ana@example.org")
    from afterview.store import server_accounts

    with server_db.owner.unrecorded(), server_db.owner.transaction():
        server_accounts.set_disabled(server_db.owner, ana, context(server_db.owner, ana).now)
    assert c.get("/api/today").status_code == 401
    r = c.post("/signin", data={"email": "ana@example.org", "password": PASSWORD},
               headers=csrf(c))  # fmt: skip
    assert r.status_code == 401 and "disabled" in r.text


def test_every_write_needs_the_csrf_token(
    server_db: ServerDb, server_app: Callable[[], TestClient]
) -> None:
    ana = add_account(server_db.owner, "ana@example.org", demo=True)
    c = server_app()
    no_token = c.post("/signin", data={"email": "ana@example.org", "password": PASSWORD})
    assert no_token.status_code == 403  # a login form posted from elsewhere
    sign_in(c, "ana@example.org")
    owner = server_db.owner
    before = {t: owner.one(f'SELECT COUNT(*) FROM "{t}"') for t in journal.tables(owner)}
    iv = str((owner.one("SELECT MAX(id) FROM interview WHERE account_id = ?", (ana,)) or [0])[0])
    app = c.app
    tried = 0
    for route in app.routes:  # type: ignore[attr-defined]
        if not isinstance(route, APIRoute):
            continue
        for method in route.methods - {"GET", "HEAD"}:
            url = route.path.replace("{interview_id}", iv)
            for name in ("application_id", "touch_id", "question_id", "person_id",
                         "message_id", "action_id"):  # fmt: skip
                url = url.replace("{" + name + "}", "1")
            r = c.request(method, url, data={"x": "1"})
            tried += 1
            assert r.status_code == 403, f"{method} {url}: {r.status_code}"
    assert tried > 60
    after = {t: owner.one(f'SELECT COUNT(*) FROM "{t}"') for t in journal.tables(owner)}
    assert after == before


def test_each_seeker_lists_only_their_own_records(
    server_db: ServerDb, server_app: Callable[[], TestClient]
) -> None:
    ana = add_account(server_db.owner, "ana@example.org")
    ben = add_account(server_db.owner, "ben@example.org")
    for account, company in ((ana, "Acme Robotics"), (ben, "Zebra Analytics")):
        records.add_interview(context(server_db.owner, account), company, "Engineer",
                              "2026-09-15T10:00", duration=60)  # fmt: skip
    a, b = server_app(), server_app()
    sign_in(a, "ana@example.org")
    sign_in(b, "ben@example.org")
    for path in ("/", "/interviews", "/applications", "/board", "/api/today",
                 "/api/interviews", "/api/applications"):  # fmt: skip
        mine, theirs = a.get(path), b.get(path)
        assert mine.status_code == theirs.status_code == 200, path
        assert "Acme Robotics" in mine.text and "Zebra Analytics" not in mine.text, path
        assert "Zebra Analytics" in theirs.text and "Acme Robotics" not in theirs.text, path
    for client, account in ((a, ana), (b, ben)):
        shown = {c["id"] for c in client.get("/api/history").json()["changes"]}
        own = {
            r[0]
            for r in server_db.owner.query(
                "SELECT id FROM journal_change WHERE account_id = ?", (account,)
            )
        }
        assert shown and shown <= own
    # and each downloads their own data only
    mine, theirs = a.get("/api/export"), b.get("/api/export")
    assert mine.status_code == theirs.status_code == 200
    assert "Acme Robotics" in mine.text and "Zebra Analytics" not in mine.text
    assert "attachment" in mine.headers["content-disposition"]
