"""Versioned, forward-only schema migrations, the same for SQLite and PostgreSQL.

Each migration runs in its own transaction with its version row, so a failed
one leaves the database at the version before. Times are stored as ISO 8601
text in UTC (`2026-09-15T13:00:00+00:00`) and dates as `YYYY-MM-DD`: the same
values, the same ordering, on both engines.
"""

from collections.abc import Callable
from typing import NamedTuple

from afterview.errors import StoreError
from afterview.store import (
    account_config,
    account_secrets,
    cohort_schema,
    journal,
    quiet,
    server_schema,
    worker_runs,
)
from afterview.store.db import Database
from afterview.store.migration_board import V18
from afterview.store.migration_mail_auth import V22
from afterview.store.migration_years import v15
from afterview.store.schema_version import current_version as current_version


class Migration(NamedTuple):
    """One step of the schema: `{pk}` and `{id}` stand for each engine's id column types."""

    version: int
    description: str
    sql: str | Callable[[str], list[str]]


_V1 = """
CREATE TABLE account (
    id {pk},
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
INSERT INTO account (id, name, created_at) VALUES (1, 'personal', '1970-01-01T00:00:00+00:00');
CREATE TABLE person (
    id {pk},
    account_id {id} NOT NULL REFERENCES account(id),
    name TEXT NOT NULL,
    email TEXT
);
CREATE INDEX person_account ON person (account_id, email);
CREATE TABLE application (
    id {pk},
    account_id {id} NOT NULL REFERENCES account(id),
    company TEXT NOT NULL,
    role TEXT NOT NULL,
    applied_on TEXT,
    url TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX application_account ON application (account_id);
CREATE TABLE interview (
    id {pk},
    account_id {id} NOT NULL REFERENCES account(id),
    application_id {id} NOT NULL REFERENCES application(id),
    start_at TEXT NOT NULL,
    end_at TEXT NOT NULL,
    tz TEXT NOT NULL,
    decision_by TEXT,
    notes TEXT,
    created_at TEXT NOT NULL,
    CHECK (end_at > start_at)
);
CREATE INDEX interview_account ON interview (account_id);
CREATE TABLE interview_person (
    interview_id {id} NOT NULL REFERENCES interview(id),
    person_id {id} NOT NULL REFERENCES person(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (interview_id, person_id)
);
CREATE TABLE topic (
    id {pk},
    interview_id {id} NOT NULL REFERENCES interview(id),
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX topic_interview ON topic (interview_id);
CREATE TABLE touch (
    id {pk},
    account_id {id} NOT NULL REFERENCES account(id),
    interview_id {id} NOT NULL REFERENCES interview(id),
    direction TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
    kind TEXT NOT NULL CHECK (kind IN ('thank_you', 'follow_up', 'other')),
    person_id {id} REFERENCES person(id),
    at TEXT NOT NULL,
    note TEXT,
    forced INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX touch_account ON touch (account_id, interview_id);
CREATE TABLE outcome (
    interview_id {id} PRIMARY KEY REFERENCES interview(id),
    account_id {id} NOT NULL REFERENCES account(id),
    result TEXT NOT NULL CHECK (result IN ('offer', 'rejected', 'next_round', 'withdrawn')),
    at TEXT NOT NULL
);
CREATE TABLE assessment (
    id {pk},
    account_id {id} NOT NULL REFERENCES account(id),
    interview_id {id} NOT NULL UNIQUE REFERENCES interview(id),
    at TEXT NOT NULL,
    went_well TEXT,
    improve TEXT,
    confidence INTEGER CHECK (confidence BETWEEN 0 AND 100)
);
CREATE TABLE assessment_score (
    assessment_id {id} NOT NULL REFERENCES assessment(id),
    item TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    PRIMARY KEY (assessment_id, item)
);
CREATE TABLE question (
    id {pk},
    account_id {id} NOT NULL REFERENCES account(id),
    assessment_id {id} NOT NULL REFERENCES assessment(id),
    position INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX question_assessment ON question (assessment_id);
CREATE TABLE action_mark (
    id {pk},
    account_id {id} NOT NULL REFERENCES account(id),
    action_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('done', 'skipped')),
    at TEXT NOT NULL,
    why TEXT
);
CREATE INDEX action_mark_account ON action_mark (account_id, action_id);
CREATE TABLE profile_review (
    id {pk},
    account_id {id} NOT NULL REFERENCES account(id),
    at TEXT NOT NULL
);
"""

