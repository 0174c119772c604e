"""The board: applications by stage in columns (wishlist, applied, interviewing, offer,
closed), each card moved with plain forms (no script needed) or `PATCH
/api/applications/{id}`; a move holds from its moment, never touches the agenda, and
`applied` with no applied day means applied today. Long columns show their first 25.
The 5-year history stays within budget."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from tests.cli.helpers import Afterview
from tests.webapp.conftest import Clock
from tests.webapp.five_years import BUDGET_BYTES, BUDGET_SECONDS, history_client, p95_and_size
from tests.webapp.test_app import add_interview, api, post, token
from tests.webapp.test_contrast import CSS, VARS, contrast

PAGES = Path(__file__).parent.parent / "sources" / "pages"
STAGES = ["lead", "applied", "interviewing", "offer", "closed"]


def board(client: TestClient) -> dict[str, list[int]]:
    """The ids of the cards in each column, top down, as the page shows them."""
    html = client.get("/board").text
    out: dict[str, list[int]] = {}
    for stage, body in re.findall(
        r'<section class="column" id="col-(\w+)" data-stage="\w+"[^>]*>(.*?)</section>', html, re.S
    ):
        out[stage] = [int(i) for i in re.findall(r'<li class="app-card" id="app-(\d+)">', body)]
    return out


def add(client: TestClient, company: str, day: str | None = "2026-09-10") -> int:
    body = {"company": company, "role": "Engineer", **({"applied_on": day} if day else {})}
    r = api(client, "POST", "/api/applications", body)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def record(client: TestClient, app_id: int) -> dict[str, object]:
    r = api(client, "GET", f"/api/applications/{app_id}")
    assert r.status_code == 200, r.text
    body: dict[str, object] = r.json()
    return body


def test_columns_and_moves_with_plain_forms(client: TestClient, av: Afterview) -> None:
    av.ok("lead", "add", str(PAGES / "salary_range.html"), now="2026-09-15T10:00")
    lead = int(api(client, "GET", "/api/applications?stage=lead").json()["applications"][0]["id"])
    globex = add(client, "Globex")
    iv = add_interview(client, company="Acme")  # ended, awaiting a decision
    acme = int(client.get(f"/api/interviews/{iv}").json()["application_id"])
    page = client.get("/board").text
    assert [s for s in re.findall(r'data-stage="(\w+)"', page)] == STAGES
    assert [h for h in re.findall(r'<h2 id="col-\w+-h">(\w+)', page)] == [
        "Wishlist", "Applied", "Interviewing", "Offer", "Closed",
    ]  # fmt: skip
    assert board(client) == {
        "lead": [lead], "applied": [globex], "interviewing": [acme], "offer": [], "closed": [],
    }  # fmt: skip
    assert "awaiting" in page and "None yet." in page

    # The wishlist's next button: applied, today (in Paris), counted for this week.
    week = api(client, "GET", "/api/applications").json()["week"]["applied"]
    r = post(client, f"/applications/{lead}/stage", {"to": "applied", "back": "board"})
    assert r.status_code == 303 and r.headers["location"] == f"/board?msg=moved#app-{lead}"
    assert board(client)["applied"] == [lead, globex]  # the latest news first
    moved = record(client, lead)
    assert moved["applied_on"] == "2026-09-15" and moved["placed"] is False
    assert api(client, "GET", "/api/applications").json()["week"]["applied"] == week + 1
    assert "Moved on the board." in client.get("/board?msg=moved").text

    # The "Move to…" choice (no button value): Globex straight to an offer, placed by hand.
    r = post(client, f"/applications/{globex}/stage", {"stage": "offer", "back": "board"})
    assert r.status_code == 303
    assert board(client)["offer"] == [globex]
    shown = record(client, globex)
    assert shown["stage"] == "offer" and shown["placed"] is True
    assert shown["facts_stage"] == "applied"
    assert "moved here" in client.get("/board").text
    # back where its facts put it: it follows them again
    post(client, f"/applications/{globex}/stage", {"to": "applied", "stage": "closed"})
    assert record(client, globex)["placed"] is False and globex in board(client)["applied"]

    # From its own page, back to it.
    r = post(client, f"/applications/{acme}/stage", {"stage": "closed", "back": "record"})
    assert r.headers["location"] == f"/applications/{acme}?msg=moved"
    assert board(client)["closed"] == [acme]
    assert "you moved it here" in client.get(f"/applications/{acme}").text


def test_a_move_never_touches_the_agenda_and_holds_from_its_moment(
    client: TestClient, clock: Clock
) -> None:
    iv = add_interview(client, company="Acme")
    acme = int(client.get(f"/api/interviews/{iv}").json()["application_id"])
    agenda = api(client, "GET", "/api/today?all=true").json()
    assert agenda["actions"]
    clock.at += timedelta(minutes=5)
    before = api(client, "GET", "/api/today?all=true").json()
    r = api(client, "PATCH", f"/api/applications/{acme}", {"stage": "closed"})
    assert r.status_code == 200 and r.json()["stage"] == "closed"
    assert api(client, "GET", "/api/today?all=true").json() == before
    assert board(client)["closed"] == [acme]
    # before the move (a --now in the past): where its facts put it, and the same plan
    clock.at -= timedelta(minutes=5)
    assert board(client)["interviewing"] == [acme]
    assert api(client, "GET", "/api/today?all=true").json() == agenda


def test_bad_moves_are_refused_and_change_nothing(client: TestClient) -> None:
    globex = add(client, "Globex")
    before = record(client, globex)
    for data, status, said in (
        ({"to": "nope"}, 422, "stage:"),
        ({"stage": "Applied"}, 422, "stage:"),
        ({}, 422, "stage:"),
        ({"to": "offer\x00"}, 422, "stage:"),
    ):
        r = post(client, f"/applications/{globex}/stage", data)
        assert r.status_code == status and said in r.text, (data, r.status_code)
    assert post(client, "/applications/999/stage", {"to": "offer"}).status_code == 404
    assert post(client, "/applications/x/stage", {"to": "offer"}).status_code == 422
    assert post(client, "/applications/0/stage", {"to": "offer"}).status_code == 422
    # no CSRF token, or from another site
    r = client.post(f"/applications/{globex}/stage", data={"to": "offer"})
    assert r.status_code == 403
    r = client.post(
        f"/applications/{globex}/stage",
        data={"to": "offer", "csrf_token": token(client)},
        headers={"Origin": "http://attacker.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert r.status_code == 403
    # the API twin: strict body, the field named
    for body in ({"stage": "nope"}, {"stage": 1}, {"stage": "offer", "x": 1}, {"notes": 5}):
        r = api(client, "PATCH", f"/api/applications/{globex}", body)
        assert r.status_code == 422, body
    assert (
        api(client, "PATCH", f"/api/applications/{globex}", {"stage": "x"}).json()["field"]
        == "stage"
    )
    assert api(client, "PATCH", "/api/applications/999", {"stage": "offer"}).status_code == 404
    r = api(client, "PATCH", f"/api/applications/{globex}", {"stage": "offer", "notes": "a\x00b"})
    assert r.status_code == 422 and r.json()["field"] == "notes"
    assert record(client, globex) == before  # nothing half-written


def test_the_api_twin_moves_and_notes(client: TestClient) -> None:
    globex = add(client, "Globex", day=None)  # applied today by default
    r = api(client, "PATCH", f"/api/applications/{globex}", {"stage": "interviewing"})
    assert r.json()["stage"] == "interviewing" and r.json()["placed"] is True
    r = api(client, "PATCH", f"/api/applications/{globex}", {"stage": None, "notes": "Call Ana"})
    assert r.json()["stage"] == "applied" and r.json()["notes"] == "Call Ana"
    assert api(client, "PATCH", f"/api/applications/{globex}", {}).json()["notes"] == "Call Ana"
    r = api(client, "PATCH", f"/api/applications/{globex}", {"notes": None})
    assert r.json()["notes"] is None
    cols = api(client, "GET", "/api/board").json()["columns"]
    assert [c["stage"] for c in cols] == STAGES
    assert cols[1]["count"] == 1 and cols[1]["cards"][0]["company"] == "Globex"
    schema = client.get("/api/openapi.json").json()
    assert "patch" in schema["paths"]["/api/applications/{application_id}"]
    assert "get" in schema["paths"]["/api/board"]


def test_a_long_column_shows_its_first_cards_and_leads_to_the_list(client: TestClient) -> None:
    for n in range(30):
        add(client, f"Firm {n:02d}", day=f"2026-08-{n + 1:02d}")
    cols = board(client)
    assert len(cols["applied"]) == 25
    page = client.get("/board").text
    assert '<a href="/applications?stage=applied">Show all 30</a>' in page
    listed = client.get("/applications?stage=applied").text
    assert "1–30 of 30" not in listed and listed.count('data-label="Company"') == 30


def test_the_board_has_no_inline_script_or_style(client: TestClient) -> None:
    add(client, "Globex")
    page = client.get("/board").text
    assert "<script>" not in page and " style=" not in page
    assert not re.search(r"\son\w+=", page)
    csp = client.get("/board").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    # the column's colour keeps its text readable
    column = re.search(r"\.column \{ background: (#[0-9a-fA-F]{6})", CSS)
    assert column is not None
    for name in ("fg", "muted", "accent"):
        assert contrast(VARS[name], column.group(1)) >= 4.5, name


def test_five_years_on_the_board_within_budget(tmp_path: Path) -> None:
    with history_client(tmp_path / "five") as client:
        p95, size = p95_and_size(client, "/board")
        assert p95 < BUDGET_SECONDS, f"{p95 * 1000:.0f} ms"
        assert size < BUDGET_BYTES, f"{size} bytes"
        cols = board(client)
        assert all(len(cards) <= 25 for cards in cols.values())
        counts = {
            c["stage"]: c["count"] for c in api(client, "GET", "/api/board").json()["columns"]
        }
        assert sum(counts.values()) == 2000 and counts["applied"] > 25 and counts["closed"] > 25
        page = client.get("/board").text
        assert f"Show all {counts['applied']}" in page and f"Show all {counts['closed']}" in page
        # a move on the full history, then the board again: still within budget
        first = cols["applied"][0]
        r = post(client, f"/applications/{first}/stage", {"to": "offer", "back": "board"})
        assert r.status_code == 303
        assert board(client)["offer"][0] == first
        p95, size = p95_and_size(client, "/board")
        assert p95 < BUDGET_SECONDS and size < BUDGET_BYTES
