"""Fixtures shared by every test: an isolated environment and real databases.

- `env_isolated` (autouse) points HOME, the XDG folders, `AFTERVIEW_CONFIG` and
  `AFTERVIEW_DB` into the test's `tmp_path` and removes `AFTERVIEW_NOW`, so no test
  reads or writes the real user's files or clock override. A test may still set any
  of these itself with `monkeypatch`.
- `db_url` runs a test twice: on a fresh SQLite file and on a fresh schema of a
  private PostgreSQL server (house rule 5: real parts in tests). It also sets
  `AFTERVIEW_DB` to that database.
- `postgres_server` (session) starts that server the first time a test asks for it,
  so `pytest tests/core` never starts one. If it cannot start, the PostgreSQL tests
  are skipped with the reason, except under CI (`CI=true`), where they fail loudly.
- Under CI every skip fails (`pytest_runtest_makereport`): nothing is left out unnoticed.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from afterview.store.db import Database, connect
from afterview.store.migrations import migrate

ON_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Under CI no test is skipped: a skip (a missing program, server or tool) fails, with
    its reason, so a run that passes has run everything."""
    outcome = yield
    report = outcome.get_result()
    if ON_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, where every test must run: {reason}"


# -- an isolated environment -------------------------------------------------------------------
@dataclass(frozen=True)
class IsolatedEnv:
    """The folders and files a test's environment points at (all inside `tmp_path`)."""

    home: Path
    config_home: Path
    data_home: Path
    cache_home: Path
    state_home: Path
    config_file: Path
    db_file: Path


@pytest.fixture(autouse=True)
def env_isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> IsolatedEnv:
    """Keep every test away from the real user's files, settings and clock override."""
    home = tmp_path / "home"
    home.mkdir()
    xdg = tmp_path / "xdg"
    env = IsolatedEnv(
        home=home,
        config_home=xdg / "config",
        data_home=xdg / "data",
        cache_home=xdg / "cache",
        state_home=xdg / "state",
        config_file=xdg / "config" / "afterview" / "config.toml",
        db_file=tmp_path / "afterview.db",
    )
    monkeypatch.setenv("HOME", str(env.home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(env.config_home))
    monkeypatch.setenv("XDG_DATA_HOME", str(env.data_home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(env.cache_home))
    monkeypatch.setenv("XDG_STATE_HOME", str(env.state_home))
    monkeypatch.setenv("AFTERVIEW_CONFIG", str(env.config_file))
    monkeypatch.setenv("AFTERVIEW_DB", str(env.db_file))
    monkeypatch.delenv("AFTERVIEW_NOW", raising=False)
    # never the real keyring or the real mail passwords
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.delenv("AFTERVIEW_SMTP_PASSWORD", raising=False)
    monkeypatch.delenv("AFTERVIEW_IMAP_PASSWORD", raising=False)
    from afterview.redact import forget_all

    forget_all()  # secrets another test's command remembered
    return env


# -- a private PostgreSQL server ----------------------------------------------------------------
def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path))


