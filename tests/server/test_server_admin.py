"""`afterview server init|upgrade|user ...` against a real PostgreSQL: a new database is
migrated by its owner, the application's role is made and held by row-level security,
accounts are added, listed, disabled and erased."""

from __future__ import annotations

import json
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from afterview.store import server_roles
from afterview.store.db import connect
from tests.cli.helpers import Afterview, Run
from tests.conftest import PostgresServer

pytestmark = pytest.mark.postgres

NOW = "2026-10-05T10:00:00+00:00"


class Setup(NamedTuple):
    """A fresh database (no schema), its owner's URL, an application role's URL."""

    admin_url: str
    app_url: str
    role: str
    settings: Path


@pytest.fixture
def setup(
    postgres_server: PostgresServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Setup]:
    name = f"s_{secrets.token_hex(5)}"
    role = f"app_{secrets.token_hex(4)}"
    postgres_server.admin.execute(f"CREATE DATABASE {name}")
    base = postgres_server.url().rsplit("/", 1)[0]
    admin_url = f"{base}/{name}"
    app_url = admin_url.replace("postgresql://postgres@", f"postgresql://{role}:pw%40x'y@")
    settings = tmp_path / "etc" / "server.toml"
    monkeypatch.setenv("AFTERVIEW_SERVER_CONFIG", str(settings))
    monkeypatch.setenv("AFTERVIEW_CONFIG", str(tmp_path / "none.toml"))
    try:
        yield Setup(admin_url, app_url, role, settings)
    finally:
        postgres_server.admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        postgres_server.admin.execute(f'DROP ROLE IF EXISTS "{role}"')


def _av(tmp_path: Path) -> Afterview:
    return Afterview(str(tmp_path / "unused.db"))


def _init(av: Afterview, s: Setup) -> Run:
    return av(
        "server", "init", "--admin-db", s.admin_url, "--app-db", s.app_url,
        "--url", "https://afterview.example.org/", "--json",
    )  # fmt: skip


def test_init_sets_up_a_new_database_and_can_run_again(setup: Setup, tmp_path: Path) -> None:
    av = _av(tmp_path)
    first = _init(av, setup)
    assert first.code == 0, first.err
    report = first.json()
    assert report["schema"]["from"] == 0 and report["schema"]["to"] >= 23
    assert report["app_role_created"] is True and report["secret_created"] is True
    assert stat.S_IMODE(os.stat(setup.settings).st_mode) == 0o600
    secret = Path(report["secret_file"])
    assert stat.S_IMODE(os.stat(secret).st_mode) == 0o600
    key = secret.read_bytes()
    text = setup.settings.read_text()
    assert 'url = "https://afterview.example.org"' in text and setup.app_url in text
    again = _init(av, setup).json()
    assert again["app_role_created"] is False and again["secret_created"] is False
    assert secret.read_bytes() == key, "running init again replaced the server secret"
    admin = connect(setup.admin_url)
    try:
        facts = server_roles.facts(admin, setup.role)
        assert facts == server_roles.RoleFacts(True, False, False, 0)
    finally:
        admin.close()
    assert av("server", "upgrade", "--json").json()["schema"]["from"] >= 23


def test_init_refuses_an_application_role_that_would_bypass_the_policies(
    setup: Setup, tmp_path: Path
) -> None:
    av = _av(tmp_path)
    r = av("server", "init", "--admin-db", setup.admin_url, "--app-db", setup.admin_url,
           "--url", "https://a.example.org")  # fmt: skip
    assert r.code == 1 and "superuser" in r.err and "Traceback" not in r.err
    assert not setup.settings.exists()
    for bad, field in (
        ("sqlite:///x.db", "--app-db"),
        (setup.app_url.replace(setup.role, "Bad-Role"), "app-role"),
    ):
        r = av("server", "init", "--admin-db", setup.admin_url, "--app-db", bad,
               "--url", "https://a.example.org")  # fmt: skip
        assert r.code == 2 and r.err.startswith(f"afterview: {field}:"), r.err
    r = av("server", "init", "--admin-db", setup.admin_url, "--app-db", setup.app_url,
           "--url", "http://afterview.example.org")  # fmt: skip
    assert r.code == 2 and r.err.startswith("afterview: --url:") and "https://" in r.err


def test_users_are_added_listed_disabled_and_erased(setup: Setup, tmp_path: Path) -> None:
    av = _av(tmp_path)
    assert _init(av, setup).code == 0
    coach = av.ok("server", "user", "add", "Coach@Example.org", "--role", "coach",
                  "--password-stdin", input="correct horse battery\n", now=NOW)  # fmt: skip
    account = int(coach.out)
    seeker = av.ok("server", "user", "add", "seeker@example.org", now=NOW)
    assert "no password yet" in seeker.err
    dup = av("server", "user", "add", "COACH@example.org", now=NOW)
    assert dup.code == 1 and "already" in dup.err
    short = av("server", "user", "add", "x@example.org", "--password-stdin", input="short\n")
    assert short.code == 2 and short.err.startswith("afterview: password:")
    role = av("server", "user", "add", "y@example.org", "--role", "root")
    assert role.code == 2 and "role:" in role.err
    users = {u["email"]: u for u in av.ok("server", "user", "list", "--json").json()["users"]}
    assert set(users) == {"coach@example.org", "seeker@example.org"}
    assert users["coach@example.org"]["account"] == account
    assert users["coach@example.org"]["has_password"] is True
    assert users["seeker@example.org"]["has_password"] is False
    admin = connect(setup.admin_url)
    try:
        stored = admin.one(
            "SELECT password_hash FROM server_login WHERE account_id = ?", (account,)
        )
        assert stored is not None and str(stored[0]).startswith("$argon2id$")
        assert "correct horse" not in json.dumps(admin.query("SELECT * FROM server_login"))
    finally:
        admin.close()
    av.ok("server", "user", "disable", "seeker@example.org", now=NOW)
    listed = av.ok("server", "user", "list").out
    assert "disabled" in listed and "seeker@example.org" in listed
    av.ok("server", "user", "enable", "seeker@example.org")
    refused = av("server", "user", "delete", "seeker@example.org")
    assert refused.code == 2 and "--yes" in refused.err and "server user export" in refused.err
    kept = tmp_path / "seeker.json"
    av.ok("server", "user", "export", "seeker@example.org", "--out", str(kept), now=NOW)
    assert json.loads(kept.read_text())["format"] and oct(kept.stat().st_mode)[-3:] == "600"
    gone = av.ok("server", "user", "delete", "seeker@example.org", "--yes", "--json").json()
    assert gone["erased"] is True and gone["rows"] >= 2
    left = av.ok("server", "user", "list", "--json").json()["users"]
    assert [u["email"] for u in left] == ["coach@example.org"]
    missing = av("server", "user", "disable", "nobody@example.org")
    assert missing.code == 1 and "no account" in missing.err


def test_commands_without_settings_say_how_to_start(setup: Setup, tmp_path: Path) -> None:
    r = _av(tmp_path)("server", "user", "list")
    assert r.code != 0 and "server init" in r.err and "Traceback" not in r.err
