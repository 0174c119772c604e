"""Migration 23: the accounts of a server, and every row kept to its own account.

- `server_login`: how an account signs in to `afterview server run` (its email, its role,
  an argon2id hash of its password, when it was disabled, failed attempts and a lockout);
- `server_session`: the sessions signed in (the hash of the cookie's token, never the
  token), so signing out everywhere is one DELETE;
- `server_token`: one-time links (a password reset, an invitation), by their hash;
- `journal_change.account_id`: each account's history and undo hold its own changes.

The two server tables are the installation's own state (`LOCAL_TABLES`): no data
revision, no journal (a password hash must never reach the history), no export.

On PostgreSQL every table but `schema_version` and `data_revision` gets row-level
security (`install_policies`, run again after every later migration; a new table of no
known kind shows the application nothing until it is named here): a row is seen, written or deleted only when
its account is the one set for the connection (`afterview.account`, which
`Database.use_account` sets; unset, nothing at all). Tables without an `account_id` are
reached through their parent (a topic through its interview). The tables' owner, which
runs the migrations, is not held by them (PostgreSQL exempts a table's owner); the
application's role of `afterview server init` is, and has no right to change them.

Sign-in must find an account before one is set: `SECURITY DEFINER` functions answer only
"which account has this email", "this session", "this one-time link" or "this calendar
feed's token", with its id.
"""

from __future__ import annotations

from afterview.store import cohort_schema
from afterview.store.db import Database

#: The migration that adds the server's tables; policies are (re)made after it and every later one.
VERSION = 23
ROLES = ("seeker", "coach", "admin", "analyst")
LOGIN_TABLE = "server_login"
SESSION_TABLE = "server_session"
TOKEN_TABLE = "server_token"
SERVER_TABLES = (LOGIN_TABLE, SESSION_TABLE, TOKEN_TABLE)
#: What a one-time link does: set a forgotten password again, or a first one (an invitation)
TOKEN_PURPOSES = ("reset", "invite")

#: Tables that hold no account's rows: the schema's version, and a counter every write
#: raises (the read cache's key). Every other table is kept to its account.
GLOBAL_TABLES = frozenset({"schema_version", "data_revision"})
#: Tables without an `account_id`, reached through the parent row that has one.
CHILD_TABLES = {
    "interview_person": ("interview_id", "interview"),
    "topic": ("interview_id", "interview"),
    "assessment_score": ("assessment_id", "assessment"),
    "lead_detail": ("application_id", "application"),
    "journal_row": ("change_id", "journal_change"),
}
#: The functions the application's role may call (granted by `server init`).
FUNCTIONS = (
    "afterview_account()",
    "afterview_login_account(text)",
    "afterview_session_account(text)",
    "afterview_token_account(text)",
    "afterview_feed_account(text)",
)
#: Every function of migrations 23 and later that the application's role may call
GRANTED_FUNCTIONS = (*FUNCTIONS, *cohort_schema.FUNCTIONS, "afterview_worker_accounts()")
# (the last: `store/worker_accounts.py`, migration 25)
POLICY = "account_rows"


def schema(dialect: str) -> list[str]:
    """The statements of migration 23 (the policies come from `install_policies`)."""
    ref = "BIGINT" if dialect == "postgresql" else "INTEGER"
    checked = ", ".join(f"'{r}'" for r in ROLES)
    purposes = ", ".join(f"'{p}'" for p in TOKEN_PURPOSES)
    out = [
        f"CREATE TABLE {LOGIN_TABLE} (account_id {ref} PRIMARY KEY REFERENCES account(id), "
        "email TEXT NOT NULL UNIQUE, "
        f"role TEXT NOT NULL CHECK (role IN ({checked})), password_hash TEXT, "
        "created_at TEXT NOT NULL, password_at TEXT, disabled_at TEXT, "
        "failed_logins INTEGER NOT NULL DEFAULT 0, locked_until TEXT)",
        f"CREATE TABLE {SESSION_TABLE} (token_hash TEXT PRIMARY KEY, "
        f"account_id {ref} NOT NULL REFERENCES account(id), created_at TEXT NOT NULL, "
        "expires_at TEXT NOT NULL, seen_at TEXT NOT NULL)",
        f"CREATE INDEX {SESSION_TABLE}_account ON {SESSION_TABLE} (account_id)",
        f"CREATE TABLE {TOKEN_TABLE} (token_hash TEXT PRIMARY KEY, "
        f"account_id {ref} NOT NULL REFERENCES account(id), "
        f"purpose TEXT NOT NULL CHECK (purpose IN ({purposes})), created_at TEXT NOT NULL, "
        "expires_at TEXT NOT NULL, used_at TEXT)",
        f"CREATE INDEX {TOKEN_TABLE}_account ON {TOKEN_TABLE} (account_id)",
        f"ALTER TABLE journal_change ADD COLUMN account_id {ref} NOT NULL DEFAULT 1",
        "CREATE INDEX journal_change_account ON journal_change (account_id, id)",
        "CREATE INDEX journal_change_account_at ON journal_change (account_id, at)",
    ]
    if dialect == "postgresql":
        out += _PG_FUNCTIONS
    return out


