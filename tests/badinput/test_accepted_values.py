"""What the checks must let through: names and words in any script, punctuation people
use, and text pasted from right-to-left writing (embeddings and isolates), as given."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.badinput.runner import run

NOW = "2026-11-20T10:00"
NAMES = [
    "Zoë Ørsted",
    "李小龍",
    "O'Brien, Pat",
    "Anne Müller (HR)",
    "Александр Пушкин",
    "José María Fernández de Córdoba y Ñúñez",
    "\u2067محمد الأحمد\u2069",  # an isolate around a right-to-left name
    "\u202bשרה כהן\u202c",  # an embedding, as pasted from some editors
    "Ana 👩🏽‍💻 Lopez",
]


@pytest.mark.parametrize("name", NAMES)
def test_a_name_in_any_script_is_accepted_and_kept(tmp_path: Path, name: str) -> None:
    db = str(tmp_path / "a.db")
    role = "Senior " + "Data " * 38 + "Engineer"  # 200 characters
    r = run(["--db", db, "--now", NOW, "interview", "add", "--company", f"{name} GmbH",
             "--role", role[:200], "--start", "2026-11-19T10:00",
             "--interviewer", f"{name} <person@acme.example>", "--json"])  # fmt: skip
    assert r.code == 0, r.err
    shown = json.loads(run(["--db", db, "--now", NOW, "interview", "show", "1", "--json"]).out)
    assert shown["company"] == f"{name} GmbH"
    assert [p["name"] for p in shown["interviewers"]] == [name]
    topic = run(["--db", db, "--now", NOW, "interview", "note", "1", "--topic", f"{name} 🚀"])
    assert topic.code == 0, topic.err
