"""Times on the web pages (the app in-process, a real database): every moment on the
user's clock, with the interview's local time and city added where its clock differs
(afterview.timewords); the JSON twins keep ISO 8601 in the interview's zone."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from afterview.web.app import create_app
from afterview.web.runtime import LOOPBACK_HOSTS, WebSettings
from tests.conftest import IsolatedEnv
from tests.webapp.conftest import Clock
from tests.webapp.test_app import api

#: opens the app for a user in a zone at a moment
Opener = Callable[[str, datetime], AbstractContextManager[TestClient]]


@pytest.fixture
def app_in(db_url: str, env_isolated: IsolatedEnv) -> Opener:
    """Open the app for a user in zone `tz` at moment `now`."""

    @contextmanager
    def opened(tz: str, now: datetime) -> Iterator[TestClient]:
        env_isolated.config_file.parent.mkdir(parents=True, exist_ok=True)
        env_isolated.config_file.write_text(
            f'timezone = "{tz}"\n[me]\nname = "Sam Carter"\nemail = "sam@example.org"\n',
            encoding="utf-8",
        )
        settings = WebSettings(
            db_target=db_url, clock=Clock(now), allowed_hosts=(*LOOPBACK_HOSTS, "testserver")
        )
        with TestClient(create_app(settings), base_url="http://testserver") as c:
            c.get("/")  # the CSRF cookie
            yield c

    return opened


def add(c: TestClient, start: str, tz: str) -> int:
    r = api(
        c,
        "POST",
        "/api/interviews",
        {
            "company": "Acme",
            "role": "Data Engineer",
            "start": start,
            "duration": 60,
            "tz": tz,
            "interviewers": ["Ana Lopez <ana@acme.example>"],
        },
    )
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def text(c: TestClient, path: str) -> str:
    """A page's text: tags dropped, entities read, spaces squeezed."""
    r = c.get(path)
    assert r.status_code == 200, r.text
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", r.text)))


def test_new_york_interview_seen_from_london_on_every_page(app_in: Opener) -> None:
    # 22:30 in London is 17:30 in New York: the interview (15:00-16:00 New York) ended
    now = datetime(2026, 9, 15, 21, 30, tzinfo=UTC)
    with app_in("Europe/London", now) as c:
        iv = add(c, "2026-09-15T15:00", "America/New_York")
        today = text(c, "/")
        assert "today 22:30 · Europe/London" in today
        assert (
            "ideal today 23:00–tomorrow 00:00 (18:00–19:00 New York), in 30 min; "
            "due tomorrow 21:00 (16:00 New York)"
        ) in today
        page = text(c, f"/interviews/{iv}")
        assert "today 20:00–21:00 (15:00–16:00 New York) · status" in page
        assert "today 20:00 (15:00 New York) Interview" in page  # the timeline
        assert "America/New_York" not in page
        assert "today 20:00 (15:00 New York)" in text(c, "/interviews")
        draft = text(c, f"/drafts/thank_you:{iv}:1")
        assert "ideal today 23:00–tomorrow 00:00 (18:00–19:00 New York)" in draft
        assert "today 20:00 (15:00 New York)" in text(c, f"/interviews/{iv}/prep")
        # the JSON twin is unchanged: ISO 8601 in the interview's zone
        [thanks] = [
            a for a in api(c, "GET", "/api/today").json()["actions"] if a["kind"] == "thank_you"
        ]
        assert thanks["ideal_from"] == "2026-09-15T18:00:00-04:00"


@pytest.mark.parametrize(
    ("day", "london", "case"),
    [
        ("2026-03-26", "19:00–20:00", "New York on summer time, London not yet"),
        ("2026-03-30", "20:00–21:00", "both on summer time"),
        ("2026-10-28", "19:00–20:00", "London back on winter time, New York not yet"),
        ("2026-11-02", "20:00–21:00", "both on winter time"),
    ],
)
def test_the_gap_to_new_york_follows_each_zones_clock_change(
    app_in: Opener, day: str, london: str, case: str
) -> None:
    now = datetime.fromisoformat(f"{day}T09:00+00:00")
    with app_in("Europe/London", now) as c:
        iv = add(c, f"{day}T15:00", "America/New_York")
        assert f"today {london} (15:00–16:00 New York)" in text(c, f"/interviews/{iv}"), case


def test_kiritimati_seen_from_pago_pago_keeps_each_day_word_with_its_clock(
    app_in: Opener,
) -> None:
    # Tue 08:00 in Pago Pago (UTC-11) is Wed 09:00 in Kiritimati (UTC+14)
    now = datetime(2026, 9, 15, 19, 0, tzinfo=UTC)
    with app_in("Pacific/Pago_Pago", now) as c:
        iv = add(c, "2026-09-16T10:00", "Pacific/Kiritimati")
        assert "today 09:00–10:00 (Wed 10:00–11:00 Kiritimati)" in text(c, f"/interviews/{iv}")
        assert "today 09:00 (Wed 10:00 Kiritimati)" in text(c, "/interviews")


def test_paris_seen_from_berlin_adds_no_zone(app_in: Opener) -> None:
    now = datetime(2026, 9, 15, 15, 30, tzinfo=UTC)  # 17:30 in both
    with app_in("Europe/Berlin", now) as c:
        iv = add(c, "2026-09-15T16:00", "Europe/Paris")
        page = text(c, f"/interviews/{iv}")
        assert "today 16:00–17:00 · status" in page and "Paris" not in page
        today = text(c, "/")
        assert "ideal today 19:00–20:00, in 1 h 30 min; due tomorrow 17:00" in today
        assert "Paris" not in today
