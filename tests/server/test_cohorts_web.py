"""Cohorts on a server: a coach invites, seekers join and decide what the coach sees; the
cohort page, its CSV and the API show only what each shares, and a withdrawal counts on
the next request. Other coaches, seekers and analysts see what their role allows, and
row-level security holds the same lines in raw SQL. Real PostgreSQL as the application's
role, the app in-process."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from afterview.server import cohorts
from afterview.services import records
from afterview.store.db import connect
from tests.server.conftest import ServerDb, add_account, context, csrf, sign_in

pytestmark = pytest.mark.postgres


class Centre:
    """A coach's cohort that two seekers joined, and clients signed in as each."""

    def __init__(self, server_db: ServerDb, new_client: Callable[[], TestClient]) -> None:
        owner = server_db.owner
        self.db = server_db
        self.ana = add_account(owner, "ana@example.org", demo=True)
        self.ben = add_account(owner, "ben@example.org")
        records.add_interview(context(owner, self.ben), "Zebra Analytics", "Engineer",
                              "2026-09-14T10:00", duration=60)  # fmt: skip
        records.note_interview(context(owner, self.ana), _first_iv(owner, self.ana),
                               ["their migration to Kafka"])  # fmt: skip
        self.coach_id = add_account(owner, "coach@example.org", role="coach")
        add_account(owner, "other-coach@example.org", role="coach")
        add_account(owner, "analyst@example.org", role="analyst")
        self.clients: dict[str, TestClient] = {}
        for who in ("ana", "ben", "coach", "other-coach", "analyst"):
            c = new_client()
            sign_in(c, f"{who}@example.org")
            self.clients[who] = c
        coach = self.clients["coach"]
        made = coach.post("/cohorts", data={"name": "Autumn data track"}, headers=csrf(coach))
        assert made.status_code == 303
        self.cohort = int(made.headers["location"].split("/")[2].split("?")[0])
        page = coach.post(f"/cohorts/{self.cohort}/invite", headers=csrf(coach))
        found = re.search(r"http://testserver(/join/[A-Za-z0-9_-]+)", page.text)
        assert found, page.text[:2000]
        self.join = found.group(1)
        for who in ("ana", "ben"):
            c = self.clients[who]
            assert "Join Autumn data track?" in c.get(self.join).text
            assert c.post(self.join, headers=csrf(c)).status_code == 303

    def api(self, who: str, path: str) -> tuple[int, dict[str, object]]:
        r = self.clients[who].get(path)
        return r.status_code, (
            r.json() if r.headers["content-type"].startswith("application/json") else {}
        )


def _first_iv(db: object, account: int) -> int:
    from afterview.store.db import Database

    assert isinstance(db, Database)
    row = db.one("SELECT MIN(id) FROM interview WHERE account_id = ?", (account,))
    assert row is not None
    return int(row[0])


@pytest.fixture
def centre(server_db: ServerDb, server_app: Callable[[], TestClient]) -> Centre:
    return Centre(server_db, server_app)


def _seekers(view: dict[str, object]) -> dict[str, dict[str, object]]:
    rows = view["seekers"]
    assert isinstance(rows, list)
    return {r["name"]: r for r in rows}


def test_the_coach_sees_each_seekers_figures_as_computed_for_them(centre: Centre) -> None:
    status, view = centre.api("coach", f"/api/cohorts/{centre.cohort}")
    assert status == 200
    rows = _seekers(view)
    assert set(rows) == {"ana", "ben"}
    expected, _ = cohorts.compute_figures(context(centre.db.owner, centre.ana))
    assert rows["ana"]["figures"] == expected
    assert expected["overdue"] + expected["due_this_week"] > 0  # the demo has work to do
    assert rows["ben"]["figures"]["awaiting"] == 1
    page = centre.clients["coach"].get(f"/cohorts/{centre.cohort}?sort=name")
    assert page.status_code == 200 and "ana" in page.text and "Zebra" not in page.text
    body = centre.clients["coach"].get(f"/cohorts/{centre.cohort}/figures.csv")
    assert body.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(body.text)))
    assert [r["seeker"] for r in table] == ["ana", "ben"]
    assert table[0]["overdue"] == str(expected["overdue"])


