"""Import reads an export a record at a time (`services/json_stream.py`,
`services/import_stream.py`): the same values as `json.loads`, the same places in
messages, checks that hold across batches, and lists in any order."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from afterview.services import import_stream
from afterview.services.json_stream import Items, NotJson, Reader, top_level
from tests.cli.helpers import Afterview

NOW = "2026-11-27T12:00"


def _pieces(data: bytes, seed: int) -> Any:
    """A `read` that gives `data` a few bytes at a time (cut anywhere, mid-character too)."""
    stream = io.BytesIO(data)
    rng = random.Random(seed)
    return lambda _size: stream.read(rng.randint(1, 7))


def _streamed(data: bytes, seed: int = 0) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in top_level(Reader(_pieces(data, seed), json.JSONDecoder())):
        out[key] = list(value) if isinstance(value, Items) else value
    return out


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(
    doc=st.dictionaries(st.text(), st.lists(values, max_size=5) | values, max_size=6),
    indent=st.sampled_from([None, 0, 1, 4]),
    seed=st.integers(0, 1000),
)
def test_the_reader_reads_what_json_loads_reads(
    doc: dict[str, Any], indent: int | None, seed: int
) -> None:
    data = json.dumps(doc, indent=indent, ensure_ascii=bool(seed % 2)).encode()
    assert _streamed(b"\xef\xbb\xbf" + data if seed % 3 == 0 else data, seed) == json.loads(data)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": [1, 2,\n  3 4]}',
        '{"a": [1, 2]\n "b": 1}',
        '{"a": [{"x": 1},\n {"x": }]}',
        '{"a": 1,\n\n  "b": tru}',
        '{"a": [1, 2], "b": [\n"unterminated',
        '{"a": [], "b": 2} extra',
        '{\n"a" 1}',
        '{"a": [1, 2]',
        "",
        "   \n  ",
        '{"a": [1, 2], 3: 4}',
    ],
)
def test_a_broken_document_fails_where_json_loads_fails(text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(NotJson) as got:
        _streamed(text.encode(), seed=len(text))
    assert (got.value.line, got.value.column) == (expected.value.lineno, expected.value.colno)


def _export(av: Afterview) -> dict[str, Any]:
    av.ok("demo", now=NOW)
    av.ok("draft", "thank-you", "1", now=NOW)
    av.ok("skip", "follow_up:2:1", "--why", "they said not to chase", now=NOW)
    return json.loads(av.ok("export", now=NOW).out)


def _import(tmp_path: Path, doc: dict[str, Any] | str, name: str) -> tuple[Afterview, Any]:
    path = tmp_path / f"{name}.json"
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc, indent=1))
    target = Afterview(str(tmp_path / f"{name}.db"))
    return target, target("import", str(path), now=NOW)


def test_checks_hold_across_batches(
    av: Afterview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches of 2: what names a record of an earlier batch finds it, and what must not
    appear twice is found twice in different batches."""
    monkeypatch.setattr(import_stream, "BATCH", 2)
    doc = _export(av)
    first = av.ok("export", now=NOW).out
    target, r = _import(tmp_path, first, "whole")
    assert r.code == 0, r.err
    assert target.ok("export", now=NOW).out == first
    cases = {
        "applications[5].id": ("applications", 5, "id", doc["applications"][0]["id"]),
        "touches[7].id": ("touches", 7, "id", doc["touches"][1]["id"]),
        "assessments[3].interview_id": (
            "assessments",
            3,
            "interview_id",
            doc["assessments"][0]["interview_id"],
        ),
        "people[5].id": ("people", 5, "id", doc["people"][1]["id"]),
        "touches[6].interview_id": ("touches", 6, "interview_id", 10_000),
    }
    for n, (place, (section, index, key, value)) in enumerate(cases.items()):
        bad = json.loads(first)
        bad[section][index][key] = value
        target, r = _import(tmp_path, bad, f"bad{n}")
        assert r.code == 2 and f"import {place}:" in r.err, (place, r.err)
        assert len(r.err.strip().splitlines()) == 1
        assert json.loads(target.ok("export", now=NOW).out)["applications"] == []


