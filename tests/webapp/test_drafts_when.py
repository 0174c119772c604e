"""The web editor and the API word afterview's drafts from the moment they go out: a draft
kept from an earlier day is composed again when shown (never "today" on the next day),
an approval writes afterview's words for the scheduled moment and the editor then shows
those words; the user's own words are never rewritten (real app in-process, real CLI,
real database on both engines)."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from afterview.store.db import connect
from tests.cli.helpers import Afterview
from tests.webapp.conftest import Clock
from tests.webapp.test_edited_drafts import api, form

MINE = "Dear Ana,\n\nThank you for today: it was a pleasure.\n\nSam"


def _interview(client: TestClient, start: str) -> int:
    r = api(
        client,
        "POST",
        "/api/interviews",
        {
            "company": "Acme",
            "role": "Data Engineer",
            "start": start,
            "duration": 60,
            "interviewers": ["Ana Lopez <ana@acme.example>"],
            "topics": ["the streaming migration"],
        },
    )
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def _mail_setup(av: Afterview) -> None:
    av.ok(
        "mail", "setup", "--smtp-host", "127.0.0.1", "--smtp-port", "2525",
        "--smtp-security", "none", "--from", "sam@example.org", now="2026-09-15T09:00",
    )  # fmt: skip


def _outbox(db_url: str) -> list[tuple[str, str, str]]:
    db = connect(db_url)
    try:
        return [
            (str(r[0]), str(r[1]), str(r[2]))
            for r in db.query("SELECT subject, body, send_at FROM outbox ORDER BY id")
        ]
    finally:
        db.close()


def test_a_draft_kept_from_yesterday_is_shown_worded_for_today(
    client: TestClient, clock: Clock
) -> None:
    iv = _interview(client, "2026-09-15T16:00")  # ends 17:00 Paris; the clock says 17:30
    action = f"thank_you:{iv}:1"
    first = api(client, "GET", f"/api/drafts/{action}").json()
    assert "meet with me today" in first["body"] and first["saved"] is False
    r = form(client, f"/drafts/{action}", {**first, "do": "save"})  # kept, not edited
    assert r.status_code == 303
    assert api(client, "GET", f"/api/drafts/{action}").json()["saved"] is True
    clock.at = datetime(2026, 9, 16, 7, 0, tzinfo=UTC)  # 09:00 in Paris, the next day
    again = api(client, "GET", f"/api/drafts/{action}").json()
    assert "meet with me yesterday" in again["body"] and "today" not in again["body"]
    assert again["subject"] == "Thank you for yesterday's conversation about the Data Engineer role"
    assert again["saved"] is False  # the words shown are not the ones kept yesterday
    page = html.unescape(client.get(f"/drafts/{action}").text)
    assert "meet with me yesterday" in page and "a new draft, not saved yet" in page


def test_the_editor_approves_afterviews_words_for_when_they_go_out(
    client: TestClient, av: Afterview, db_url: str, clock: Clock
) -> None:
    _mail_setup(av)
    clock.at = datetime(2026, 9, 15, 20, 40, tzinfo=UTC)  # 22:40 in Paris
    iv = _interview(client, "2026-09-15T21:30")  # ends 22:30: ideal from 00:30 on Wednesday
    action = f"thank_you:{iv}:1"
    shown = api(client, "GET", f"/api/drafts/{action}").json()
    assert "meet with me today" in shown["body"]
    data = {"subject": shown["subject"], "body": shown["body"], "do": "approve"}
    r = form(client, f"/drafts/{action}", data)
    assert r.status_code == 303, r.text
    [(subject, body, send_at)] = _outbox(db_url)
    assert send_at == "2026-09-15T22:30:00+00:00"  # 00:30 in Paris
    assert "meet with me yesterday" in body and "today" not in body
    # the editor now shows the words that go out, and when
    page = html.unescape(client.get(r.headers["location"]).text)
    assert "Approved: message 1, scheduled, goes out tomorrow 00:30" in page
    assert subject in page and "meet with me yesterday about the Data Engineer role" in page


def test_the_api_approves_with_the_words_that_go_out(
    client: TestClient, av: Afterview, clock: Clock
) -> None:
    _mail_setup(av)
    clock.at = datetime(2026, 9, 15, 20, 40, tzinfo=UTC)
    iv = _interview(client, "2026-09-15T21:30")
    [row] = api(client, "POST", f"/api/drafts/thank_you:{iv}:1/approve").json()
    assert row["send_at"] == "2026-09-16T00:30:00+02:00"
    assert row["subject"] == "Thank you for yesterday's conversation about the Data Engineer role"
    assert "meet with me yesterday" in row["body"]


def test_the_users_words_are_approved_as_they_are_on_a_later_day(
    client: TestClient, av: Afterview, db_url: str, clock: Clock
) -> None:
    _mail_setup(av)
    iv = _interview(client, "2026-09-15T16:00")
    action = f"thank_you:{iv}:1"
    r = api(client, "PUT", f"/api/drafts/{action}", {"subject": "Thanks!", "body": MINE})
    assert r.status_code == 200, r.text
    clock.at = datetime(2026, 9, 16, 7, 0, tzinfo=UTC)  # the next morning, before the due time
    shown = api(client, "GET", f"/api/drafts/{action}").json()
    assert shown["body"] == MINE and shown["saved"] is True
    [row] = api(client, "POST", f"/api/drafts/{action}/approve").json()
    assert (row["subject"], row["body"]) == ("Thanks!", MINE)
    assert _outbox(db_url)[0][:2] == ("Thanks!", MINE)