_V2 = """
CREATE TABLE draft (
    id {pk},
    account_id {id} NOT NULL REFERENCES account(id),
    interview_id {id} NOT NULL REFERENCES interview(id),
    action_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('thank_you', 'follow_up')),
    to_name TEXT,
    to_email TEXT,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX draft_interview ON draft (account_id, interview_id);
"""

_V3 = """
CREATE INDEX touch_kind ON touch (account_id, kind, direction, interview_id);
"""

_V4 = """
CREATE TABLE mail_settings (
    account_id {id} PRIMARY KEY REFERENCES account(id),
    smtp_host TEXT NOT NULL,
    smtp_port INTEGER NOT NULL,
    smtp_security TEXT NOT NULL CHECK (smtp_security IN ('starttls', 'tls', 'none')),
    smtp_user TEXT,
    from_address TEXT NOT NULL,
    from_name TEXT,
    imap_host TEXT,
    imap_port INTEGER,
    imap_security TEXT CHECK (imap_security IN ('starttls', 'tls', 'none')),
    imap_user TEXT,
    sent_folder TEXT,
    my_addresses TEXT NOT NULL,
    allow_insecure INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE TABLE outbox (
    id {pk},
    account_id {id} NOT NULL REFERENCES account(id),
    interview_id {id} NOT NULL REFERENCES interview(id),
    action_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('thank_you', 'follow_up')),
    person_id {id} REFERENCES person(id),
    to_name TEXT,
    to_email TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL CHECK (state IN
        ('scheduled', 'sending', 'sent', 'failed', 'held', 'uncertain', 'cancelled')),
    send_at TEXT NOT NULL,
    due_at TEXT NOT NULL,
    forced INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    retry_at TEXT,
    reason TEXT,
    claimed_by TEXT,
    claimed_at TEXT,
    sent_at TEXT,
    approved_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX outbox_account ON outbox (account_id, state, send_at);
CREATE UNIQUE INDEX outbox_one_live_per_action ON outbox (account_id, action_id)
    WHERE state IN ('scheduled', 'sending', 'held', 'uncertain');
ALTER TABLE touch ADD COLUMN message_id TEXT;
ALTER TABLE touch ADD COLUMN sender TEXT;
ALTER TABLE touch ADD COLUMN subject TEXT;
ALTER TABLE application ADD COLUMN email_domain TEXT;
CREATE UNIQUE INDEX touch_message ON touch (account_id, message_id);
CREATE TABLE mail_sync (
    account_id {id} NOT NULL REFERENCES account(id),
    folder TEXT NOT NULL,
    uidvalidity BIGINT NOT NULL,
    last_uid BIGINT NOT NULL,
    highest_modseq BIGINT,
    synced_at TEXT NOT NULL,
    PRIMARY KEY (account_id, folder)
)
"""

_V5 = """
CREATE TABLE calendar_event (
    account_id {id} NOT NULL REFERENCES account(id),
    action_id TEXT NOT NULL,
    window_key TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    PRIMARY KEY (account_id, action_id)
)
"""

_V6 = """
ALTER TABLE interview ADD COLUMN ical_uid TEXT;
ALTER TABLE interview ADD COLUMN ical_sequence INTEGER;
ALTER TABLE interview ADD COLUMN format TEXT;
ALTER TABLE interview ADD COLUMN location TEXT;
ALTER TABLE interview ADD COLUMN meeting_url TEXT;
CREATE UNIQUE INDEX interview_ical_uid ON interview (account_id, ical_uid)
"""

_V7 = """
CREATE TABLE notification (
    account_id {id} NOT NULL REFERENCES account(id),
    key TEXT NOT NULL,
    channel TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (account_id, key, channel)
)
"""

# The tables that existed at version 8: a write to any of them raises the data revision
# (`store/revision.py`), which read caches are keyed by. Later tables add their own
# triggers with `_revision_triggers` (and appear in REVISED_TABLES).
_V8_TABLES = (
    "account",
    "person",
    "application",
    "interview",
    "interview_person",
    "topic",
    "touch",
    "outcome",
    "assessment",
    "assessment_score",
    "question",
    "action_mark",
    "profile_review",
    "draft",
    "mail_settings",
    "outbox",
    "mail_sync",
    "calendar_event",
    "notification",
)


