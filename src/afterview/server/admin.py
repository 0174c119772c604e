"""Use cases of the server's administrator: set the server up, upgrade it, manage users.

They connect as the tables' owner (`admin_database` of `server.toml`), which row-level
security does not hold: an administrator sees every account, as these commands must.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from datetime import datetime
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from afterview.errors import BadInput, NotFound, Refused, StoreError
from afterview.outfile import replace_text
from afterview.parsing import check_email
from afterview.server import passwords, secret
from afterview.server.settings import (
    ServerSettings,
    check_database_url,
    check_public_url,
    render,
)
from afterview.store import server_accounts, server_roles
from afterview.store.db import Database, connect
from afterview.store.migrations import LATEST, current_version, migrate
from afterview.store.server_schema import ROLES
from afterview.textcheck import check_line, shown


class InitReport(NamedTuple):
    """What `server init` did."""

    settings: ServerSettings
    schema_from: int
    schema_to: int
    role: str
    role_created: bool
    secret_created: bool


class User(NamedTuple):
    """An account as the administrator lists it."""

    account: int
    email: str
    name: str
    role: str
    created_at: datetime
    disabled_at: datetime | None
    locked_until: datetime | None
    has_password: bool


@contextlib.contextmanager
def _connection(url: str) -> Iterator[Database]:
    db = connect(url)
    try:
        yield db
    finally:
        db.close()


def app_role_of(app_url: str) -> tuple[str, str | None]:
    """The role and password the application's URL signs in with."""
    try:
        parts = urlsplit(app_url)
        parts.port  # noqa: B018 - raises on a port that is no number
    except ValueError:
        raise BadInput(
            "app-db", "a postgresql://ROLE[:PASSWORD]@HOST[:PORT]/DATABASE URL"
        ) from None
    if not parts.username:
        raise BadInput(
            "app-db", "name the application's role in the URL: postgresql://ROLE[:PASSWORD]@…"
        )
    role = server_roles.check_name(unquote(parts.username))
    return role, unquote(parts.password) if parts.password is not None else None


def _upgrade(db: Database, role: str) -> tuple[int, int]:
    """Migrate as the owner (one process at a time) and grant the application's role."""
    before = current_version(db)
    after = migrate(db)
    with db.unrecorded(), db.transaction():
        server_roles.grant(db, role)
    return before, after


def init(
    admin_url: str, app_url: str, url: str, secret_file: str, settings_path: str
) -> InitReport:
    """Set a server up: migrate the database as its owner, make the application's role
    (created when missing, refused when it would bypass row-level security), create the
    server secret when there is none, check that the application's role connects and is
    held by the policies, and write `server.toml` (0600). Running it again is safe."""
    check_database_url(admin_url, "admin-db")
    check_database_url(app_url, "app-db")
    url = check_public_url(url)
    role, password = app_role_of(app_url)
    with _connection(admin_url) as db:
        before = current_version(db)
        after = migrate(db)
        with db.unrecorded(), db.transaction():
            created = server_roles.prepare(db, role, password)
    with _connection(app_url) as app:
        who = server_roles.current_role(app)
        if who != role:
            raise Refused(f"app-db: the URL signs in as {who}, not {role}")
        if current_version(app) != LATEST:
            raise Refused("app-db: the application's URL reaches another database or schema")
    made = secret.create(secret_file)
    settings = ServerSettings(settings_path, app_url, admin_url, url, os.path.abspath(secret_file))
    try:
        replace_text(settings_path, render(settings), 0o600)
    except OSError as exc:
        raise StoreError(f"server: cannot write {shown(settings_path)} ({exc.strerror})") from None
    return InitReport(settings, before, after, role, created, made)


def upgrade(settings: ServerSettings) -> tuple[int, int]:
    """Bring the database to this afterview's schema and grant the new tables; safe with
    several processes at once (the migrations take a lock and look again)."""
    role, _ = app_role_of(settings.database)
    with _connection(_admin_url(settings)) as db:
        return _upgrade(db, role)


def check_app_database(settings: ServerSettings) -> None:
    """Refuse to serve when the application's role cannot connect, is not held by row-level
    security, or finds the database at another schema than this afterview writes."""
    role, _ = app_role_of(settings.database)
    with _connection(settings.database) as app:
        _check_schema(app)
        why = server_roles.why_unfit(server_roles.facts(app, role), role)
        if why is not None:
            raise Refused(f"server.database: {why}")


def _admin_url(settings: ServerSettings) -> str:
    if settings.admin_database is None:
        raise StoreError(
            f"server: {shown(settings.path)} has no admin_database; it is needed to change "
            "the schema and the accounts (the tables' owner)"
        )
    return settings.admin_database


def _email(text: str) -> str:
    return check_email(text.strip(), "email").lower()


def _role(text: str) -> str:
    if text not in ROLES:
        raise BadInput("role", f"one of {', '.join(ROLES)}, got {shown(text)}")
    return text


