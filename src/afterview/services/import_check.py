"""Checking an export document field by field before anything is written.

Every problem names its place in the document (`interviews[3].start`) and what
is accepted; references between records are checked too.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from afterview.core.model import Direction, OutcomeResult, TouchKind
from afterview.core.timeutil import zone
from afterview.errors import BadInput
from afterview.parsing import check_text
from afterview.store.codec import put_dt
from afterview.store.leads import COLUMNS as LEAD_KEYS

_LIMIT = 20000


class _Item:
    """One object of the document, read with checks."""

    def __init__(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise BadInput(f"import {where}", "expected an object")
        self.value = value
        self.where = where

    def fail(self, key: str, what: str) -> BadInput:
        return BadInput(f"import {self.where}.{key}", what)

    def get(self, key: str, optional: bool) -> Any:
        if key not in self.value:
            if optional:
                return None
            raise self.fail(key, "missing")
        v = self.value[key]
        if v is None and not optional:
            raise self.fail(key, "expected a value, got null")
        return v

    def id(self, key: str, optional: bool = False) -> int | None:
        v = self.get(key, optional)
        if v is None:
            return None
        if not isinstance(v, int) or isinstance(v, bool) or not 0 < v < 2**62:
            raise self.fail(key, f"expected a positive whole number, got {v!r}")
        return v

    def text(self, key: str, optional: bool = False, limit: int = _LIMIT) -> str | None:
        v = self.get(key, optional)
        if v is None:
            return None
        if not isinstance(v, str) or (not optional and not v.strip()):
            raise self.fail(key, "expected text")
        if len(v) > limit:
            raise self.fail(key, f"expected at most {limit} characters")
        if "\x00" in v:
            raise self.fail(key, "NUL characters are not accepted")
        return v

    def moment(self, key: str, optional: bool = False) -> str | None:
        v = self.text(key, optional, limit=40)
        if v is None:
            return None
        try:
            parsed = datetime.fromisoformat(v)
        except ValueError:
            raise self.fail(key, f"expected an ISO 8601 datetime with offset, got {v!r}") from None
        if parsed.tzinfo is None:
            raise self.fail(key, f"expected a UTC offset in {v!r}")
        normal = put_dt(parsed)
        self.value[key] = normal
        return normal

    def day(self, key: str, optional: bool = False) -> str | None:
        v = self.text(key, optional, limit=10)
        if v is None:
            return None
        try:
            date.fromisoformat(v)
        except ValueError:
            raise self.fail(key, f"expected YYYY-MM-DD, got {v!r}") from None
        return v

    def choice(self, key: str, options: tuple[str, ...]) -> str:
        v = self.get(key, False)
        if v not in options:
            raise self.fail(key, f"expected one of {', '.join(options)}, got {v!r}")
        return str(v)

    def items(self, key: str) -> list[Any]:
        v = self.get(key, False)
        if not isinstance(v, list):
            raise self.fail(key, "expected a list")
        return v


def _check_profile_check(c: _Item) -> None:
    """A stored profile check: when, the two paths, its findings and notes."""
    c.moment("at")
    c.text("resume", limit=4096)
    c.text("linkedin", limit=4096)
    findings, notes = c.get("findings", False), c.get("notes", False)
    if not isinstance(findings, list):
        raise c.fail("findings", "expected a list")
    for n, f in enumerate(findings):
        item = _Item(f, f"{c.where}.findings[{n}]")
        item.text("kind", limit=100)
        item.choice("severity", ("high", "medium", "low"))
        item.text("what")
        item.text("fix")
    if not isinstance(notes, list) or not all(isinstance(x, str) for x in notes):
        raise c.fail("notes", "expected a list of text")


def _check_question_notes(a: _Item, asked: int) -> None:
    """An assessment's `question_notes`: a hand-set tag and a better answer per question."""
    from afterview.core.questions import TAGS

    notes = a.get("question_notes", False)
    if not isinstance(notes, list):
        raise a.fail("question_notes", "expected a list")
    for n, raw in enumerate(notes):
        note = _Item(raw, f"{a.where}.question_notes[{n}]")
        position = note.get("position", False)
        if not isinstance(position, int) or isinstance(position, bool) or not 0 <= position < asked:
            raise note.fail(
                "position", f"expected the number of a question in asked (0 to {asked - 1})"
            )
        tag = note.get("tag", True)
        if tag is not None and tag not in TAGS:
            raise note.fail("tag", f"expected one of {', '.join(TAGS)} or null")
        answer = note.get("answer", True)
        if answer is not None:
            if not isinstance(answer, str) or not answer.strip():
                raise note.fail("answer", "expected some text, or null")
            check_text(answer, f"import {note.where}.answer", limit=20_000)
        note.moment("answered_at", optional=True)


def _list(doc: dict[str, Any], key: str) -> list[_Item]:
    v = doc.get(key)
    if not isinstance(v, list):
        raise BadInput(f"import {key}", "expected a list")
    return [_Item(x, f"{key}[{n}]") for n, x in enumerate(v)]


def _unique(items: list[_Item], key: str, what: str) -> set[int]:
    seen: set[int] = set()
    for it in items:
        i = it.id(key)
        assert i is not None
        if i in seen:
            raise it.fail(key, f"{what} {i} appears twice")
        seen.add(i)
    return seen


def _values(kind: type[StrEnum]) -> tuple[str, ...]:
    return tuple(e.value for e in kind)


def _once_per_interview(item: _Item, iv_ids: set[int], seen: set[int], what: str) -> None:
    iv_id = item.id("interview_id")
    assert iv_id is not None
    if iv_id not in iv_ids or iv_id in seen:
        raise item.fail(
            "interview_id", f"expected an interview of the document, with one {what} at most"
        )
    seen.add(iv_id)


