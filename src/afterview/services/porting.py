"""Export all of an account's data as versioned JSON, and import it into an empty database.

The format is documented in docs/export-format.md. Export, import into an
empty database, and export again gives the same document.
"""

from __future__ import annotations

import json
from typing import Any

from afterview.errors import BadInput, Refused
from afterview.services.context import Context
from afterview.services.import_check import check_document
from afterview.store import profile as profilestore
from afterview.store import questions as questionstore
from afterview.store import repo
from afterview.store.codec import get_dt

FORMAT = "afterview-export"
VERSION = 1
MAX_BYTES = 200 * 1024 * 1024


def export_document(ctx: Context) -> dict[str, Any]:
    """Return every record of the account as one JSON-ready document."""
    db, acc = ctx.db, ctx.account

    def rows(sql: str) -> list[tuple[Any, ...]]:
        return db.query(sql, (acc,))

    interviewers: dict[int, list[int]] = {}
    for iv, pid in rows(
        "SELECT ip.interview_id, ip.person_id FROM interview_person ip JOIN interview i ON i.id = ip.interview_id "
        "WHERE i.account_id = ? ORDER BY ip.interview_id, ip.position"
    ):
        interviewers.setdefault(iv, []).append(pid)
    topics: dict[int, list[dict[str, Any]]] = {}
    for iv, text, created in rows(
        "SELECT t.interview_id, t.text, t.created_at FROM topic t JOIN interview i ON i.id = t.interview_id "
        "WHERE i.account_id = ? ORDER BY t.interview_id, t.id"
    ):
        topics.setdefault(iv, []).append({"text": text, "created_at": created})
    assessments = []
    question_notes = questionstore.notes_by_assessment(db, acc)
    for _aid, iv, at, well, improve, conf in rows(
        "SELECT id, interview_id, at, went_well, improve, confidence FROM assessment WHERE account_id = ? ORDER BY interview_id"
    ):
        a = repo.get_assessment(db, acc, iv)
        assert a is not None
        assessments.append(
            {
                "interview_id": iv,
                "at": at,
                "scores": a.scores,
                "asked": a.asked,
                "went_well": well,
                "improve": improve,
                "confidence": conf,
                **({"question_notes": question_notes[iv]} if iv in question_notes else {}),
            }
        )
    from afterview.store import leads as leadstore

    lead_details = leadstore.details(ctx.db, ctx.account)
    return {
        "format": FORMAT,
        "version": VERSION,
        "applications": [
            {
                "id": i,
                "company": c,
                "role": r,
                "applied_on": d,
                "url": u,
                "email_domain": dom,
                "created_at": cr,
                **({"lead": lead_details[i]} if i in lead_details else {}),
            }
            for i, c, r, d, u, dom, cr in rows(
                "SELECT id, company, role, applied_on, url, email_domain, created_at "
                "FROM application WHERE account_id = ? ORDER BY id"
            )
        ],
        "people": [
            {"id": i, "name": n, "email": e}
            for i, n, e in rows(
                "SELECT id, name, email FROM person WHERE account_id = ? ORDER BY id"
            )
        ],
        "interviews": [
            {
                "id": i,
                "application_id": a,
                "start": s,
                "end": e,
                "tz": tz,
                "decision_by": d,
                "notes": n,
                "created_at": cr,
                "interviewers": interviewers.get(i, []),
                "topics": topics.get(i, []),
            }
            for i, a, s, e, tz, d, n, cr in rows(
                "SELECT id, application_id, start_at, end_at, tz, decision_by, notes, created_at "
                "FROM interview WHERE account_id = ? ORDER BY id"
            )
        ],
        "touches": [
            {
                "id": i,
                "interview_id": iv,
                "direction": d,
                "kind": k,
                "person_id": p,
                "at": at,
                "note": n,
                "forced": bool(f),
                "created_at": cr,
                "message_id": mid,
                "sender": snd,
                "subject": subj,
            }
            for i, iv, d, k, p, at, n, f, cr, mid, snd, subj in rows(
                "SELECT id, interview_id, direction, kind, person_id, at, note, forced, created_at, "
                "message_id, sender, subject FROM touch WHERE account_id = ? ORDER BY id"
            )
        ],
        "outcomes": [
            {"interview_id": iv, "result": r, "at": at}
            for iv, r, at in rows(
                "SELECT interview_id, result, at FROM outcome WHERE account_id = ? ORDER BY interview_id"
            )
        ],
        "assessments": assessments,
        "marks": [
            {"action_id": a, "state": s, "at": at, "why": w}
            for a, s, at, w in rows(
                "SELECT action_id, state, at, why FROM action_mark WHERE account_id = ? ORDER BY id"
            )
        ],
        "profile_reviews": [
            {"at": at}
            for (at,) in rows("SELECT at FROM profile_review WHERE account_id = ? ORDER BY id")
        ],
        "profile_checks": profilestore.checks(db, acc),
        "drafts": [
            {
                "interview_id": iv,
                "action_id": a,
                "kind": k,
                "to_name": tn,
                "to_email": te,
                "subject": s,
                "body": b,
                "created_at": cr,
            }
            for iv, a, k, tn, te, s, b, cr in rows(
                "SELECT interview_id, action_id, kind, to_name, to_email, subject, body, created_at "
                "FROM draft WHERE account_id = ? ORDER BY id"
            )
        ],
    }


