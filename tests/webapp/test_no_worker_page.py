"""The web app started without its worker (`serve --no-worker`; the in-process test app
runs none): approving a draft says on the page whether another worker sends it, else
the command that starts one; the header says the same on every page (another worker's
last pass read again every 30 s of the app's clock, not on every page)."""

from __future__ import annotations

import html
from datetime import timedelta

from fastapi.testclient import TestClient

from tests.cli.helpers import Afterview
from tests.webapp.conftest import NOW, Clock
from tests.webapp.test_edited_drafts import form
from tests.webapp.test_outbox_page import _interview, _mail_setup


def _approve(client: TestClient, action: str) -> str:
    shown = client.get(f"/drafts/{action}")
    assert shown.status_code == 200
    r = form(client, f"/drafts/{action}", {"subject": "Thanks", "body": "Hi.", "do": "approve"})
    assert r.status_code == 303, r.text
    return html.unescape(client.get(r.headers["location"]).text)


def test_an_approval_says_who_sends_it(client: TestClient, av: Afterview, clock: Clock) -> None:
    _mail_setup(av)
    iv = _interview(client, "Acme", "2026-09-15T16:00", "Ana Lopez <ana@acme.example>")
    page = _approve(client, f"thank_you:{iv}:1")
    assert "Approved, but nothing is sending" in page
    assert "`afterview service install`" in page
    assert "no worker runs: `afterview service install` keeps one running" in page  # header

    # a worker beside the app (`afterview run`), 3 minutes ago on the app's clock
    av.ok("outbox", "cancel", "1", now="2026-09-15T17:30")
    av.ok("run", "--once", now=(NOW - timedelta(minutes=3)).isoformat())
    page = _approve(client, f"thank_you:{iv}:1")
    assert "sending is off in this app, and the worker running beside it sends it" in page
    # the header reads another worker's pass again when its reading is 30 s old
    clock.at = NOW + timedelta(seconds=30)
    page = html.unescape(client.get("/outbox").text)
    assert "a worker sends (checked today 17:27)" in page
    # 20 minutes later, it has stopped: the header says so (no write needed to see it)
    clock.at = NOW + timedelta(minutes=20)
    page = html.unescape(client.get("/outbox").text)
    assert "no worker runs: `afterview service install`" in page
