"""When each interview falls quiet: the agenda loads only the interviews that may still act.

An interview falls quiet at the moment after which none of its actions can be live and
it awaits no decision (`core/quiet.py`). `interview_quiet` keeps that moment per
interview, with the moment of its latest fact that moved it (`last_fact`): the bound
answers for every moment at or after `last_fact`. Triggers keep it true whatever process
writes: a new interview gets a row to compute (`quiet_from` NULL); a write to an
interview, its messages, its outcome or a follow-up's mark sets it back to NULL and
raises `n`, so a bound computed from facts read before that write is never stored
(`save` compares `n`). The agenda at a moment `at` then reads only the rows whose bound
is unknown, after the start of `at`'s week (`core.weeks.settled_before`) or whose
latest fact is after `at`: a few interviews, whatever the history's length.

What the bounds were computed under (the playbook, holidays, the code) is kept in
`quiet_stamp`; `check_stamp` forgets every bound when it changed, and mends the rows
when the latest interview has none.
"""

from collections.abc import Callable
from typing import NamedTuple

from afterview.store.db import Database

#: Stored for an interview that never falls quiet (an awaited decision with no end).
NEVER = "9999-12-31T00:00:00+00:00"
#: What a write to an interview's facts does to its row.
FORGOTTEN = "quiet_from = NULL, last_fact = NULL, status = NULL, n = n + 1"

_SQLITE_TRIGGERS = [
    "CREATE TRIGGER interview_quiet_new AFTER INSERT ON interview BEGIN "
    "INSERT OR IGNORE INTO interview_quiet (interview_id, account_id, n) "
    "VALUES (NEW.id, NEW.account_id, 0); END",
    "CREATE TRIGGER interview_quiet_edit AFTER UPDATE ON interview BEGIN "
    f"UPDATE interview_quiet SET {FORGOTTEN} "
    "WHERE interview_id IN (OLD.id, NEW.id); END",
    "CREATE TRIGGER interview_quiet_gone AFTER DELETE ON interview BEGIN "
    "DELETE FROM interview_quiet WHERE interview_id = OLD.id; END",
]
_FORGET = f"UPDATE interview_quiet SET {FORGOTTEN} "
# a mark counts only on a follow-up: `follow_up:<interview>:<n>`
_MARKED = "CAST(substr({row}.action_id, 11) AS INTEGER)"
for _table, _op, _rows in (
    ("touch", "INSERT", ("NEW",)),
    ("touch", "UPDATE", ("OLD", "NEW")),
    ("touch", "DELETE", ("OLD",)),
    ("outcome", "INSERT", ("NEW",)),
    ("outcome", "UPDATE", ("OLD", "NEW")),
    ("outcome", "DELETE", ("OLD",)),
):
    _ids = ", ".join(f"{r}.interview_id" for r in _rows)
    _SQLITE_TRIGGERS.append(
        f"CREATE TRIGGER {_table}_quiet_{_op.lower()} AFTER {_op} ON {_table} BEGIN "
        f"{_FORGET}WHERE interview_id IN ({_ids}); END"
    )
for _op, _rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
    _when = " OR ".join(f"{r}.action_id LIKE 'follow_up:%'" for r in _rows)
    _ids = ", ".join(_MARKED.format(row=r) for r in _rows)
    _SQLITE_TRIGGERS.append(
        f"CREATE TRIGGER action_mark_quiet_{_op.lower()} AFTER {_op} ON action_mark "
        f"WHEN {_when} BEGIN {_FORGET}WHERE interview_id IN ({_ids}); END"
    )

