"""Today in the web app reads the agenda's stored bounds (`services/live.py`), as the CLI
does: before a view is built the bounds it needs are stored (`live.keep_bounds`, outside
the read-only snapshot), and the view reads them without writing.

On the demo, at moments days apart and after writes through the API, `/api/today` and
the Today page list exactly the live actions a full recomputation lists; the bounds are
stored by the first request; a write forgets its interview's bound and the next request
stores it again.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from afterview.config import Config
from afterview.core.plan import agenda, plan
from afterview.services.context import Context, open_database
from afterview.services.demo import fill_demo
from tests.webapp.conftest import Clock
from tests.webapp.test_app import add_interview, api
from tests.webapp.test_today_page import cards

START = datetime(2026, 11, 27, 11, 0, tzinfo=UTC)


def _expected(db_url: str, at: datetime) -> list[str]:
    """The agenda's ids at `at` from every fact (no bounds involved)."""
    db = open_database(db_url)
    try:
        ctx = Context(db, Config(path="none", timezone="Europe/Paris"), at, True)
        pb = ctx.config.playbook
        return [a.id for a in agenda(plan(ctx.facts(), at, pb), at, pb)]
    finally:
        db.close()


def _bounds(db_url: str) -> tuple[int, int]:
    """(bounds stored, bounds forgotten) in interview_quiet."""
    db = open_database(db_url)
    try:
        rows = db.query("SELECT quiet_from IS NULL FROM interview_quiet")
        return sum(1 for r in rows if not r[0]), sum(1 for r in rows if r[0])
    finally:
        db.close()


def test_today_lists_what_the_whole_plan_lists_from_the_bounds(
    client: TestClient, clock: Clock, db_url: str
) -> None:
    db = open_database(db_url)
    try:
        fill_demo(Context(db, Config(path="none", timezone="Europe/Paris"), START, True))
    finally:
        db.close()
    clock.at = START
    stored_before = _bounds(db_url)[0]
    ids = [a["id"] for a in client.get("/api/today").json()["actions"]]
    assert ids == _expected(db_url, START)
    assert _bounds(db_url)[0] > stored_before and _bounds(db_url)[1] == 0  # stored first
    iv = add_interview(client, start="2026-11-27T09:00", company="Initech")
    assert _bounds(db_url)[1] >= 1  # the new interview's bound is not known yet
    seen = 0
    for days in (0, 1, 3, 8, 15, 40, -2):
        clock.at = START + timedelta(days=days, hours=1)
        ids = [a["id"] for a in client.get("/api/today").json()["actions"]]
        assert ids == _expected(db_url, clock.at), days
        assert _bounds(db_url)[1] == 0, days  # kept up to date before each build
        shown = cards(client.get("/?full=true").text)
        assert [i.replace("%3A", ":") for i in shown] == ids, days
        seen += len(shown)
    assert seen > 10  # the pages listed work, not only empty days
    clock.at = START + timedelta(hours=2)
    before = [a["id"] for a in client.get("/api/today").json()["actions"]]
    thank = next(i for i in before if i.startswith(f"thank_you:{iv}:"))
    assert api(client, "POST", f"/api/actions/{thank}/done", {}).status_code == 200
    ids = [a["id"] for a in client.get("/api/today").json()["actions"]]
    assert thank not in ids and ids == _expected(db_url, clock.at)
