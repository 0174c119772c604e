"""Every malformed import document is refused like the CLI refuses the same value: exit 2,
one line on stderr naming the place, no traceback, and nothing written (SQLite and
PostgreSQL). The documents are single mutations of one valid document
(tests/cli/import_cases.py) at every field.

Every case runs on SQLite. The checks run before anything is written and do not depend
on the engine; what does (looking references up, writing, rolling back) is tried on
PostgreSQL with every case of the rare kinds (references, duplicates) and one in six of
each common kind (`ON_POSTGRESQL`), which keeps every kind of value on both engines."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from afterview.store.db import connect
from afterview.store.porting import IMPORTED_TABLES
from tests.cli.helpers import Afterview
from tests.cli.import_cases import VALID, cases

NOW = "2026-11-27T12:00"
ALL = list(cases())


def _kind(what: str) -> str:
    """The kind of mutation: "NUL" of "applications[1].company: NUL"."""
    return what.split(": ", 1)[-1]


def _sample(cases: list[tuple[str, bytes, str]]) -> list[tuple[str, bytes, str]]:
    sizes = Counter(_kind(what) for what, _, _ in cases)
    seen: Counter[str] = Counter()
    kept = []
    for case in cases:
        kind = _kind(case[0])
        if sizes[kind] <= 8 or seen[kind] % 6 == 0:
            kept.append(case)
        seen[kind] += 1
    return kept


ON_POSTGRESQL = _sample(ALL)


def test_there_are_hundreds_of_cases() -> None:
    assert len(ALL) > 400
    assert len({what for what, _, _ in ALL}) == len(ALL)
    assert {_kind(w) for w, _, _ in ON_POSTGRESQL} == {_kind(w) for w, _, _ in ALL}
    assert 200 < len(ON_POSTGRESQL) < len(ALL) / 3


def test_the_valid_document_imports_and_exports_as_it_is(av: Afterview, tmp_path: Path) -> None:
    path = tmp_path / "valid.json"
    path.write_text(json.dumps(VALID))
    av.ok("import", str(path), now=NOW)
    assert av.ok("export", now=NOW).json() == VALID


def _rows(url: str) -> dict[str, int]:
    db = connect(url)
    try:
        return {t: int(db.one(f"SELECT COUNT(*) FROM {t}")[0]) for t in IMPORTED_TABLES}  # type: ignore[index]
    finally:
        db.close()


def test_each_malformed_document_is_refused_with_its_place(
    av: Afterview, tmp_path: Path, db_url: str
) -> None:
    av.ok("agenda", now=NOW)  # the schema, and nothing else
    empty = _rows(db_url)
    path = tmp_path / "bad.json"
    wrong: list[str] = []
    chosen = ON_POSTGRESQL if db_url.startswith("postgresql") else ALL
    for what, data, where in chosen:
        path.write_bytes(data)
        r = av("import", str(path), now=NOW)
        lines = r.err.splitlines()
        expected = f"afterview: import {where}: " if where else "afterview: import: "
        if r.code != 2 or len(lines) != 1 or not lines[0].startswith(expected) or r.out:
            wrong.append(f"{what}: exit {r.code}, {r.err.strip()[:200]!r}")
        assert "Traceback" not in r.err
    assert not wrong, f"{len(wrong)} of {len(chosen)} cases:\n" + "\n".join(wrong)
    assert _rows(db_url) == empty


def test_an_optional_key_left_out_reads_as_documented(tmp_path: Path) -> None:
    """Each key that may be null, a list or true/false, left out alone: the document imports,
    and exports with that key null, empty or false."""
    from tests.cli.import_cases import DEFAULTED, MISSING, OPTIONAL, _set, _walk, place

    path = tmp_path / "doc.json"
    leaving: list[tuple[str | int, ...]] = []
    for where, _value in _walk(VALID, ()):
        shape = ".".join(p for p in where if isinstance(p, str))
        # (records others refer to are not left out: the references would dangle)
        named = bool(where) and where[-1] not in (
            "applications",
            "people",
            "interviews",
            "asked",
            "imap_host",
        )
        if named and isinstance(where[-1], str) and (shape in OPTIONAL or where[-1] in DEFAULTED):
            leaving.append(where)
    assert len(leaving) > 60
    for n, where in enumerate(leaving):
        target = Afterview(str(tmp_path / f"t{n}.db"))
        path.write_text(json.dumps(_set(VALID, where, MISSING)))
        r = target("import", str(path), now=NOW)
        assert r.code == 0, (place(where), r.err)