_PG_FUNCTIONS = [
    """CREATE FUNCTION afterview_quiet_interview() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO interview_quiet (interview_id, account_id, n)
        VALUES (NEW.id, NEW.account_id, 0) ON CONFLICT DO NOTHING;
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE interview_quiet SET FORGOTTEN WHERE interview_id IN (OLD.id, NEW.id);
    ELSE
        DELETE FROM interview_quiet WHERE interview_id = OLD.id;
    END IF;
    RETURN NULL;
END $$""",
    """CREATE FUNCTION afterview_quiet_fact() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[] := '{}';
BEGIN
    IF TG_OP <> 'INSERT' THEN ids := ids || OLD.interview_id; END IF;
    IF TG_OP <> 'DELETE' THEN ids := ids || NEW.interview_id; END IF;
    UPDATE interview_quiet SET FORGOTTEN WHERE interview_id = ANY(ids);
    RETURN NULL;
END $$""",
    """CREATE FUNCTION afterview_quiet_mark() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[] := '{}';
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.action_id ~ '^follow_up:[0-9]{1,18}:' THEN
        ids := ids || split_part(OLD.action_id, ':', 2)::bigint;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.action_id ~ '^follow_up:[0-9]{1,18}:' THEN
        ids := ids || split_part(NEW.action_id, ':', 2)::bigint;
    END IF;
    IF cardinality(ids) > 0 THEN
        UPDATE interview_quiet SET FORGOTTEN WHERE interview_id = ANY(ids);
    END IF;
    RETURN NULL;
END $$""",
]
_PG_TRIGGERS = [
    "CREATE TRIGGER interview_quiet AFTER INSERT OR UPDATE OR DELETE ON interview "
    "FOR EACH ROW EXECUTE FUNCTION afterview_quiet_interview()",
    "CREATE TRIGGER touch_quiet AFTER INSERT OR UPDATE OR DELETE ON touch "
    "FOR EACH ROW EXECUTE FUNCTION afterview_quiet_fact()",
    "CREATE TRIGGER outcome_quiet AFTER INSERT OR UPDATE OR DELETE ON outcome "
    "FOR EACH ROW EXECUTE FUNCTION afterview_quiet_fact()",
    "CREATE TRIGGER action_mark_quiet AFTER INSERT OR UPDATE OR DELETE ON action_mark "
    "FOR EACH ROW EXECUTE FUNCTION afterview_quiet_mark()",
]


def schema(dialect: str) -> list[str]:
    """The statements of the migration that adds the bounds, their triggers, and a row to
    compute for every interview already there (migration 20). The stored snapshot of the
    live actions (migration 14) gives way to them."""
    ref = "BIGINT" if dialect == "postgresql" else "INTEGER"
    out = [
        "DROP TABLE agenda_snapshot",
        "CREATE INDEX application_applied ON application (account_id, applied_on)",
        "CREATE INDEX profile_review_at ON profile_review (account_id, at)",
        f"CREATE TABLE interview_quiet (interview_id {ref} PRIMARY KEY, "
        f"account_id {ref} NOT NULL, quiet_from TEXT, last_fact TEXT, status TEXT, "
        "n BIGINT NOT NULL)",
        "CREATE INDEX interview_quiet_from ON interview_quiet (account_id, quiet_from)",
        "CREATE INDEX interview_quiet_last ON interview_quiet (account_id, last_fact)",
        f"CREATE TABLE quiet_stamp (account_id {ref} PRIMARY KEY, stamp TEXT NOT NULL)",
        "INSERT INTO interview_quiet (interview_id, account_id, n) "
        "SELECT id, account_id, 0 FROM interview",
    ]
    if dialect == "postgresql":
        return out + [f.replace("FORGOTTEN", FORGOTTEN) for f in _PG_FUNCTIONS] + _PG_TRIGGERS
    return out + _SQLITE_TRIGGERS


class Open(NamedTuple):
    """An interview the agenda must load: its id, its write count, and whether its bound
    is to be computed (and stored) after the load."""

    interview_id: int
    n: int
    unknown: bool


def open_interviews(db: Database, account: int, since: str, at: str) -> list[Open]:
    """The interviews that may have an action live at `at` or count for the weeks from
    `since` (moments as stored): bound unknown or after `since`, or a fact after `at`.
    With `since` = `at`: those whose status may still change after `at`."""
    # three searches of the two indexes (one with OR would read every row)
    pick = "SELECT interview_id, n, quiet_from FROM interview_quiet WHERE account_id = ? AND "
    rows = db.query(
        f"{pick}quiet_from IS NULL UNION {pick}quiet_from > ? UNION {pick}last_fact > ?",
        (account, account, since, account, at),
    )
    return sorted(Open(int(i), int(n), q is None) for i, n, q in rows)


