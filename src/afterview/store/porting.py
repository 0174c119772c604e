"""SQL of the export and the import: every table an account's data lives in, read and
written whole (docs/export-format.md). The services check and shape the document."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from afterview.store import leads as leadstore
from afterview.store import profile as profilestore
from afterview.store.db import Database, Row

#: The tables an import writes: an account holding a row in any of them is not empty.
IMPORTED_TABLES = (
    "application", "person", "interview", "touch", "outcome", "assessment", "action_mark",
    "profile_review", "profile_check", "draft", "calendar_event", "notification",
    "mail_settings", "mail_sync", "outbox",
)  # fmt: skip

APPLICATION_KEYS = (
    "id", "company", "role", "applied_on", "url", "email_domain", "created_at", "stage",
    "stage_at", "notes",
)  # fmt: skip
MAIL_KEYS = (
    "smtp_host", "smtp_port", "smtp_security", "smtp_user", "from_address", "from_name",
    "imap_host", "imap_port", "imap_security", "imap_user", "sent_folder", "my_addresses",
    "allow_insecure", "auth", "oauth_provider", "oauth_client_id", "updated_at",
)  # fmt: skip
OUTBOX_KEYS = (
    "id", "interview_id", "action_id", "kind", "person_id", "to_name", "to_email", "subject",
    "body", "message_id", "state", "send_at", "due_at", "forced", "attempts", "retry_at",
    "reason", "claimed_by", "claimed_at", "sent_at", "approved_at", "updated_at", "written_for",
)  # fmt: skip


def holds_data(db: Database, account: int) -> str | None:
    """The first table where the account has data, or None when it has none."""
    for table in IMPORTED_TABLES:
        if db.one(f"SELECT 1 FROM {table} WHERE account_id = ? LIMIT 1", (account,)):
            return table
    return None


def _dicts(db: Database, sql: str, keys: tuple[str, ...], account: int) -> Iterator[dict[str, Any]]:
    return (dict(zip(keys, row, strict=True)) for row in db.stream(sql, (account,)))


def read_account(db: Database, account: int) -> dict[str, Any]:
    """Every exported record of the account, as plain values in the export's order."""
    return {
        key: value if value is None or isinstance(value, dict) else list(value)
        for key, value in account_parts(db, account)
    }


def account_parts(db: Database, account: int) -> Iterator[tuple[str, Any]]:
    """Every exported record of the account in the export's order, part by part: the
    long lists are read a batch at a time as they are consumed (inside `snapshot()`)."""
    details = _Groups(leadstore.detail_rows(db, account))
    yield (
        "applications",
        (
            {**a, "lead": next((d for _id, d in details.take(a["id"])), None)}
            for a in _dicts(
                db,
                "SELECT id, company, role, applied_on, url, email_domain, created_at, stage, "
                "stage_at, notes FROM application WHERE account_id = ? ORDER BY id",
                APPLICATION_KEYS,
                account,
            )
        ),
    )
    yield (
        "people",
        _dicts(
            db,
            "SELECT id, name, email FROM person WHERE account_id = ? ORDER BY id",
            ("id", "name", "email"),
            account,
        ),
    )
    kept = {
        int(r[0]) for r in db.stream("SELECT id FROM interview WHERE account_id = ?", (account,))
    }

    def interviews() -> Iterator[dict[str, Any]]:
        interviewers = _Groups(
            db.stream(
                "SELECT ip.interview_id, ip.person_id FROM interview_person ip JOIN interview i "
                "ON i.id = ip.interview_id WHERE i.account_id = ? "
                "ORDER BY ip.interview_id, ip.position",
                (account,),
            )
        )
        topics = _Groups(
            db.stream(
                "SELECT t.interview_id, t.text, t.created_at FROM topic t JOIN interview i "
                "ON i.id = t.interview_id WHERE i.account_id = ? ORDER BY t.interview_id, t.id",
                (account,),
            )
        )
        for row in db.stream(
            "SELECT id, application_id, start_at, end_at, tz, decision_by, notes, created_at, "
            "ical_uid, ical_sequence, format, location, meeting_url "
            "FROM interview WHERE account_id = ? ORDER BY id",
            (account,),
        ):
            i, app, start, end, tz, decision, notes, created, uid, seq, fmt, place, link = row
            yield {
                "id": i,
                "application_id": app,
                "start": start,
                "end": end,
                "tz": tz,
                "decision_by": decision,
                "notes": notes,
                "created_at": created,
                "interviewers": [int(pid) for _iv, pid in interviewers.take(i)],
                "topics": [{"text": text, "created_at": at} for _iv, text, at in topics.take(i)],
                "invitation": None
                if uid is None
                else {
                    "uid": uid,
                    "sequence": int(seq or 0),
                    "format": fmt,
                    "location": place,
                    "meeting_url": link,
                },
            }

    yield "interviews", interviews()
    touch_keys = (
        "id", "interview_id", "direction", "kind", "person_id", "at", "note", "forced",
        "created_at", "message_id", "sender", "subject",
    )  # fmt: skip
    yield (
        "touches",
        (
            {**t, "forced": bool(t["forced"])}
            for t in _dicts(
                db,
                f"SELECT {', '.join(touch_keys)} FROM touch WHERE account_id = ? ORDER BY id",
                touch_keys,
                account,
            )
        ),
    )
    yield (
        "outcomes",
        _dicts(
            db,
            "SELECT interview_id, result, at FROM outcome WHERE account_id = ? ORDER BY interview_id",
            ("interview_id", "result", "at"),
            account,
        ),
    )
    yield "assessments", _assessments(db, account)
    # A mark of an interview removed since (a cancelled invitation) names nothing: left out.
    yield (
        "marks",
        (
            m
            for m in _dicts(
                db,
                "SELECT action_id, state, at, why FROM action_mark WHERE account_id = ? "
                "ORDER BY id",
                ("action_id", "state", "at", "why"),
                account,
            )
            if _interview_kept(m["action_id"], kept)
        ),
    )
    yield (
        "profile_reviews",
        _dicts(
            db,
            "SELECT at FROM profile_review WHERE account_id = ? ORDER BY id",
            ("at",),
            account,
        ),
    )
    yield "profile_checks", profilestore.checks(db, account)
    drafts = _dicts(
        db,
        "SELECT interview_id, action_id, kind, to_name, to_email, subject, body, created_at, "
        "edited FROM draft WHERE account_id = ? ORDER BY id",
        (
            "interview_id",
            "action_id",
            "kind",
            "to_name",
            "to_email",
            "subject",
            "body",
            "created_at",
            "edited",
        ),
        account,
    )
    yield "drafts", ({**d, "edited": bool(d["edited"])} for d in drafts)
    yield (
        "calendar_events",
        (
            e
            for e in _dicts(
                db,
                "SELECT action_id, window_key, sequence FROM calendar_event WHERE account_id = ? "
                "ORDER BY action_id",
                ("action_id", "window_key", "sequence"),
                account,
            )
            if _interview_kept(e["action_id"], kept)
        ),
    )
    yield (
        "notifications",
        _dicts(
            db,
            "SELECT key, channel, sent_at FROM notification WHERE account_id = ? ORDER BY key, channel",
            ("key", "channel", "sent_at"),
            account,
        ),
    )
    mail = list(
        _dicts(
            db,
            f"SELECT {', '.join(MAIL_KEYS)} FROM mail_settings WHERE account_id = ?",
            MAIL_KEYS,
            account,
        )
    )
    yield (
        "mail",
        (
            {
                **mail[0],
                "my_addresses": [a for a in str(mail[0]["my_addresses"]).split("\n") if a],
                "allow_insecure": bool(mail[0]["allow_insecure"]),
            }
            if mail
            else None
        ),
    )
    yield (
        "mail_sync",
        _dicts(
            db,
            "SELECT folder, uidvalidity, last_uid, highest_modseq, synced_at FROM mail_sync "
            "WHERE account_id = ? ORDER BY folder",
            ("folder", "uidvalidity", "last_uid", "highest_modseq", "synced_at"),
            account,
        ),
    )
    yield (
        "outbox",
        (
            {**o, "forced": bool(o["forced"])}
            for o in _dicts(
                db,
                f"SELECT {', '.join(OUTBOX_KEYS)} FROM outbox WHERE account_id = ? ORDER BY id",
                OUTBOX_KEYS,
                account,
            )
        ),
    )