def _check_lead(a: _Item) -> None:
    """An application's optional `lead`: what its posting said."""
    lead = a.value.get("lead")
    if lead is None:
        return
    if not isinstance(lead, dict):
        raise a.fail("lead", "expected an object")
    item = _Item(lead, f"{a.where}.lead")
    unknown = sorted(set(lead) - set(LEAD_KEYS))
    if unknown:
        raise item.fail(unknown[0], "unknown key")
    for key in ("location", "salary_currency", "salary_unit", "source", "source_status"):
        item.text(key, optional=True, limit=300)
    item.text("notes", optional=True)
    item.day("posted_on", optional=True)
    item.day("valid_through", optional=True)
    if not isinstance(lead.get("remote", False), bool):
        raise item.fail("remote", "expected true or false")
    for key in ("salary_min", "salary_max"):
        v = lead.get(key)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int | float)):
            raise item.fail(key, f"expected a number, got {v!r}")


def check_document(doc: dict[str, Any]) -> None:
    """Raise `BadInput` at the first problem in an export document."""
    apps = _list(doc, "applications")
    app_ids = _unique(apps, "id", "application")
    for a in apps:
        a.text("company", limit=200)
        a.text("role", limit=200)
        a.day("applied_on", optional=True)
        a.text("url", optional=True, limit=2000)
        a.text("email_domain", optional=True, limit=255)
        a.moment("created_at")
        _check_lead(a)
    people = _list(doc, "people")
    person_ids = _unique(people, "id", "person")
    for p in people:
        p.text("name", limit=300)
        p.text("email", optional=True, limit=300)
    interviews = _list(doc, "interviews")
    iv_ids = _unique(interviews, "id", "interview")
    for iv in interviews:
        if iv.id("application_id") not in app_ids:
            raise iv.fail("application_id", "names no application in the document")
        start, end = iv.moment("start"), iv.moment("end")
        assert start and end
        if datetime.fromisoformat(end) <= datetime.fromisoformat(start):
            raise iv.fail("end", "expected a moment after start")
        tz = iv.text("tz", limit=64)
        try:
            zone(str(tz))
        except (KeyError, ValueError):
            raise iv.fail("tz", f"unknown timezone {tz!r}") from None
        iv.day("decision_by", optional=True)
        iv.text("notes", optional=True)
        iv.moment("created_at")
        seen: set[int] = set()
        for n, pid in enumerate(iv.items("interviewers")):
            if not isinstance(pid, int) or pid not in person_ids or pid in seen:
                raise BadInput(
                    f"import {iv.where}.interviewers[{n}]",
                    "expected the id of a person in the document, once",
                )
            seen.add(pid)
        for n, t in enumerate(iv.items("topics")):
            topic = _Item(t, f"{iv.where}.topics[{n}]")
            topic.text("text", limit=300)
            topic.moment("created_at")
    touches = _list(doc, "touches")
    _unique(touches, "id", "touch")
    for t in touches:
        if t.id("interview_id") not in iv_ids:
            raise t.fail("interview_id", "names no interview in the document")
        t.choice("direction", _values(Direction))
        t.choice("kind", _values(TouchKind))
        pid = t.id("person_id", optional=True)
        if pid is not None and pid not in person_ids:
            raise t.fail("person_id", "names no person in the document")
        t.moment("at")
        t.text("note", optional=True)
        t.text("message_id", optional=True, limit=1000)
        t.text("sender", optional=True, limit=320)
        t.text("subject", optional=True, limit=1000)
        if not isinstance(t.get("forced", False), bool):
            raise t.fail("forced", "expected true or false")
        t.moment("created_at")
    outcome_ivs: set[int] = set()
    for o in _list(doc, "outcomes"):
        _once_per_interview(o, iv_ids, outcome_ivs, "outcome")
        o.choice("result", _values(OutcomeResult))
        o.moment("at")
    assessed: set[int] = set()
    for a in _list(doc, "assessments"):
        _once_per_interview(a, iv_ids, assessed, "assessment")
        a.moment("at")
        scores = a.get("scores", False)
        if not isinstance(scores, dict) or not all(
            isinstance(k, str)
            and k
            and isinstance(v, int)
            and not isinstance(v, bool)
            and 1 <= v <= 5
            for k, v in scores.items()
        ):
            raise a.fail("scores", "expected an object of rubric item names to scores 1..5")
        asked = a.items("asked")
        if not all(isinstance(q, str) and q.strip() for q in asked):
            raise a.fail("asked", "expected a list of question texts")
        if "question_notes" in a.value:
            _check_question_notes(a, len(asked))
        a.text("went_well", optional=True)
        a.text("improve", optional=True)
        conf = a.get("confidence", True)
        if conf is not None and (
            not isinstance(conf, int) or isinstance(conf, bool) or not 0 <= conf <= 100
        ):
            raise a.fail("confidence", "expected a whole number from 0 to 100, or null")
    for m in _list(doc, "marks"):
        m.text("action_id", limit=200)
        m.choice("state", ("done", "skipped"))
        m.moment("at")
        m.text("why", optional=True)
    for r in _list(doc, "profile_reviews"):
        r.moment("at")
    for c in _list(doc, "profile_checks") if "profile_checks" in doc else []:
        _check_profile_check(c)
    for d in _list(doc, "drafts"):
        if d.id("interview_id") not in iv_ids:
            raise d.fail("interview_id", "names no interview in the document")
        d.text("action_id", limit=200)
        d.choice("kind", ("thank_you", "follow_up"))
        d.text("to_name", optional=True, limit=300)
        d.text("to_email", optional=True, limit=300)
        d.text("subject", limit=1000)
        d.text("body")
        d.moment("created_at")
