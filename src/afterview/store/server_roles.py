"""The application's role on a server's PostgreSQL: what it may do, and what it may not.

The migrations run as the tables' owner (the admin URL of `afterview server init`), which
row-level security does not hold. The web app and the workers connect as another role,
which it does: that role must not be a superuser, must not have BYPASSRLS, must own no
table, and gets exactly the rights to read and write rows (never to change a table, a
policy or the schema's version). `grant` runs again after every upgrade, so the tables a
later migration adds are granted too.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from afterview.errors import BadInput, Refused
from afterview.store import cohort_schema, journal, worker_accounts
from afterview.store.db import Database
from afterview.store.server_schema import GRANTED_FUNCTIONS

#: A role name afterview writes into SQL: a plain identifier (quoted anyway)
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RoleFacts(NamedTuple):
    """What PostgreSQL says of a role."""

    exists: bool
    superuser: bool
    bypass_rls: bool
    owned_tables: int


def check_name(role: str) -> str:
    """The role name, checked: lower-case letters, digits and `_`, up to 63 characters."""
    if not ROLE_NAME.match(role):
        raise BadInput(
            "app-role",
            "a PostgreSQL role name of lower-case letters, digits and _ (up to 63), "
            "starting with a letter or _",
        )
    return role


def facts(db: Database, role: str) -> RoleFacts:
    """What the server says of `role` (a role that does not exist: all False)."""
    row = db.one("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = ?", (role,))
    if row is None:
        return RoleFacts(False, False, False, 0)
    owned = db.one(
        "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tableowner = ?",
        (role,),
    )
    return RoleFacts(True, bool(row[0]), bool(row[1]), int(owned[0]) if owned else 0)


def current_role(db: Database) -> str:
    """The role the connection signed in as."""
    row = db.one("SELECT current_user")
    assert row is not None
    return str(row[0])


def why_unfit(found: RoleFacts, role: str) -> str | None:
    """Why `role` cannot be the application's role (it would not be held by row-level
    security), or None when it can."""
    if found.superuser:
        return f"the role {role} is a superuser, which row-level security does not hold"
    if found.bypass_rls:
        return f"the role {role} has BYPASSRLS; ALTER ROLE {role} NOBYPASSRLS"
    if found.owned_tables:
        return (
            f"the role {role} owns afterview's tables ({found.owned_tables}), and an owner is "
            "not held by row-level security: give the admin URL another role"
        )
    return None


def prepare(db: Database, role: str, password: str | None) -> bool:
    """Make `role` the application's role: create it (LOGIN, with `password`) when it
    does not exist, refuse one that would bypass row-level security, grant its rights.
    Returns True when the role was created. Inside a transaction, as the tables' owner."""
    check_name(role)
    found = facts(db, role)
    created = False
    if not found.exists:
        pw = "" if password is None else " PASSWORD " + _literal(password)
        db.execute(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE{pw}')
        created = True
    else:
        why = why_unfit(found, role)
        if why is not None:
            raise Refused(f"app-role: {why}")
    grant(db, role)
    return created


def grant(db: Database, role: str) -> None:
    """Grant `role` the rights to read and write the rows of every table (now: run again
    after an upgrade), to use the id sequences and the sign-in functions; nothing else."""
    check_name(role)
    schema_row = db.one("SELECT current_schema()")
    assert schema_row is not None
    schema = str(schema_row[0])
    db.execute(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"')
    db.execute(f'REVOKE CREATE ON SCHEMA "{schema}" FROM "{role}"')
    db.execute(
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"'
    )
    db.execute(f'REVOKE INSERT, UPDATE, DELETE ON schema_version FROM "{role}"')
    db.execute(f'REVOKE CREATE ON SCHEMA "{schema}" FROM PUBLIC')  # PostgreSQL 14 and older
    # how an account signs in: the application counts attempts and sets passwords; it
    # never makes a login, nor changes an email, a role or a disabled account
    db.execute(f'REVOKE INSERT, UPDATE ON server_login FROM "{role}"')
    db.execute(
        "GRANT UPDATE (failed_logins, locked_until, password_hash, password_at) "
        f'ON server_login TO "{role}"'
    )
    db.execute(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{role}"')
    present = journal.tables(db)
    for function in GRANTED_FUNCTIONS:
        if function in cohort_schema.FUNCTIONS and "cohort" not in present:
            continue  # a database before migration 24
        if function == worker_accounts.FUNCTION and "account_secret" not in present:
            continue  # before migration 25
        db.execute(f'GRANT EXECUTE ON FUNCTION {function} TO "{role}"')


def _literal(text: str) -> str:
    """`text` as an SQL string literal (a password in CREATE ROLE takes no parameter)."""
    if "\x00" in text:
        raise BadInput("app-db", "a password holds no NUL character")
    return "'" + text.replace("'", "''") + "'"
