"""`afterview interview import` on invitations in the shapes real senders produce
(tests/cal/invites/, described in its README): each becomes the expected interview."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import Afterview

INVITES = Path(__file__).parent / "invites"
NOW = "2026-09-01T10:00"


@pytest.fixture
def me(av: Afterview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Afterview:
    """The user is Sam Rivera <sam.rivera@example.org>, in Europe/Paris."""
    cfg = tmp_path / "me.toml"
    cfg.write_text(
        'timezone = "Europe/Paris"\n[me]\nname = "Sam Rivera"\nemail = "sam.rivera@example.org"\n'
    )
    monkeypatch.setenv("AFTERVIEW_CONFIG", str(cfg))
    return av


def _import(av: Afterview, name: str, *args: str) -> list[dict[str, Any]]:
    return av.ok("interview", "import", str(INVITES / name), *args, "--json", now=NOW).json()


def _people(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p["name"], p["email"]) for p in result["interviewers"]]


CASES = {
    "google_meet.ics": dict(
        start="2026-09-15T14:00:00+02:00", end="2026-09-15T15:00:00+02:00", tz="Europe/Paris",
        people=[("Maya Chen", "maya.chen@acme.example"), ("Jonas Weber", "jonas.weber@acme.example"),
                ("Aïcha Diallo", "aicha.diallo@acme.example")],
        format="video", meeting_url="https://meet.google.com/abc-defg-hij", company="Acme", role="Data Engineer",
    ),
    "outlook_windows_tz.ics": dict(
        start="2026-09-22T10:00:00+02:00", end="2026-09-22T10:45:00+02:00", tz="Europe/Berlin",
        people=[("Müller, Katrin", "katrin.mueller@globex.example"), ("Thomas Becker", "thomas.becker@globex.example"),
                ("Lena Vogt", "lena.vogt@globex.example")],
        format="onsite", location="Globex HQ, Room 4.12, Musterstraße 1, 10117 Berlin", company="Globex",
        role="Senior Analyst",
    ),
    "zoom.ics": dict(
        start="2026-10-01T11:00:00-04:00", end="2026-10-01T11:30:00-04:00", tz="America/New_York",
        people=[("Priya Shah", "priya.shah@initech.example")], format="video",
        meeting_url="https://acme-corp.zoom.us/j/81234567890?pwd=kR7bN2xQw9LmT4vZs8HcYp3JdF6gEa.1",
        company="Initech", role="Product Manager",
    ),
    "teams.ics": dict(
        start="2026-10-05T09:30:00-07:00", end="2026-10-05T10:30:00-07:00", tz="America/Los_Angeles",
        people=[("Dana Whitfield", "dana.whitfield@umbrella.example"), ("Marcus Oyelaran", "marcus.oyelaran@umbrella.example"),
                ("Sofia Lindqvist", "sofia.lindqvist@umbrella.example"), ("Kenji Watanabe", "kenji.watanabe@umbrella.example")],
        format="video", location="Microsoft Teams Meeting", company="Umbrella", role="Staff Engineer",
    ),
    "phone.ics": dict(
        start="2026-10-06T16:00:00+02:00", end="2026-10-06T16:30:00+02:00", tz="Europe/Paris",
        people=[("Lucius Fox", "lucius.fox@wayne.example")], format="phone", location="Phone: +1 212 555 0100",
        company="Wayne Enterprises", role="Financial Analyst",
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_sender_shape_becomes_the_expected_interview(me: Afterview, name: str) -> None:
    want = CASES[name]
    [result] = _import(me, name)
    assert result["result"] == "added"
    assert (result["start"], result["end"], result["tz"]) == (
        want["start"],
        want["end"],
        want["tz"],
    )
    assert _people(result) == want["people"]
    assert result["format"] == want["format"]
    if "meeting_url" in want:
        assert result["meeting_url"] == want["meeting_url"]
    if "location" in want:
        assert result["location"] == want["location"]
    assert (result["company"], result["role"]) == (want["company"], want["role"])
    shown = me.ok("interview", "show", str(result["interview_id"]), "--json", now=NOW).json()
    assert shown["start"] == want["start"] and shown["tz"] == want["tz"]
    assert [(p["name"], p["email"]) for p in shown["interviewers"]] == want["people"]
    assert shown["format"] == want["format"]
    # the plan follows: a thank-you per interviewer
    actions = me.ok("agenda", "--json", "--all", now=NOW).json()["actions"]
    assert sum(a["kind"] == "thank_you" for a in actions) == len(want["people"])


def test_an_update_moves_it_and_a_cancellation_removes_it(me: Afterview) -> None:
    [added] = _import(me, "outlook_windows_tz.ics")
    [moved] = _import(me, "outlook_update.ics")
    assert moved["result"] == "moved" and moved["interview_id"] == added["interview_id"]
    assert moved["start"] == "2026-09-23T14:00:00+02:00"
    assert (
        me.ok("interview", "show", "1", "--json", now=NOW).json()["start"]
        == "2026-09-23T14:00:00+02:00"
    )
    assert _import(me, "outlook_update.ics")[0]["result"] == "unchanged"
    assert _import(me, "outlook_windows_tz.ics")[0]["result"] == "unchanged"  # an older SEQUENCE
    [cancelled] = _import(me, "outlook_cancel.ics")
    assert cancelled["result"] == "cancelled"
    assert me.ok("interview", "list", "--json", now=NOW).json() == []
    assert _import(me, "outlook_cancel.ics")[0]["result"] == "not found"


def test_a_cancellation_is_refused_once_something_is_recorded(me: Afterview) -> None:
    _import(me, "outlook_windows_tz.ics")
    me.ok("interview", "note", "1", "--topic", "pricing models", now=NOW)
    me.ok("log", "1", "--received", "--note", "confirming the room", now=NOW)
    r = me("interview", "import", str(INVITES / "outlook_cancel.ics"), now=NOW)
    assert r.code == 1 and "afterview outcome 1 withdrawn" in r.err
    assert len(me.ok("interview", "list", "--json", now=NOW).json()) == 1


def test_two_rounds_across_the_end_of_summer_time(me: Afterview) -> None:
    results = _import(me, "two_events.ics")
    assert [(r["start"], r["tz"]) for r in results] == [
        ("2026-10-22T10:00:00+01:00", "Europe/London"),
        ("2026-10-26T14:00:00+00:00", "Europe/London"),
    ]
    assert {(r["company"], r["role"]) for r in results} == {("Stark Industries", "ML Engineer")}
    apps = me.ok("application", "list", "--json", now=NOW).json()
    assert len(apps) == 1 and apps[0]["interviews"] == 2
    assert results[1]["format"] == "onsite" and results[0]["format"] == "video"


def test_webex_in_utc_asks_for_the_role(me: Afterview) -> None:
    r = me("interview", "import", str(INVITES / "webex.ics"), now=NOW)
    assert r.code == 2 and r.err.startswith("afterview: --role: ")
    [result] = _import(me, "webex.ics", "--role", "Software Engineer")
    assert (result["start"], result["tz"]) == ("2026-10-08T18:00:00+02:00", "Europe/Paris")
    assert (
        result["meeting_url"] == "https://hooli.webex.com/meet/monica.hall"
        and result["company"] == "Hooli"
    )


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("all_day.ics", "DTSTART"),
        ("broken_truncated.ics", "invitation"),
        ("not_a_calendar.ics", "invitation"),
        ("unknown_tzid.ics", "TZID"),
        ("many_attendees.ics", "ATTENDEE"),
        ("hostile.ics", "SUMMARY"),  # a title of 5,000 characters and three lines
    ],
)
def test_refusals(me: Afterview, name: str, field: str) -> None:
    r = me("interview", "import", str(INVITES / name), now=NOW)
    assert r.code == 2 and r.err.startswith(f"afterview: {field}: ") and r.err.count("\n") == 1
    assert me.ok("interview", "list", "--json", now=NOW).json() == []


def test_a_hostile_invitation_is_kept_inert(me: Afterview) -> None:
    [result] = _import(me, "hostile_inert.ics")
    emails = [e for _, e in _people(result)]
    assert emails == [
        "mallory@umbrella.example",
        "eve@umbrella.example",
        "bobby@umbrella.example",
        "img@umbrella.example",
    ]
    assert result["meeting_url"] is None and result["format"] == "onsite"
    shown = me.ok("interview", "show", "1", "--json", now=NOW).json()
    texts = [p["name"] for p in shown["interviewers"]] + [
        shown["company"],
        shown["role"],
        shown["location"],
    ]
    for t in texts:
        assert not any(ord(c) < 32 for c in t), t
    assert (result["company"], result["role"]) == ("Umbrella", "Security Engineer")
    assert (
        shown["location"] == '<img src=x onerror=alert(1)> Room "B", \'); DROP TABLE interviews;--'
    )
    assert _people(result)[:2] == [
        ('Mallory "boss"', "mallory@umbrella.example"),  # RFC 6868: ^' is a quote
        ("Eve\\nX-Injected: yes", "eve@umbrella.example"),  # a backslash and an n, as written
    ]


def test_without_the_users_address_an_invitation_with_attendees_is_refused(
    av: Afterview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new user who has not said their address: one of the attendees may be them, and
    importing would plan a thank-you to themselves. Refused with how to say it; nothing
    is written; once the address is set, the same file imports without the user."""
    cfg = tmp_path / "new.toml"
    cfg.write_text('timezone = "Europe/Paris"\n')
    monkeypatch.setenv("AFTERVIEW_CONFIG", str(cfg))
    r = av("interview", "import", str(INVITES / "google_meet.ics"), now=NOW)
    assert r.code == 2 and r.out == "" and r.err.count("\n") == 1
    assert r.err.startswith("afterview: ATTENDEE: your e-mail address is not set")
    assert "afterview config set me.email ADDRESS" in r.err
    assert av.ok("--json", "interview", "list", now=NOW).json() == []
    av.ok("config", "set", "me.email", "sam.rivera@example.org")
    imported = _import(av, "google_meet.ics")
    people = [p["email"] for p in imported[0]["interviewers"]]
    assert people and "sam.rivera@example.org" not in people
