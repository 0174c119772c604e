"""SQL of the export and the import: every table an account's data lives in, read and
written whole (docs/export-format.md). The services check and shape the document."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from afterview.store import leads as leadstore
from afterview.store import profile as profilestore
from afterview.store.codec import get_dt
from afterview.store.db import Database

#: The tables an import writes: an account holding a row in any of them is not empty.
IMPORTED_TABLES = (
    "application", "person", "interview", "touch", "outcome", "assessment", "action_mark",
    "profile_review", "profile_check", "draft", "calendar_event", "notification",
    "mail_settings", "mail_sync", "outbox",
)  # fmt: skip

_APPLICATION = (
    "id", "company", "role", "applied_on", "url", "email_domain", "created_at", "stage",
    "stage_at", "notes",
)  # fmt: skip
_MAIL = (
    "smtp_host", "smtp_port", "smtp_security", "smtp_user", "from_address", "from_name",
    "imap_host", "imap_port", "imap_security", "imap_user", "sent_folder", "my_addresses",
    "allow_insecure", "updated_at",
)  # fmt: skip
_OUTBOX = (
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


def taken_message_ids(db: Database, message_ids: list[str]) -> set[str]:
    """Of these outbox Message-IDs, those some account's outbox already holds (they are
    unique across the database)."""
    taken: set[str] = set()
    for start in range(0, len(message_ids), 500):
        chunk = message_ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        taken |= {
            str(r[0])
            for r in db.query(f"SELECT message_id FROM outbox WHERE message_id IN ({marks})", chunk)
        }
    return taken


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
    q = db.query
    interviewers: dict[int, list[int]] = {}
    for iv, pid in q(
        "SELECT ip.interview_id, ip.person_id FROM interview_person ip JOIN interview i "
        "ON i.id = ip.interview_id WHERE i.account_id = ? ORDER BY ip.interview_id, ip.position",
        (account,),
    ):
        interviewers.setdefault(int(iv), []).append(int(pid))
    topics: dict[int, list[dict[str, Any]]] = {}
    for iv, text, created in q(
        "SELECT t.interview_id, t.text, t.created_at FROM topic t JOIN interview i "
        "ON i.id = t.interview_id WHERE i.account_id = ? ORDER BY t.interview_id, t.id",
        (account,),
    ):
        topics.setdefault(int(iv), []).append({"text": text, "created_at": created})
    details = leadstore.details(db, account)
    yield (
        "applications",
        (
            {**a, "lead": details.get(a["id"])}
            for a in _dicts(
                db,
                "SELECT id, company, role, applied_on, url, email_domain, created_at, stage, "
                "stage_at, notes FROM application WHERE account_id = ? ORDER BY id",
                _APPLICATION,
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
    kept = {str(int(r[0])) for r in q("SELECT id FROM interview WHERE account_id = ?", (account,))}

    def interviews() -> Iterator[dict[str, Any]]:
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
                "interviewers": interviewers.get(int(i), []),
                "topics": topics.get(int(i), []),
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
            db, f"SELECT {', '.join(_MAIL)} FROM mail_settings WHERE account_id = ?", _MAIL, account
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
                f"SELECT {', '.join(_OUTBOX)} FROM outbox WHERE account_id = ? ORDER BY id",
                _OUTBOX,
                account,
            )
        ),
    )


def _interview_kept(action_id: str, kept: set[str]) -> bool:
    parts = action_id.split(":")
    if len(parts) < 2 or not parts[1].isascii() or not parts[1].isdigit():
        return True  # keep_searching (no interview), or not an id: the import says so
    return parts[1] in kept


def _assessments(db: Database, account: int) -> list[dict[str, Any]]:
    scores: dict[int, dict[str, int]] = {}
    for aid, item, score in db.query(
        "SELECT s.assessment_id, s.item, s.score FROM assessment_score s JOIN assessment a "
        "ON a.id = s.assessment_id WHERE a.account_id = ? ORDER BY s.assessment_id, s.item",
        (account,),
    ):
        scores.setdefault(int(aid), {})[str(item)] = int(score)
    asked: dict[int, list[str]] = {}
    notes: dict[int, list[dict[str, Any]]] = {}
    for aid, position, text, tag, answer, answered in db.query(
        "SELECT assessment_id, position, text, tag, answer, answered_at FROM question "
        "WHERE account_id = ? ORDER BY assessment_id, position",
        (account,),
    ):
        asked.setdefault(int(aid), []).append(str(text))
        if tag is not None or answer is not None:
            notes.setdefault(int(aid), []).append(
                {"position": position, "tag": tag, "answer": answer, "answered_at": answered}
            )
    return [
        {
            "interview_id": iv,
            "at": at,
            "scores": scores.get(int(aid), {}),
            "asked": asked.get(int(aid), []),
            "went_well": well,
            "improve": improve,
            "confidence": confidence,
            "question_notes": notes.get(int(aid), []),
        }
        for aid, iv, at, well, improve, confidence in db.query(
            "SELECT id, interview_id, at, went_well, improve, confidence FROM assessment "
            "WHERE account_id = ? ORDER BY interview_id",
            (account,),
        )
    ]


def write_account(db: Database, account: int, doc: dict[str, Any]) -> None:
    """Write a checked document (`services.import_check`) into the account; ids are kept."""
    db.executemany(
        "INSERT INTO application (id, account_id, company, role, applied_on, url, email_domain, "
        "created_at, stage, stage_at, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (a["id"], account, a["company"], a["role"], a["applied_on"], a["url"],
             a["email_domain"], a["created_at"], a["stage"], a["stage_at"], a["notes"])
            for a in doc["applications"]
        ],
    )  # fmt: skip
    for a in doc["applications"]:
        if a["lead"] is not None:
            leadstore.save_detail(db, a["id"], a["lead"])
    db.executemany(
        "INSERT INTO person (id, account_id, name, email) VALUES (?, ?, ?, ?)",
        [(p["id"], account, p["name"], p["email"]) for p in doc["people"]],
    )
    for iv in doc["interviews"]:
        inv = iv["invitation"] or {}
        db.execute(
            "INSERT INTO interview (id, account_id, application_id, start_at, end_at, tz, "
            "decision_by, notes, created_at, ical_uid, ical_sequence, format, location, "
            "meeting_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                iv["id"], account, iv["application_id"], iv["start"], iv["end"], iv["tz"],
                iv["decision_by"], iv["notes"], iv["created_at"], inv.get("uid"),
                inv.get("sequence"), inv.get("format"), inv.get("location"),
                inv.get("meeting_url"),
            ),
        )  # fmt: skip
        db.executemany(
            "INSERT INTO interview_person (interview_id, person_id, position) VALUES (?, ?, ?)",
            [(iv["id"], pid, n) for n, pid in enumerate(iv["interviewers"])],
        )
        db.executemany(
            "INSERT INTO topic (interview_id, text, created_at) VALUES (?, ?, ?)",
            [(iv["id"], t["text"], t["created_at"]) for t in iv["topics"]],
        )
    db.executemany(
        "INSERT INTO touch (id, account_id, interview_id, direction, kind, person_id, at, note, "
        "forced, created_at, message_id, sender, subject) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (t["id"], account, t["interview_id"], t["direction"], t["kind"], t["person_id"],
             t["at"], t["note"], int(t["forced"]), t["created_at"], t["message_id"],
             t["sender"], t["subject"])
            for t in doc["touches"]
        ],
    )  # fmt: skip
    db.executemany(
        "INSERT INTO outcome (interview_id, account_id, result, at) VALUES (?, ?, ?, ?)",
        [(o["interview_id"], account, o["result"], o["at"]) for o in doc["outcomes"]],
    )
    for a in doc["assessments"]:
        _write_assessment(db, account, a)
    db.executemany(
        "INSERT INTO action_mark (account_id, action_id, state, at, why) VALUES (?, ?, ?, ?, ?)",
        [(account, m["action_id"], m["state"], m["at"], m["why"]) for m in doc["marks"]],
    )
    db.executemany(
        "INSERT INTO profile_review (account_id, at) VALUES (?, ?)",
        [(account, r["at"]) for r in doc["profile_reviews"]],
    )
    for c in doc["profile_checks"]:
        profilestore.add_check(
            db, account, get_dt(c["at"]), c["resume"], c["linkedin"], c["findings"], c["notes"]
        )
    db.executemany(
        "INSERT INTO draft (account_id, interview_id, action_id, kind, to_name, to_email, subject, "
        "body, created_at, edited) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (account, d["interview_id"], d["action_id"], d["kind"], d["to_name"], d["to_email"],
             d["subject"], d["body"], d["created_at"], int(d["edited"]))
            for d in doc["drafts"]
        ],
    )  # fmt: skip
    _write_mail(db, account, doc)
    for table in ("application", "person", "interview", "touch", "outbox"):
        db.sync_ids(table)


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


def _write_mail(db: Database, account: int, doc: dict[str, Any]) -> None:
    """Calendar SEQUENCEs, notifications sent, mail settings, sync state and the outbox."""
    db.executemany(
        "INSERT INTO calendar_event (account_id, action_id, window_key, sequence) VALUES (?, ?, ?, ?)",
        [(account, e["action_id"], e["window_key"], e["sequence"]) for e in doc["calendar_events"]],
    )
    db.executemany(
        "INSERT INTO notification (account_id, key, channel, sent_at) VALUES (?, ?, ?, ?)",
        [(account, n["key"], n["channel"], n["sent_at"]) for n in doc["notifications"]],
    )
    m = doc["mail"]
    if m is not None:
        values = {**m, "my_addresses": "\n".join(m["my_addresses"]),
                  "allow_insecure": int(m["allow_insecure"])}  # fmt: skip
        db.execute(
            f"INSERT INTO mail_settings (account_id, {', '.join(_MAIL)}) "
            f"VALUES (?, {', '.join('?' for _ in _MAIL)})",
            (account, *(values[k] for k in _MAIL)),
        )
    db.executemany(
        "INSERT INTO mail_sync (account_id, folder, uidvalidity, last_uid, highest_modseq, "
        "synced_at) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (account, s["folder"], s["uidvalidity"], s["last_uid"], s["highest_modseq"],
             s["synced_at"])
            for s in doc["mail_sync"]
        ],
    )  # fmt: skip
    db.executemany(
        f"INSERT INTO outbox (account_id, {', '.join(_OUTBOX)}) "
        f"VALUES (?, {', '.join('?' for _ in _OUTBOX)})",
        [
            (account, *({**o, "forced": int(o["forced"])}[k] for k in _OUTBOX))
            for o in doc["outbox"]
        ],
    )
