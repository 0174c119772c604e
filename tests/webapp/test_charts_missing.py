"""The web app without matplotlib (the `charts` extra): the Stats and Insights pages
say what to install where their charts would be, and the chart addresses answer 404
with the same line. (`sys.modules["matplotlib"] = None` stands for "not installed":
the library cannot be uninstalled from the shared test environment.)"""

from __future__ import annotations

import sys

import pytest
from fastapi.testclient import TestClient

from tests.webapp.test_app import add_interview, api, post


def test_pages_say_what_the_charts_need(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    iv = add_interview(client)
    application = {"company": "Globex", "role": "R", "applied_on": "2026-09-14"}
    api(client, "POST", "/api/applications", application)
    post(client, f"/interviews/{iv}/assess", {"score_answers": "4", "confidence": "60"})
    assert 'src="/stats.svg' in client.get("/stats").text
    assert 'src="/insights/trends.svg' in client.get("/insights").text
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    for page, chart in (("/stats", "/stats.svg"), ("/insights", "/insights/trends.svg")):
        text = client.get(page).text
        assert "charts need matplotlib" in text and "afterview[charts]" in text
        assert 'class="chart"' not in text
        r = client.get(chart)
        assert r.status_code == 404 and "charts need matplotlib" in r.text
