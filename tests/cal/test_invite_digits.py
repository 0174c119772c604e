"""An invitation's moments are written with the digits 0-9: Python's `int` reads other
scripts' digits ("٢٠٢٦" is 2026), the format does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import Afterview

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:digits@t\r\n"
    "DTSTAMP:20260901T000000Z\r\nDTSTART;TZID=Europe/Paris:{start}\r\n"
    "DTEND;TZID=Europe/Paris:20260915T150000\r\nSUMMARY:Interview with Acme\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.mark.parametrize("start", ["٢٠٢٦٠٩١٥T140000", "２０２６0915T140000", "2026O915T140000"])
def test_a_moment_in_other_digits_is_refused(av: Afterview, tmp_path: Path, start: str) -> None:
    path = tmp_path / "invite.ics"
    path.write_text(ICS.format(start=start), encoding="utf-8")
    r = av("interview", "import", str(path), "--company", "Acme", "--role", "Analyst")
    assert r.code == 2 and r.err.startswith("afterview: DTSTART: ") and r.err.count("\n") == 1
    assert av.ok("interview", "list", "--json").json() == []


def test_the_same_file_in_ascii_digits_comes_in(av: Afterview, tmp_path: Path) -> None:
    path = tmp_path / "invite.ics"
    path.write_text(ICS.format(start="20260915T140000"), encoding="utf-8")
    av.ok("interview", "import", str(path), "--company", "Acme", "--role", "Analyst")
    assert len(av.ok("interview", "list", "--json").json()) == 1
