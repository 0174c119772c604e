"""The change journal: every write of a use case, recorded in its own transaction.

`Database.transaction()` opens a *change* (its moment, where it came from) and triggers
on every table of the user's data copy each row written into `journal_row`: the row as
it was (`old`, JSON) and as it became (`new`). The triggers know the open change from
`journal_state` on SQLite (writers are serialized by `BEGIN IMMEDIATE`) and from the
transaction-local setting `afterview.change` on PostgreSQL (`set_config(..., true)`, so
concurrent writers never mix). A write outside a change (a migration, the worker, undo
itself: `Database.unrecorded()`) is not journaled. When the transaction commits, the
change gets its summary (what was added, changed, removed); a change that wrote nothing
is dropped, and changes older than the configured time (`[history] keep_days`) go.

Every table is journaled but those of `UNJOURNALED`: the schema's bookkeeping, caches,
the journal itself, this installation's own state (`worker_runs`: the worker's last
pass), and the calendar feed's token (a secret's hash: taking a change back
must never bring back a link that was replaced because it leaked). Mail passwords are
never in the database. The triggers are made again after every migration from the
tables' columns (`install_triggers`), so a column or a table added later is journaled.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from afterview.store.codec import put_dt
from afterview.store.worker_runs import LOCAL_TABLES

if TYPE_CHECKING:
    from afterview.store.db import Database

#: The migration that adds the journal: triggers are (re)made after it and every later one.
JOURNAL_VERSION = 19
#: The journal's own tables: they raise no data revision (recording a change changes no
#: data) and are neither exported nor imported; their moments are written in range.
JOURNAL_TABLES = ("journal_change", "journal_row", "journal_state")
#: Tables never journaled (see the module's docstring).
UNJOURNALED = frozenset(
    {
        "schema_version",
        "data_revision",
        "agenda_snapshot",
        "interview_quiet",
        "quiet_stamp",
        "feed_token",
        *JOURNAL_TABLES,
        *LOCAL_TABLES,
    }
)
#: Separates the parts of a composite primary key in `journal_row.row_key`.
KEY_SEP = "\x1f"
DEFAULT_KEEP_DAYS = 90


class Stamp(Protocol):
    """What a change is stamped with: the use case's moment and source, and how long the
    journal keeps changes (the use case's `Context`)."""

    @property
    def now(self) -> datetime:
        """The moment of the change."""
        ...

    @property
    def journal_source(self) -> str:
        """The command or route the change comes from (`interview add`, `POST /interviews`)."""
        ...

    @property
    def journal_days(self) -> int:
        """How many days changes are kept."""
        ...

    @property
    def account(self) -> int:
        """The account the change belongs to (its history, its undo)."""
        ...


def schema(dialect: str, pk: str, ref: str) -> list[str]:
    """The statements of migration 19: the journal's tables (and PostgreSQL's trigger
    function); the triggers themselves come from `install_triggers`."""
    out = [
        f"CREATE TABLE journal_change (id {pk}, at TEXT NOT NULL, source TEXT NOT NULL, "
        "summary TEXT NOT NULL, undone_at TEXT, undo_note TEXT)",
        "CREATE INDEX journal_change_at ON journal_change (at)",
        f"CREATE TABLE journal_row (id {pk}, "
        f"change_id {ref} NOT NULL REFERENCES journal_change(id) ON DELETE CASCADE, "
        "tbl TEXT NOT NULL, row_key TEXT NOT NULL, "
        "op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')), old TEXT, new TEXT)",
        "CREATE INDEX journal_row_change ON journal_row (change_id)",
        "CREATE INDEX journal_row_key ON journal_row (tbl, row_key)",
    ]
    if dialect == "sqlite":
        return [
            *out,
            "CREATE TABLE journal_state (id INTEGER PRIMARY KEY CHECK (id = 1), change_id INTEGER)",
            "INSERT INTO journal_state (id, change_id) VALUES (1, NULL)",
        ]
    return [*out, _PG_FUNCTION]


_PG_FUNCTION = """
CREATE FUNCTION afterview_journal() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    c text := current_setting('afterview.change', true);
    r jsonb;
    k text := '';
BEGIN
    IF c IS NULL OR c = '' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD IS NOT DISTINCT FROM NEW THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN r := to_jsonb(OLD); ELSE r := to_jsonb(NEW); END IF;
    FOR i IN 0 .. TG_NARGS - 1 LOOP
        IF i > 0 THEN k := k || chr(31); END IF;
        k := k || COALESCE(r ->> TG_ARGV[i], '');
    END LOOP;
    INSERT INTO journal_row (change_id, tbl, row_key, op, old, new) VALUES (
        c::bigint, TG_TABLE_NAME, k, lower(TG_OP),
        CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE row_to_json(OLD)::text END,
        CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE row_to_json(NEW)::text END);
    RETURN NULL;
END $$
"""


# -- the tables' shape ----------------------------------------------------------------------------
def tables(db: Database) -> list[str]:
    """Every table of the database, by name."""
    if db.dialect == "sqlite":
        rows = db.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    else:
        rows = db.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = "
            "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
    return [str(r[0]) for r in rows]


def journaled_tables(db: Database) -> list[str]:
    """The tables whose writes the journal records."""
    return [t for t in tables(db) if t not in UNJOURNALED]


def columns(db: Database, table: str) -> list[str]:
    """The table's columns, in order."""
    if db.dialect == "sqlite":
        return [str(r[1]) for r in db.query(f'PRAGMA table_info("{table}")')]
    return [
        str(r[0])
        for r in db.query(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = "
            "current_schema() AND table_name = ? ORDER BY ordinal_position",
            (table,),
        )
    ]


def key_columns(db: Database, table: str) -> list[str]:
    """The columns of the table's primary key, in order."""
    if db.dialect == "sqlite":
        info = db.query(f'PRAGMA table_info("{table}")')
        return [str(r[1]) for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]
    rows = db.query(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = to_regclass(?) AND i.indisprimary "
        "ORDER BY array_position(i.indkey::int2[], a.attnum)",
        (table,),
    )
    return [str(r[0]) for r in rows]


def parents(db: Database, table: str) -> list[tuple[str, str]]:
    """The table's foreign keys as `(column, parent table)` (one column each)."""
    if db.dialect == "sqlite":
        return [(str(r[3]), str(r[2])) for r in db.query(f'PRAGMA foreign_key_list("{table}")')]
    rows = db.query(
        "SELECT a.attname, c.confrelid::regclass::text FROM pg_constraint c JOIN pg_attribute a "
        "ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "WHERE c.contype = 'f' AND c.conrelid = to_regclass(?)",
        (table,),
    )
    return [(str(r[0]), str(r[1])) for r in rows]


# -- triggers -------------------------------------------------------------------------------------
def install_triggers(db: Database) -> None:
    """(Re)make the journal's triggers on every journaled table, from its columns now."""
    for table in journaled_tables(db):
        keys = key_columns(db, table)
        if not keys:
            raise ValueError(f"{table}: a journaled table needs a primary key")
        if db.dialect == "postgresql":
            args = ", ".join(f"'{k}'" for k in keys)
            db.execute(f'DROP TRIGGER IF EXISTS "{table}_journal" ON "{table}"')
            db.execute(
                f'CREATE TRIGGER "{table}_journal" AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
                f"FOR EACH ROW EXECUTE FUNCTION afterview_journal({args})"
            )
            continue
        for stmt in _sqlite_triggers(table, columns(db, table), keys):
            db.execute(stmt)


_CURRENT = "(SELECT change_id FROM journal_state WHERE id = 1)"


def _sqlite_triggers(table: str, cols: list[str], keys: list[str]) -> list[str]:
    if len(cols) > 60:  # json_object takes at most 127 arguments
        raise ValueError(f"{table}: too many columns for the journal's json_object")

    def image(row: str) -> str:
        return "json_object(" + ", ".join(f"'{c}', {row}.\"{c}\"" for c in cols) + ")"

    def key(row: str) -> str:
        return " || char(31) || ".join(f"COALESCE(CAST({row}.\"{k}\" AS TEXT), '')" for k in keys)

    out = []
    for op, row, old, new, extra in (
        ("insert", "NEW", "NULL", image("NEW"), ""),
        ("update", "NEW", image("OLD"), image("NEW"), f" AND {image('OLD')} IS NOT {image('NEW')}"),
        ("delete", "OLD", image("OLD"), "NULL", ""),
    ):
        name = f'"{table}_journal_{op}"'
        out.append(f"DROP TRIGGER IF EXISTS {name}")
        out.append(
            f'CREATE TRIGGER {name} AFTER {op.upper()} ON "{table}" '
            f"WHEN {_CURRENT} IS NOT NULL{extra} BEGIN "
            "INSERT INTO journal_row (change_id, tbl, row_key, op, old, new) VALUES "
            f"({_CURRENT}, '{table}', {key(row)}, '{op}', {old}, {new}); END"
        )
    return out


# -- recording ------------------------------------------------------------------------------------
def present(db: Database) -> bool:
    """True when the database has the journal (migration 19 ran)."""
    if db.dialect == "sqlite":
        found = db.one(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'journal_change'"
        )
        return found is not None
    row = db.one("SELECT to_regclass('journal_change') IS NOT NULL")
    return bool(row and row[0])


def begin(db: Database, stamp: Stamp) -> int:
    """Open a change for the transaction that starts; return its id."""
    source = " ".join(stamp.journal_source.split())[:200] or "afterview"
    if _per_account(db):
        change = db.insert(
            "INSERT INTO journal_change (account_id, at, source, summary) VALUES (?, ?, ?, '')",
            (stamp.account, put_dt(stamp.now), source),
        )
    else:  # a database before migration 23, being upgraded
        change = db.insert(
            "INSERT INTO journal_change (at, source, summary) VALUES (?, ?, '')",
            (put_dt(stamp.now), source),
        )
    capture(db, change)
    return change


def _per_account(db: Database) -> bool:
    """True when the journal keeps each change's account (migration 23 ran)."""
    known = db.schema_facts.get("journal_accounts")
    if known is None:
        known = db.schema_facts["journal_accounts"] = "account_id" in columns(db, "journal_change")
    return bool(known)


def capture(db: Database, change: int | None) -> None:
    """Point the triggers at `change` (None: record nothing) for the rest of the transaction."""
    if db.dialect == "sqlite":
        db.execute("UPDATE journal_state SET change_id = ? WHERE id = 1", (change,))
    else:
        db.execute(
            "SELECT set_config('afterview.change', ?, true)",
            ("" if change is None else str(change),),
        )


def finish(db: Database, change: int, stamp: Stamp) -> bool:
    """Close the change before its transaction commits: summarize what it wrote (or drop
    it when it wrote nothing: False), and prune the changes older than the journal keeps."""
    capture(db, None)
    groups = db.query(
        "SELECT tbl, op, COUNT(*), MIN(row_key), MIN(id) FROM journal_row WHERE change_id = ? "
        "GROUP BY tbl, op ORDER BY MIN(id)",
        (change,),
    )
    if not groups:
        db.execute("DELETE FROM journal_change WHERE id = ?", (change,))
        if db.dialect == "sqlite":  # the id is free again: ids stay without gaps
            db.execute(
                "UPDATE sqlite_sequence SET seq = ? WHERE name = 'journal_change' AND seq = ?",
                (change - 1, change),
            )
        return False
    db.execute(
        "UPDATE journal_change SET summary = ? WHERE id = ?",
        (summary([(str(t), str(o), int(n), str(k)) for t, o, n, k, _ in groups]), change),
    )
    if _per_account(db):
        prune(db, stamp.account, stamp.now, stamp.journal_days)
    return True


def prune(db: Database, account: int, now: datetime, keep_days: int) -> int:
    """Drop the account's changes recorded more than `keep_days` before `now`; return how
    many."""
    cutoff = (now - timedelta(days=keep_days)).astimezone(UTC).replace(microsecond=0)
    limit = cutoff.isoformat()
    oldest = db.one("SELECT MIN(at) FROM journal_change WHERE account_id = ?", (account,))
    if oldest is None or oldest[0] is None or str(oldest[0]) >= limit:
        return 0
    db.execute(
        "DELETE FROM journal_row WHERE change_id IN "
        "(SELECT id FROM journal_change WHERE account_id = ? AND at < ?)",
        (account, limit),
    )
    return db.update("DELETE FROM journal_change WHERE account_id = ? AND at < ?", (account, limit))


# -- the summary ----------------------------------------------------------------------------------
NOUNS = {
    "account": ("account", "accounts"),
    "application": ("application", "applications"),
    "person": ("person", "people"),
    "interview": ("interview", "interviews"),
    "interview_person": ("interviewer", "interviewers"),
    "topic": ("topic", "topics"),
    "touch": ("message", "messages"),
    "outcome": ("outcome", "outcomes"),
    "assessment": ("self-assessment", "self-assessments"),
    "assessment_score": ("score", "scores"),
    "question": ("question", "questions"),
    "action_mark": ("action mark", "action marks"),
    "profile_review": ("profile review", "profile reviews"),
    "profile_check": ("profile check", "profile checks"),
    "draft": ("draft", "drafts"),
    "mail_settings": ("mail settings", "mail settings"),
    "outbox": ("outbox message", "outbox messages"),
    "mail_sync": ("mailbox position", "mailbox positions"),
    "calendar_event": ("calendar event", "calendar events"),
    "notification": ("notification", "notifications"),
    "lead_detail": ("lead's details", "leads' details"),
}
_VERBS = {"insert": "added", "update": "changed", "delete": "removed"}


def noun(table: str, count: int = 1) -> str:
    """What a row of `table` is called, for people."""
    one, many = NOUNS.get(table, (table.replace("_", " "), table.replace("_", " ") + " rows"))
    return one if count == 1 else many


def summary(groups: list[tuple[str, str, int, str]]) -> str:
    """One short line from `(table, op, count, a row key)` groups, in the order written:
    "added interview 3, application 2, 2 people; changed outbox message 4"."""
    by_op: dict[str, list[str]] = {}
    for table, op, count, key in groups:
        if count == 1 and KEY_SEP not in key and key.isdigit():
            by_op.setdefault(op, []).append(f"{noun(table)} {key}")
        else:
            by_op.setdefault(op, []).append(f"{count} {noun(table, count)}")
    text = "; ".join(f"{_VERBS.get(op, op)} {', '.join(parts)}" for op, parts in by_op.items())
    return text if len(text) <= 300 else text[:299] + "…"
