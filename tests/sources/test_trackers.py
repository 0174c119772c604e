"""Tracker CSV exports (tests/sources/trackers/README.md): the reader against the
expected rows, problems and warnings; the import through the CLI and the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from afterview.errors import BadInput
from afterview.sources.trackers import read_date, read_tracker
from tests.cli.helpers import Afterview

HERE = Path(__file__).parent / "trackers"
EXPECTED = json.loads((HERE / "EXPECTED.json").read_text(encoding="utf-8"))
FILES = sorted(k for k in EXPECTED if k.endswith(".csv"))
NOW = "2026-09-15T17:30"


def _notes(notes: list, key: str) -> list[dict]:
    return [{"line": n.line, key: n.text} for n in notes]


@pytest.mark.parametrize("name", FILES)
def test_each_file_reads_as_expected(name: str) -> None:
    exp = EXPECTED[name]
    p = read_tracker((HERE / name).read_bytes(), exp["from"], columns=exp.get("mapping"))
    assert [r._asdict() for r in p.rows] == exp["rows"]
    assert _notes(p.problems, "problem") == exp["problems"]
    assert _notes(p.warnings, "warning") == exp["warnings"]
    assert (p.encoding, p.delimiter) == (exp["encoding"], exp["delimiter"])
    for option, variant in exp.get("variants", {}).items():
        q = read_tracker(
            (HERE / name).read_bytes(),
            exp["from"],
            columns=exp.get("mapping"),
            date_order=option.removeprefix("--"),
        )
        assert [r._asdict() for r in q.rows] == variant["rows"], option
        assert _notes(q.problems, "problem") == variant["problems"], option


@pytest.mark.parametrize(
    ("text", "order", "want"),
    [
        ("2026-09-15", None, "2026-09-15"),
        ("2026-09-15T10:30:00Z", None, "2026-09-15"),
        ("15.09.2026", None, "2026-09-15"),
        ("Sep 15, 2026", None, "2026-09-15"),
        ("15 September 2026", None, "2026-09-15"),
        ("15/09/2026", None, "2026-09-15"),
        ("09/15/2026", None, "2026-09-15"),
        ("04/04/2026", None, "2026-04-04"),
        ("03/04/2026", "day-first", "2026-04-03"),
        ("03/04/2026", "month-first", "2026-03-04"),
        ("03/04/2026", None, None),
        ("31/02/2026", None, None),
        ("yesterday", None, None),
    ],
)
def test_dates(text: str, order: str | None, want: str | None) -> None:
    assert read_date(text, order)[0] == want


def test_unknown_tracker_and_columns_are_refused() -> None:
    with pytest.raises(BadInput, match=r"^from: expected huntr"):
        read_tracker(b"a,b\n", "monster")
    with pytest.raises(BadInput, match="no column 'Firm'"):
        read_tracker(b"Company,Position\nA,B\n", "generic", columns={"company": "Firm"})
    with pytest.raises(BadInput, match="unknown field"):
        read_tracker(b"Company,Position\nA,B\n", "generic", columns={"salary": "Company"})
    with pytest.raises(BadInput, match="empty"):
        read_tracker(b"", "generic")


def test_import_previews_writes_once_and_maps_stages(av: Afterview) -> None:
    generic = str(HERE / "generic.csv")
    dry = av.ok("import-tracker", generic, "--from", "generic", "--dry-run", "--json", now=NOW)
    assert dry.json()["added"] == 9 and dry.json()["problems"][0]["line"] == 9
    assert av.ok("application", "list", "--json", now=NOW).json() == []
    r = av.ok("import-tracker", generic, "--from", "generic", "--status", "On hold=lead", "--json",
              now=NOW).json()  # fmt: skip
    assert r["added"] == 10 and r["problems"] == []
    again = av.ok("import-tracker", generic, "--from", "generic", "--status", "On hold=lead",
                  "--json", now=NOW).json()  # fmt: skip
    assert again["added"] == 0 and again["already_tracked"] == 10
    apps = av.ok("application", "list", "--json", now=NOW).json()
    assert len(apps) == 10 and sum(a["status"] == "applied" for a in apps) == 7
    doc = json.loads(av.ok("export", now=NOW).out)
    lead = doc["applications"][0]["lead"]
    assert lead["source"] == "generic" and lead["source_status"] == "Saved"


def test_import_encodings_and_bad_files(av: Afterview, tmp_path: Path) -> None:
    r = av("import-tracker", str(HERE / "cp1252.csv"), "--from", "huntr", now=NOW)
    assert r.code == 0 and "Windows-1252" in r.err
    names = {a["company"] for a in av.ok("application", "list", "--json", now=NOW).json()}
    assert "Café Crème SARL" in names and "Müller GmbH" in names
    r = av("import-tracker", str(HERE / "missing_columns.csv"), "--from", "huntr", "--json",
           now=NOW)  # fmt: skip
    assert (
        r.code == 2
        and r.out == ""
        and r.err
        == (
            "afterview: FILE: nothing to import: line 1: no company column (looked for companyName)\n"
        )
    )
    r = av("import-tracker", str(HERE / "dates.csv"), "--from", "generic", "--status", "x", now=NOW)
    assert r.code == 2 and r.err.startswith("afterview: --status: expected NAME=VALUE")
    r = av("import-tracker", str(tmp_path / "none.csv"), "--from", "teal", now=NOW)
    assert r.code == 2 and "cannot read" in r.err
    r = av("import-tracker", "/dev/zero", "--from", "generic", now=NOW)
    assert r.code == 2 and "not a regular file" in r.err


def test_rows_applied_without_a_day_come_in_as_leads(av: Afterview) -> None:
    r = av.ok("import-tracker", str(HERE / "huntr.csv"), "--from", "huntr", "--json", now=NOW)
    assert r.json()["leads"] == 8 and r.json()["applied"] == 0
    apps = av.ok("application", "list", "--json", now=NOW).json()
    assert {a["status"] for a in apps} == {"lead"}


def test_a_chosen_encoding_that_does_not_fit_stops_at_the_line() -> None:
    data = "Company,Position\nA,B\nC\u00e9,D\n".encode("utf-8").replace(b"\xc3\xa9", b"\xe9")
    p = read_tracker(data, "generic", encoding="utf-8")
    assert [r.company for r in p.rows] == ["A"]
    assert p.problems[0].line == 3 and "try --encoding" in p.problems[0].text
    assert [r.company for r in read_tracker(data, "generic").rows] == ["A", "C\u00e9"]
