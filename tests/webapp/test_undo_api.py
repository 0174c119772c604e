"""The change journal through the web app: every form and API write is a change named by
its page or route, `GET /api/history` lists them and `POST /api/undo` takes them back,
with the CSRF rule of every write (issue 18)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.webapp.test_app import add_interview, api, post, token


def changes(c: TestClient, **query: Any) -> list[dict[str, Any]]:
    r = c.get("/api/history", params=query)
    assert r.status_code == 200, r.text
    return list(r.json()["changes"])


def test_forms_and_api_writes_are_changes_named_by_their_route(client: TestClient) -> None:
    iv = add_interview(client)
    r = post(client, f"/actions/thank_you:{iv}:1/done", {})
    assert r.status_code == 303
    r = api(client, "POST", f"/api/interviews/{iv}/outcome", {"result": "next_round"})
    assert r.status_code == 200, r.text
    found = changes(client)
    assert [c["source"] for c in found] == [
        "POST /api/interviews/{interview_id}/outcome",
        "POST /actions/{action_id}/done",
        "POST /api/interviews",
    ]
    assert found[0]["summary"] == f"added outcome {iv}"
    assert found[2]["summary"].startswith(f"added application 1, interview {iv}")
    assert found[0]["at"] == "2026-09-15T17:30:00+02:00"  # the app's clock, the user's zone
    assert not any(c["undone"] for c in found)
    assert [c["id"] for c in changes(client, limit=1)] == [found[0]["id"]]
    # reading pages writes nothing worth a change (the agenda's cache is not journaled)
    client.get("/")
    client.get(f"/interviews/{iv}")
    assert len(changes(client)) == 3


def test_undo_takes_back_the_latest_then_the_one_before(client: TestClient) -> None:
    iv = add_interview(client)
    api(client, "POST", f"/api/interviews/{iv}/outcome", {"result": "offer"})
    r = api(client, "POST", "/api/undo")
    assert r.status_code == 200, r.text
    body = r.json()
    assert [c["source"] for c in body["undone"]] == ["POST /api/interviews/{interview_id}/outcome"]
    assert body["undone"][0]["undone"] is True and body["kept"] == []
    assert body["line"].startswith("Undone: POST /api/interviews/{interview_id}/outcome (")
    assert client.get(f"/api/interviews/{iv}").json()["outcome"] is None
    r = api(client, "POST", "/api/undo", {})
    assert r.status_code == 200
    assert client.get("/api/interviews").json() == []
    r = api(client, "POST", "/api/undo")
    assert r.status_code == 409 and r.json()["error"].startswith("nothing to undo")
    # the undos themselves are no changes: the history still has the two, undone
    assert [c["undone"] for c in changes(client)] == [True, True]


def test_undo_one_change_or_from_one_on(client: TestClient) -> None:
    first = add_interview(client)
    add_interview(client, company="Globex")
    api(client, "POST", f"/api/interviews/{first}/outcome", {"result": "rejected"})
    ids = [c["id"] for c in changes(client)]  # newest first
    r = api(client, "POST", "/api/undo", {"change": ids[1]})  # the second interview alone
    assert r.status_code == 200, r.text
    assert [i["id"] for i in client.get("/api/interviews").json()] == [first]
    assert client.get(f"/api/interviews/{first}").json()["outcome"]["result"] == "rejected"
    r = api(client, "POST", "/api/undo", {"change": ids[1]})
    assert r.status_code == 409 and "undone already" in r.json()["error"]
    r = api(client, "POST", "/api/undo", {"change": ids[2]})  # the outcome builds on it
    assert r.status_code == 409
    assert f"change {ids[0]}" in r.json()["error"] and f"--to {ids[2]}" in r.json()["error"]
    r = api(client, "POST", "/api/undo", {"to": ids[2]})
    assert r.status_code == 200
    assert [c["id"] for c in r.json()["undone"]] == [ids[0], ids[2]]
    assert client.get("/api/interviews").json() == []


def test_undo_refuses_bad_input_and_forged_requests(client: TestClient) -> None:
    add_interview(client)
    r = api(client, "POST", "/api/undo", {"change": 1, "to": 1})
    assert r.status_code == 422 and r.json()["field"] == "to"
    r = api(client, "POST", "/api/undo", {"change": "1"})
    assert r.status_code == 422
    r = api(client, "POST", "/api/undo", {"change": 0})
    assert r.status_code == 422
    r = api(client, "POST", "/api/undo", {"change": 999})
    assert r.status_code == 404 and "no such change" in r.json()["error"]
    assert client.get("/api/history", params={"limit": 0}).status_code == 422
    assert client.get("/api/history", params={"limit": "x"}).status_code == 422
    r = client.post("/api/undo", json={})  # no CSRF header
    assert r.status_code == 403
    r = client.post(
        "/api/undo",
        json={},
        headers={"X-CSRF-Token": token(client), "Origin": "http://attacker.example"},
    )
    assert r.status_code == 403
    assert len(client.get("/api/interviews").json()) == 1
    assert not any(c["undone"] for c in changes(client))


def test_the_schema_documents_history_and_undo(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "get" in paths["/api/history"] and "post" in paths["/api/undo"]
    assert "409" in paths["/api/undo"]["post"]["responses"]
