"""Checking an export document's records before they are written, a batch at a time.

Each list of the document is read in batches (`services.import_stream`); `check_batch`
reads a batch of records (version 1 or 2) with the rules the commands apply to the same
fields, checks what they refer to against the records written before them (`Refs`),
and returns them cleaned and complete: every key of version 2 present (what was left
out reads as null, empty or false), text stripped, moments in UTC. The import writes
only what this returns. Every problem names its place in the document
(`interviews[3].start`) and what is accepted.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from afterview.core.action_ids import ActionRef, parse_action_id
from afterview.core.model import ActionKind, Direction, OutcomeResult, TouchKind
from afterview.core.questions import TAGS
from afterview.daterange import check_year
from afterview.errors import BadInput
from afterview.mail.headers import check_host
from afterview.services.import_read import MAX_INTEGER, Obj, checked_line, kind_of
from afterview.store.applications import STAGES
from afterview.store.leads import COLUMNS as LEAD_KEYS
from afterview.textcheck import shown

TOP_V1 = (
    "format", "version", "applications", "people", "interviews", "touches", "outcomes",
    "assessments", "marks", "profile_reviews", "profile_checks", "drafts",
)  # fmt: skip
TOP_V2 = (*TOP_V1, "calendar_events", "notifications", "mail", "mail_sync", "outbox")
APPLICATION = (
    "id", "company", "role", "applied_on", "url", "email_domain", "created_at", "lead", "stage",
    "stage_at", "notes",
)  # fmt: skip
PERSON = ("id", "name", "email")
INTERVIEW_V1 = (
    "id", "application_id", "start", "end", "tz", "decision_by", "notes", "created_at",
    "interviewers", "topics",
)  # fmt: skip
INTERVIEW_V2 = (*INTERVIEW_V1, "invitation")
INVITATION = ("uid", "sequence", "format", "location", "meeting_url")
FORMATS = ("video", "phone", "onsite")
TOPIC = ("text", "created_at")
TOUCH = (
    "id", "interview_id", "direction", "kind", "person_id", "at", "note", "forced",
    "created_at", "message_id", "sender", "subject",
)  # fmt: skip
OUTCOME = ("interview_id", "result", "at")
ASSESSMENT = (
    "interview_id", "at", "scores", "asked", "went_well", "improve", "confidence",
    "question_notes",
)  # fmt: skip
QUESTION_NOTE = ("position", "tag", "answer", "answered_at")
MARK = ("action_id", "state", "at", "why")
REVIEW = ("at",)
PROFILE_CHECK = ("at", "resume", "linkedin", "findings", "notes")
FINDING = ("kind", "severity", "what", "fix")
DRAFT = (
    "interview_id", "action_id", "kind", "to_name", "to_email", "subject", "body", "created_at",
    "edited",
)  # fmt: skip
MAX_SALARY = 1e15
MAX_TEXT = 20_000
MESSAGE_KINDS = (ActionKind.THANK_YOU.value, ActionKind.FOLLOW_UP.value)


class Refs:
    """What one batch of records may name, and what the import wrote before it.

    `held[what]` holds the values of `what` (a lookup of `store.porting_checks`) the
    account already has among those the batch names: the records of earlier batches,
    for references and for what must not appear twice. `elsewhere[what]` holds those
    another account has (ids and Message-IDs are unique across the database).
    """

    def __init__(self) -> None:
        self.held: dict[str, set[Any]] = {}
        self.elsewhere: dict[str, set[Any]] = {}

    @property
    def applications(self) -> set[int]:
        """The applications the batch may name."""
        return self.held.get("application", set())

    @property
    def people(self) -> set[int]:
        """The people the batch may name."""
        return self.held.get("person", set())

    @property
    def interviews(self) -> set[int]:
        """The interviews the batch may name."""
        return self.held.get("interview", set())

    def seen(self, what: str) -> set[Any]:
        """A new set of what earlier batches hold of `what`: the batch adds its own."""
        return set(self.held.get(what, ()))


def _unique_ids(items: list[Obj], what: str, refs: Refs, lookup: str) -> None:
    seen = refs.seen(lookup)
    elsewhere = refs.elsewhere.get(lookup, set())
    for it in items:
        i = it.ident("id")
        assert i is not None
        if i in seen:
            raise it.fail("id", f"{what} {i} appears twice")
        if i in elsewhere:
            raise it.fail("id", f"another account of this database has {what} {i}")
        seen.add(i)


def _ref(it: Obj, key: str, known: set[int], what: str, optional: bool = False) -> int | None:
    i = it.ident(key, optional)
    if i is not None and i not in known:
        raise it.fail(key, f"names no {what} of the document ({i})")
    return i


def _web_address(it: Obj, key: str) -> str | None:
    """A link, as `--url` takes one: http:// or https://, no spaces."""
    v = it.line(key, 2000, optional=True)
    if v is not None and (
        not v.lower().startswith(("http://", "https://")) or any(c.isspace() for c in v)
    ):
        raise it.fail(key, f"expected an http:// or https:// address, got {v[:60]!r}")
    return v


