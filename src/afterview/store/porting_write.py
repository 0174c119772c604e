"""SQL of the import: a batch of checked records (`services.import_check`) written into
an account, ids kept (docs/export-format.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from afterview.store import leads as leadstore
from afterview.store import profile as profilestore
from afterview.store.codec import get_dt
from afterview.store.db import Database
from afterview.store.porting import MAIL_KEYS as _MAIL
from afterview.store.porting import OUTBOX_KEYS as _OUTBOX


def write_part(db: Database, account: int, section: str, rows: list[dict[str, Any]]) -> None:
    """Write checked records of the export's list `section` into the account."""
    _WRITERS[section](db, account, rows)


def finish(db: Database) -> None:
    """After an import: the id sequences move past the ids it wrote."""
    for table in ("application", "person", "interview", "touch", "outbox"):
        db.sync_ids(table)


def _applications(db: Database, account: int, rows: list[dict[str, Any]]) -> None:
    db.executemany(
        "INSERT INTO application (id, account_id, company, role, applied_on, url, email_domain, "
        "created_at, stage, stage_at, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (a["id"], account, a["company"], a["role"], a["applied_on"], a["url"],
             a["email_domain"], a["created_at"], a["stage"], a["stage_at"], a["notes"])
            for a in rows
        ],
    )  # fmt: skip
    for a in rows:
        if a["lead"] is not None:
            leadstore.save_detail(db, a["id"], a["lead"])


def _people(db: Database, account: int, rows: list[dict[str, Any]]) -> None:
    db.executemany(
        "INSERT INTO person (id, account_id, name, email) VALUES (?, ?, ?, ?)",
        [(p["id"], account, p["name"], p["email"]) for p in rows],
    )


def _interviews(db: Database, account: int, rows: list[dict[str, Any]]) -> None:
    """The interviews of a batch, their interviewers and their topics: three statements
    (topics keep their order within each interview)."""
    invitations = [iv["invitation"] or {} for iv in rows]
    db.executemany(
        "INSERT INTO interview (id, account_id, application_id, start_at, end_at, tz, "
        "decision_by, notes, created_at, ical_uid, ical_sequence, format, location, "
        "meeting_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (iv["id"], account, iv["application_id"], iv["start"], iv["end"], iv["tz"],
             iv["decision_by"], iv["notes"], iv["created_at"], inv.get("uid"),
             inv.get("sequence"), inv.get("format"), inv.get("location"),
             inv.get("meeting_url"))
            for iv, inv in zip(rows, invitations, strict=True)
        ],
    )  # fmt: skip
    db.executemany(
        "INSERT INTO interview_person (interview_id, person_id, position) VALUES (?, ?, ?)",
        [(iv["id"], pid, n) for iv in rows for n, pid in enumerate(iv["interviewers"])],
    )
    db.executemany(
        "INSERT INTO topic (interview_id, text, created_at) VALUES (?, ?, ?)",
        [(iv["id"], t["text"], t["created_at"]) for iv in rows for t in iv["topics"]],
    )


def _touches(db: Database, account: int, rows: list[dict[str, Any]]) -> None:
    db.executemany(
        "INSERT INTO touch (id, account_id, interview_id, direction, kind, person_id, at, note, "
        "forced, created_at, message_id, sender, subject) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (t["id"], account, t["interview_id"], t["direction"], t["kind"], t["person_id"],
             t["at"], t["note"], int(t["forced"]), t["created_at"], t["message_id"],
             t["sender"], t["subject"])
            for t in rows
        ],
    )  # fmt: skip


def _outcomes(db: Database, account: int, rows: list[dict[str, Any]]) -> None:
    db.executemany(
        "INSERT INTO outcome (interview_id, account_id, result, at) VALUES (?, ?, ?, ?)",
        [(o["interview_id"], account, o["result"], o["at"]) for o in rows],
    )


def _assessments(db: Database, account: int, rows: list[dict[str, Any]]) -> None:
    for a in rows:
        _write_assessment(db, account, a)


def _marks(db: Database, account: int, rows: list[dict[str, Any]]) -> None:
    db.executemany(
        "INSERT INTO action_mark (account_id, action_id, state, at, why) VALUES (?, ?, ?, ?, ?)",
        [(account, m["action_id"], m["state"], m["at"], m["why"]) for m in rows],
    )


