"""The export round trip with every field filled by every importer, on SQLite and PostgreSQL.

A database is built through the real commands (an invitation .ics with UID, SEQUENCE,
LOCATION and a meeting link, a saved posting page, a public board's JSON from a local
HTTP server, another tracker's CSV, a profile check, an assessment with question notes,
drafts, marks, outcomes, mail setup, the calendar feed) and, for what only the worker or
the mailbox writes (found replies, the outbox, notifications, the sync state), through the
store functions those use. Then every column of every table is either in the export
(and filled there whenever the database holds a value) or listed below with the reason it
is not; and export -> import into a fresh database -> export is byte for byte the same.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from afterview.config import Config
from afterview.services.context import Context, open_database
from afterview.services.porting import export_document
from afterview.store import applications as appstore
from afterview.store import calendar as calstore
from afterview.store import mail as mailstore
from afterview.store import notifications
from afterview.store.db import Database, connect
from afterview.store.journal import JOURNAL_TABLES
from afterview.store.migrations import CACHE_TABLES
from afterview.store.worker_runs import LOCAL_TABLES
from tests.cli.helpers import Afterview

TESTS = Path(__file__).parent.parent
NOW = "2026-11-27T12:00"
AT = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)

#: table.column -> where the export carries it (list.field, `.` into objects).
EXPORTED = {
    "application": {
        "id": "applications.id", "company": "applications.company", "role": "applications.role",
        "applied_on": "applications.applied_on", "url": "applications.url",
        "created_at": "applications.created_at", "email_domain": "applications.email_domain",
        "stage": "applications.stage", "stage_at": "applications.stage_at",
        "notes": "applications.notes",
    },
    "lead_detail": {
        "application_id": "applications.id",
        **{c: f"applications.lead.{c}" for c in (
            "location", "remote", "salary_min", "salary_max", "salary_currency", "salary_unit",
            "posted_on", "valid_through", "source", "source_status", "notes",
        )},
    },
    "person": {"id": "people.id", "name": "people.name", "email": "people.email"},
    "interview": {
        "id": "interviews.id", "application_id": "interviews.application_id",
        "start_at": "interviews.start", "end_at": "interviews.end", "tz": "interviews.tz",
        "decision_by": "interviews.decision_by", "notes": "interviews.notes",
        "created_at": "interviews.created_at", "ical_uid": "interviews.invitation.uid",
        "ical_sequence": "interviews.invitation.sequence",
        "format": "interviews.invitation.format", "location": "interviews.invitation.location",
        "meeting_url": "interviews.invitation.meeting_url",
    },
    "interview_person": {
        "interview_id": "interviews.id", "person_id": "interviews.interviewers",
        "position": "interviews.interviewers",
    },
    "topic": {"interview_id": "interviews.id", "text": "interviews.topics.text",
              "created_at": "interviews.topics.created_at"},
    "touch": {c: f"touches.{c}" for c in (
        "id", "interview_id", "direction", "kind", "person_id", "at", "note", "forced",
        "created_at", "message_id", "sender", "subject",
    )},
    "outcome": {c: f"outcomes.{c}" for c in ("interview_id", "result", "at")},
    "assessment": {c: f"assessments.{c}" for c in (
        "interview_id", "at", "went_well", "improve", "confidence",
    )},
    "assessment_score": {"item": "assessments.scores", "score": "assessments.scores"},
    "question": {
        "position": "assessments.asked", "text": "assessments.asked",
        "tag": "assessments.question_notes.tag", "answer": "assessments.question_notes.answer",
        "answered_at": "assessments.question_notes.answered_at",
    },
    "action_mark": {c: f"marks.{c}" for c in ("action_id", "state", "at", "why")},
    "profile_review": {"at": "profile_reviews.at"},
    "profile_check": {c: f"profile_checks.{c}" for c in (
        "at", "resume", "linkedin", "findings", "notes",
    )},
    "draft": {c: f"drafts.{c}" for c in (
        "interview_id", "action_id", "kind", "to_name", "to_email", "subject", "body",
        "created_at", "edited",
    )},
    "calendar_event": {c: f"calendar_events.{c}" for c in ("action_id", "window_key", "sequence")},
    "notification": {c: f"notifications.{c}" for c in ("key", "channel", "sent_at")},
    "mail_settings": {c: f"mail.{c}" for c in (
        "smtp_host", "smtp_port", "smtp_security", "smtp_user", "from_address", "from_name",
        "imap_host", "imap_port", "imap_security", "imap_user", "sent_folder", "my_addresses",
        "allow_insecure", "auth", "oauth_provider", "oauth_client_id", "updated_at",
    )},
    "mail_sync": {c: f"mail_sync.{c}" for c in (
        "folder", "uidvalidity", "last_uid", "highest_modseq", "synced_at",
    )},
    "outbox": {c: f"outbox.{c}" for c in (
        "id", "interview_id", "action_id", "kind", "person_id", "to_name", "to_email", "subject",
        "body", "message_id", "state", "send_at", "due_at", "forced", "attempts", "retry_at",
        "reason", "claimed_by", "claimed_at", "sent_at", "approved_at", "updated_at",
        "written_for",
    )},
}  # fmt: skip

#: What is not exported, and why.
NOT_EXPORTED = {
    "account": "the document is one account's data; import writes into the account in use",
    "feed_token": "a secret (the calendar feed link's hash): make a new link",
    "data_revision": "a counter read caches are keyed by, not data",
    "schema_version": "the database's own version, not data",
    **dict.fromkeys(CACHE_TABLES, "a cache of what the other tables hold"),
    **dict.fromkeys(
        LOCAL_TABLES,
        "this installation's own state (when its worker last ran), not data: a heartbeat "
        "on one machine says nothing of a worker on another",
    ),
    **dict.fromkeys(
        JOURNAL_TABLES,
        "the change journal is this database's history (undo), not data: an import starts "
        "a new one, whose first change is the import",
    ),
    "topic.id": "internal: topics are listed in order",
    "assessment.id": "internal: one assessment per interview",
    "assessment_score.assessment_id": "internal: scores sit in their assessment",
    "question.id": "internal: questions are listed in order (position)",
    "question.assessment_id": "internal: questions sit in their assessment",
    "action_mark.id": "internal: marks are listed in order",
    "profile_review.id": "internal: reviews are listed in order",
    "profile_check.id": "internal: checks are listed in order",
    "profile_check.open_findings": "computed from findings again on import",
    "profile_check.high_findings": "computed from findings again on import",
    "profile_check.first_fix": "computed from findings again on import",
    "draft.id": "internal: drafts are found by their action",
}  # fmt: skip


class Board(BaseHTTPRequestHandler):
    """Greenhouse's public board, answered from the recorded fixture."""

    def do_GET(self) -> None:
        body, status = b"{}", 404
        if self.path.startswith("/v1/boards/acme/jobs"):
            body, status = (TESTS / "sources" / "boards" / "greenhouse_acme.json").read_bytes(), 200
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def board(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Board)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    monkeypatch.setenv("AFTERVIEW_BOARDS_BASE_URL", f"http://127.0.0.1:{httpd.server_address[1]}")
    try:
        yield
    finally:
        httpd.shutdown()