def test_lists_in_another_order_come_in_the_same(av: Afterview, tmp_path: Path) -> None:
    first = json.dumps(_export(av), ensure_ascii=False, indent=1) + "\n"
    doc = json.loads(first)
    keys = list(doc)
    shuffled = {k: doc[k] for k in reversed(keys)}  # outbox first, format last
    target, r = _import(tmp_path, shuffled, "reversed")
    assert r.code == 0, r.err
    assert target.ok("export", now=NOW).out == first


def test_what_is_held_out_of_order_has_a_limit(
    av: Afterview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_stream, "MAX_HELD", 2000)
    doc = _export(av)
    late = {k: v for k, v in doc.items() if k != "applications"} | {
        "applications": doc["applications"]
    }
    target, r = _import(tmp_path, late, "late")
    assert r.code == 2 and "before applications;" in r.err, r.err
    assert json.loads(target.ok("export", now=NOW).out)["people"] == []


@pytest.mark.parametrize(
    ("doc", "said"),
    [
        ('{"applications": []}', "is not an afterview export"),
        ('{"version": 2, "format": "afterview-export", "notes": []}', "no field 'notes'"),
        ('{"format": "afterview-export", "applications": []}', "version: expected a whole"),
        ('{"version": 9, "format": "afterview-export"}', "newer afterview"),
        ('{"format": "afterview-export", "version": 1, "outbox": []}', "no field 'outbox'"),
        ('{"format": "afterview-export", "version": 2, "people": 5}', "people: expected a list"),
        ('{"format": "afterview-export", "format": "x"}', "appears twice"),
        ('{"format": "afterview-export", "version": 2, "mail": []}', "mail: expected an object"),
    ],
)
def test_the_document_itself_is_checked(tmp_path: Path, doc: str, said: str) -> None:
    _target, r = _import(tmp_path, doc, "doc")
    assert r.code == 2 and said in r.err, r.err
    assert len(r.err.strip().splitlines()) == 1


def test_a_typo_deep_in_a_long_list_is_found_where_it_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """More text cannot mend an error before the end of what was read: it is reported at
    once, with its place, not after reading on to the end or to the size limit."""
    from afterview.services import json_stream

    monkeypatch.setattr(json_stream, "MAX_RECORD", 50_000)
    note = "x" * 80
    records = ",\n".join(f'{{"company": "C{n}", "notes": "{note}"}}' for n in range(20_000))
    text = '{"applications": [\n' + records.replace('"C3",', '"C3",,', 1) + "\n]}"
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(NotJson) as got:
        list(_streamed_whole(text.encode()))
    assert (got.value.line, got.value.column) == (expected.value.lineno, expected.value.colno)


def _streamed_whole(data: bytes) -> Any:
    for _key, value in top_level(Reader(io.BytesIO(data).read, json.JSONDecoder())):
        yield from value if isinstance(value, Items) else [value]


def test_mail_as_a_list_in_its_place_and_a_list_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = '{"format": "afterview-export", "version": 2, '
    from afterview.services.import_check import TOP_V2

    lists = TOP_V2[2 : TOP_V2.index("mail")]  # every list before it: its turn has come
    before = "".join(f'"{k}": [], ' for k in lists)
    _target, r = _import(tmp_path, head + before + '"mail": [1,,]}', "mail")
    assert r.code == 2 and r.err.strip().endswith("import mail: expected an object, got a list")
    monkeypatch.setattr(import_stream, "MAX_HELD", 2000)
    interviews = ", ".join(
        f'{{"id": {n}, "application_id": 1, "start": "2026-01-0{n % 9 + 1}T10:00:00+00:00"}}'
        for n in range(1, 60)
    )
    doc = head + '"applications": [], "interviews": [' + interviews + "]}"
    _target, r = _import(tmp_path, doc, "nopeople")
    assert r.code == 2 and "before people;" in r.err, r.err