def _action(
    it: Obj, refs: Refs, kinds: tuple[str, ...] | None = None, interview: int | None = None
) -> tuple[str, ActionRef]:
    """An action id as the plan writes it, naming records of the document."""
    text = it.line("action_id", 200)
    assert text is not None
    ref = parse_action_id(text)
    if ref is None:
        raise it.fail(
            "action_id",
            f"expected an action id like thank_you:1:2, follow_up:1:1, self_assess:1, "
            f"refresh_profile:1 or keep_searching:2026-W38, got {text[:60]!r}",
        )
    if kinds is not None and ref.kind.value not in kinds:
        raise it.fail("action_id", f"expected a {' or '.join(kinds)} action, got {text!r}")
    if ref.interview_id is not None and ref.interview_id not in refs.interviews:
        raise it.fail("action_id", f"names no interview of the document ({text!r})")
    if interview is not None and ref.interview_id != interview:
        raise it.fail("action_id", f"is not an action of interview {interview} ({text!r})")
    if ref.person_id is not None and ref.person_id not in refs.people:
        raise it.fail("action_id", f"names no person of the document ({text!r})")
    if ref.week is not None:
        check_year(ref.week, it.place("action_id"))
    return text, ref


def _message_kind(it: Obj, refs: Refs, interview: int) -> tuple[str, str]:
    """`kind` and `action_id` of a draft or an outbox message: the same practice."""
    kind = it.choice("kind", MESSAGE_KINDS)
    assert kind is not None
    action_id, _ref = _action(it, refs, (kind,), interview)
    return kind, action_id


def _lead(a: Obj) -> dict[str, Any] | None:
    lead = a.child("lead", LEAD_KEYS)
    if lead is None:
        return None
    return {
        "location": lead.line("location", 300, True),
        "remote": lead.flag("remote"),
        "salary_min": lead.number("salary_min", MAX_SALARY),
        "salary_max": lead.number("salary_max", MAX_SALARY),
        "salary_currency": lead.line("salary_currency", 20, True),
        "salary_unit": lead.line("salary_unit", 20, True),
        "posted_on": lead.day("posted_on", True),
        "valid_through": lead.day("valid_through", True),
        "source": lead.line("source", 100, True),
        "source_status": lead.line("source_status", 300, True),
        "notes": lead.text("notes", MAX_TEXT, True),
    }


def _applications(apps: list[Obj], refs: Refs) -> list[dict[str, Any]]:
    _unique_ids(apps, "application", refs, "application")
    out = []
    for a in apps:
        domain = a.line("email_domain", 255, True)
        # placed on the board (stage), and when (left out: when it was added)
        stage, stage_at = a.choice("stage", STAGES, True), a.moment("stage_at", True)
        created = a.moment("created_at")
        out.append(
            {
                "id": a.ident("id"),
                "company": a.line("company", 200),
                "role": a.line("role", 200),
                "applied_on": a.day("applied_on", True),
                "url": _web_address(a, "url"),
                "email_domain": check_host(domain, a.place("email_domain")) if domain else None,
                "created_at": created,
                "lead": _lead(a),
                "stage": stage,
                "stage_at": stage_at or (created if stage else None),
                "notes": a.text("notes", MAX_TEXT, True),
            }
        )
    return out


def _people(people: list[Obj], refs: Refs) -> list[dict[str, Any]]:
    _unique_ids(people, "person", refs, "person")
    return [
        {"id": p.ident("id"), "name": p.line("name", 300), "email": p.email("email", True)}
        for p in people
    ]


def _invitation(iv: Obj, uids: set[str]) -> dict[str, Any] | None:
    inv = iv.child("invitation", INVITATION)
    if inv is None:
        return None
    uid = inv.line("uid", 500)
    assert uid is not None
    if uid in uids:
        raise inv.fail("uid", f"another interview came from the same invitation ({uid[:60]!r})")
    uids.add(uid)
    return {
        "uid": uid,
        "sequence": inv.integer("sequence", 0, MAX_INTEGER),
        "format": inv.choice("format", FORMATS, True),
        "location": inv.line("location", MAX_TEXT, True),
        "meeting_url": inv.line("meeting_url", 5000, True),
    }