def _fill(av: Afterview, db_url: str, tmp_path: Path) -> None:
    """Every importer and command that writes, once."""
    ok = av.ok
    ok("interview", "import", str(TESTS / "cal/invites/zoom.ics"), now=NOW)
    ok("interview", "import", str(TESTS / "cal/invites/teams.ics"), now=NOW)
    ok("lead", "add", str(TESTS / "sources/pages/salary_range.html"), now=NOW)
    ok("lead", "board", "greenhouse:acme", now=NOW)
    ok("import-tracker", str(TESTS / "sources/trackers/generic.csv"), "--from", "generic", now=NOW)
    ok("import-tracker", str(TESTS / "sources/trackers/huntr.csv"), "--from", "huntr", now=NOW)
    iv = ok(
        "interview", "add", "--company", "Acme", "--role", "Data Engineer",
        "--start", "2026-11-27T09:00", "--duration", "60", "--decision-by", "2026-12-04",
        "--interviewer", "Ana Lopez <ana@acme.example>", "--interviewer", "Ben Okafor",
        now=NOW,
    ).out.strip()  # fmt: skip
    ok("interview", "note", iv, "--topic", "streaming", "--text", "Bring the portfolio.", now=NOW)
    ok("profile", "check", "--resume", str(TESTS / "sources/resume/valid/differs-from-standard.json"),
       "--linkedin", str(TESTS / "sources/linkedin/missing"), now=NOW)  # fmt: skip
    ok("profile", "reviewed", "--at", "2026-11-27T11:45", now=NOW)
    ok("assess", iv, "--score", "rapport=4", "--asked", "Why Acme?", "--asked",
       "Tell me about a conflict.", "--went-well", "Clear story", "--improve", "Shorter",
       "--confidence", "55", now=NOW)  # fmt: skip
    qid = str(av.ok("questions", "--json", now=NOW).json()["questions"][0]["id"])
    ok("questions", "tag", qid, "culture", now=NOW)
    ok("questions", "answer", qid, "--text", "Listen first,\nthen propose.", now=NOW)
    ok("draft", "thank-you", iv, now=NOW)
    ok("log", iv, "--sent", "--kind", "thank_you", "--to", "Ben Okafor", "--note", "by phone",
       "--force", now=NOW)  # fmt: skip
    ok("skip", f"follow_up:{iv}:1", "--why", "they said not to chase", now=NOW)
    ok("outcome", "1", "next_round", now=NOW)
    ok("mail", "setup", "--smtp-host", "smtp.example.org", "--smtp-user", "sam@example.org",
       "--from", "sam@example.org", "--from-name", "Sam Rivera", "--imap-host", "imap.example.org",
       "--sent-folder", "Sent", "--my-address", "sam@example.net", "--auth", "oauth2",
       "--oauth-provider", "microsoft", "--oauth-client-id", "0f1e2d3c-aaaa-bbbb-cccc-0123456789ab",
       now=NOW)  # fmt: skip
    ok("calendar", "export", "--out", str(tmp_path / "feed.ics"), now=NOW)
    # What only the worker and the mailbox write, through the store functions they use.
    db = connect(db_url)
    try:
        with db.transaction():
            mailstore.add_received_mail(
                db, 1, int(iv), 1, AT, "Ana: Next steps", AT, "<r1@acme.example>",
                "ana@acme.example", "Next steps",
            )  # fmt: skip
            mailstore.save_sync_state(db, 1, "INBOX", mailstore.SyncState(7, 42, 77), AT)
            notifications.record(db, 1, "digest:2026-11-27", "3f2a9c0b1d2e4f56", AT)
            calstore.save_sequence(db, 1, f"self_assess:{iv}", "k", 4)
            db.execute("UPDATE application SET email_domain = 'acme.example' WHERE id = 1")
            # what the board and the application's page write
            appstore.set_stage(db, 1, 1, "offer", AT)
            appstore.set_notes(db, 1, 1, "Ask about the team.\nAnd the on-call.")
            for n, state in enumerate(("scheduled", "sent", "failed"), 1):
                row = mailstore.add_outbox(
                    db, 1, interview_id=int(iv), action_id=f"thank_you:{iv}:{n}",
                    kind="thank_you", person_id=1, to_name="Ana Lopez",
                    to_email="ana@acme.example", subject="Thank you", body="Dear Ana,\n",
                    message_id=f"<m{n}@example.org>", send_at=AT, due_at=AT, forced=False, now=AT,
                    written_for=AT,
                )  # fmt: skip
                if state != "scheduled":
                    db.execute(
                        "UPDATE outbox SET state = ?, attempts = 1, retry_at = ?, reason = 'r', "
                        "claimed_by = 'host:1:2', claimed_at = ?, sent_at = ? WHERE id = ?",
                        (state, AT.isoformat(), AT.isoformat(), AT.isoformat(), row),
                    )
    finally:
        db.close()


