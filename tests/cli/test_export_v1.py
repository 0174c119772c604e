"""A version 1 export (tests/cli/data/export-v1.json, written by the exporter before version
2) still imports as it did: the same agenda, interviews and questions, and its version 2
export carries the same records, with nothing for what version 1 did not have."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.helpers import Afterview

DATA = Path(__file__).parent / "data"
NOW = "2026-11-27T12:00"


def test_a_version_1_export_imports_as_before(av: Afterview) -> None:
    v1 = json.loads((DATA / "export-v1.json").read_text(encoding="utf-8"))
    assert v1["version"] == 1
    av.ok("import", str(DATA / "export-v1.json"), now=NOW)
    views = json.loads((DATA / "export-v1-views.json").read_text(encoding="utf-8"))
    assert av.ok("agenda", "--json", "--all", now=NOW).json() == views["agenda"]
    assert av.ok("interview", "list", "--json", now=NOW).json() == views["interviews"]
    assert av.ok("questions", "--json", now=NOW).json() == views["questions"]
    v2 = av.ok("export", now=NOW).json()
    assert v2["version"] == 2
    for key, records in v1.items():
        if key in ("format", "version"):
            continue
        got = v2[key]
        assert len(got) == len(records), key
        for old, new in zip(records, got, strict=True):
            # every field of version 1 is there, unchanged; the new ones are empty
            assert {k: new[k] for k in old} == old, (key, old)
            extra = {k: v for k, v in new.items() if k not in old}
            if key == "drafts":  # a draft of version 1 is taken for the user's own
                assert extra.pop("edited") is True
            assert all(v in (None, [], False) for v in extra.values()), (key, extra)
    for key in ("calendar_events", "notifications", "mail_sync", "outbox"):
        assert v2[key] == []
    assert v2["mail"] is None


def test_a_version_1_document_may_not_hold_version_2_fields(av: Afterview, tmp_path: Path) -> None:
    v1 = json.loads((DATA / "export-v1.json").read_text(encoding="utf-8"))
    v1["interviews"][0]["invitation"] = {"uid": "x@example.org", "sequence": 0}
    path = tmp_path / "v1.json"
    path.write_text(json.dumps(v1))
    r = av("import", str(path), now=NOW)
    assert r.code == 2 and r.err.startswith(
        "afterview: import interviews[0]: no field 'invitation'"
    )
