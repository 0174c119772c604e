"""What every answer says about itself: a 405 names the methods allowed (`Allow`), and the
pages, the API and the charts are never taken from a cache (they show the current state)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(
    "method, path, allowed",
    [
        ("DELETE", "/api/today", {"GET"}),
        ("POST", "/api/today", {"GET"}),
        ("PUT", "/", {"GET"}),
        ("DELETE", "/stats.svg", {"GET"}),
    ],
)
def test_a_405_says_what_is_allowed(
    client: TestClient, method: str, path: str, allowed: set[str]
) -> None:
    r = client.request(
        method, path, headers={"X-CSRF-Token": client.cookies.get("afterview_csrf") or ""}
    )
    assert r.status_code == 405
    assert allowed <= {m.strip() for m in r.headers["allow"].split(",")}


@pytest.mark.parametrize("path", ["/", "/api/today", "/api/stats", "/stats.svg", "/interviews"])
def test_current_state_is_never_cached(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["cache-control"] == "no-store"
    assert r.headers.get_list("cache-control") == ["no-store"]


def test_static_files_may_be_cached(client: TestClient) -> None:
    r = client.get("/static/app.css")
    assert r.status_code == 200
    assert "no-store" not in r.headers.get("cache-control", "")