class Bound(NamedTuple):
    """A computed bound, for the row whose write count was `n` when its facts were read,
    with the interview's status once it is quiet."""

    interview_id: int
    n: int
    quiet_from: str
    last_fact: str | None
    status: str


def save(db: Database, bounds: list[Bound]) -> None:
    """Store computed bounds, each only if no write reached its interview since its facts
    were read. Waits at most a tenth of a second for a lock; the caller decides what a
    failure means (the bounds are computed again next time)."""
    if not bounds:
        return
    rows = [(b.quiet_from, b.last_fact, b.status, b.interview_id, b.n) for b in bounds]
    sql = (
        "UPDATE interview_quiet SET quiet_from = ?, last_fact = ?, status = ? "
        "WHERE interview_id = ? AND n = ? AND quiet_from IS NULL"
    )
    _briefly(db, lambda: db.executemany(sql, rows))


def quiet_statuses(db: Database, account: int, at: str) -> dict[int, str]:
    """The status of each interview quiet at `at` (moment as stored): it no longer changes."""
    return {
        int(i): str(status)
        for i, status in db.query(
            "SELECT interview_id, status FROM interview_quiet WHERE account_id = ? "
            "AND quiet_from <= ? AND (last_fact IS NULL OR last_fact <= ?) "
            "AND status IS NOT NULL",
            (account, at, at),
        )
    }


def stamp_holds(db: Database, account: int, stamp: str) -> bool:
    """True when the account's bounds were computed under `stamp` and the latest interview
    has its row: what `check_stamp` checks, without writing (inside a read-only snapshot)."""
    return _stamp_state(db, account, stamp)[0]


def _stamp_state(db: Database, account: int, stamp: str) -> tuple[bool, bool]:
    """(the bounds hold, the latest interview has its row)."""
    row = db.one("SELECT stamp FROM quiet_stamp WHERE account_id = ?", (account,))
    # the latest interview has its row (two index look-ups, whatever the history's size):
    # a copy of the data that skipped the triggers is mended; the triggers keep the rest
    latest = db.one(
        "SELECT id FROM interview WHERE account_id = ? ORDER BY id DESC LIMIT 1", (account,)
    )
    same_rows = latest is None or (
        db.one("SELECT 1 FROM interview_quiet WHERE interview_id = ?", (latest[0],)) is not None
    )
    return row is not None and str(row[0]) == stamp and same_rows, same_rows


def check_stamp(db: Database, account: int, stamp: str) -> bool:
    """Forget the account's bounds when they were computed under another stamp, and make
    sure every interview has its row; True when nothing had to change. Raises what the
    database raises when that cannot be written now: the bounds are not to be used."""
    holds, same_rows = _stamp_state(db, account, stamp)
    if holds:
        return True

    def renew() -> None:
        if not same_rows:
            db.execute(
                "DELETE FROM interview_quiet WHERE account_id = ? AND interview_id NOT IN "
                "(SELECT id FROM interview WHERE account_id = ?)",
                (account, account),
            )
            db.execute(
                "INSERT INTO interview_quiet (interview_id, account_id, n) "
                "SELECT id, account_id, 0 FROM interview WHERE account_id = ? AND id NOT IN "
                "(SELECT interview_id FROM interview_quiet WHERE account_id = ?)",
                (account, account),
            )
        db.execute(
            f"UPDATE interview_quiet SET {FORGOTTEN} WHERE account_id = ?",
            (account,),
        )
        db.execute(
            "INSERT INTO quiet_stamp (account_id, stamp) VALUES (?, ?) "
            "ON CONFLICT (account_id) DO UPDATE SET stamp = excluded.stamp",
            (account, stamp),
        )

    _briefly(db, renew)
    return False


def _briefly(db: Database, write: Callable[[], None]) -> None:
    """Run `write` in its own unjournaled transaction, waiting at most 100 ms for a lock."""
    if db.dialect != "sqlite":
        with db.unrecorded(), db.transaction():
            db.execute("SET LOCAL lock_timeout = '100ms'")
            write()
        return
    before = db.one("PRAGMA busy_timeout")
    db.execute("PRAGMA busy_timeout = 100")
    try:
        with db.unrecorded(), db.transaction():
            write()
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(before[0]) if before else 10000}")
