"""Two seekers on one server: every page and API route, tried by one with the other's
ids, answers 404 and changes nothing; without a session every route answers 401 (the
API) or sends to the sign-in page, and writes nothing. Real PostgreSQL as the
application's role, the app in-process."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from afterview.services.porting import export_json
from afterview.store import journal
from afterview.store.db import Database
from tests.server.conftest import ServerDb, add_account, context, csrf, sign_in

pytestmark = pytest.mark.postgres

PARAM = re.compile(r"\{([a-z_]+)\}")
SECRET_COMPANY = "Zebra Analytics"  # the second seeker's only


def _ids(db: Database, account: int) -> dict[str, str]:
    """One id of each kind of the account's records, as the routes' paths take them."""

    def first(sql: str) -> str:
        row = db.one(sql, (account,))
        assert row is not None and row[0] is not None, sql
        return str(row[0])

    iv = first("SELECT MAX(id) FROM interview WHERE account_id = ?")
    return {
        "interview_id": iv,
        "application_id": first("SELECT MAX(id) FROM application WHERE account_id = ?"),
        "touch_id": first("SELECT MAX(id) FROM touch WHERE account_id = ?"),
        "question_id": first("SELECT MAX(id) FROM question WHERE account_id = ?"),
        "person_id": first("SELECT MAX(id) FROM person WHERE account_id = ?"),
        "message_id": first("SELECT MAX(id) FROM outbox WHERE account_id = ?"),
        "action_id": f"self_assess:{iv}",
        "seeker_id": str(account),
        "token": "not-a-link",
    }


def _add_outbox(db: Database, account: int) -> None:
    """A scheduled message, so the outbox routes have an id to try."""
    from afterview.store import mail as mailstore

    iv = db.one("SELECT MAX(id) FROM interview WHERE account_id = ?", (account,))
    assert iv is not None
    ctx = context(db, account)
    with db.transaction():
        mailstore.add_outbox(
            db, account, interview_id=int(iv[0]), action_id=f"thank_you:{iv[0]}:team",
            kind="thank_you", person_id=None, to_name="Ana", to_email="ana@example.org",
            subject="Thank you", body="Thanks.", message_id=f"<{account}@example.org>",
            send_at=ctx.now, due_at=ctx.now, forced=False, now=ctx.now,
        )  # fmt: skip


def _snapshot(server_db: ServerDb, account: int) -> tuple[str, dict[str, int]]:
    """The account's export and the row count of every table, read by the owner."""
    owner = server_db.owner
    counts = {
        t: int((owner.one(f'SELECT COUNT(*) FROM "{t}"') or (0,))[0]) for t in journal.tables(owner)
    }
    return export_json(context(owner, account)), counts


def _routes(client: TestClient) -> list[tuple[str, str]]:
    app: Any = client.app
    out = []
    for route in app.routes:
        if isinstance(route, APIRoute):
            for method in sorted(route.methods - {"HEAD"}):
                out.append((method, route.path))
    return out


def _body(method: str, path: str) -> dict[str, Any]:
    if method == "GET":
        return {}
    if path.startswith("/api/"):
        return {"json": {"text": "x", "company": "x", "at": "2026-09-15T10:00"}}
    return {"data": {"text": "x", "why": "x", "company": "x", "role": "x", "outcome": "offer"}}


@pytest.fixture
def two_seekers(server_db: ServerDb) -> tuple[int, int]:
    first = add_account(server_db.owner, "ana@example.org", demo=True)
    second = add_account(server_db.owner, "ben@example.org", demo=True)
    for account in (first, second):
        _add_outbox(server_db.owner, account)
    from afterview.services import records

    records.add_interview(
        context(server_db.owner, second), SECRET_COMPANY, "Staff Engineer",
        "2026-09-14T10:00", duration=45, interviewers=["Zoe Quill <zoe@zebra.example>"],
    )  # fmt: skip
    coach = add_account(server_db.owner, "coach@example.org", role="coach")
    from afterview.server import cohorts

    cohorts.create_cohort(context(server_db.owner, coach), "Autumn")
    return first, second


def _cohort(db: Database) -> str:
    row = db.one("SELECT MIN(id) FROM cohort")
    assert row is not None
    return str(row[0])


def test_every_route_with_the_other_seekers_ids_is_404_and_writes_nothing(
    server_db: ServerDb, server_app: Callable[[], TestClient], two_seekers: tuple[int, int]
) -> None:
    ana, ben = two_seekers
    theirs, mine = _ids(server_db.owner, ben), _ids(server_db.owner, ana)
    theirs["cohort_id"] = _cohort(server_db.owner)  # a coach's: no seeker's to open
    assert (
        set(theirs.values()).isdisjoint(v for k, v in mine.items() if k != "action_id")
        or theirs != mine
    )
    client = server_app()
    sign_in(client, "ana@example.org")
    before = _snapshot(server_db, ben)
    tried = 0
    for method, path in _routes(client):
        names = PARAM.findall(path)
        if not names or names == ["name"]:
            continue
        url = PARAM.sub(lambda m: theirs[m.group(1)], path)
        r = client.request(method, url, headers=csrf(client), **_body(method, path))
        tried += 1
        assert r.status_code == 404, f"{method} {url}: {r.status_code} {r.text[:200]}"
        assert SECRET_COMPANY not in r.text and "Zoe Quill" not in r.text
    assert tried >= 60
    assert _snapshot(server_db, ben) == before, "another account's data changed"
    # the same routes find the seeker's own records (the ids were not simply wrong)
    for path in ("/interviews/{interview_id}", "/api/applications/{application_id}",
                 "/api/interviews/{interview_id}/timeline", "/interviews/{interview_id}/prep"):  # fmt: skip
        r = client.get(PARAM.sub(lambda m: mine[m.group(1)], path))
        assert r.status_code == 200, f"{path}: {r.status_code}"


def test_every_route_without_a_session_answers_401_or_sends_to_sign_in(
    server_db: ServerDb, server_app: Callable[[], TestClient], two_seekers: tuple[int, int]
) -> None:
    ana, _ = two_seekers
    mine = _ids(server_db.owner, ana)
    mine["cohort_id"] = _cohort(server_db.owner)
    mine["name"] = "rubric"
    client = server_app()
    before = _snapshot(server_db, ana)
    open_routes = {"/signin", "/signout", "/api/openapi.json", "/reset", "/reset/{token}",
                   "/welcome/{token}"}  # fmt: skip
    for method, path in _routes(client):
        if path in open_routes:
            continue
        url = PARAM.sub(lambda m: mine[m.group(1)], path)
        r = client.request(method, url, headers=csrf(client), **_body(method, path))
        if r.status_code in (307, 308):  # an old address moved (/pipeline): its new one
            r = client.request(method, r.headers["location"], headers=csrf(client))
        if path.startswith("/api/"):
            assert r.status_code == 401, f"{method} {url}: {r.status_code}"
            assert r.json() == {"error": "sign in first: POST /signin with email and password"}
        else:
            assert r.status_code == 303, f"{method} {url}: {r.status_code}"
            assert r.headers["location"].startswith("/signin?next=")
    assert _snapshot(server_db, ana) == before
