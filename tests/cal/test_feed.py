"""`afterview calendar export`: golden output across a DST change and in a far zone, read
back by two independent parsers (icalendar and vobject), SEQUENCE and UIDs stable."""

from __future__ import annotations

import os
from pathlib import Path

import icalendar
import pytest
import vobject

from tests.cli.helpers import Afterview

GOLDEN = Path(__file__).parent / "golden"
NOW = "2026-10-24T18:30"  # Paris clocks go back on Sun 25 Oct 2026 at 03:00


@pytest.fixture
def scenario(av: Afterview) -> Afterview:
    """A Paris panel ending the evening before the DST change, and a Kiritimati interview."""
    av.ok(
        "interview", "add", "--company", "Acme", "--role", "Data Engineer",
        "--start", "2026-10-24T17:00", "--interviewer", "Ana Lopez <ana@acme.example>",
        "--interviewer", "Bo Chen <bo@acme.example>", "--decision-by", "2026-10-30",
        now="2026-10-24T18:05",
    )  # fmt: skip
    av.ok(
        "interview", "add", "--company", "Line Islands Trading", "--role", "Analyst",
        "--start", "2026-10-25T08:00", "--tz", "Pacific/Kiritimati",
        "--interviewer", "Kai <kai@lit.example>", now="2026-10-24T18:05",
    )  # fmt: skip
    return av


def _export(av: Afterview, now: str = NOW) -> str:
    """The exported bytes exactly (the CLI runner's text output would drop the CRs)."""
    out = Path(av.db_url).with_suffix(".ics") if not av.db_url.startswith("postgres") else None
    if out is None:
        import tempfile

        out = Path(tempfile.mkdtemp()) / "feed.ics"
    av.ok("calendar", "export", "--out", str(out), now=now)
    return out.read_bytes().decode()


def test_golden_feed(scenario: Afterview) -> None:
    text = _export(scenario)
    golden = GOLDEN / "feed.ics"
    if os.environ.get("AFTERVIEW_UPDATE_GOLDEN"):
        golden.write_bytes(text.encode())
    assert text == golden.read_bytes().decode()
    assert scenario.ok("calendar", "export", now=NOW).out == text.replace("\r\n", "\n")
    assert _export(scenario) == text  # deterministic


def test_two_parsers_read_the_same_events(scenario: Afterview) -> None:
    text = _export(scenario)
    assert "\r\n" in text
    cal = icalendar.Calendar.from_ical(text)
    events = list(cal.walk("VEVENT"))
    parsed = vobject.readOne(text)
    others = list(parsed.vevent_list)
    assert len(events) == len(others) > 5
    assert [str(e["UID"]) for e in events] == [o.uid.value for o in others]
    assert len({str(e["UID"]) for e in events}) == len(events)
    for e, o in zip(events, others, strict=True):
        assert e.decoded("DTSTART") == o.dtstart.value and e.decoded("DTEND") == o.dtend.value
        assert e.decoded("DTSTART") < e.decoded("DTEND")
        assert str(e["SUMMARY"]) == o.summary.value
        assert [str(a["ACTION"]) for a in e.walk("VALARM")] == ["DISPLAY"]
    # the thank-you to Ana: ideal 20:00-21:00 Paris (18:00-19:00 UTC), due 24 real hours
    # after the end, across the night the clocks go back: Sun 25 Oct 17:00 Paris
    ana = next(e for e in events if str(e["UID"]).startswith("thank_you-1-1."))
    assert (
        e_time(ana, "DTSTART") == "20261024T180000Z" and e_time(ana, "DTEND") == "20261024T190000Z"
    )
    assert "Due: Sun 25 Oct 2026 17:00 (Europe/Paris)" in str(ana["DESCRIPTION"])
    kai = next(e for e in events if str(e["UID"]).startswith("thank_you-2-3."))
    assert "(Pacific/Kiritimati)" in str(kai["DESCRIPTION"])


def e_time(event: icalendar.Event, key: str) -> str:
    return str(event.decoded(key).strftime("%Y%m%dT%H%M%SZ"))


def _sequences(text: str) -> dict[str, int]:
    cal = icalendar.Calendar.from_ical(text)
    return {str(e["UID"]): int(e["SEQUENCE"]) for e in cal.walk("VEVENT")}


def test_sequence_rises_when_a_window_moves_and_ended_actions_leave(scenario: Afterview) -> None:
    av = scenario
    first = _sequences(_export(av))
    assert set(first.values()) == {0}
    assert _sequences(_export(av)) == first  # nothing moved: nothing rises
    av.ok("interview", "update", "1", "--start", "2026-10-24T16:00", now=NOW)
    moved = _sequences(_export(av))
    assert moved["thank_you-1-1.1@afterview"] == 1 and moved["self_assess-1.1@afterview"] == 1
    assert moved["thank_you-2-3.1@afterview"] == 0
    av.ok("log", "1", "--sent", "--kind", "thank_you", "--to", "Ana Lopez", now=NOW)
    after = _sequences(_export(av))
    assert "thank_you-1-1.1@afterview" not in after and "thank_you-1-2.1@afterview" in after


def test_out_file_and_bad_folder(scenario: Afterview, tmp_path: Path) -> None:
    out = tmp_path / "afterview.ics"
    r = scenario.ok("calendar", "export", "--out", str(out), now=NOW)
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n") and "Wrote" in r.err
    r = scenario("calendar", "export", "--out", str(tmp_path / "missing" / "a.ics"), now=NOW)
    assert r.code == 2 and r.err.startswith("afterview: --out: folder") and r.err.count("\n") == 1


def test_empty_calendar_is_still_a_calendar(av: Afterview) -> None:
    cal = icalendar.Calendar.from_ical(_export(av))
    assert list(cal.walk("VEVENT")) == [] and str(cal["PRODID"]).startswith("-//afterview")