def _columns(db: Database) -> dict[str, list[str]]:
    if db.dialect == "sqlite":
        tables = [r[0] for r in db.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )]  # fmt: skip
        return {t: [r[1] for r in db.query(f"PRAGMA table_info({t})")] for t in tables}
    out: dict[str, list[str]] = {}
    for table, column in db.query(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
    ):
        out.setdefault(str(table), []).append(str(column))
    return out


def _values(doc: Any, path: list[str]) -> list[Any]:
    """Every value at `path` (lists are walked through)."""
    if isinstance(doc, list):
        return [v for item in doc for v in _values(item, path)]
    if not path:
        return [doc]
    if not isinstance(doc, dict) or doc.get(path[0]) is None:
        return []
    return _values(doc[path[0]], path[1:])


def test_every_column_is_exported_or_said_why_not(
    av: Afterview, db_url: str, tmp_path: Path, board: None
) -> None:
    _fill(av, db_url, tmp_path)
    first = av.ok("export", now=NOW).out
    doc = json.loads(first)
    # written a record at a time, yet the bytes the whole document's encoding gives
    opened = open_database(db_url)
    try:
        ctx = Context(opened, Config(path="none", timezone="Europe/Paris"), AT, True)
        whole = json.dumps(export_document(ctx), ensure_ascii=False, indent=1) + "\n"
    finally:
        opened.close()
    assert first == whole
    db = connect(db_url)
    try:
        unaccounted, empty = [], []
        for table, columns in _columns(db).items():
            if table in NOT_EXPORTED:
                continue
            for column in columns:
                name = f"{table}.{column}"
                if column == "account_id" or name in NOT_EXPORTED:
                    continue
                where = EXPORTED.get(table, {}).get(column)
                if where is None:
                    unaccounted.append(name)
                    continue
                row = db.one(f"SELECT COUNT(*) FROM {table} WHERE {column} IS NOT NULL")
                held = bool(row and row[0])
                exported = [
                    v for v in _values(doc, where.split(".")) if v not in (None, [], {}, "")
                ]
                if held and not exported:
                    empty.append(f"{name} -> {where}")
                if not held:
                    empty.append(f"{name}: no importer filled it in this test")
    finally:
        db.close()
    assert not unaccounted, f"neither exported nor said why not: {unaccounted}"
    assert not empty, empty
    # the waiting message is exported held: the importing machine sends nothing by itself
    assert [m["state"] for m in doc["outbox"]] == ["held", "sent", "failed"]
    path = tmp_path / "export.json"
    path.write_text(first, encoding="utf-8")
    other = Afterview(str(tmp_path / "other.db"))
    other.ok("import", str(path), now=NOW)
    assert other.ok("export", now=NOW).out == first
    mine = av.ok("agenda", "--json", "--all", now=NOW).json()
    theirs = other.ok("agenda", "--json", "--all", now=NOW).json()
    # the same plan; the message that was waiting asks for you (held) on the new machine
    assert [m["id"] for m in theirs.pop("outbox")] == [1, 3]
    assert [m["id"] for m in mine.pop("outbox")] == [3]
    assert theirs == mine
    # the same invitation again on the new machine: the interview it made, not a second one
    before = other.ok("interview", "list", "--json", now=NOW).json()
    again = other.ok("interview", "import", str(TESTS / "cal/invites/zoom.ics"), "--json", now=NOW)
    assert [r["result"] for r in again.json()] == ["unchanged"], again.out
    assert other.ok("interview", "list", "--json", now=NOW).json() == before
