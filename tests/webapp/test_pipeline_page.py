"""The pipeline on a long search: each status shows its first 25 applications and a link
to show that status whole; a status that is not one is refused."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.webapp.test_app import post


def test_a_long_status_shows_its_first_applications_then_all(client: TestClient) -> None:
    for n in range(30):
        r = post(
            client,
            "/applications",
            {"company": f"Firm {n:02d}", "role": "Engineer", "applied_on": "2026-09-10"},
        )
        assert r.status_code == 303
    page = client.get("/pipeline").text
    shown = page.count("<li>Firm ")
    assert shown == 25 and "Show all 30" in page
    link = page.split('href="/pipeline?full=')[1].split('"')[0]
    whole = client.get(f"/pipeline?full={link}").text
    assert whole.count("<li>Firm ") == 30 and "Show all" not in whole
    assert client.get("/pipeline?full=nope").status_code == 422