def add_user(
    settings: ServerSettings,
    email: str,
    name: str | None,
    role: str,
    password: str | None,
    now: datetime,
) -> int:
    """Create an account that signs in with `email` (and `password`, when given: else it
    cannot sign in until a password is set); return its id."""
    email, role = _email(email), _role(role)
    name = check_line(name if name is not None else email.split("@")[0], "name", limit=200)
    hashed = passwords.hash_password(password) if password is not None else None
    with _connection(_admin_url(settings)) as db:
        _check_schema(db)
        if server_accounts.account_of_email(db, email) is not None:
            raise Refused(f"email: an account signs in with {email} already")
        with db.unrecorded(), db.transaction():
            return server_accounts.create_account(db, name, email, role, hashed, now)


def _check_schema(db: Database) -> None:
    if current_version(db) != LATEST:
        raise Refused(
            f"server: the database is at schema {current_version(db)}, this afterview writes "
            f"{LATEST}; run `afterview server upgrade` first"
        )


def invite_user(
    settings: ServerSettings,
    email: str,
    name: str | None,
    role: str,
    now: datetime,
    mail: bool,
) -> tuple[int, str, bool]:
    """Make an account for `email` (unless it has one) and an invitation link to choose
    its password (7 days; an older one stops working); mail it when `mail`. Returns the
    account, the link, and whether the account is new."""
    from afterview.server import links

    address = _email(email)
    with _connection(_admin_url(settings)) as db:
        _check_schema(db)
        account = server_accounts.account_of_email(db, address)
        new = account is None
        if account is None:
            _role(role)
            who = check_line(name if name is not None else address.split("@")[0], "name", limit=200)
            with db.unrecorded(), db.transaction():
                account = server_accounts.create_account(db, who, address, role, None, now)
        link = links.make_link(db, settings, account, "invite", now)
    if mail:
        links.send_link(settings, address, "invite", link, now)
    return account, link, new


def rotate_secret(settings: ServerSettings) -> int:
    """Replace the server secret: a new key first in the file (the old one kept while
    every account's secrets are sealed again with the new one, twice, so what a running
    server sealed meanwhile is caught), then the old key dropped. Returns how many
    secrets were sealed again. A secret that no key opens is left as it is."""
    from afterview.store import account_secrets

    old = secret.keys(settings.secret_file)
    new = secret.new_key()
    secret.write_keys(settings.secret_file, [new, *old])
    both = secret.sealer(settings.secret_file)
    done = 0
    with _connection(_admin_url(settings)) as db:
        _check_schema(db)
        for _ in range(2):
            for account, name, sealed in account_secrets.every(db):
                resealed = secret.reseal(both, new, sealed)
                if resealed is None or resealed == sealed:
                    continue
                with db.unrecorded(), db.transaction():
                    if account_secrets.reseal(db, account, name, sealed, resealed):
                        done += 1
    secret.write_keys(settings.secret_file, [new])
    return done


def list_users(settings: ServerSettings) -> list[User]:
    """Every account of the server, by email."""
    with _connection(_admin_url(settings)) as db:
        _check_schema(db)
        return [
            User(
                x.account,
                x.email,
                x.name,
                x.role,
                x.created_at,
                x.disabled_at,
                x.locked_until,
                x.password_hash is not None,
            )
            for x in server_accounts.list_logins(db)
        ]


def _find(db: Database, email: str) -> int:
    account = server_accounts.account_of_email(db, _email(email))
    if account is None:
        raise NotFound(f"email: no account signs in with {shown(email.strip().lower())}")
    return account


def set_disabled(settings: ServerSettings, email: str, at: datetime | None) -> int:
    """Disable an account from `at` and sign it out everywhere (None: enable it again);
    return its id. Its data stays."""
    with _connection(_admin_url(settings)) as db:
        _check_schema(db)
        account = _find(db, email)
        with db.unrecorded(), db.transaction():
            server_accounts.set_disabled(db, account, at)
            if at is not None:
                server_accounts.end_sessions(db, account)
        return account


def set_password(settings: ServerSettings, email: str, password: str, now: datetime) -> int:
    """Replace an account's password, end its sessions; return its id."""
    hashed = passwords.hash_password(password)
    with _connection(_admin_url(settings)) as db:
        _check_schema(db)
        account = _find(db, email)
        with db.unrecorded(), db.transaction():
            server_accounts.set_password(db, account, hashed, now)
            server_accounts.end_sessions(db, account)
        return account


def export_user(settings: ServerSettings, email: str, now: datetime) -> tuple[int, str]:
    """An account's export (the project's JSON, as the account's own `export` writes it,
    secrets never in it): (its id, the text). What to keep before `delete_user`."""
    from afterview.config import Config
    from afterview.services.context import Context
    from afterview.services.porting import export_json

    with _connection(_admin_url(settings)) as db:
        _check_schema(db)
        account = _find(db, email)
        return account, export_json(Context(db, Config(path="none"), now, False, account=account))


def delete_user(settings: ServerSettings, email: str) -> tuple[int, int]:
    """Erase an account and every row of it (its history too): (its id, rows erased)."""
    with _connection(_admin_url(settings)) as db:
        _check_schema(db)
        account = _find(db, email)
        with db.unrecorded(), db.transaction():
            db.use_account(account)
            return account, server_accounts.erase_account(db, account)