def _interviews(interviews: list[Obj], refs: Refs) -> list[dict[str, Any]]:
    _unique_ids(interviews, "interview", refs, "interview")
    uids = refs.seen("invitation")
    out = []
    for iv in interviews:
        app = _ref(iv, "application_id", refs.applications, "application")
        start, end = iv.moment("start"), iv.moment("end")
        assert start and end
        if datetime.fromisoformat(end) <= datetime.fromisoformat(start):
            raise iv.fail("end", "expected a moment after start")
        tz = iv.zone("tz")
        people: list[int] = []
        for n, pid in enumerate(iv.items("interviewers", 50)):
            if (
                not isinstance(pid, int)
                or isinstance(pid, bool)
                or pid not in refs.people
                or pid in people
            ):
                raise BadInput(
                    f"{iv.place('interviewers')}[{n}]",
                    "expected the id of a person of the document, once",
                )
            people.append(pid)
        out.append(
            {
                "id": iv.ident("id"),
                "application_id": app,
                "start": start,
                "end": end,
                "tz": tz,
                "decision_by": iv.day("decision_by", True),
                "notes": iv.text("notes", 5000, True),
                "created_at": iv.moment("created_at"),
                "interviewers": people,
                "topics": [
                    {"text": t.line("text", 300), "created_at": t.moment("created_at")}
                    for t in iv.objects("topics", TOPIC, 1000)
                ],
                "invitation": _invitation(iv, uids),
            }
        )
    return out


def _touches(touches: list[Obj], refs: Refs) -> list[dict[str, Any]]:
    _unique_ids(touches, "touch", refs, "touch")
    message_ids = refs.seen("touch_message")
    out = []
    for t in touches:
        mid = t.line("message_id", 1000, True)
        if mid is not None:
            if mid in message_ids:
                raise t.fail("message_id", f"another touch has the same message id ({mid[:60]!r})")
            message_ids.add(mid)
        out.append(
            {
                "id": t.ident("id"),
                "interview_id": _ref(t, "interview_id", refs.interviews, "interview"),
                "direction": t.choice("direction", tuple(d.value for d in Direction)),
                "kind": t.choice("kind", tuple(k.value for k in TouchKind)),
                "person_id": _ref(t, "person_id", refs.people, "person", True),
                "at": t.moment("at"),
                "note": t.text("note", 5000, True),
                "forced": t.flag("forced"),
                "created_at": t.moment("created_at"),
                "message_id": mid,
                "sender": t.line("sender", 1000, True),
                "subject": t.line("subject", 1000, True),
            }
        )
    return out


def _once_per_interview(it: Obj, refs: Refs, seen: set[int], what: str) -> int:
    iv = _ref(it, "interview_id", refs.interviews, "interview")
    assert iv is not None
    if iv in seen:
        raise it.fail("interview_id", f"interview {iv} has a second {what}")
    seen.add(iv)
    return iv


def _scores(a: Obj) -> dict[str, int]:
    """Rubric item -> score 1..5 (`--score KEY=1..5`)."""
    raw = a.raw("scores", True)
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise a.fail("scores", f"expected an object of rubric items and scores, got {kind_of(raw)}")
    out: dict[str, int] = {}
    for key, value in raw.items():
        item = checked_line(key, a.place("scores"), 100, False)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise a.fail(
                "scores", f"{shown(item)}: expected a score from 1 to 5, got {kind_of(value)}"
            )
        out[item] = value
    return dict(sorted(out.items()))


def _question_notes(a: Obj, asked: int) -> list[dict[str, Any]]:
    out = []
    seen: set[int] = set()
    for note in a.objects("question_notes", QUESTION_NOTE):
        position = note.integer("position", 0, max(asked - 1, 0))
        assert position is not None
        if asked == 0 or position in seen:
            raise note.fail(
                "position", f"expected the number of a question in asked (0 to {asked - 1}), once"
            )
        seen.add(position)
        out.append(
            {
                "position": position,
                "tag": note.choice("tag", TAGS, True),
                "answer": note.text("answer", MAX_TEXT, True),
                "answered_at": note.moment("answered_at", True),
            }
        )
    return out