_PG_FUNCTIONS = [
    # The account set for the connection, or NULL (no row matches NULL).
    "CREATE FUNCTION afterview_account() RETURNS bigint LANGUAGE sql STABLE AS "
    "$$ SELECT NULLIF(current_setting('afterview.account', true), '')::bigint $$",
    f"CREATE FUNCTION afterview_login_account(wanted text) RETURNS bigint LANGUAGE sql STABLE "
    "SECURITY DEFINER SET search_path FROM CURRENT AS "
    f"$$ SELECT account_id FROM {LOGIN_TABLE} WHERE email = wanted $$",
    f"CREATE FUNCTION afterview_session_account(wanted text) RETURNS bigint LANGUAGE sql "
    "STABLE SECURITY DEFINER SET search_path FROM CURRENT AS "
    f"$$ SELECT account_id FROM {SESSION_TABLE} WHERE token_hash = wanted $$",
    f"CREATE FUNCTION afterview_token_account(wanted text) RETURNS bigint LANGUAGE sql "
    "STABLE SECURITY DEFINER SET search_path FROM CURRENT AS "
    f"$$ SELECT account_id FROM {TOKEN_TABLE} WHERE token_hash = wanted $$",
    "CREATE FUNCTION afterview_feed_account(wanted text) RETURNS bigint LANGUAGE sql "
    "STABLE SECURITY DEFINER SET search_path FROM CURRENT AS "
    "$$ SELECT account_id FROM feed_token WHERE token_hash = wanted $$",
    *(f"REVOKE ALL ON FUNCTION {f} FROM PUBLIC" for f in FUNCTIONS),
]


#: The condition of a table of no known kind: no row at all for the application's role
#: (a test insists that every table of the schema has a kind).
NO_ROWS = "false"


def policy_of(table: str, columns: list[str]) -> str | None:
    """The condition that keeps `table`'s rows to the account set; None for a table that
    holds no account's rows; `NO_ROWS` for a table of none of the known kinds (it needs an
    `account_id`, a parent in `CHILD_TABLES` or a place in `GLOBAL_TABLES`). Tables a
    coach shares with seekers have their own (`cohort_schema.POLICIES`)."""
    if table in GLOBAL_TABLES:
        return None
    if table in cohort_schema.POLICIES:
        return cohort_schema.POLICIES[table][0]
    if table == "account":
        return "id = afterview_account()"
    if "account_id" in columns:
        return "account_id = afterview_account()"
    if table in CHILD_TABLES:
        column, parent = CHILD_TABLES[table]
        return f"{column} IN (SELECT id FROM {parent})"  # the parent's own policy applies
    return NO_ROWS


def install_policies(db: Database) -> None:
    """(Re)make the row-level security of every table, and pin the search path of the
    functions that run as the tables' owner to this schema, temporary objects last (so
    no one's temporary table can stand in for one of ours). PostgreSQL; nothing on SQLite."""
    from afterview.store import journal

    if db.dialect != "postgresql":
        return
    for function in GRANTED_FUNCTIONS:
        found = db.one("SELECT to_regprocedure(?) IS NOT NULL", (function,))
        if found and found[0]:
            db.execute(
                f"DO $$ BEGIN EXECUTE format('ALTER FUNCTION {function} SET search_path = "
                "%I, pg_temp', current_schema()); END $$"
            )
    for table in journal.tables(db):
        condition = policy_of(table, journal.columns(db, table))
        if condition is None:
            continue
        db.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
        write = cohort_schema.POLICIES.get(table, (condition, condition))[1]
        if table == "account" and "cohort" not in journal.tables(db):
            write = condition = "id = afterview_account()"  # before migration 24
        db.execute(f'DROP POLICY IF EXISTS {POLICY} ON "{table}"')
        db.execute(f'CREATE POLICY {POLICY} ON "{table}" USING ({condition}) WITH CHECK ({write})')
