"""`afterview run` outlives its database: a real PostgreSQL server, restarted, stopped and
its connections ended by the test, while the worker (a real process) is idle and while it
is in the middle of sending. The worker says so in one line per outage, connects again
and goes on; approved messages go out in their windows, each exactly once, and what the
SMTP server accepted while the database was away is recorded `sent`.

The server is a private one (not the session's), since the test restarts it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.cli.helpers import Afterview
from tests.conftest import PostgresServer, PostgresUnavailable
from tests.mailservers import ME, SmtpProcess, SmtpServer

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.postgres


class Server(PostgresServer):
    """The private server, with the outages the tests need."""

    def ctl(self, *args: str) -> None:
        res = self._run(self.pg_ctl, "-D", self.data, "-l", self.log, "-w", *args)
        assert res.returncode == 0, res.stderr + self._log_tail()

    def restart(self) -> None:
        """`pg_ctl restart -m fast`: every connection ends, the server is back at once."""
        self.ctl("-m", "fast", "restart")
        self._admin_again()

    def stop_now(self) -> None:
        """`pg_ctl stop -m fast`: connections end and new ones are refused."""
        self.ctl("-m", "fast", "stop")

    def start_again(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.base} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self.ctl("-o", options, "start")
        self._admin_again()

    def end_connections(self) -> int:
        """pg_terminate_backend on every client but the test's own."""
        row = self.admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'"
        ).fetchone()
        return int(row[0])

    def _admin_again(self) -> None:
        import psycopg

        self.admin = psycopg.connect(self.url(), autocommit=True, connect_timeout=10)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    pg: Server | None = None
    try:
        pg = Server()
        pg.start()
    except (PostgresUnavailable, OSError, subprocess.SubprocessError) as exc:
        if pg is not None:
            pg.stop()
        pytest.skip(f"PostgreSQL could not be started: {exc}")
    try:
        yield pg
    finally:
        pg.stop()


