"""`afterview questions` end to end, on both engines: listing with filters and repeats,
better answers and hand-set tags kept through a new assessment and export/import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import Afterview

NOW = "2026-11-27T12:00"


def interview(av: Afterview, company: str, start: str) -> str:
    return av.ok(
        "interview",
        "add",
        "--company",
        company,
        "--role",
        "Data Engineer",
        "--start",
        start,
        now=NOW,
    ).out.strip()


def seeded(av: Afterview) -> tuple[str, str]:
    a = interview(av, "Acme", "2026-11-10T10:00")
    g = interview(av, "Globex", "2026-11-20T10:00")
    av.ok("assess", a, "--asked", "Why do you want to work at Acme?", "--asked",
          "Tell me about a time you disagreed with your manager.", "--confidence", "70", now=NOW)  # fmt: skip
    av.ok("assess", g, "--asked", "Why do you want to work here?", "--asked",
          "What are your salary expectations?", "--asked", "How would you design a rate limiter?", now=NOW)  # fmt: skip
    return a, g


def test_list_filter_and_repeats(av: Afterview) -> None:
    seeded(av)
    bank = av.ok("questions", "--json", now=NOW).json()
    assert [q["company"] for q in bank["questions"]] == ["Globex"] * 3 + ["Acme"] * 2
    tags = {q["text"]: q["tag"] for q in bank["questions"]}
    assert tags["What are your salary expectations?"] == "salary"
    assert tags["How would you design a rate limiter?"] == "technical"
    assert bank["repeated"] == [
        {
            "text": "Why do you want to work here?",
            "times": 2,
            "companies": ["Globex", "Acme"],
            "ids": [3, 1],
        }
    ]
    assert [
        q["id"]
        for q in av.ok("questions", "--tag", "salary", "--json", now=NOW).json()["questions"]
    ] == [4]
    assert len(av.ok("questions", "--company", "acme", "--json", now=NOW).json()["questions"]) == 2
    assert [
        q["id"]
        for q in av.ok("questions", "--search", "rate LIMITER", "--json", now=NOW).json()[
            "questions"
        ]
    ] == [5]
    out = av.ok("questions", now=NOW).out
    assert (
        "Asked more than once:" in out
        and "2x  Why do you want to work here?  (Globex, Acme; ids 3, 1)" in out
    )
    assert "[salary?]  What are your salary expectations?" in out


def test_answers_and_tags_survive_a_new_assessment_and_export(
    av: Afterview, tmp_path: Path
) -> None:
    a, _ = seeded(av)
    r = av.ok(
        "questions",
        "answer",
        "2",
        "--text",
        "Name the disagreement, the data, the outcome.",
        now=NOW,
    )
    assert "answer kept" in r.out
    av.ok("questions", "tag", "1", "culture", now=NOW)
    av("questions", "answer", "1", now=NOW, input="Their mission matches mine.\n")
    # Re-assessing with the same questions (reordered, one added) keeps what was written.
    av.ok("assess", a, "--asked", "Tell me about a time you disagreed with your manager.", "--asked",
          "why do you want to work at acme?", "--asked", "Any questions for us?", now=NOW)  # fmt: skip
    rows = {
        q["text"].casefold(): q for q in av.ok("questions", "--json", now=NOW).json()["questions"]
    }
    assert rows["tell me about a time you disagreed with your manager."]["answer"].startswith(
        "Name the"
    )
    kept = rows["why do you want to work at acme?"]
    assert kept["tag"] == "culture" and kept["tag_by"] == "you"
    assert kept["answer"] == "Their mission matches mine."
    first = av.ok("export", now=NOW).out
    assert json.loads(first)["assessments"][0]["question_notes"]
    path = tmp_path / "e.json"
    path.write_text(first)
    other = Afterview(str(tmp_path / "other.db"))
    other.ok("import", str(path), now=NOW)
    assert other.ok("export", now=NOW).out == first
    # Back to the guess, and clearing an answer.
    assert (
        av.ok("questions", "tag", str(kept["id"]), "guess", "--json", now=NOW).json()["tag_by"]
        == "guess"
    )
    assert (
        av.ok("questions", "answer", str(kept["id"]), "--text", "", "--json", now=NOW).json()[
            "answer"
        ]
        is None
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("questions", "--tag", "nope"), 2, "--tag: expected one of behavioural"),
        (("questions", "answer", "99", "--text", "x"), 1, "question 99: no such question"),
        (("questions", "answer", "abc", "--text", "x"), 2, "ID: expected a numeric id"),
        (("questions", "tag", "1", "funny"), 2, "TAG: expected one of behavioural"),
        (
            ("questions", "answer", "1", "--text", "a\x00b"),
            2,
            "--text: control characters are not accepted",
        ),
    ],
)
def test_errors(av: Afterview, args: tuple[str, ...], code: int, message: str) -> None:
    seeded(av)
    before = av.ok("export", now=NOW).out
    r = av(*args, now=NOW)
    assert r.code == code and message in r.err and "Traceback" not in r.err
    assert av.ok("export", now=NOW).out == before


def test_tags_in_any_case_and_the_us_spelling(av: Afterview) -> None:
    seeded(av)
    row = av.ok("questions", "tag", "1", "Behavioral", "--json", now=NOW).json()
    assert row["tag"] == "behavioural" and row["tag_by"] == "you"
    listed = av.ok("questions", "--tag", "BEHAVIORAL", "--json", now=NOW).json()["questions"]
    assert 1 in {q["id"] for q in listed} and all(q["tag"] == "behavioural" for q in listed)
    assert av.ok("questions", "tag", "1", "GUESS", "--json", now=NOW).json()["tag_by"] == "guess"


def test_assessing_again_adds_and_keeps_question_ids(av: Afterview) -> None:
    a, _ = seeded(av)
    av.ok("questions", "answer", "2", "--text", "The data, then the outcome.", now=NOW)
    av.ok("questions", "tag", "1", "culture", now=NOW)
    av.ok("assess", a, "--confidence", "40", "--score", "rapport=4", now=NOW)  # nothing else given
    rows = {q["id"]: q for q in av.ok("questions", "--json", now=NOW).json()["questions"]}
    assert rows[2]["answer"] == "The data, then the outcome." and rows[1]["tag"] == "culture"
    export = json.loads(av.ok("export", now=NOW).out)
    first = next(x for x in export["assessments"] if x["interview_id"] == int(a))
    assert first["confidence"] == 40 and first["scores"] == {"rapport": 4}
    # Asked again in another case, with a new one: it keeps its id, its text and its
    # answer; the new one joins; none of those recorded before is dropped.
    before = {q["text"] for q in av.ok("questions", "--json", now=NOW).json()["questions"]}
    av.ok("assess", a, "--asked", "Any questions for us?", "--asked",
          "TELL me about a time you disagreed with your manager.", now=NOW)  # fmt: skip
    rows = av.ok("questions", "--json", now=NOW).json()["questions"]
    ids = {q["text"]: q["id"] for q in rows}
    assert "TELL me about a time you disagreed with your manager." not in ids
    assert ids["Tell me about a time you disagreed with your manager."] == 2
    assert before <= set(ids) and "Any questions for us?" in ids
    assert next(q for q in rows if q["id"] == 2)["answer"] == "The data, then the outcome."


def test_an_unknown_question_is_refused_before_asking_for_an_answer(av: Afterview) -> None:
    r = av("questions", "answer", "9999", now=NOW, input="never read\n")
    assert r.code == 1 and "question 9999: no such question" in r.err
