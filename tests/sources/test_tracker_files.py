"""Tracker exports that used to fail (tests/sources/trackers/README.md, "Real files"):
CR-only line ends, UTF-16 with a BOM, a `sep=;` line, a cell over 128 KB, applyr's
export, no company column, hostile cells; and the options that were taken silently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from afterview.sources.trackers import read_tracker
from tests.cli.helpers import Afterview

HERE = Path(__file__).parent / "trackers"
EXPECTED = json.loads((HERE / "EXPECTED.json").read_text(encoding="utf-8"))
NOW = "2026-09-15T17:30"


def _seed(av: Afterview) -> str:
    av.ok("application", "add", "--company", "Keep", "--role", "Me", now=NOW)
    return av.ok("export", now=NOW).out


@pytest.mark.parametrize(
    ("name", "added"), [("mac_cr.csv", 3), ("utf16_bom.csv", 3), ("sep_line.csv", 2)]
)
def test_spreadsheet_shapes_import(av: Afterview, name: str, added: int) -> None:
    r = av.ok("import-tracker", str(HERE / name), "--from", "generic", "--json", now=NOW).json()
    assert (r["added"], r["problems"], r["warnings"]) == (added, [], [])
    assert (r["encoding"], r["delimiter"]) == (
        EXPECTED[name]["encoding"],
        EXPECTED[name]["delimiter"],
    )
    companies = [a["company"] for a in av.ok("application", "list", "--json", now=NOW).json()]
    assert sorted(companies) == sorted(row["company"] for row in EXPECTED[name]["rows"])


def test_a_cell_over_128_kb_is_reported_by_its_row_and_the_next_row_comes_in(
    av: Afterview,
) -> None:
    r = av("import-tracker", str(HERE / "huge_cell.csv"), "--from", "generic", now=NOW)
    assert r.code == 0
    assert "2 good rows" in r.out
    assert r.err == "  line 2: notes: expected at most 20000 characters, got 139999\n"
    names = {a["company"] for a in av.ok("application", "list", "--json", now=NOW).json()}
    assert names == {"Halcyon Robotics", "Ferncastle Health"}


@pytest.mark.parametrize("kind", ["applyr", "generic"])
def test_applyrs_export_is_read_by_its_own_name_and_by_generic(av: Afterview, kind: str) -> None:
    r = av.ok("import-tracker", str(HERE / "applyr.csv"), "--from", kind, "--json", now=NOW)
    out = r.json()
    assert (out["added"], out["applied"], out["problems"]) == (6, 6, [])
    assert out["columns"] == {
        "company": "COMPANY", "role": "POSITION_TITLE", "status": "CURRENT_STATUS",
        "applied_on": "DATE_APPLIED", "url": "LINK_TO_POSTING", "location": "LOCATION",
    }  # fmt: skip
    apps = {a["company"]: a for a in av.ok("application", "list", "--json", now=NOW).json()}
    assert apps["Fjordbank"]["role"] == "Developer, Backend"
    assert apps["Øresund Games"]["applied_on"] == "2026-08-07"  # DD.MM.YYYY


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            (str(HERE / "no_company.csv"), "--from", "generic"),
            "afterview: FILE: nothing to import: line 1: no company column (looked for Company, "
            "Company Name, Employer, Organization); name it with --column company=HEADER",
        ),
        (
            (str(HERE / "no_company.csv"), "--from", "generic", "--dry-run", "--json"),
            "afterview: FILE: nothing to import: line 1: no company column",
        ),
        (
            (str(HERE / "generic.csv"), "--from", "generic", "--day-first", "--month-first"),
            "afterview: --day-first: give one of --day-first, --month-first, not several",
        ),
        (
            (str(HERE / "generic.csv"), "--from", "generic", "--encoding", "klingon"),
            "afterview: --encoding: unknown encoding 'klingon'; expected a text encoding such "
            "as utf-8, utf-8-sig, utf-16, cp1252, latin-1, mac-roman",
        ),
        (
            (str(HERE / "generic.csv"), "--from", "generic", "--encoding", "rot13"),
            "afterview: --encoding: 'rot13' is not a text encoding",
        ),
        (
            (str(HERE / "generic.csv"), "--from", "generic", "--encoding", ""),
            "afterview: --encoding: expected a",  # a text encoding, or (said by the CLI first) a value
        ),
        (
            (str(HERE / "generic.csv"), "--from", "generic", "--encoding", "utf-16"),
            "afterview: --encoding: line 1 is not utf-16 text",
        ),
    ],
)
def test_refused_with_one_line_and_nothing_written(
    av: Afterview, args: tuple[str, ...], line: str
) -> None:
    before = _seed(av)
    r = av("import-tracker", *args, now=NOW)
    assert r.code == 2 and r.out == "" and r.err.count("\n") == 1
    assert r.err.startswith(line), r.err
    assert av.ok("export", now=NOW).out == before


def test_hostile_cells_are_problems_by_row(av: Afterview) -> None:
    before = _seed(av)
    r = av.ok("import-tracker", str(HERE / "hostile.csv"), "--from", "generic", "--json", now=NOW)
    out = r.json()
    assert out["added"] == 1 and [p["line"] for p in out["problems"]] == [2, 3, 4, 5, 8]
    apps = av.ok("application", "list", "--json", now=NOW).json()
    assert sorted(a["company"] for a in apps) == ["Keep", "Tidewater Robotics"]
    assert json.loads(av.ok("export", now=NOW).out)["applications"][1]["lead"]["notes"] == (
        "two lines\nof notes"
    )
    assert before != av.ok("export", now=NOW).out


def test_every_cell_stored_passes_the_checks() -> None:
    """Whatever the file, no stored text keeps a control character or an override."""
    from afterview.textcheck import has_control

    for name in sorted(p.name for p in HERE.glob("*.csv")):
        exp = EXPECTED[name]
        for row in read_tracker(
            (HERE / name).read_bytes(), exp["from"], columns=exp.get("mapping")
        ).rows:
            for field in ("company", "role", "source_status", "url", "location"):
                value = getattr(row, field)
                assert value is None or not has_control(value), (name, field, value)


def test_a_long_cr_only_file_is_read_in_chunks_with_its_line_numbers() -> None:
    """Over 64 KB with CR alone: read chunk by chunk (memory stays flat), every row and
    every physical line number right, a quoted CR inside a cell too."""
    rows = ["Company,Position,Stage,Notes"]
    for i in range(6000):
        rows.append(f'Company {i},Engineer,Saved,"note {i}\rsecond line"' if i % 7 == 0
                    else f"Company {i},Engineer,Saved,")  # fmt: skip
    data = ("\r".join(rows) + "\r").encode()
    assert len(data) > 2 * 65536 and b"\n" not in data
    p = read_tracker(data, "generic")
    assert len(p.rows) == 6000 and p.problems == []
    assert p.rows[-1].company == "Company 5999"
    assert p.rows[-1].line == 2 + 5999 + sum(1 for i in range(5999) if i % 7 == 0)
    assert p.rows[7].notes == "note 7\nsecond line"


def test_cr_only_lines_come_one_by_one_not_as_one_line_of_the_whole_file() -> None:
    """The file object splits at LF only: a CR-only file would be one 400 KB "line" in
    memory; it is read in chunks of 64 KB instead."""
    import io

    from afterview.sources import csv_text

    class Spy(io.BytesIO):
        longest = 0

        def __next__(self) -> bytes:
            line = super().__next__()
            Spy.longest = max(Spy.longest, len(line))
            return line

        def read(self, size: int | None = -1) -> bytes:
            out = super().read(size)
            Spy.longest = max(Spy.longest, len(out))
            return out

    data = b"".join(b"Company %d,Engineer\r" % i for i in range(20000))  # 400 KB, no LF
    pieces = list(csv_text.lines(Spy(data), "utf-8", strict=True))
    assert len(pieces) == 20000 and max(len(p) for p in pieces) < 40
    assert "".join(pieces).encode() == data
    assert Spy.longest <= 65536
