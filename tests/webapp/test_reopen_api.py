"""`POST /api/actions/{id}/reopen`, the twin of `afterview reopen`, with the CSRF rule of
every write; refusals as 409, an unknown id 404, a malformed one 422, nothing written."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.webapp.test_app import add_interview, api


def _state(client: TestClient, action_id: str) -> str:
    actions = client.get("/api/today", params={"all": "true"}).json()["actions"]
    return next(a["state"] for a in actions if a["id"] == action_id)


def test_reopen_through_the_api(client: TestClient) -> None:
    iv = add_interview(client)
    action = f"thank_you:{iv}:1"
    assert api(client, "POST", f"/api/actions/{action}/done", {}).status_code == 200
    assert _state(client, action) == "done"
    # without the CSRF token: refused, nothing changed
    r = client.post(f"/api/actions/{action}/reopen")
    assert r.status_code == 403 and _state(client, action) == "done"
    r = api(client, "POST", f"/api/actions/{action}/reopen")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["id"] == action and body["state"] == "open"
    assert [x["record"] for x in body["removed"]] == ["touch"]
    assert _state(client, action) == "open"
    # again: it has not ended
    r = api(client, "POST", f"/api/actions/{action}/reopen")
    assert r.status_code == 409 and "nothing to reopen" in r.json()["error"]
    r = api(client, "POST", "/api/actions/thank_you:99:1/reopen")
    assert r.status_code == 404
    r = api(client, "POST", "/api/actions/nonsense/reopen")
    assert r.status_code == 422 and r.json()["field"] == "action_id"
    # a skip, then reopen: the interview's page shows it live again
    r = api(client, "POST", f"/api/actions/self_assess:{iv}/skip", {"why": "no time"})
    assert r.status_code == 200
    assert api(client, "POST", f"/api/actions/self_assess:{iv}/reopen").json()["state"] == "ideal"
    assert _state(client, f"self_assess:{iv}") == "ideal"
