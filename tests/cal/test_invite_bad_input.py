"""Invitations that cannot be used: one clear line, nothing half-imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import Afterview

NOW = "2026-09-01T10:00"


def _ics(*events: str, method: str = "REQUEST") -> str:
    body = "".join(f"BEGIN:VEVENT\r\n{e}END:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nMETHOD:{method}\r\n{body}END:VCALENDAR\r\n"


def _event(
    uid: str = "u1@acme.example",
    start: str = "DTSTART;TZID=Europe/Paris:20260915T140000",
    extra: str = "",
) -> str:
    return (
        f"UID:{uid}\r\nDTSTAMP:20260901T100000Z\r\n{start}\r\nDURATION:PT1H\r\n"
        "SUMMARY:Acme - Data Engineer - interview\r\n"
        "ORGANIZER;CN=Ana Lopez:mailto:ana@acme.example\r\n"
        f"{extra}"
    )


def _import(av: Afterview, tmp_path: Path, text: str | bytes, *args: str):  # type: ignore[no-untyped-def]
    f = tmp_path / "invite.ics"
    f.write_bytes(text.encode() if isinstance(text, str) else text)
    return av("interview", "import", str(f), *args, now=NOW)


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ("<html><body>Not a calendar</body></html>", "invitation", "not a calendar file"),
        (_ics(_event())[:-40], "invitation", "cut short"),
        (_ics(), "invitation", "no event"),
        (_ics(_event(start="DTSTART;VALUE=DATE:20260915")), "DTSTART", "all-day"),
        (
            _ics(_event(start="DTSTART;TZID=Mars/Olympus_Mons:20260915T140000")),
            "TZID",
            "Mars/Olympus_Mons",
        ),
        (_ics(_event(extra="RRULE:FREQ=WEEKLY\r\n")), "RRULE", "repeating"),
        (_ics(_event(uid="")), "UID", "no UID"),
        (
            _ics(
                _event(extra="DTEND;TZID=Europe/Paris:20260915T130000\r\n").replace(
                    "DURATION:PT1H\r\n", ""
                )
            ),
            "DTEND",
            "before it starts",
        ),
    ],
)
def test_refused_with_one_line(
    av: Afterview, tmp_path: Path, text: str, field: str, words: str
) -> None:
    r = _import(av, tmp_path, text)
    assert r.code == 2, r.out
    assert r.err.startswith(f"afterview: {field}: ") and words in r.err and r.err.count("\n") == 1
    assert av.ok("interview", "list", "--json", now=NOW).json() == []


@pytest.mark.parametrize(
    ("extra", "start", "field"),
    [
        ("SEQUENCE:abc\r\n", None, "SEQUENCE"),
        ("", "DTSTART;TZID=Europe/Paris:20261301T100000", "DTSTART"),
        ("DTEND;TZID=Mars/Olympus:20260915T150000\r\n", None, "TZID"),
        ("", "DTSTART;TZID=Europe/Paris:20270328T023000", "DTSTART"),  # the clocks skip 02:00-03:00
    ],
)
def test_malformed_properties_name_their_field(
    av: Afterview, tmp_path: Path, extra: str, start: str | None, field: str
) -> None:
    event = _event(extra=extra) if start is None else _event(start=start, extra=extra)
    if "DTEND" in extra:
        event = event.replace("DURATION:PT1H\r\n", "")
    r = _import(av, tmp_path, _ics(event))
    assert r.code == 2 and r.err.startswith(f"afterview: {field}: ") and r.err.count("\n") == 1, (
        r.err
    )


def test_a_negative_duration_is_refused(av: Afterview, tmp_path: Path) -> None:
    r = _import(av, tmp_path, _ics(_event().replace("DURATION:PT1H", "DURATION:-PT30M")))
    assert r.code == 2 and r.err.startswith("afterview: DTEND: ")


def test_a_duration_across_the_autumn_change_is_real_time(av: Afterview, tmp_path: Path) -> None:
    text = _ics(_event(start="DTSTART;TZID=Europe/Paris:20261025T013000").replace("PT1H", "PT2H"))
    r = _import(av, tmp_path, text, "--json")
    [result] = r.json()
    assert (result["start"], result["end"]) == (
        "2026-10-25T01:30:00+02:00",
        "2026-10-25T02:30:00+01:00",
    )


def test_an_older_cancellation_changes_nothing(av: Afterview, tmp_path: Path) -> None:
    first = _ics(_event().replace("SUMMARY", "SEQUENCE:1\r\nSUMMARY"))
    assert _import(av, tmp_path, first).code == 0
    old_cancel = _ics(_event().replace("SUMMARY", "SEQUENCE:0\r\nSUMMARY"), method="CANCEL")
    r = _import(av, tmp_path, old_cancel)
    assert r.code == 0 and "nothing changed" in r.out
    assert len(av.ok("interview", "list", "--json", now=NOW).json()) == 1


def test_an_attendee_without_a_name_gets_one_from_the_address(
    av: Afterview, tmp_path: Path
) -> None:
    text = _ics(_event(extra="ATTENDEE:mailto:jane.doe@acme.example\r\n"))
    [result] = _import(av, tmp_path, text, "--json").json()
    assert ("Jane Doe", "jane.doe@acme.example") in [
        (p["name"], p["email"]) for p in result["interviewers"]
    ]


def test_a_huge_file_is_refused_before_reading_it_all(av: Afterview, tmp_path: Path) -> None:
    r = _import(av, tmp_path, _ics(_event(extra="DESCRIPTION:" + "x" * 3_000_000 + "\r\n")))
    assert r.code == 2 and "larger than 2 MB" in r.err


def test_hundreds_of_attendees_is_not_a_panel(av: Afterview, tmp_path: Path) -> None:
    people = "".join(f"ATTENDEE;CN=P{n}:mailto:p{n}@acme.example\r\n" for n in range(300))
    r = _import(av, tmp_path, _ics(_event(extra=people)))
    assert (
        r.code == 2
        and r.err.startswith("afterview: ATTENDEE: 301 people")
        and r.err.count("\n") == 1
    )


def test_one_bad_event_imports_nothing(av: Afterview, tmp_path: Path) -> None:
    good = _event(uid="a@acme.example")
    bad = _event(uid="b@acme.example", start="DTSTART;VALUE=DATE:20260916")
    r = _import(av, tmp_path, _ics(good, bad))
    assert r.code == 2 and av.ok("interview", "list", "--json", now=NOW).json() == []


def test_no_company_or_role_asks_clearly(av: Afterview, tmp_path: Path) -> None:
    text = _ics(
        _event(extra="")
        .replace("Acme - Data Engineer - interview", "Chat")
        .replace("ana@acme.example", "ana@gmail.com")
    )
    r = _import(av, tmp_path, text)
    assert r.code == 2 and r.err.startswith(
        "afterview: --company: cannot tell the company from 'Chat'"
    )
    r = _import(av, tmp_path, text, "--company", "Acme")
    assert r.code == 2 and r.err.startswith("afterview: --role: ")
    ok = _import(av, tmp_path, text, "--company", "Acme", "--role", "Data Engineer")
    assert ok.code == 0 and "Added interview 1: Acme · Data Engineer" in ok.out


def test_hostile_names_are_refused(av: Afterview, tmp_path: Path) -> None:
    text = _ics(_event(extra='ATTENDEE;CN="Bo\\nBcc: x@evil.example":mailto:bo@acme.example\r\n'))
    r = _import(av, tmp_path, text)
    assert r.code in (0, 2)
    if r.code == 0:  # a name may keep the escaped text, never a line break
        shown = av.ok("interview", "show", "1", "--json", now=NOW).json()
        assert all("\n" not in p["name"] and "\r" not in p["name"] for p in shown["interviewers"])


def test_stdin_and_a_missing_file(av: Afterview, tmp_path: Path) -> None:
    r = av("interview", "import", "-", input=_ics(_event()), now=NOW)
    assert r.code == 0 and "Added interview 1" in r.out
    r = av("interview", "import", str(tmp_path / "nope.ics"), now=NOW)
    assert r.code == 2 and r.err.startswith("afterview: FILE: cannot read")
