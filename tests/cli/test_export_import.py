"""Export, import into an empty database, export again: the same document. Broken files refused."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.helpers import Afterview

NOW = "2026-11-27T12:00"


def test_round_trip_is_identical(av: Afterview, tmp_path: Path, db_url: str) -> None:
    av.ok("demo", now=NOW)
    av.ok("draft", "thank-you", "1", now=NOW)
    av.ok("skip", "follow_up:2:1", "--why", "they said not to chase", now=NOW)
    first = av.ok("export", now=NOW).out
    doc = json.loads(first)
    assert doc["format"] == "afterview-export" and doc["version"] == 2
    assert doc["drafts"] and doc["marks"] and doc["assessments"]
    path = tmp_path / "export.json"
    path.write_text(first)
    other = Afterview(str(tmp_path / "other.db"))
    other.ok("import", str(path), now=NOW)
    assert other.ok("export", now=NOW).out == first
    agenda = av.ok("agenda", "--json", "--all", now=NOW).json()
    assert other.ok("agenda", "--json", "--all", now=NOW).json() == agenda


def test_import_refuses_a_database_with_data(av: Afterview, tmp_path: Path) -> None:
    av.ok("demo", now=NOW)
    path = tmp_path / "e.json"
    path.write_text(av.ok("export", now=NOW).out)
    r = av("import", str(path), now=NOW)
    assert r.code == 1 and "empty" in r.err


def _doc(av: Afterview) -> dict:
    av.ok("demo", now=NOW)
    return json.loads(av.ok("export", now=NOW).out)


def test_broken_files_are_refused_with_their_place(av: Afterview, tmp_path: Path) -> None:
    doc = _doc(av)
    target = Afterview(str(tmp_path / "target.db"))
    cases: list[tuple[bytes, str]] = [
        (b"", "not valid JSON"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b'{"format": "afterview-export", "version": 1, "applications": [', "not valid JSON"),
        (b"[1, 2, 3]", "not an afterview export"),
        (b'{"format": "afterview-export", "version": 99}', "newer afterview"),
        (b"[" * 100000, "nested too deeply"),
    ]
    bad_tz = json.loads(json.dumps(doc))
    bad_tz["interviews"][2]["tz"] = "Mars/Base"
    cases.append((json.dumps(bad_tz).encode(), "interviews[2].tz"))
    dangling = json.loads(json.dumps(doc))
    dangling["touches"][0]["interview_id"] = 999
    cases.append((json.dumps(dangling).encode(), "touches[0].interview_id"))
    dup = json.loads(json.dumps(doc))
    dup["applications"][1]["id"] = dup["applications"][0]["id"]
    cases.append((json.dumps(dup).encode(), "applications[1].id"))
    naive = json.loads(json.dumps(doc))
    naive["touches"][1]["at"] = "2026-11-01T10:00:00"
    cases.append((json.dumps(naive).encode(), "touches[1].at"))
    score = json.loads(json.dumps(doc))
    score["assessments"][0]["scores"]["rapport"] = 7
    cases.append((json.dumps(score).encode(), "assessments[0].scores"))
    for n, (data, needle) in enumerate(cases):
        path = tmp_path / f"bad{n}.json"
        path.write_bytes(data)
        r = target("import", str(path), now=NOW)
        assert r.code == 2, (needle, r.err)
        assert needle in r.err, (needle, r.err)
        assert len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err
    assert json.loads(target.ok("export", now=NOW).out)["applications"] == []
    missing = target("import", str(tmp_path / "nope.json"), now=NOW)
    assert missing.code == 2 and "cannot read" in missing.err


def test_a_late_failure_writes_nothing(av: Afterview, tmp_path: Path) -> None:
    doc = _doc(av)
    doc["drafts"].append(
        {
            "interview_id": 1,
            "action_id": "x",
            "kind": "thank_you",
            "to_name": None,
            "to_email": None,
            "subject": "s",
            "body": "b",
            "created_at": "not a time",
        }
    )
    path = tmp_path / "late.json"
    path.write_text(json.dumps(doc))
    target = Afterview(str(tmp_path / "target.db"))
    r = target("import", str(path), now=NOW)
    assert r.code == 2 and "drafts[" in r.err
    assert json.loads(target.ok("export", now=NOW).out)["interviews"] == []