def find_postgres_tools() -> tuple[str, str] | None:
    """Return `(initdb, pg_ctl)`: Debian's newest server binaries, else those on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    for initdb in reversed(found):
        pg_ctl = os.path.join(os.path.dirname(initdb), "pg_ctl")
        if os.access(initdb, os.X_OK) and os.access(pg_ctl, os.X_OK):
            return initdb, pg_ctl
    initdb_path, pg_ctl_path = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb_path and pg_ctl_path:
        return initdb_path, pg_ctl_path
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresUnavailable(Exception):
    """The private server could not be started; the message says why."""


class PostgresServer:
    """A throwaway PostgreSQL cluster on 127.0.0.1, trust auth, user `postgres`.

    `initdb` refuses to run as root, so as root every server command runs as the
    `postgres` user (see shared/testing/RECIPES.md).
    """

    def __init__(self) -> None:
        tools = find_postgres_tools()
        if tools is None:
            raise PostgresUnavailable(
                "no initdb/pg_ctl under /usr/lib/postgresql/*/bin or on PATH "
                "(install Debian's `postgresql`; scripts/test does)"
            )
        self.initdb, self.pg_ctl = tools
        self.prefix: list[str] = []
        owner: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable(
                    "running as root but there is no `postgres` user to run initdb"
                ) from None
            runuser = shutil.which("runuser")
            if runuser is None:
                raise PostgresUnavailable("running as root but `runuser` is missing")
            self.prefix = [runuser, "-u", "postgres", "--"]
        # /tmp is reachable by the postgres user; a root-only TMPDIR might not be.
        self.base = tempfile.mkdtemp(prefix="afterview-pg-", dir="/tmp" if owner else None)
        if owner is not None:
            os.chown(self.base, owner.pw_uid, owner.pw_gid)
        self.data = os.path.join(self.base, "data")
        self.log = os.path.join(self.base, "server.log")
        self.port = 0
        self.started = False
        self.admin: Any = None

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.prefix, *args],
            cwd=self.base,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )

    def _log_tail(self) -> str:
        with contextlib.suppress(OSError), open(self.log, encoding="utf-8", errors="replace") as fh:
            return "".join(fh.readlines()[-15:])
        return ""

    def start(self) -> None:
        """Create the cluster and start the server on a free port."""
        res = self._run(
            self.initdb, "-D", self.data, "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--no-locale", "--no-sync",
        )  # fmt: skip
        if res.returncode != 0:
            raise PostgresUnavailable(f"initdb failed ({res.returncode}):\n{res.stderr[-2000:]}")
        last = ""
        for _attempt in range(3):
            self.port = _free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.base} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            res = self._run(
                self.pg_ctl, "-D", self.data, "-o", options, "-l", self.log, "-w", "-t", "60",
                "start",
            )  # fmt: skip
            if res.returncode == 0:
                self.started = True
                break
            last = (
                f"pg_ctl start failed ({res.returncode}):\n{res.stderr[-1000:]}\n{self._log_tail()}"
            )
        if not self.started:
            raise PostgresUnavailable(last)
        import psycopg

        try:
            self.admin = psycopg.connect(self.url(), autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise PostgresUnavailable(f"server started but refuses connections: {exc}") from None

    def stop(self) -> None:
        """Stop the server and remove its files."""
        if self.admin is not None:
            with contextlib.suppress(Exception):
                self.admin.close()
        if self.started:
            self._run(self.pg_ctl, "-D", self.data, "-m", "immediate", "-w", "stop")
            self.started = False
        shutil.rmtree(self.base, ignore_errors=True)

    def url(self, schema: str | None = None) -> str:
        """The URL of the `postgres` database, optionally with `schema` as the search path."""
        url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        return f"{url}?options=-csearch_path%3D{schema}" if schema else url

    def create_database(self) -> str:
        """A new database with a random name, copied from a template migrated to the latest
        schema once per server (a copy takes a few ms; migrating, about 0.4 s); its URL."""
        if not getattr(self, "_template", False):
            self.admin.execute("CREATE DATABASE afterview_template")
            template = connect(self.url().rsplit("/", 1)[0] + "/afterview_template")
            try:
                migrate(template)
            finally:
                template.close()
            self._template = True
        name = f"t_{secrets.token_hex(6)}"
        self.admin.execute(f"CREATE DATABASE {name} TEMPLATE afterview_template")
        return self.url().rsplit("/", 1)[0] + f"/{name}"

    def drop_database(self, url: str) -> None:
        """Drop a database of `create_database`, ending the connections a test left open."""
        name = url.rsplit("/", 1)[1]
        self.admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def create_schema(self) -> str:
        """Create an empty schema with a random name and return the name."""
        name = f"t_{secrets.token_hex(6)}"
        self.admin.execute(f"CREATE SCHEMA {name}")
        return name

    def drop_schema(self, name: str) -> None:
        """Drop a test's schema, first ending connections the test left open (they hold locks)."""
        self.admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        self.admin.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A private PostgreSQL server for the whole run, started on first use."""
    server: PostgresServer | None = None
    try:
        server = PostgresServer()
        server.start()
    except (PostgresUnavailable, OSError, subprocess.SubprocessError) as exc:
        if server is not None:
            server.stop()
        reason = f"PostgreSQL could not be started: {exc}"
        if ON_CI:
            pytest.fail(f"{reason}\n(CI=true: the PostgreSQL tests must run)", pytrace=False)
        pytest.skip(reason)
    try:
        yield server
    finally:
        server.stop()


# -- one fresh database per test ----------------------------------------------------------------
@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file migrated to the latest schema, once per process, for `db_url` to copy."""
    path = tmp_path_factory.mktemp("template") / "afterview.db"
    template = connect(str(path))
    try:
        migrate(template)
    finally:
        template.close()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(
    request: pytest.FixtureRequest,
    env_isolated: IsolatedEnv,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[str]:
    """A fresh database holding no data on each engine; also set as `AFTERVIEW_DB`. It is a
    copy of one migrated to the latest schema (what every command's first run does, paid
    once per process instead of once per test), or has no schema at all for a test marked
    `empty_database` (the migrations' own tests)."""
    empty = request.node.get_closest_marker("empty_database") is not None
    if request.param == "sqlite":
        url = str(tmp_path / "afterview.db")
        if not empty:
            shutil.copyfile(request.getfixturevalue("sqlite_template"), url)
        monkeypatch.setenv("AFTERVIEW_DB", url)
        yield url
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    if not empty:
        url = server.create_database()
        monkeypatch.setenv("AFTERVIEW_DB", url)
        try:
            yield url
        finally:
            server.drop_database(url)
        return
    schema = server.create_schema()
    url = server.url(schema)
    monkeypatch.setenv("AFTERVIEW_DB", url)
    try:
        yield url
    finally:
        server.drop_schema(schema)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """An open connection to the fresh, empty database of `db_url` (closed afterwards)."""
    conn = connect(db_url)
    try:
        yield conn
    finally:
        conn.close()


# -- real mail servers (tests/mailservers.py) -----------------------------------------------------
# `dovecot` (session) starts a private Dovecot the first time a test asks for it; if it cannot
# start, the tests that need it are skipped with the reason, except under CI, where they fail
# loudly with Dovecot's log. `mailbox` empties me@local.test's mailbox before its test.
# `smtpd` is an aiosmtpd server per test; `smtp_process` the same in a child process.
# tests.mailservers (aiosmtpd, imapclient, asyncio) is imported only by the tests that use them.
if TYPE_CHECKING:
    from tests.mailservers import DovecotServer, SmtpProcess, SmtpServer


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    """A private Dovecot (IMAP, plaintext auth) for the whole run, started on first use."""
    from tests.mailservers import DovecotServer, DovecotUnavailable

    server = DovecotServer()
    try:
        server.start()
    except (DovecotUnavailable, OSError, subprocess.SubprocessError) as exc:
        server.stop()  # start() already killed what it started; this is a no-op then
        reason = f"Dovecot could not be started: {exc}"
        if ON_CI:
            pytest.fail(f"{reason}\n(CI=true: the IMAP tests must run)", pytrace=False)
        pytest.skip(reason)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mailbox(dovecot: DovecotServer) -> DovecotServer:
    """The session's Dovecot, with me@local.test's mailbox emptied (only an empty INBOX)."""
    from tests.mailservers import ME

    dovecot.reset(ME)
    return dovecot


@pytest.fixture
def smtpd() -> Iterator[SmtpServer]:
    """A fresh aiosmtpd server on 127.0.0.1 that records messages and injects faults."""
    from tests.mailservers import SmtpServer

    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def slow_smtp(tmp_path: Path) -> Iterator[SmtpProcess]:
    """aiosmtpd in its own process, answering each message 10 ms late (a window for the
    crash tests to kill a sender in); killed at teardown."""
    from tests.mailservers import SmtpProcess

    proc = SmtpProcess(tmp_path / "delivered.txt", delay=0.01)
    proc.start()
    try:
        yield proc
    finally:
        proc.kill()


@pytest.fixture
def smtp_process(tmp_path: Path) -> Iterator[SmtpProcess]:
    """aiosmtpd in a child process logging delivered Message-IDs to `tmp_path/delivered.txt`."""
    from tests.mailservers import SmtpProcess

    proc = SmtpProcess(tmp_path / "delivered.txt")
    proc.start()
    try:
        yield proc
    finally:
        proc.kill()