def _outcomes(outcomes: list[Obj], refs: Refs) -> list[dict[str, Any]]:
    seen = refs.seen("outcome")
    return [
        {
            "interview_id": _once_per_interview(o, refs, seen, "outcome"),
            "result": o.choice("result", tuple(r.value for r in OutcomeResult)),
            "at": o.moment("at"),
        }
        for o in outcomes
    ]


def _assessments(assessments: list[Obj], refs: Refs) -> list[dict[str, Any]]:
    seen = refs.seen("assessment")
    out = []
    for a in assessments:
        iv = _once_per_interview(a, refs, seen, "assessment")
        asked = a.lines("asked", 1000, 100)
        out.append(
            {
                "interview_id": iv,
                "at": a.moment("at"),
                "scores": _scores(a),
                "asked": asked,
                "went_well": a.text("went_well", 5000, True),
                "improve": a.text("improve", 5000, True),
                "confidence": a.integer("confidence", 0, 100, True),
                "question_notes": _question_notes(a, len(asked)),
            }
        )
    return out


def _marks(marks: list[Obj], refs: Refs) -> list[dict[str, Any]]:
    out = []
    for m in marks:
        action_id, _ = _action(m, refs)
        out.append(
            {
                "action_id": action_id,
                "state": m.choice("state", ("done", "skipped")),
                "at": m.moment("at"),
                "why": m.text("why", 500, True),
            }
        )
    return out


def _profile_reviews(reviews: list[Obj], refs: Refs) -> list[dict[str, Any]]:
    return [{"at": r.moment("at")} for r in reviews]


def _profile_checks(checks: list[Obj], refs: Refs) -> list[dict[str, Any]]:
    out = []
    for c in checks:
        notes = c.lines("notes", 1000, 1000)
        out.append(
            {
                "at": c.moment("at"),
                "resume": c.line("resume", 4096),
                "linkedin": c.line("linkedin", 4096),
                "findings": [
                    {
                        "kind": f.line("kind", 100),
                        "severity": f.choice("severity", ("high", "medium", "low")),
                        "what": f.text("what", MAX_TEXT),
                        "fix": f.text("fix", MAX_TEXT),
                    }
                    for f in c.objects("findings", FINDING, 10_000)
                ],
                "notes": notes,
            }
        )
    return out


def _drafts(drafts: list[Obj], refs: Refs) -> list[dict[str, Any]]:
    out = []
    for d in drafts:
        iv = _ref(d, "interview_id", refs.interviews, "interview")
        assert iv is not None
        kind, action_id = _message_kind(d, refs, iv)
        out.append(
            {
                "interview_id": iv,
                "action_id": action_id,
                "kind": kind,
                "to_name": d.line("to_name", 300, True),
                "to_email": d.email("to_email", True),
                "subject": d.line("subject", 300),
                "body": d.text("body", MAX_TEXT),
                "created_at": d.moment("created_at"),
                # left out (version 1, or version 2 before it was added): the user's draft
                "edited": d.flag("edited", default=True),
            }
        )
    return out


#: Each list of the document: the keys of its records, and the check of a batch of them.
Check = Callable[[list[Obj], Refs], list[dict[str, Any]]]
SECTIONS: dict[str, tuple[tuple[str, ...], Check]] = {
    "applications": (APPLICATION, _applications),
    "people": (PERSON, _people),
    "interviews": (INTERVIEW_V2, _interviews),
    "touches": (TOUCH, _touches),
    "outcomes": (OUTCOME, _outcomes),
    "assessments": (ASSESSMENT, _assessments),
    "marks": (MARK, _marks),
    "profile_reviews": (REVIEW, _profile_reviews),
    "profile_checks": (PROFILE_CHECK, _profile_checks),
    "drafts": (DRAFT, _drafts),
}


def record_keys(section: str, version: int) -> tuple[str, ...]:
    """The keys a record of `section` may have in a document of `version`."""
    if section == "interviews" and version < 2:
        return INTERVIEW_V1
    from afterview.services import import_check_mail as mail

    return SECTIONS[section][0] if section in SECTIONS else mail.SECTIONS[section][0]


def check_batch(section: str, items: list[Obj], refs: Refs) -> list[dict[str, Any]]:
    """Check a batch of `section`'s records (read with `record_keys`); return them
    cleaned, or raise `BadInput` at the first problem."""
    from afterview.services import import_check_mail as mail

    check = SECTIONS[section][1] if section in SECTIONS else mail.SECTIONS[section][1]
    return check(items, refs)