def _profile_reviews(db: Database, account: int, rows: list[dict[str, Any]]) -> None:
    db.executemany(
        "INSERT INTO profile_review (account_id, at) VALUES (?, ?)",
        [(account, r["at"]) for r in rows],
    )


def _profile_checks(db: Database, account: int, rows: list[dict[str, Any]]) -> None:
    for c in rows:
        profilestore.add_check(
            db, account, get_dt(c["at"]), c["resume"], c["linkedin"], c["findings"], c["notes"]
        )


def _drafts(db: Database, account: int, rows: list[dict[str, Any]]) -> None:
    db.executemany(
        "INSERT INTO draft (account_id, interview_id, action_id, kind, to_name, to_email, subject, "
        "body, created_at, edited) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (account, d["interview_id"], d["action_id"], d["kind"], d["to_name"], d["to_email"],
             d["subject"], d["body"], d["created_at"], int(d["edited"]))
            for d in rows
        ],
    )  # fmt: skip


def _write_assessment(db: Database, account: int, a: dict[str, Any]) -> None:
    aid = db.insert(
        "INSERT INTO assessment (account_id, interview_id, at, went_well, improve, confidence) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (account, a["interview_id"], a["at"], a["went_well"], a["improve"], a["confidence"]),
    )
    db.executemany(
        "INSERT INTO assessment_score (assessment_id, item, score) VALUES (?, ?, ?)",
        [(aid, k, v) for k, v in a["scores"].items()],
    )
    notes = {n["position"]: n for n in a["question_notes"]}
    db.executemany(
        "INSERT INTO question (account_id, assessment_id, position, text, tag, answer, "
        "answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (account, aid, n, text, notes.get(n, {}).get("tag"), notes.get(n, {}).get("answer"),
             notes.get(n, {}).get("answered_at"))
            for n, text in enumerate(a["asked"])
        ],
    )  # fmt: skip


def _calendar_events(db: Database, account: int, rows: list[dict[str, Any]]) -> None:
    db.executemany(
        "INSERT INTO calendar_event (account_id, action_id, window_key, sequence) VALUES (?, ?, ?, ?)",
        [(account, e["action_id"], e["window_key"], e["sequence"]) for e in rows],
    )


def _notifications(db: Database, account: int, rows: list[dict[str, Any]]) -> None:
    db.executemany(
        "INSERT INTO notification (account_id, key, channel, sent_at) VALUES (?, ?, ?, ?)",
        [(account, n["key"], n["channel"], n["sent_at"]) for n in rows],
    )


def _mail(db: Database, account: int, rows: list[dict[str, Any]]) -> None:
    for m in rows:
        values = {**m, "my_addresses": "\n".join(m["my_addresses"]),
                  "allow_insecure": int(m["allow_insecure"])}  # fmt: skip
        db.execute(
            f"INSERT INTO mail_settings (account_id, {', '.join(_MAIL)}) "
            f"VALUES (?, {', '.join('?' for _ in _MAIL)})",
            (account, *(values[k] for k in _MAIL)),
        )


def _mail_sync(db: Database, account: int, rows: list[dict[str, Any]]) -> None:
    db.executemany(
        "INSERT INTO mail_sync (account_id, folder, uidvalidity, last_uid, highest_modseq, "
        "synced_at) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (account, s["folder"], s["uidvalidity"], s["last_uid"], s["highest_modseq"],
             s["synced_at"])
            for s in rows
        ],
    )  # fmt: skip


def _outbox(db: Database, account: int, rows: list[dict[str, Any]]) -> None:
    db.executemany(
        f"INSERT INTO outbox (account_id, {', '.join(_OUTBOX)}) "
        f"VALUES (?, {', '.join('?' for _ in _OUTBOX)})",
        [(account, *({**o, "forced": int(o["forced"])}[k] for k in _OUTBOX)) for o in rows],
    )


_WRITERS: dict[str, Callable[[Database, int, list[dict[str, Any]]], None]] = {
    "applications": _applications,
    "people": _people,
    "interviews": _interviews,
    "touches": _touches,
    "outcomes": _outcomes,
    "assessments": _assessments,
    "marks": _marks,
    "profile_reviews": _profile_reviews,
    "profile_checks": _profile_checks,
    "drafts": _drafts,
    "calendar_events": _calendar_events,
    "notifications": _notifications,
    "mail": _mail,
    "mail_sync": _mail_sync,
    "outbox": _outbox,
}
