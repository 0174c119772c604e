"""Malformed import documents, made from one valid version 2 document by single mutations
at every field: each comes with the place the refusal must name."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

T = "2026-09-15T12:00:00+00:00"
T2 = "2026-09-15T13:00:00+00:00"

VALID: dict[str, Any] = {
    "format": "afterview-export",
    "version": 2,
    "applications": [
        {
            "id": 1, "company": "Acme", "role": "Data Engineer", "applied_on": "2026-09-01",
            "url": "https://acme.example/jobs/1", "email_domain": "acme.example",
            "created_at": T,
            "lead": {
                "location": "Paris", "remote": True, "salary_min": 50000, "salary_max": 60000.5,
                "salary_currency": "EUR", "salary_unit": "YEAR", "posted_on": "2026-08-01",
                "valid_through": "2026-10-01", "source": "file", "source_status": "Applied",
                "notes": "Met them at a meetup.\nFriendly.",
            },
            "stage": "offer", "stage_at": T2, "notes": "Call back on Monday.\nAsk for Ana.",
        },
        {
            "id": 2, "company": "Globex", "role": "Analyst", "applied_on": None, "url": None,
            "email_domain": None, "created_at": T, "lead": None, "stage": None, "stage_at": None,
            "notes": None,
        },
    ],
    "people": [
        {"id": 1, "name": "Ana Lopez", "email": "ana@acme.example"},
        {"id": 2, "name": "Ben Okafor", "email": None},
    ],
    "interviews": [
        {
            "id": 1, "application_id": 1, "start": T, "end": T2, "tz": "Europe/Paris",
            "decision_by": "2026-09-25", "notes": "Bring the portfolio.", "created_at": T,
            "interviewers": [1, 2],
            "topics": [{"text": "streaming", "created_at": T}],
            "invitation": {
                "uid": "abc-123@acme.example", "sequence": 2, "format": "video",
                "location": "Room 4", "meeting_url": "https://meet.example/abc",
            },
        },
    ],
    "touches": [
        {
            "id": 1, "interview_id": 1, "direction": "received", "kind": "other",
            "person_id": 1, "at": T2, "note": "They wrote back.", "forced": False,
            "created_at": T2, "message_id": "<r1@acme.example>", "sender": "ana@acme.example",
            "subject": "Next steps",
        },
    ],
    "outcomes": [{"interview_id": 1, "result": "next_round", "at": T2}],
    "assessments": [
        {
            "interview_id": 1, "at": T2, "scores": {"rapport": 4, "technical": 3},
            "asked": ["Why Acme?", "Tell me about a conflict."], "went_well": "Clear story",
            "improve": "Shorter answers", "confidence": 60,
            "question_notes": [
                {"position": 1, "tag": "culture", "answer": "Listen first.", "answered_at": T2}
            ],
        },
    ],
    "marks": [
        {"action_id": "follow_up:1:1", "state": "skipped", "at": T2, "why": "Said not to."},
        {"action_id": "thank_you:1:2", "state": "done", "at": T2, "why": None},
        {"action_id": "keep_searching:2026-W38", "state": "done", "at": T2, "why": None},
    ],
    "profile_reviews": [{"at": T}],
    "profile_checks": [
        {
            "at": T, "resume": "/home/sam/resume.json", "linkedin": "/home/sam/export.zip",
            "findings": [
                {"kind": "headline", "severity": "high", "what": "Old title.", "fix": "Update."}
            ],
            "notes": ["Projects.csv: not in the export"],
        },
    ],
    "drafts": [
        {
            "interview_id": 1, "action_id": "thank_you:1:1", "kind": "thank_you",
            "to_name": "Ana Lopez", "to_email": "ana@acme.example", "subject": "Thank you",
            "body": "Dear Ana,\n\nThank you.\n", "created_at": T2, "edited": False,
        },
    ],
    "calendar_events": [
        {"action_id": "self_assess:1", "window_key": "20260915T130000Z/x", "sequence": 3}
    ],
    "notifications": [{"key": "digest:2026-09-16", "channel": "3f2a9c0b1d2e4f56", "sent_at": T2}],
    "mail": {
        "smtp_host": "smtp.example.org", "smtp_port": 587, "smtp_security": "starttls",
        "smtp_user": "me@example.org", "from_address": "me@example.org", "from_name": "Sam",
        "imap_host": "imap.example.org", "imap_port": 993, "imap_security": "tls",
        "imap_user": "me@example.org", "sent_folder": "Sent", "my_addresses": ["sam@example.net"],
        "allow_insecure": False, "updated_at": T, "auth": "password", "oauth_provider": None,
        "oauth_client_id": None,
    },
    "mail_sync": [
        {"folder": "INBOX", "uidvalidity": 7, "last_uid": 42, "highest_modseq": 77, "synced_at": T2}
    ],
    "outbox": [
        {
            "id": 1, "interview_id": 1, "action_id": "thank_you:1:1", "kind": "thank_you",
            "person_id": 1, "to_name": "Ana Lopez", "to_email": "ana@acme.example",
            "subject": "Thank you", "body": "Dear Ana,\n\nThank you.\n",
            "message_id": "<m1@example.org>", "state": "held", "send_at": T2, "due_at": T2,
            "forced": False, "attempts": 0, "retry_at": None, "reason": "approved elsewhere",
            "claimed_by": None, "claimed_at": None, "sent_at": None, "approved_at": T,
            "updated_at": T, "written_for": T2,
        },
    ],
}  # fmt: skip

# Fields that may be null or left out, by their path without indices.
OPTIONAL = {
    "applications.applied_on", "applications.url", "applications.email_domain",
    "applications.lead", "applications.stage", "applications.stage_at", "applications.notes",
    "people.email", "interviews.decision_by", "interviews.notes",
    "interviews.invitation", "interviews.invitation.format", "interviews.invitation.location",
    "interviews.invitation.meeting_url", "touches.person_id", "touches.note",
    "touches.message_id", "touches.sender", "touches.subject", "assessments.went_well",
    "assessments.improve", "assessments.confidence", "assessments.question_notes.tag",
    "assessments.question_notes.answer", "assessments.question_notes.answered_at",
    "marks.why", "drafts.to_name", "drafts.to_email", "drafts.edited", "mail", "mail.smtp_user",
    "mail.from_name", "mail.imap_host", "mail.imap_port", "mail.imap_security",
    "mail.imap_user", "mail.sent_folder", "mail.auth", "mail.oauth_provider",
    "mail.oauth_client_id", "mail_sync.highest_modseq", "outbox.person_id",
    "outbox.to_name", "outbox.retry_at", "outbox.reason", "outbox.claimed_by",
    "outbox.claimed_at", "outbox.sent_at", "outbox.attempts", "outbox.written_for",
    *(f"applications.lead.{k}" for k in VALID["applications"][0]["lead"]),
}  # fmt: skip
# Texts of several lines (line breaks and encoded words are fine in them); others are lines.
TEXTS = {"notes", "note", "body", "went_well", "improve", "answer", "why", "what", "fix", "reason"}
MOMENTS = {
    "created_at", "at", "start", "end", "answered_at", "sent_at", "synced_at", "send_at",
    "due_at", "retry_at", "claimed_at", "approved_at", "updated_at", "written_for", "stage_at",
}  # fmt: skip
DAYS = {"applied_on", "decision_by", "posted_on", "valid_through"}
# Lists and true/false read as empty or false when left out.
DEFAULTED = {
    "applications", "people", "interviews", "touches", "outcomes", "assessments", "marks",
    "profile_reviews", "profile_checks", "drafts", "calendar_events", "notifications",
    "mail_sync", "outbox", "interviewers", "topics", "scores", "asked", "question_notes",
    "findings", "notes", "my_addresses", "remote", "forced", "allow_insecure",
}  # fmt: skip
REFERENCES = {"application_id", "interview_id", "person_id"}

Path = tuple[str | int, ...]


def _walk(value: Any, path: Path) -> Iterator[tuple[Path, Any]]:
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, (*path, k))
    elif isinstance(value, list):
        for n, v in enumerate(value):
            yield from _walk(v, (*path, n))


def place(path: Path) -> str:
    """`interviews[0].invitation.uid`"""
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


def _shape(path: Path) -> str:
    return ".".join(p for p in path if isinstance(p, str))


def _set(doc: dict[str, Any], path: Path, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    target: Any = out
    for p in path[:-1]:
        target = target[p]
    if value is _MISSING:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return out


_MISSING = object()
MISSING = _MISSING  # `_set` removes the key given this
HUGE = "x" * 100_001


def _mutations(path: Path, value: Any) -> Iterator[tuple[str, Any]]:
    key = path[-1]
    name = key if isinstance(key, str) else ""
    shape = _shape(path)
    optional = shape in OPTIONAL
    in_scores = len(path) >= 2 and path[-2] == "scores"
    if isinstance(key, str) and not optional and name not in DEFAULTED and not in_scores:
        yield "missing", _MISSING
        yield "null", None
    if isinstance(value, bool):
        yield "text for true/false", "yes"
        yield "number for true/false", 1
    elif isinstance(value, int):
        yield "text for a number", str(value)
        yield "overflowing number", 2**64
        if not name.startswith("salary"):
            yield "negative number", -1
        yield "Infinity", float("inf")
        yield "NaN", float("nan")
        yield "true for a number", True
        if name in REFERENCES:
            yield "dangling reference", 999
    elif isinstance(value, float):
        yield "Infinity", float("inf")
        yield "huge number", 1e300
    elif isinstance(value, str):
        yield "number for text", 12
        yield "list for text", [value]
        yield "huge text", HUGE
        yield "escape character", value + "\x1b[31m"
        yield "NUL", value[:1] + "\x00" + value[1:]
        if not optional and name not in TEXTS:
            yield "empty", ""
        if name not in TEXTS:
            yield "line feed", value + "\nBcc: x@evil.example"
            yield "carriage return", value + "\rX"
            yield "encoded line break", value + " =?utf-8?q?a=0D=0ABcc:_x@evil.example?="
        if name in MOMENTS:
            yield "year 9999", "9999-01-01T00:00:00+00:00"
            yield "year 1", "0001-01-01T00:00:00+00:00"
            yield "ISO week date", "2026-W38-1T10:00:00+00:00"
            yield "no offset", "2026-09-15T10:00:00"
            yield "Arabic digits", "٢٠٢٦-09-15T10:00:00+00:00"
        if name in DAYS:
            yield "year 9999", "9999-12-31"
            yield "ISO week date", "2026-W38-1"
            yield "superscript digits", "2026-0²-15"
        if name == "tz":
            yield "unknown zone", "Mars/Base"
            yield "zone folder", "Europe"
            yield "long zone", "Europe/" + "x" * 200
        if name == "action_id":
            yield "unknown practice", "call_back:1"
            yield "superscript interview", "follow_up:²:1"
            yield "no number", "follow_up:1:"
            yield "leading zero", "self_assess:01"
            yield "dangling interview", "self_assess:999"
            yield "bad week", "keep_searching:2026-W54"
        if name in ("email", "to_email", "from_address"):
            yield "not an address", "ana at acme"
    elif isinstance(value, list):
        yield "text for a list", "x"
        yield "object for a list", {}
    elif isinstance(value, dict):
        yield "text for an object", "x"
        yield "list for an object", []
        if name != "scores":
            yield "unknown field", {**value, "colour": "blue"}


def cases() -> Iterator[tuple[str, bytes, str]]:
    """(what, the document's bytes, the place its refusal must name)."""
    for path, value in _walk(VALID, ()):
        if not path or path[-1] in ("format", "version"):
            continue
        for what, bad in _mutations(path, value):
            doc = _set(VALID, path, bad)
            where = place(path[:-1]) if path[-2:-1] == ("scores",) else place(path)
            yield f"{place(path)}: {what}", json.dumps(doc).encode(), where
    # one record twice, a second record of what there is one of
    for where, key in (("applications", "id"), ("people", "id"), ("touches", "id")):
        doc = copy.deepcopy(VALID)
        doc[where].append(copy.deepcopy(doc[where][0]))
        last = len(doc[where]) - 1
        yield f"{where}: duplicate {key}", json.dumps(doc).encode(), f"{where}[{last}].{key}"
    for where in ("outcomes", "assessments"):
        doc = copy.deepcopy(VALID)
        doc[where].append(copy.deepcopy(doc[where][0]))
        yield f"{where}: second per interview", json.dumps(doc).encode(), f"{where}[1].interview_id"
    doc = copy.deepcopy(VALID)
    doc["interviews"].append({**copy.deepcopy(doc["interviews"][0]), "id": 2})
    yield "interviews: same invitation", json.dumps(doc).encode(), "interviews[1].invitation.uid"
    doc = copy.deepcopy(VALID)
    doc["outbox"].append({**copy.deepcopy(doc["outbox"][0]), "id": 2, "message_id": "<m2@x.org>"})
    yield "outbox: two waiting for one action", json.dumps(doc).encode(), "outbox[1].state"
    doc = _set(VALID, ("outbox", 0, "state"), "scheduled")
    yield "outbox: a scheduled message", json.dumps(doc).encode(), "outbox[0].state"
    doc = _set(VALID, ("interviews", 0, "end"), "2026-09-15T11:00:00+00:00")
    yield "interviews: ends before it starts", json.dumps(doc).encode(), "interviews[0].end"
    doc = _set(VALID, ("drafts", 0, "action_id"), "follow_up:1:1")
    yield "drafts: action of another kind", json.dumps(doc).encode(), "drafts[0].action_id"
    doc = _set(VALID, ("marks", 0, "action_id"), "thank_you:1:999")
    yield "marks: dangling person", json.dumps(doc).encode(), "marks[0].action_id"
    doc = _set(VALID, ("mail", "smtp_security"), "none")
    yield "mail: plaintext to a remote host", json.dumps(doc).encode(), "mail.smtp_security"
    text = json.dumps(VALID)
    yield (
        "applications[0].id: a number of 5000 digits",
        text.replace('"id": 1, "company"', '"id": ' + "9" * 5000 + ', "company"', 1).encode(),
        "applications[0].id",
    )
    yield (
        "a key twice in one object",
        text.replace('"version": 2,', '"version": 2, "version": 2,', 1).encode(),
        "",
    )
