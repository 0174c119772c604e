"""One application's page: what it is and where it stands, what the posting said, its
interviews (each a link), its actions with their states, its story in time order
(messages sent and received, the outbox, outcomes) and the user's notes; ids only in
the command-line details; 404 for an unknown one; within budget on the 5-year history."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from afterview.store import mail as mailstore
from afterview.store.db import connect
from tests.cli.helpers import Afterview
from tests.webapp.conftest import Clock
from tests.webapp.five_years import BUDGET_BYTES, BUDGET_SECONDS, history_client, p95_and_size
from tests.webapp.test_app import PAYLOAD, add_interview, api, post

PAGES = Path(__file__).parent.parent / "sources" / "pages"


def visible(html: str) -> str:
    """The page's text as shown, without the command-line details."""
    main = html.split("<main", 1)[-1]
    main = re.sub(r'<details class="id">.*?</details>', "", main, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def section(html: str, heading_id: str) -> str:
    """The section a heading opens (its HTML)."""
    return html.split(f'aria-labelledby="{heading_id}"', 1)[1].split("</section>", 1)[0]


def test_the_story_of_an_application(client: TestClient, clock: Clock, db_url: str) -> None:
    iv = add_interview(client, company="Acme", decision_by="2026-09-25")
    app = int(client.get(f"/api/interviews/{iv}").json()["application_id"])
    r = api(
        client,
        "POST",
        f"/api/interviews/{iv}/touches",
        {"direction": "sent", "kind": "thank_you", "to": "Ana Lopez <ana@acme.example>",
         "note": "by e-mail"},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    api(client, "POST", f"/api/interviews/{iv}/touches", {"direction": "received", "note": "soon"})
    api(client, "PUT", f"/api/interviews/{iv}/assessment", {"scores": {"rapport": 4}})
    at = datetime(2026, 9, 16, 8, 0, tzinfo=UTC)
    db = connect(db_url)
    try:
        with db.transaction():  # a message waiting in the outbox (what approving writes)
            mailstore.add_outbox(
                db, 1, interview_id=iv, action_id=f"thank_you:{iv}:2", kind="thank_you",
                person_id=2, to_name="Ben Okafor", to_email="ben@acme.example",
                subject="Thank you, Ben", body="Dear Ben,\n", message_id="<m1@example.org>",
                send_at=at, due_at=at, forced=False, now=clock.at, written_for=at,
            )  # fmt: skip
    finally:
        db.close()
    page = client.get(f"/applications/{app}")
    assert page.status_code == 200
    html = page.text
    text = visible(html)
    assert '<h1>Acme <span class="muted">Data Engineer</span></h1>' in html
    assert "Stage Interviewing" in text and "Status awaiting" in text and "Applied not yet" in text
    interviews = section(html, "iv-h")
    assert f'<a href="/interviews/{iv}">' in interviews and "Ana Lopez, Ben Okafor" in interviews
    timeline = section(html, "tl-h")
    events = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", timeline))
    assert events.index("Interview with Ana Lopez") < events.index("Added")  # added after it
    assert events.index("Added") < events.index("You sent") < events.index("Waiting to be")
    assert "You sent a thank-you to Ana Lopez" in events and "by e-mail" in events
    assert "They wrote" in events and "soon" in events
    assert "Waiting to be sent to Ben Okafor: Thank you, Ben" in events
    assert "Self-assessment written" in events
    assert f'href="/interviews/{iv}"' in timeline
    actions = section(html, "act-h")
    assert "Done" in actions and "Thank-you" in actions
    assert f'href="/drafts/thank_you%3A{iv}%3A2"' in actions  # Ben's, still to write
    # no internal id or command-line hint outside the details for power users
    shown, details = html.split('<details class="id">', 1)
    assert "<code>" not in shown and "afterview " not in text
    assert f"<code>{app}</code>" in details
    # the outcome comes last, and moves it to the Offer column
    api(client, "POST", f"/api/interviews/{iv}/outcome", {"result": "offer"})
    again = visible(client.get(f"/applications/{app}").text)
    assert "Outcome: offer" in again and "Stage Offer" in again
    # the JSON twin
    body = api(client, "GET", f"/api/applications/{app}").json()
    assert body["stage"] == "offer" and [i["id"] for i in body["interviews"]] == [iv]
    assert Counter(e["kind"] for e in body["timeline"]) >= Counter(
        {"added": 1, "interview": 1, "touch": 2, "outbox": 1, "assessment": 1, "outcome": 1}
    )
    # a --now before the messages: they are not shown yet; the interview (a plan) is
    clock.at = datetime(2026, 9, 14, 12, 0, tzinfo=UTC)
    early = api(client, "GET", f"/api/applications/{app}").json()
    assert {e["kind"] for e in early["timeline"]} <= {"added", "interview", "outbox"}
    assert early["stage"] == "interviewing"


def test_a_lead_shows_its_posting_and_notes_are_kept(client: TestClient, av: Afterview) -> None:
    av.ok("lead", "add", str(PAGES / "salary_range.html"), now="2026-09-15T10:00")
    app = int(api(client, "GET", "/api/applications?stage=lead").json()["applications"][0]["id"])
    html = client.get(f"/applications/{app}").text
    posting = visible(section(html, "lead-h"))
    lead = api(client, "GET", f"/api/applications/{app}").json()["lead"]
    assert lead is not None and lead["source"] == "file"
    assert "Salary" in posting and "Found through file" in posting
    if lead["location"]:
        assert lead["location"] in posting
    assert "Stage Wishlist" in visible(html) and "Applied not yet" in visible(html)
    assert "No interview yet" in html and "Saved from the job posting" in html
    assert f"<code>afterview application apply {app}</code>" in html
    # notes: saved, shown as text, cleared; hostile text inert; control characters refused
    r = post(client, f"/applications/{app}/notes", {"notes": f"Ask about remote.\n{PAYLOAD}"})
    assert r.status_code == 303 and r.headers["location"] == f"/applications/{app}?msg=saved"
    html = client.get(f"/applications/{app}").text
    assert "Ask about remote." in html and "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    r = post(client, f"/applications/{app}/notes", {"notes": "bad\x00note"})
    assert r.status_code == 422 and "notes:" in r.text
    assert "Ask about remote." in client.get(f"/applications/{app}").text
    post(client, f"/applications/{app}/notes", {"notes": "  "})
    assert api(client, "GET", f"/api/applications/{app}").json()["notes"] is None
    assert post(client, "/applications/999/notes", {"notes": "x"}).status_code == 404


def test_an_unknown_application_is_a_404_page(client: TestClient) -> None:
    r = client.get("/applications/999")
    assert r.status_code == 404 and "Not found" in r.text and "<main" in r.text
    assert client.get("/api/applications/999").status_code == 404
    for bad in ("x", "0", "-1", "1.0", "١", "99999999999999999999999"):
        assert client.get(f"/applications/{bad}").status_code == 422, bad
        assert client.get(f"/api/applications/{bad}").status_code == 422, bad


def test_interview_notes_show_on_the_application(client: TestClient) -> None:
    iv = add_interview(client, company="Acme")
    app = int(client.get(f"/api/interviews/{iv}").json()["application_id"])
    api(client, "PATCH", f"/api/interviews/{iv}", {"notes": "They run Kafka."})
    notes = section(client.get(f"/applications/{app}").text, "notes-h")
    assert "They run Kafka." in notes and f'href="/interviews/{iv}"' in notes


def test_the_busiest_application_of_five_years_within_budget(tmp_path: Path) -> None:
    with history_client(tmp_path / "five") as client:
        interviews = api(client, "GET", "/api/interviews").json()
        most = Counter(i["application_id"] for i in interviews).most_common(1)[0][0]
        for path in (f"/applications/{most}", "/applications/1"):
            p95, size = p95_and_size(client, path)
            assert p95 < BUDGET_SECONDS, f"{path}: {p95 * 1000:.0f} ms"
            assert size < BUDGET_BYTES, f"{path}: {size} bytes"
        body = api(client, "GET", f"/api/applications/{most}").json()
        assert len(body["interviews"]) >= 3 and body["actions"] and body["timeline"]