@pytest.fixture
def url(server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh schema, the config in Paris, and AFTERVIEW_DB for the worker process."""
    schema = server.create_schema()
    target = server.url(schema)
    cfg = tmp_path / "config.toml"
    cfg.write_text('timezone = "Europe/Paris"\n[me]\nname = "Sam Rivera"\n')
    monkeypatch.setenv("AFTERVIEW_CONFIG", str(cfg))
    monkeypatch.setenv("AFTERVIEW_DB", target)
    try:
        yield target
    finally:
        try:
            server.drop_schema(schema)
        except Exception:  # the test stopped the server and failed before starting it
            server.start_again()
            server.drop_schema(schema)


class Worker:
    """`afterview run --interval 5` as a real process, its output in files."""

    def __init__(self, folder: Path) -> None:
        self.out, self.err = folder / "worker.out", folder / "worker.err"
        with self.out.open("wb") as out, self.err.open("wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "afterview", "run", "--interval", "5"],
                stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=dict(os.environ),
            )  # fmt: skip

    def said(self) -> tuple[str, str]:
        return self.out.read_text(errors="replace"), self.err.read_text(errors="replace")

    def wait_for(self, what: Callable[[], bool], seconds: float, doing: str) -> None:
        deadline = time.monotonic() + seconds
        while not what():
            assert self.proc.poll() is None, f"the worker exited while {doing}: {self.said()}"
            assert time.monotonic() < deadline, f"timed out while {doing}: {self.said()}"
            time.sleep(0.1)

    def passes(self) -> int:
        return len(self.said()[0].splitlines())

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=20)


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[Callable[[], Worker]]:
    started: list[Worker] = []

    def start() -> Worker:
        started.append(Worker(tmp_path))
        return started[-1]

    yield start
    for w in started:
        w.stop()


def _interview(av: Afterview, company: str, window_in: timedelta) -> int:
    """An interview whose thank-you's ideal window opens `window_in` from now (real time);
    approved now. Returns the outbox message's id."""
    end = datetime.now(PARIS).replace(microsecond=0) - timedelta(hours=2) + window_in
    start = end - timedelta(hours=1)
    n = av.ok(
        "interview", "add", "--company", company, "--role", "Engineer",
        "--start", start.strftime("%Y-%m-%dT%H:%M:%S"), "--duration", "60",
        "--interviewer", f"Ana Lopez <ana@{company.lower()}.example>",
    ).out.strip()  # fmt: skip
    return int(av.ok("send", f"thank_you:{n}:{n}", "--json").json()[0]["id"])


def _setup_mail(av: Afterview, host: str, port: int) -> None:
    av.ok(
        "mail", "setup", "--smtp-host", host, "--smtp-port", str(port),
        "--smtp-security", "none", "--from", ME,
    )  # fmt: skip


def _outbox(av: Afterview) -> dict[int, dict[str, Any]]:
    return {m["id"]: m for m in av.ok("outbox", "--all", "--json").json()}


def _lines(err: str, text: str) -> int:
    return sum(1 for line in err.splitlines() if text in line)


@pytest.mark.timeout(360)  # real processes killed and restarted: slow on a loaded machine
def test_the_worker_outlives_restarts_while_idle(
    url: str, server: Server, smtpd: SmtpServer, worker: Callable[[], Worker]
) -> None:
    av = Afterview(url)
    _setup_mail(av, smtpd.host, smtpd.port)
    message = _interview(av, "Acme", timedelta(seconds=20))
    w = worker()
    w.wait_for(lambda: w.passes() >= 1, 30, "starting")
    assert "nothing due" in w.said()[0]
    # a restart while it sleeps between passes, then an administrator ending its connection
    server.restart()
    w.wait_for(lambda: "database back" in w.said()[1], 30, "coming back after a restart")
    passes = w.passes()
    w.wait_for(lambda: w.passes() > passes, 15, "passing again")
    assert server.end_connections() >= 1
    w.wait_for(lambda: _lines(w.said()[1], "database back") == 2, 30, "coming back again")
    # the message still goes out in its window, once
    w.wait_for(lambda: len(smtpd.messages) >= 1, 60, "sending")
    w.wait_for(lambda: _outbox(av)[message]["state"] == "sent", 15, "recording the send")
    time.sleep(6)  # another pass: nothing twice
    err = w.said()[1]
    assert w.proc.poll() is None and len(smtpd.messages) == 1
    assert "Traceback" not in err
    assert _lines(err, "database connection lost") == 2
    assert "terminating connection due to administrator command" in err
    lost = [line for line in err.splitlines() if "database connection lost" in line]
    assert all(line.startswith("afterview: ") for line in lost)


@pytest.mark.timeout(360)  # real processes killed and restarted: slow on a loaded machine
def test_the_database_stops_while_a_message_is_being_sent(
    url: str, server: Server, tmp_path: Path, worker: Callable[[], Worker]
) -> None:
    slow = SmtpProcess(tmp_path / "delivered.txt", delay=4.0)  # answers 250 four seconds late
    slow.start()
    try:
        av = Afterview(url)
        _setup_mail(av, slow.host, slow.port)
        now_due = _interview(av, "Acme", timedelta(minutes=-1))  # in its window now
        later = _interview(av, "Globex", timedelta(seconds=25))  # opens after the stop
        rows = _outbox(av)
        w = worker()
        # the server has the message and waits before its 250: stop the database now
        w.wait_for(lambda: len(slow.delivered_ids()) >= 1, 30, "sending the first message")
        assert slow.delivered_ids() == [rows[now_due]["message_id"]]
        server.stop_now()
        time.sleep(8)  # the 250 comes, the worker cannot write it, tries to connect again
        out, err = w.said()
        assert w.proc.poll() is None, (out, err)
        assert _lines(err, "database connection lost") == 1 and "database back" not in err
        server.start_again()
        w.wait_for(lambda: "database back" in w.said()[1], 60, "coming back")
        err = w.said()[1]
        assert f"recorded what happened to message {now_due}" in err
        state = _outbox(av)
        assert state[now_due]["state"] == "sent" and state[now_due]["sent_at"] is not None
        # the thank-you counts as done: the touch was recorded with the send
        actions = {a["id"]: a for a in av.ok("agenda", "--json", "--all").json()["actions"]}
        assert actions["thank_you:1:1"]["state"] == "done"
        # the next approved message still goes out in its window
        w.wait_for(lambda: _outbox(av)[later]["state"] == "sent", 90, "sending the next one")
        time.sleep(6)
        assert sorted(slow.delivered_ids()) == sorted(
            [rows[now_due]["message_id"], rows[later]["message_id"]]
        )  # each exactly once
        out, err = w.said()
        assert w.proc.poll() is None and "Traceback" not in err
        assert _lines(err, "database connection lost") == 1
    finally:
        slow.kill()


@pytest.mark.timeout(360)  # real processes killed and restarted: slow on a loaded machine
def test_run_once_waits_a_minute_for_the_database_then_stops_with_its_error(
    url: str, server: Server
) -> None:
    """In-process, with the waits counted on a clock of the test's (no minute is slept)."""
    from datetime import UTC

    from afterview.cli.session import open_context
    from afterview.services import worker, worker_loop
    from afterview.services.context import open_database

    ctx = open_context(url, None)
    try:
        server.stop_now()
        moment = [datetime(2026, 9, 15, 12, tzinfo=UTC)]
        waits: list[float] = []

        def sleep(seconds: float) -> None:
            waits.append(seconds)
            moment[0] += timedelta(seconds=seconds)

        lines: list[str] = []
        loop = worker_loop.Loop(
            ctx, lambda: open_database(url), warn=lines.append, sleep=sleep, clock=lambda: moment[0]
        )
        with pytest.raises(Exception) as caught:
            loop.run(
                once=True, interval=5, sync_every=timedelta(minutes=5), fixed_now=False,
                show=lambda result: None,
            )  # fmt: skip
        assert worker.connection_lost(caught.value)
        assert len(lines) == 1 and lines[0].startswith("database connection lost (")
        assert waits == [1.0, 2.0, 5.0, 10.0, 30.0]  # growing, and within the minute
        # back within the minute: the pass runs again and ends normally
        server.start_again()
        moment[0] = datetime(2026, 9, 15, 13, tzinfo=UTC)
        server.end_connections()
        lines.clear()
        result = loop.run(
            once=True, interval=5, sync_every=timedelta(minutes=5), fixed_now=False,
            show=lambda result: None,
        )  # fmt: skip
        assert result.report.sent == [] and len(lines) == 2 and "database back" in lines[1]
    finally:
        worker_loop.close(ctx.db)
        worker_loop.close(loop.ctx.db)


def test_a_claim_whose_commit_is_not_confirmed_is_given_back_then_sent_once(
    url: str, server: Server, smtpd: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The claim commits, then the server ends the connection before the worker hears so:
    the worker cannot know it holds the message. In-process, so the test can end the
    connection at that very moment (a real error from a real server)."""
    from afterview.cli.session import open_context
    from afterview.services import worker_loop
    from afterview.services.context import open_database
    from afterview.store import mail as store

    av = Afterview(url)
    _setup_mail(av, smtpd.host, smtpd.port)
    message = _interview(av, "Acme", timedelta(minutes=-1))  # in its window now
    real = store.claim
    lost: list[int] = []

    def claim_then_lose_the_answer(db: Any, *args: Any, **kwargs: Any) -> Any:
        row = real(db, *args, **kwargs)
        if not lost:
            db.conn.commit()  # the claim lands...
            lost.append(db.conn.info.backend_pid)
            server.admin.execute("SELECT pg_terminate_backend(%s)", (lost[0],))
            db.conn.execute("SELECT 1")  # ...and the worker never hears it did
        return row

    monkeypatch.setattr(store, "claim", claim_then_lose_the_answer)
    ctx = open_context(url, None)
    lines: list[str] = []
    loop = worker_loop.Loop(
        ctx, lambda: open_database(url), warn=lines.append, sleep=lambda seconds: None
    )
    try:
        result = loop.run(
            once=True, interval=5, sync_every=timedelta(minutes=5), fixed_now=False,
            show=lambda result: None,
        )  # fmt: skip
    finally:
        worker_loop.close(loop.ctx.db)
        worker_loop.close(ctx.db)
    assert lost and result.report.sent == [message] and len(smtpd.messages) == 1
    assert lines[0].startswith("database connection lost (terminating connection")
    assert lines[1].endswith(f"recorded what happened to message {message}")
    assert _outbox(av)[message]["state"] == "sent"