def _interview_kept(action_id: str, kept: set[int]) -> bool:
    parts = action_id.split(":")
    if len(parts) < 2 or not parts[1].isascii() or not parts[1].isdigit():
        return True  # keep_searching (no interview), or not an id: the import says so
    return int(parts[1]) in kept


def _assessments(db: Database, account: int) -> Iterator[dict[str, Any]]:
    """The account's self-assessments by interview, each with its scores and questions
    (three queries read side by side, in the same order)."""
    scores = _Groups(
        db.stream(
            "SELECT a.interview_id, s.item, s.score FROM assessment_score s JOIN assessment a "
            "ON a.id = s.assessment_id WHERE a.account_id = ? ORDER BY a.interview_id, s.item",
            (account,),
        )
    )
    questions = _Groups(
        db.stream(
            "SELECT a.interview_id, q.position, q.text, q.tag, q.answer, q.answered_at "
            "FROM question q JOIN assessment a ON a.id = q.assessment_id "
            "WHERE q.account_id = ? ORDER BY a.interview_id, q.position",
            (account,),
        )
    )
    for iv, at, well, improve, confidence in db.stream(
        "SELECT interview_id, at, went_well, improve, confidence FROM assessment "
        "WHERE account_id = ? ORDER BY interview_id",
        (account,),
    ):
        asked = questions.take(iv)
        yield {
            "interview_id": iv,
            "at": at,
            "scores": {str(item): int(score) for _iv, item, score in scores.take(iv)},
            "asked": [str(text) for _iv, _pos, text, _tag, _answer, _at in asked],
            "went_well": well,
            "improve": improve,
            "confidence": confidence,
            "question_notes": [
                {"position": pos, "tag": tag, "answer": answer, "answered_at": answered}
                for _iv, pos, _text, tag, answer, answered in asked
                if tag is not None or answer is not None
            ],
        }


class _Groups:
    """The rows of a query ordered by their first column (an id), handed out by that id
    in ascending order: read side by side with another query in the same order, so that
    neither is held whole."""

    def __init__(self, rows: Iterable[Row]) -> None:
        self._rows = iter(rows)
        self._next: Row | None = None
        self._started = False

    def take(self, key: int) -> list[Row]:
        """The rows of `key` (those of smaller ids, which nothing asked for, are passed)."""
        if not self._started:  # the query runs when first asked, inside the snapshot
            self._started = True
            self._next = next(self._rows, None)
        out = []
        while self._next is not None and int(self._next[0]) <= int(key):
            if int(self._next[0]) == int(key):
                out.append(self._next)
            self._next = next(self._rows, None)
        return out
