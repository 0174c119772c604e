"""Times in the CLI's human output (click's runner in-process, a real database): every
moment on the user's clock, with the interview's local time and city added where its
clock differs (afterview.timewords); `--json` keeps ISO 8601 with offsets."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.helpers import Afterview

#: a CLI for a user in the zone given
User = Callable[[str], Afterview]


@pytest.fixture
def user_in(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> User:
    def make(tz: str) -> Afterview:
        cfg = tmp_path / "config.toml"
        cfg.write_text(f'timezone = "{tz}"\n[me]\nname = "Sam Rivera"\nemail = "sam@example.org"\n')
        monkeypatch.setenv("AFTERVIEW_CONFIG", str(cfg))
        return Afterview(db_url)

    return make


def add(av: Afterview, start: str, tz: str, now: str) -> str:
    return av.ok(
        "interview", "add", "--company", "Acme", "--role", "Data Engineer", "--start", start,
        "--tz", tz, "--interviewer", "Ana Lopez <ana@acme.example>", now=now,
    ).out.strip()  # fmt: skip


def test_new_york_interview_seen_from_london(user_in: User) -> None:
    av = user_in("Europe/London")
    now = "2026-09-15T22:30"  # London; 17:30 in New York, the interview ended at 16:00 there
    iv = add(av, "2026-09-15T15:00", "America/New_York", now)
    av.ok("log", iv, "--sent", "--kind", "other", "--at", "2026-09-15T16:30", now=now)
    out = av.ok("agenda", now=now).out
    assert out.startswith("Agenda for Tue 15 Sep 2026 22:30 (Europe/London)")
    assert (
        "ideal today 23:00–tomorrow 00:00 (18:00–19:00 New York), in 30 min; "
        "due tomorrow 21:00 (16:00 New York)"
    ) in out
    assert "ideal now until tomorrow 03:00 (Tue 22:00 New York), 4 h 30 min left" in out
    assert "opens Tue 22 Sep 21:00 (16:00 New York), in 7 days" in out
    shown = av.ok("interview", "show", iv, now=now).out
    assert "When: today 20:00–21:00 (15:00–16:00 New York) · status: awaiting" in shown
    assert "today 21:30 (16:30 New York)  → other" in shown  # the message logged
    assert "America/New_York" not in shown
    assert "today 20:00 (15:00 New York)" in av.ok("interview", "list", now=now).out
    # --json is unchanged: ISO 8601 with the interview's offset
    [thanks] = [
        a for a in av.ok("agenda", "--json", now=now).json()["actions"] if a["kind"] == "thank_you"
    ]
    assert (thanks["ideal_from"], thanks["tz"]) == ("2026-09-15T18:00:00-04:00", "America/New_York")
    assert av.ok("interview", "show", iv, "--json", now=now).json()["start"] == (
        "2026-09-15T15:00:00-04:00"
    )


@pytest.mark.parametrize(
    ("day", "london", "case"),
    [
        ("2026-03-26", "19:00–20:00", "New York on summer time, London not yet: 4 h"),
        ("2026-03-30", "20:00–21:00", "both on summer time: 5 h"),
        ("2026-10-28", "19:00–20:00", "London back on winter time, New York not yet: 4 h"),
        ("2026-11-02", "20:00–21:00", "both on winter time: 5 h"),
    ],
)
def test_the_gap_to_new_york_follows_each_zones_clock_change(
    user_in: User, day: str, london: str, case: str
) -> None:
    av = user_in("Europe/London")
    iv = add(av, f"{day}T15:00", "America/New_York", f"{day}T09:00")
    shown = av.ok("interview", "show", iv, now=f"{day}T09:00").out
    assert f"When: today {london} (15:00–16:00 New York)" in shown, case


def test_kiritimati_seen_from_pago_pago_keeps_each_day_word_with_its_clock(user_in: User) -> None:
    av = user_in("Pacific/Pago_Pago")
    now = "2026-09-15T08:00"  # Tue in Pago Pago (UTC-11), Wed 09:00 in Kiritimati (UTC+14)
    iv = add(av, "2026-09-16T10:00", "Pacific/Kiritimati", now)
    shown = av.ok("interview", "show", iv, now=now).out
    assert "When: today 09:00–10:00 (Wed 10:00–11:00 Kiritimati)" in shown
    # the thank-you: opens at the end, ideal 2-3 h after, due 24 h after
    assert (
        "opens today 10:00 (Wed 11:00 Kiritimati), in 2 h; ideal 12:00–13:00 "
        "(Wed 13:00–14:00 Kiritimati); due tomorrow 10:00 (Thu 11:00 Kiritimati)"
    ) in av.ok("agenda", now=now).out


def test_paris_seen_from_berlin_adds_no_zone(user_in: User) -> None:
    av = user_in("Europe/Berlin")
    now = "2026-09-15T17:30"
    iv = add(av, "2026-09-15T16:00", "Europe/Paris", now)
    out = av.ok("agenda", now=now).out
    assert "ideal today 19:00–20:00, in 1 h 30 min; due tomorrow 17:00" in out
    assert "Paris" not in out
    shown = av.ok("interview", "show", iv, now=now).out
    assert "When: today 16:00–17:00 · status" in shown and "Paris" not in shown


def test_the_outbox_and_an_approval_say_the_interviews_time_too(user_in: User) -> None:
    av = user_in("Europe/London")
    now = "2026-09-15T21:10"  # London; 16:10 in New York
    iv = add(av, "2026-09-15T15:00", "America/New_York", now)
    av.ok(
        "mail", "setup", "--smtp-host", "127.0.0.1", "--smtp-port", "2525",
        "--smtp-security", "none", "--from", "sam@example.org", now=now,
    )  # fmt: skip
    approved = av.ok("draft", "thank-you", iv, "--approve", now=now).out
    # sent at the start of the ideal window, 18:00 in New York
    assert "goes out today 23:00 (18:00 New York);" in approved
    assert "scheduled\ttoday 23:00 (18:00 New York)" in av.ok("outbox", now=now).out


def test_an_imported_invitation_says_its_time_on_the_users_clock(user_in: User) -> None:
    av = user_in("Europe/London")
    invite = Path(__file__).parent.parent / "cal" / "invites" / "teams.ics"
    out = av.ok("interview", "import", str(invite), now="2026-10-01T12:00").out
    # 09:30-10:30 "Pacific Standard Time" (Los Angeles, UTC-7 then) is 17:30-18:30 in London
    assert "Mon 17:30–18:30 (09:30–10:30 Los Angeles)" in out