def test_what_a_seeker_shares_and_withdraws_counts_on_the_next_request(centre: Centre) -> None:
    coach, ana = centre.clients["coach"], centre.clients["ana"]
    page = f"/api/cohorts/{centre.cohort}/seekers/{centre.ana}"
    status, shared = centre.api("coach", page)
    assert status == 200 and shared["shares"] == ["figures"]
    assert shared["agenda"] is None and shared["interviews"] is None
    assert "Kafka" not in coach.get(page.removeprefix("/api")).text
    r = ana.put(f"/api/sharing/{centre.cohort}", json={"shares": ["figures", "notes"]},
                headers=csrf(ana))  # fmt: skip
    assert r.status_code == 200 and r.json() == {"shares": ["figures", "notes"]}
    _, shared = centre.api("coach", page)
    topics = [t for iv in shared["interviews"] for t in iv["topics"]]  # type: ignore[union-attr]
    assert "their migration to Kafka" in topics
    assert all("assessment" not in iv and "messages" not in iv for iv in shared["interviews"])  # type: ignore[union-attr]
    # withdraw everything: the very next request of the coach sees nothing
    r = ana.post(f"/sharing/{centre.cohort}", data={}, headers=csrf(ana))
    assert r.status_code == 303
    _, shared = centre.api("coach", page)
    assert shared["figures"] is None and shared["interviews"] is None
    _, view = centre.api("coach", f"/api/cohorts/{centre.cohort}")
    assert _seekers(view)["ana"]["figures"] is None
    csv_text = coach.get(f"/cohorts/{centre.cohort}/figures.csv").text
    assert csv_text.splitlines()[1].endswith(",no") and ",,,," in csv_text.splitlines()[1]
    # in raw SQL too: the coach's role sees no figures of ana any more
    raw = connect(centre.db.app_url)
    try:
        raw.use_account(centre.coach_id)
        rows = raw.query("SELECT account_id FROM seeker_summary")
        assert {r[0] for r in rows} == {centre.ben}
        assert raw.query("SELECT id FROM interview") == []  # never a seeker's own rows
    finally:
        raw.close()


def test_leaving_keeps_the_seekers_data_and_hides_them_from_the_coach(centre: Centre) -> None:
    ben = centre.clients["ben"]
    r = ben.post(f"/sharing/{centre.cohort}/leave", headers=csrf(ben))
    assert r.status_code == 303
    _, view = centre.api("coach", f"/api/cohorts/{centre.cohort}")
    assert set(_seekers(view)) == {"ana"}
    assert centre.api("coach", f"/api/cohorts/{centre.cohort}/seekers/{centre.ben}")[0] == 404
    assert "Zebra Analytics" in ben.get("/api/interviews").text
    assert ben.get("/api/sharing").json()["cohorts"] == []
    # the coach releases ana: the same
    coach = centre.clients["coach"]
    r = coach.post(f"/cohorts/{centre.cohort}/seekers/{centre.ana}/release", headers=csrf(coach))
    assert r.status_code == 303
    assert _seekers(centre.api("coach", f"/api/cohorts/{centre.cohort}")[1]) == {}


def test_each_role_sees_what_it_may_and_no_more(centre: Centre) -> None:
    cohort, seeker = f"/api/cohorts/{centre.cohort}", f"/seekers/{centre.ana}"
    # another coach: neither the cohort nor its seekers
    for path in (cohort, cohort + seeker, f"/cohorts/{centre.cohort}/figures.csv"):
        assert centre.clients["other-coach"].get(path).status_code == 404, path
    assert centre.api("other-coach", "/api/cohorts")[1] == {"cohorts": []}
    # a seeker of the cohort: not the cohort's page, not another seeker's
    for path in (cohort, cohort + seeker, f"/api/cohorts/{centre.cohort}/seekers/{centre.ben}"):
        assert centre.clients["ben"].get(path).status_code == 404, path
    # an analyst: every cohort's figures and CSV, never a seeker's page
    status, view = centre.api("analyst", cohort)
    assert status == 200 and set(_seekers(view)) == {"ana", "ben"}
    assert view["seeker_pages"] is False
    assert centre.clients["analyst"].get(f"/cohorts/{centre.cohort}/figures.csv").status_code == 200
    assert centre.clients["analyst"].get(cohort + seeker).status_code == 404
    # a coach cannot join a cohort; a seeker cannot make one
    coach = centre.clients["coach"]
    assert coach.post(centre.join, headers=csrf(coach)).status_code == 409
    ana = centre.clients["ana"]
    assert ana.post("/cohorts", data={"name": "mine"}, headers=csrf(ana)).status_code == 409
    # a seeker cannot share words that do not exist, nor with a cohort they are not in
    r = ana.put(f"/api/sharing/{centre.cohort}", json={"shares": ["mail_settings"]},
                headers=csrf(ana))  # fmt: skip
    assert r.status_code == 422
    other = centre.clients["other-coach"].post("/api/cohorts", json={"name": "B"},
                                               headers=csrf(centre.clients["other-coach"]))  # fmt: skip
    assert other.status_code == 201
    r = ana.put(f"/api/sharing/{other.json()['id']}", json={"shares": ["figures"]},
                headers=csrf(ana))  # fmt: skip
    assert r.status_code == 404


def test_a_name_a_spreadsheet_would_run_is_written_as_text(
    centre: Centre, server_db: ServerDb
) -> None:
    server_db.owner.execute("UPDATE account SET name = ? WHERE id = ?",
                            ("=HYPERLINK(\"http://evil.example\")", centre.ben))  # fmt: skip
    server_db.owner.conn.commit()
    text = centre.clients["coach"].get(f"/cohorts/{centre.cohort}/figures.csv").text
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