def _revision_triggers(dialect: str, tables: tuple[str, ...]) -> list[str]:
    """Triggers that raise the data revision on every write to `tables` (row triggers on
    SQLite, statement triggers on PostgreSQL), whatever process makes the write."""
    if dialect == "postgresql":
        return [
            f"CREATE TRIGGER {t}_revision AFTER INSERT OR UPDATE OR DELETE ON {t} "
            "FOR EACH STATEMENT EXECUTE FUNCTION afterview_raise_revision()"
            for t in tables
        ]
    out = []
    for t in tables:
        for op in ("INSERT", "UPDATE", "DELETE"):
            out.append(
                f"CREATE TRIGGER {t}_revision_{op.lower()} AFTER {op} ON {t} "
                "BEGIN UPDATE data_revision SET n = n + 1; END"
            )
    return out


def _v8(dialect: str) -> list[str]:
    out = [
        "CREATE TABLE data_revision (id INTEGER PRIMARY KEY CHECK (id = 1), n BIGINT NOT NULL)",
        "INSERT INTO data_revision (id, n) VALUES (1, 1)",
    ]
    if dialect == "postgresql":
        out.append(
            "CREATE FUNCTION afterview_raise_revision() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN UPDATE data_revision SET n = n + 1; RETURN NULL; END $$"
        )
    return out + _revision_triggers(dialect, _V8_TABLES)


def _v9(dialect: str) -> list[str]:
    pk = _TYPES[dialect]["id"]
    return [
        f"CREATE TABLE feed_token (account_id {pk} PRIMARY KEY REFERENCES account(id), "
        "token_hash TEXT NOT NULL, created_at TEXT NOT NULL)",
        *_revision_triggers(dialect, ("feed_token",)),
    ]


def _v10(dialect: str) -> list[str]:
    pk = _TYPES[dialect]["id"]
    return [
        f"CREATE TABLE lead_detail (application_id {pk} PRIMARY KEY REFERENCES application(id), "
        "location TEXT, remote INTEGER NOT NULL DEFAULT 0, salary_min REAL, salary_max REAL, "
        "salary_currency TEXT, salary_unit TEXT, posted_on TEXT, valid_through TEXT, "
        "source TEXT)",
        *_revision_triggers(dialect, ("lead_detail",)),
    ]


def _v12(dialect: str) -> list[str]:
    pk, ref = _TYPES[dialect]["pk"], _TYPES[dialect]["id"]
    return [
        f"CREATE TABLE profile_check (id {pk}, account_id {ref} NOT NULL REFERENCES account(id), "
        "at TEXT NOT NULL, resume TEXT NOT NULL, linkedin TEXT NOT NULL, "
        "open_findings INTEGER NOT NULL, high_findings INTEGER NOT NULL, first_fix TEXT, "
        "findings TEXT NOT NULL, notes TEXT NOT NULL)",
        "CREATE INDEX profile_check_account_at ON profile_check (account_id, at)",
        *_revision_triggers(dialect, ("profile_check",)),
    ]


REVISED_TABLES = (*_V8_TABLES, "feed_token", "lead_detail", "profile_check")

_V11 = """
ALTER TABLE lead_detail ADD COLUMN source_status TEXT;
ALTER TABLE lead_detail ADD COLUMN notes TEXT
"""

_V13 = """
ALTER TABLE question ADD COLUMN tag TEXT;
ALTER TABLE question ADD COLUMN answer TEXT;
ALTER TABLE question ADD COLUMN answered_at TEXT
"""


def _v14(dialect: str) -> list[str]:
    ref = _TYPES[dialect]["id"]
    return [
        f"CREATE TABLE agenda_snapshot (account_id {ref} PRIMARY KEY REFERENCES account(id), "
        "revision BIGINT NOT NULL, fingerprint TEXT NOT NULL, body TEXT NOT NULL)"
    ]


_V16 = """
ALTER TABLE draft ADD COLUMN edited INTEGER NOT NULL DEFAULT 1 CHECK (edited IN (0, 1))
"""
# A draft is the user's (1) unless afterview composed it, unchanged since (0): older drafts
# are the user's, so composing again never overwrites them without being asked.


_V17 = "ALTER TABLE outbox ADD COLUMN written_for TEXT"  # NULL: the user's words (kept)


