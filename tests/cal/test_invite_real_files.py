"""Invitations as real senders write them that used to fail (tests/cal/invites/README.md):
a Google guest with no display name, Latin-1, Windows-1252, a CHARSET parameter, UTF-16,
a vendor-prefixed TZID, and the files refused with one line before anything is written
(two DTSTART lines, year 9999 or 1, a SEQUENCE too large for the database, a folder as a
zone, names and titles that break a line once decoded)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import Afterview

INVITES = Path(__file__).parent / "invites"
NOW = "2026-09-01T10:00"
SRC = str(Path(__file__).parents[2] / "src")


@pytest.fixture
def me(av: Afterview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Afterview:
    """The user is Sam Rivera <sam.rivera@example.org>, in Europe/Paris."""
    cfg = tmp_path / "me.toml"
    cfg.write_text(
        'timezone = "Europe/Paris"\n[me]\nname = "Sam Rivera"\nemail = "sam.rivera@example.org"\n'
    )
    monkeypatch.setenv("AFTERVIEW_CONFIG", str(cfg))
    return av


def _import(av: Afterview, name: str, *args: str) -> tuple[list[dict[str, Any]], str]:
    r = av.ok("interview", "import", str(INVITES / name), *args, "--json", now=NOW)
    return r.json(), r.err


def _people(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p["name"], p["email"]) for p in result["interviewers"]]


def test_a_google_guest_without_a_display_name_is_not_greeted_by_address(me: Afterview) -> None:
    [result], _ = _import(me, "google_guest_no_name.ics")
    assert _people(result) == [
        ("Maya Chen", "maya.chen@brightwater.example"),
        ("Tunde Okoro", "tunde.okoro@gmail.example"),  # clearly a name: first.last
        ("jkim@hey.example", "jkim@hey.example"),  # not clearly one: no name is made up
    ]
    drafts = me.ok("draft", "thank-you", "1", "--json", now="2026-09-17T13:00").json()
    greetings = {d["to"]["email"]: d["body"].splitlines()[0] for d in drafts}
    assert greetings == {
        "maya.chen@brightwater.example": "Dear Maya,",
        "tunde.okoro@gmail.example": "Dear Tunde,",
        "jkim@hey.example": "Hello,",
    }
    follow = me.ok(
        "draft", "follow-up", "1", "--to", "jkim@hey.example", "--json", now="2026-09-26T10:00"
    ).json()
    assert follow[0]["body"].startswith("Hello,\n")


@pytest.mark.parametrize(
    ("name", "note", "location"),
    [
        ("latin1_outlook.ics", True, "Salle Étoile, 3e étage, 12 rue de la Paix, Paris"),
        ("windows1252_outlook.ics", True, "Salle Étoile, 3e étage, 12 rue de la Paix, Paris"),
        (
            "charset_param.ics",
            False,
            "Salle Étoile (café offert, 2 €), 3e étage, 12 rue de la Paix, Paris",
        ),
        ("utf16_bom.ics", False, "Salle Étoile, 3e étage, 12 rue de la Paix, Paris"),
    ],
)
def test_the_charset_is_found_and_read_right(
    me: Afterview, name: str, note: bool, location: str
) -> None:
    [result], _ = _import(me, name, "--company", "Société Générale BTP", "--role", "Ingénieure")
    assert _people(result) == [
        ("Dupré, François", "francois.dupre@societe-generale-btp.example"),
        ("Lefèvre, Hélène", "helene.lefevre@societe-generale-btp.example"),
    ]
    assert result["location"] == location
    said = ["the file is not UTF-8 and names no charset: read as Windows-1252"] if note else []
    assert result["notes"] == said
    if name == "windows1252_outlook.ics":  # 0x96 is an en dash in Windows-1252, not a control
        shown = me.ok("interview", "show", "1", "--json", now=NOW).json()
        assert shown["location"] == location


def test_the_charset_note_is_said_once_on_stderr(me: Afterview) -> None:
    r = me.ok(
        "interview", "import", str(INVITES / "latin1_outlook.ics"),
        "--company", "Société Générale BTP", "--role", "Ingénieure", now=NOW,
    )  # fmt: skip
    assert r.err == "note: the file is not UTF-8 and names no charset: read as Windows-1252\n"
    assert "Lefèvre, Hélène" in r.out


def test_a_vendor_prefixed_zone_is_read_by_its_name_with_a_note(me: Afterview) -> None:
    [result], _ = _import(me, "global_tzid.ics")
    assert (result["start"], result["tz"]) == ("2026-09-24T10:00:00+02:00", "Europe/Berlin")
    assert result["notes"] == [
        "the zone '/freeassociation.sourceforge.net/Europe/Berlin' was read as Europe/Berlin"
    ]


def test_the_librarys_warnings_never_reach_the_terminal(tmp_path: Path) -> None:
    """A real process (pytest would catch the warnings itself): stderr holds our note only."""
    cfg = tmp_path / "c.toml"
    cfg.write_text('timezone = "Europe/Paris"\n[me]\nemail = "sam.rivera@example.org"\n')
    env = {**os.environ, "PYTHONPATH": SRC, "AFTERVIEW_CONFIG": str(cfg), "PYTHONWARNINGS": ""}
    run = subprocess.run(
        [sys.executable, "-m", "afterview", "--db", str(tmp_path / "a.db"), "--now", NOW,
         "interview", "import", str(INVITES / "global_tzid_bare.ics")],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stderr == (
        "note: the zone '/freeassociation.sourceforge.net/Europe/Berlin' was read as "
        "Europe/Berlin\n"
    )


REFUSED = [
    ("duplicate_dtstart.ics", "DTSTART: the event has 2 DTSTART lines; expected one"),
    ("year_9999.ics", "DTSTART: expected a year from 1990 to 2100, got 9999"),
    ("year_0001.ics", "DTSTART: expected a year from 1990 to 2100, got 1"),
    ("huge_sequence.ics", "SEQUENCE: expected a whole number from 0 to 2147483647"),
    ("folder_tzid.ics", "TZID: unknown timezone 'Europe'"),
    ("unknown_tzid.ics", "TZID: unknown timezone 'Mars/Olympus_Mons'"),
    ("hostile_cn_rfc6868.ics", "ATTENDEE CN: expected one line"),
    ("hostile_cn_encoded.ics", "ATTENDEE CN: holds an encoded word"),
    ("hostile_summary_newline.ics", "SUMMARY: expected one line"),
    ("hostile_summary_encoded.ics", "SUMMARY: holds an encoded word"),
    ("hostile_summary_bidi.ics", "SUMMARY: text-direction override"),
    ("hostile_location_bidi.ics", "LOCATION: text-direction override"),
]


@pytest.mark.parametrize(("name", "words"), REFUSED, ids=[n for n, _ in REFUSED])
def test_refused_with_one_line_and_nothing_written(me: Afterview, name: str, words: str) -> None:
    me.ok("application", "add", "--company", "Keep", "--role", "Me", now=NOW)
    before = me.ok("export", now=NOW).out
    r = me("interview", "import", str(INVITES / name), now=NOW)
    assert r.code == 2 and r.out == ""
    assert r.err.startswith(f"afterview: {words}") and r.err.count("\n") == 1, r.err
    assert "Traceback" not in r.err and "vDDDTypes" not in r.err and "Parameters(" not in r.err
    assert me.ok("export", now=NOW).out == before


def test_a_guest_without_a_display_name_keeps_the_name_already_known(me: Afterview) -> None:
    """Added by hand with a name, then invited with no display name: the name stays."""
    me.ok(
        "interview", "add", "--company", "Brightwater", "--role", "Backend Engineer",
        "--start", "2026-09-10T10:00", "--interviewer", "Jin Kim <jkim@hey.example>",
        "--interviewer", "Babatunde Okoro <tunde.okoro@gmail.example>", now=NOW,
    )  # fmt: skip
    [result], _ = _import(me, "google_guest_no_name.ics")
    assert _people(result)[1:] == [
        ("Babatunde Okoro", "tunde.okoro@gmail.example"),
        ("Jin Kim", "jkim@hey.example"),
    ]
    first = me.ok("interview", "show", "1", "--json", now=NOW).json()
    assert [p["name"] for p in first["interviewers"]] == ["Jin Kim", "Babatunde Okoro"]


@pytest.mark.parametrize(
    ("email", "name"),
    [
        ("sam.okoro@gmail.example", "Sam Okoro"),
        ("jean-pierre.roux@acme.example", "Jean-Pierre Roux"),
        ("maria_garcia@acme.example", "Maria Garcia"),
        ("jsmith@acme.example", ""),  # one word: a login, not clearly a name
        ("s.okoro@acme.example", ""),  # an initial
        ("ana.lopez2@acme.example", ""),  # digits
        ("talent.team@acme.example", ""),  # a team's mailbox
        ("no-reply@acme.example", ""),
        ("hr-team@acme.example", ""),
        ("a.very.long.name@acme.example", ""),  # four parts
    ],
)
def test_a_name_is_read_from_an_address_only_where_it_clearly_is_one(email: str, name: str) -> None:
    from afterview.cal.invite import name_from_address

    assert name_from_address(email) == name
