"""Agenda truth in the web app: lapsed actions, changes seen to the second, the API schema."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from tests.webapp.conftest import Clock
from tests.webapp.test_app import NOW, add_interview, api, post


def test_a_quiet_fortnight_leaves_only_what_can_still_help(
    client: TestClient, clock: Clock
) -> None:
    iv = add_interview(client)  # Tue 09-15 16:00-17:00 Paris
    clock.at = NOW + timedelta(days=16)
    live = {a["id"]: a for a in client.get("/api/today").json()["actions"]}
    assert set(live) == {f"follow_up:{iv}:1", "keep_searching:2026-W40"}
    assert live[f"follow_up:{iv}:1"]["state"] == "overdue"
    assert live[f"follow_up:{iv}:1"]["lapses_at"] == "2026-10-13T17:00:00+02:00"
    everything = {a["id"]: a for a in client.get("/api/today?all=true").json()["actions"]}
    assert everything[f"thank_you:{iv}:1"]["state"] == "lapsed"
    assert everything[f"thank_you:{iv}:1"]["ended_at"] == "2026-09-22T17:00:00+02:00"
    page = client.get("/").text
    assert f"thank_you:{iv}:1" not in page and "Overdue" in page
    assert "Lapsed" in client.get("/?all=1").text or "Lapsed" in client.get("/?all=true").text
    # done on a lapsed action: refused, with the day it lapsed, and nothing written
    r = api(client, "POST", f"/api/actions/thank_you:{iv}:1/done", {})
    assert r.status_code == 409, r.text
    assert "lapsed on Tue 22 Sep 2026 17:00" in r.text
    r = post(client, f"/actions/self_assess:{iv}/skip", {"why": "late"})
    assert r.status_code in (303, 409)
    everything = {a["id"]: a for a in client.get("/api/today?all=true").json()["actions"]}
    assert everything[f"self_assess:{iv}"]["state"] == "lapsed"


def test_a_change_is_seen_the_second_after_it_is_made(client: TestClient, clock: Clock) -> None:
    # The clock runs on seconds (not --now): a page read 5 s after Done no longer lists
    # the action, though both fall within the same minute.
    iv = add_interview(client)
    clock.at = NOW + timedelta(seconds=35)
    listed = [a["id"] for a in client.get("/api/today").json()["actions"]]
    assert f"thank_you:{iv}:1" in listed
    assert api(client, "POST", f"/api/actions/thank_you:{iv}:1/done", {}).status_code == 200
    clock.at = NOW + timedelta(seconds=40)
    listed = [a["id"] for a in client.get("/api/today").json()["actions"]]
    assert f"thank_you:{iv}:1" not in listed
    assert f"thank_you:{iv}:1" not in client.get("/").text
    assert f"thank_you:{iv}:1" not in client.get(f"/interviews/{iv}").text.split("Ended")[0]


def test_the_api_schema_names_the_states(client: TestClient) -> None:
    schema = client.get("/api/openapi.json")
    if schema.status_code == 404:
        schema = client.get("/openapi.json")
    text = schema.text
    assert "lapsed" in text and "lapses_at" in text


def test_ids_and_commands_wait_in_a_details_element(client: TestClient) -> None:
    iv = add_interview(client)
    page = client.get("/").text
    assert "id: <code>" not in page
    card = page.split('id="action-thank_you')[1].split("</article>")[0]
    before, _, inside = card.partition('<details class="id">')
    assert f"thank_you:{iv}:1" not in before.split("</h3>", 1)[1]
    assert f"afterview done thank_you:{iv}:1" in inside
