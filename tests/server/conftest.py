"""Fixtures of server mode: a real PostgreSQL database set up as `server init` does (the
application's role held by row-level security), accounts with the demo's data, and the
web app in-process with a session per client."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import pytest
from fastapi.testclient import TestClient

from afterview.config import Config
from afterview.server import passwords, secret
from afterview.server.settings import ServerSettings
from afterview.services.context import Context
from afterview.services.demo import fill_demo
from afterview.store import server_accounts, server_roles
from afterview.store.db import Database, connect
from afterview.web.app import create_app
from afterview.web.runtime import WebSettings
from afterview.web.security import CSRF_COOKIE, CSRF_HEADER
from tests.conftest import IsolatedEnv, PostgresServer

NOW = datetime(2026, 9, 15, 15, 30, tzinfo=UTC)
PASSWORD = "a long enough password"


class Clock:
    """A clock the test moves."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


class ServerDb(NamedTuple):
    """A server's database: the owner's connection and the application role's URL."""

    owner: Database
    owner_url: str
    app_url: str
    role: str


@pytest.fixture
def server_db(postgres_server: PostgresServer) -> Iterator[ServerDb]:
    """A migrated database and an application role made by `server_roles.prepare`."""
    url = postgres_server.create_database()
    role = f"app_{secrets.token_hex(4)}"
    owner = connect(url)
    try:
        with owner.transaction():
            server_roles.prepare(owner, role, None)
        yield ServerDb(
            owner, url, url.replace("postgresql://postgres@", f"postgresql://{role}@"), role
        )
    finally:
        owner.close()
        postgres_server.drop_database(url)
        postgres_server.admin.execute(f'DROP ROLE IF EXISTS "{role}"')


def context(db: Database, account: int, now: datetime = NOW) -> Context:
    """A use case's context of `account` (Europe/Paris)."""
    return Context(db, Config(path="none", timezone="Europe/Paris"), now, True, account=account)


def add_account(
    db: Database, email: str, role: str = "seeker", *, demo: bool = False, password: str = PASSWORD
) -> int:
    """An account that signs in with `email` and `password` (and the demo's data)."""
    with db.unrecorded(), db.transaction():
        account = server_accounts.create_account(
            db, email.split("@")[0], email, role, passwords.hash_password(password), NOW
        )
    if demo:
        fill_demo(context(db, account))
    return account


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def server_settings(server_db: ServerDb, tmp_path: Path) -> ServerSettings:
    """What the app knows of server.toml: its url and secret (and mail, where a test
    says)."""
    settings = ServerSettings(
        str(tmp_path / "server.toml"), server_db.app_url, server_db.owner_url,
        "https://afterview.example.org", str(tmp_path / "server-secret"),
    )  # fmt: skip
    secret.create(settings.secret_file)
    return settings


@pytest.fixture
def server_app(
    server_db: ServerDb, env_isolated: IsolatedEnv, clock: Clock, server_settings: object
) -> Iterator[Callable[[], TestClient]]:
    """Clients of one app in server mode (as `server run` makes it), on the application's
    role; each client is a browser of its own (its own cookies)."""
    env_isolated.config_file.parent.mkdir(parents=True, exist_ok=True)
    env_isolated.config_file.write_text('timezone = "Europe/Paris"\n', encoding="utf-8")
    settings = WebSettings(
        db_target=server_db.app_url,
        clock=clock,
        allowed_hosts=("testserver",),
        server=True,
        server_settings=server_settings,
    )
    app = create_app(settings)
    clients: list[TestClient] = []

    def new_client() -> TestClient:
        c = TestClient(app, base_url="http://testserver", follow_redirects=False)
        c.__enter__()
        clients.append(c)
        c.get("/signin")  # the CSRF cookie
        return c

    try:
        yield new_client
    finally:
        for c in clients:
            c.__exit__(None, None, None)


def csrf(client: TestClient) -> dict[str, str]:
    """The header that carries the client's CSRF token."""
    return {CSRF_HEADER: client.cookies.get(CSRF_COOKIE) or ""}


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> None:
    """Sign the client in (the form, as a browser posts it)."""
    r = client.post(
        "/signin",
        data={"email": email, "password": password, "next": "/"},
        headers=csrf(client),
    )
    assert r.status_code == 303, r.text