#: Tables that cache what the others hold: no data revision (a cache keyed by it must not
#: move it), neither exported nor imported.
CACHE_TABLES = ("interview_quiet", "quiet_stamp")


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "accounts, applications, interviews, touches, outcomes, assessments, marks", _V1),
    Migration(2, "drafts kept with their interview", _V2),
    Migration(3, "touches found by kind (the agenda's quick load)", _V3),
    Migration(
        4, "mail: settings, the outbox, message ids on touches, sync state, company domains", _V4
    ),
    Migration(5, "calendar feed: the SEQUENCE of each action's event", _V5),
    Migration(6, "interviews imported from invitations: UID, SEQUENCE, format, place, link", _V6),
    Migration(7, "notifications sent, once per alert and channel", _V7),
    Migration(8, "a data revision raised on every write, for the web app's read cache", _v8),
    Migration(9, "the calendar feed's secret token (its hash), one per account", _v9),
    Migration(10, "leads: what a job posting says (place, remote, salary, dates, source)", _v10),
    Migration(11, "leads moved in from other trackers: their stage and notes", _V11),
    Migration(
        12, "profile checks: the CV compared with the LinkedIn export, and what differed", _v12
    ),
    Migration(
        13, "the question bank: a tag set by hand, and a better answer written afterwards", _V13
    ),
    Migration(14, "the agenda's snapshot: its live actions kept until the data change", _v14),
    Migration(15, "years outside 1990-2100, let in by earlier versions, brought into range", v15),
    Migration(16, "drafts remember whether the user edited them (then kept unless replaced)", _V16),
    Migration(17, "outbox messages remember the moment afterview's wording was written for", _V17),
    Migration(18, "applications: the stage the user moved them to on the board, and notes", V18),
    Migration(
        19,
        "the change journal: what each change wrote and replaced, to undo it",
        lambda d: journal.schema(d, _TYPES[d]["pk"], _TYPES[d]["id"]),
    ),
    Migration(20, "when each interview falls quiet: the agenda loads the open ones", quiet.schema),
    Migration(21, "the worker's last pass, per account: is a worker running", worker_runs.schema),
    Migration(22, "mail settings: log in with a password or an OAuth2 token", V22),
    Migration(23, "server accounts: sign-in, sessions, rows kept to them", server_schema.schema),
    Migration(24, "cohorts: coaches' seekers, what each shares, the figures", cohort_schema.schema),
    Migration(
        25, "a server's mail secrets; the accounts its workers serve", account_secrets.schema
    ),
    Migration(26, "a server account's own settings", account_config.schema),
)
LATEST = MIGRATIONS[-1].version

_TYPES: dict[str, dict[str, str]] = {
    "sqlite": {"pk": "INTEGER PRIMARY KEY AUTOINCREMENT", "id": "INTEGER"},
    "postgresql": {"pk": "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "id": "BIGINT"},
}
_ID_TABLES = (
    "account", "person", "application", "interview", "topic", "touch", "assessment",
    "question", "action_mark", "profile_review", "draft", "outbox",
)  # fmt: skip


def statements(migration: Migration, dialect: str) -> list[str]:
    """Return the migration's statements for `dialect`."""
    if callable(migration.sql):
        return migration.sql(dialect)
    sql = migration.sql.format(**_TYPES[dialect])
    return [s.strip() for s in sql.split(";") if s.strip()]


#: The PostgreSQL advisory lock held while a migration runs ("afterview" in ASCII, cut)
_MIGRATION_LOCK = 0x6166746572766965


def migrate(db: Database, target: int = LATEST) -> int:
    """Apply every migration after the current version up to `target`; return the new version."""
    version = current_version(db)
    if version > LATEST:
        raise StoreError(
            f"db: the database is at schema version {version}, newer than this afterview "
            f"knows ({LATEST}); upgrade afterview"
        )
    for m in MIGRATIONS:
        if m.version <= version or m.version > target:
            continue
        with db.transaction():
            # Another process may be migrating the same database (`serve` and `run`
            # started together on a new file): take the lock, then look again.
            if db.dialect == "postgresql":
                db.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))
            if current_version(db) >= m.version:
                version = m.version
                continue
            db.execute(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER PRIMARY KEY, description TEXT NOT NULL)"
            )
            for stmt in statements(m, db.dialect):
                db.execute(stmt)
            if m.version >= journal.JOURNAL_VERSION:  # journal the columns as they are now
                journal.install_triggers(db)
            if m.version >= server_schema.VERSION:  # keep every table, new ones too, to its account
                server_schema.install_policies(db)
            db.execute(
                "INSERT INTO schema_version (version, description) VALUES (?, ?)",
                (m.version, m.description),
            )
            present = set(journal.tables(db))
            for table in _ID_TABLES:
                if table in present:
                    db.sync_ids(table)
        version = m.version
    db.forget_schema()
    return version