def export_json(ctx: Context) -> str:
    """Return the export document as JSON text."""
    return json.dumps(export_document(ctx), ensure_ascii=False, indent=1) + "\n"


def read_document(data: bytes, name: str) -> dict[str, Any]:
    """Parse an export file's bytes, with a clear message for anything that is not one."""
    if len(data) > MAX_BYTES:
        raise BadInput(
            "import", f"{name} is over {MAX_BYTES // (1024 * 1024)} MB; not an afterview export"
        )
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise BadInput(
            "import", f"{name} is not UTF-8 text; expected an afterview export (JSON)"
        ) from None
    except json.JSONDecodeError as exc:
        raise BadInput(
            "import", f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise BadInput(
            "import", f"{name} is nested too deeply; expected an afterview export"
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BadInput(
            "import", f'{name} is not an afterview export (expected "format": "{FORMAT}")'
        )
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise BadInput("import version", "expected a whole number")
    if version > VERSION:
        raise BadInput(
            "import version",
            f"{version} was written by a newer afterview; this one reads up to {VERSION}",
        )
    if version < 1:
        raise BadInput("import version", f"expected 1 to {VERSION}, got {version}")
    check_document(doc)
    return doc


def import_document(ctx: Context, doc: dict[str, Any]) -> dict[str, int]:
    """Write a checked document into the (empty) account in one transaction; return counts."""
    db, acc = ctx.db, ctx.account
    if not repo.is_empty(db, acc):
        raise Refused(
            "import: the database already holds data; import into an empty one (--db NEW_FILE)"
        )
    with db.transaction():
        db.executemany(
            "INSERT INTO application (id, account_id, company, role, applied_on, url, email_domain, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    a["id"],
                    acc,
                    a["company"],
                    a["role"],
                    a["applied_on"],
                    a["url"],
                    a.get("email_domain"),
                    a["created_at"],
                )
                for a in doc["applications"]
            ],
        )
        from afterview.store import leads as leadstore

        for a in doc["applications"]:
            if a.get("lead") is not None:
                leadstore.save_detail(db, a["id"], a["lead"])
        db.executemany(
            "INSERT INTO person (id, account_id, name, email) VALUES (?, ?, ?, ?)",
            [(p["id"], acc, p["name"], p["email"]) for p in doc["people"]],
        )
        for iv in doc["interviews"]:
            db.execute(
                "INSERT INTO interview (id, account_id, application_id, start_at, end_at, tz, decision_by, notes, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    iv["id"],
                    acc,
                    iv["application_id"],
                    iv["start"],
                    iv["end"],
                    iv["tz"],
                    iv["decision_by"],
                    iv["notes"],
                    iv["created_at"],
                ),
            )
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
                (
                    t["id"],
                    acc,
                    t["interview_id"],
                    t["direction"],
                    t["kind"],
                    t["person_id"],
                    t["at"],
                    t["note"],
                    int(t["forced"]),
                    t["created_at"],
                    t.get("message_id"),
                    t.get("sender"),
                    t.get("subject"),
                )
                for t in doc["touches"]
            ],
        )
        db.executemany(
            "INSERT INTO outcome (interview_id, account_id, result, at) VALUES (?, ?, ?, ?)",
            [(o["interview_id"], acc, o["result"], o["at"]) for o in doc["outcomes"]],
        )
        for a in doc["assessments"]:
            repo.save_assessment(
                db,
                acc,
                a["interview_id"],
                get_dt(a["at"]),
                a["scores"],
                a["asked"],
                a["went_well"],
                a["improve"],
                a["confidence"],
            )
            _question_notes(db, acc, a)
        db.executemany(
            "INSERT INTO action_mark (account_id, action_id, state, at, why) VALUES (?, ?, ?, ?, ?)",
            [(acc, m["action_id"], m["state"], m["at"], m["why"]) for m in doc["marks"]],
        )
        db.executemany(
            "INSERT INTO profile_review (account_id, at) VALUES (?, ?)",
            [(acc, r["at"]) for r in doc["profile_reviews"]],
        )
        for c in doc.get("profile_checks", []):
            profilestore.add_check(
                db, acc, get_dt(c["at"]), c["resume"], c["linkedin"], c["findings"], c["notes"]
            )
        db.executemany(
            "INSERT INTO draft (account_id, interview_id, action_id, kind, to_name, to_email, subject, body, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    acc,
                    d["interview_id"],
                    d["action_id"],
                    d["kind"],
                    d["to_name"],
                    d["to_email"],
                    d["subject"],
                    d["body"],
                    d["created_at"],
                )
                for d in doc["drafts"]
            ],
        )
        for table in ("application", "person", "interview", "touch"):
            db.sync_ids(table)
    return {key: len(doc[key]) for key in ("applications", "interviews", "touches", "assessments")}


def _question_notes(db: Any, acc: int, assessment: dict[str, Any]) -> None:
    """Put back the hand-set tags and better answers of an assessment's questions."""
    for note in assessment.get("question_notes", []):
        row = db.one(
            "SELECT q.id FROM question q JOIN assessment a ON a.id = q.assessment_id "
            "WHERE a.account_id = ? AND a.interview_id = ? AND q.position = ?",
            (acc, assessment["interview_id"], note["position"]),
        )
        db.execute(
            "UPDATE question SET tag = ?, answer = ?, answered_at = ? WHERE id = ?",
            (note.get("tag"), note.get("answer"), note.get("answered_at"), row[0]),
        )
