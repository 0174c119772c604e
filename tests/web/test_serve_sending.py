"""`afterview serve` sends while it is open: the real server process with the real clock,
a real SMTP server (aiosmtpd) and a real IMAP server (Dovecot).

A thank-you approved through the API for now arrives at the SMTP server without any
`afterview run`, its copy lands in the Sent folder, and the header says sending works;
with `--no-worker` nothing arrives until `afterview run` sends it; with the SMTP server
down the header says sending fails, why, and never the password.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.cli.helpers import Afterview
from tests.mailservers import ME, ME_PASSWORD, DovecotServer, SmtpServer, free_port
from tests.web.conftest import Server

pytestmark = pytest.mark.timeout(120)
Start = Callable[..., Server]


class Client:
    """The JSON API of a served app, with its CSRF token."""

    def __init__(self, server: Server) -> None:
        self.http = httpx.Client(base_url=server.url.rstrip("/"), timeout=20)
        self.http.get("/")  # sets the CSRF cookie
        self.token = self.http.cookies["afterview_csrf"]

    def call(self, method: str, path: str, body: Any = None) -> Any:
        r = self.http.request(method, path, json=body, headers={"X-CSRF-Token": self.token})
        assert r.status_code < 300, (path, r.status_code, r.text)
        return r.json()

    def page(self, path: str) -> str:
        r = self.http.get(path)
        assert r.status_code == 200, (path, r.status_code)
        return html.unescape(r.text)


def _approve_a_thank_you_due_now(client: Client) -> dict[str, Any]:
    """An interview that ended 2 h 30 min ago (real clock): its thank-you is in its ideal
    window, so approving it schedules it for now."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3, minutes=30)
    iv = client.call(
        "POST",
        "/api/interviews",
        {
            "company": "Acme",
            "role": "Data Engineer",
            "start": start.strftime("%Y-%m-%dT%H:%M"),
            "tz": "UTC",
            "duration": 60,
            "interviewers": ["Ana Lopez <ana@acme.example>"],
            "topics": ["the streaming pipeline"],
        },
    )
    actions = client.call("GET", f"/api/interviews/{iv['id']}")["actions"]
    [action] = [a["id"] for a in actions if a["kind"] == "thank_you"]
    [row] = client.call("POST", f"/api/drafts/{action}/approve")
    assert row["state"] == "scheduled"
    sent_at = datetime.fromisoformat(row["send_at"])
    assert abs((sent_at - datetime.now(UTC)).total_seconds()) < 120, row
    return {**row, "interview": iv["id"]}


def _wait_for(check: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s")
        time.sleep(0.2)


def _setup(server_db: str, *args: str) -> None:
    Afterview(server_db).ok("mail", "setup", *args)


def test_serve_sends_an_approved_message_without_afterview_run(
    start_server: Start,
    tmp_path: Any,
    smtpd: SmtpServer,
    mailbox: DovecotServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AFTERVIEW_SMTP_PASSWORD", ME_PASSWORD)
    monkeypatch.setenv("AFTERVIEW_IMAP_PASSWORD", mailbox.password)
    db = str(tmp_path / "web.db")
    _setup(
        db, "--smtp-host", smtpd.host, "--smtp-port", str(smtpd.port), "--smtp-security", "none",
        "--smtp-user", ME, "--from", ME, "--imap-host", mailbox.host,
        "--imap-port", str(mailbox.port), "--imap-security", "none", "--sent-folder", "Sent",
    )  # fmt: skip
    with mailbox.client() as c:
        c.create_folder("Sent")
    server = start_server(None)  # the real clock
    client = Client(server)
    row = _approve_a_thank_you_due_now(client)

    [delivered] = smtpd.wait_for(1, timeout=20)  # the approval woke the worker
    assert delivered.rcpt_tos == ["ana@acme.example"] and delivered.login == ME
    assert delivered.message["Message-ID"] and delivered.message["Subject"] == row["subject"]
    _wait_for(lambda: client.call("GET", "/api/outbox")["messages"][0]["state"] == "sent")

    def kept() -> bool:  # the copy is put in Sent after the message is marked sent
        with mailbox.client() as c:
            c.select_folder("Sent", readonly=True)
            return len(c.search(["HEADER", "Message-ID", delivered.message["Message-ID"]])) == 1

    _wait_for(kept)
    page = client.page("/")
    assert "Sending works · checked today" in page
    assert "Sent" in client.page("/outbox?state=sent")
    # the thank-you is done: the plan ended it from the recorded sending
    actions = client.call("GET", f"/api/interviews/{row['interview']}")["actions"]
    assert [a["state"] for a in actions if a["kind"] == "thank_you"] == ["done"]
    time.sleep(1.5)  # more passes (a nudge per request) send nothing twice
    client.page("/outbox")
    assert len(smtpd.messages) == 1

    # it stops at once when asked, the worker with it
    assert server.proc is not None
    started = time.monotonic()
    server.proc.terminate()
    # uvicorn shuts down (the lifespan stops the worker), then ends by the signal it got
    assert server.proc.wait(timeout=15) in (0, -15)
    assert time.monotonic() - started < 10
    server.proc = None
    assert "Traceback" not in server.log_text()


def test_with_no_worker_nothing_is_sent_until_afterview_run(
    start_server: Start, tmp_path: Any, smtpd: SmtpServer
) -> None:
    db = str(tmp_path / "web.db")
    _setup(
        db, "--smtp-host", smtpd.host, "--smtp-port", str(smtpd.port), "--smtp-security", "none",
        "--from", ME,
    )  # fmt: skip
    server = start_server(None, "--no-worker")
    client = Client(server)
    row = _approve_a_thank_you_due_now(client)
    time.sleep(3)
    assert smtpd.messages == []
    page = client.page("/")
    assert "Sending off in this app" in page and "next today" in page
    assert client.call("GET", "/api/outbox")["messages"][0]["state"] == "scheduled"
    Afterview(db).ok("run", "--once")  # it was due: the worker sends it
    [delivered] = smtpd.wait_for(1)
    assert delivered.message["Subject"] == row["subject"]


def test_the_header_says_sending_fails_and_why_without_the_password(
    start_server: Start, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    password = "Pa55-word!for-smtp"
    monkeypatch.setenv("AFTERVIEW_SMTP_PASSWORD", password)
    down = free_port()  # nothing listens there: the SMTP server is down
    db = str(tmp_path / "web.db")
    _setup(
        db, "--smtp-host", "127.0.0.1", "--smtp-port", str(down), "--smtp-security", "none",
        "--smtp-user", ME, "--from", ME,
    )  # fmt: skip
    server = start_server(None)
    client = Client(server)
    assert "Sending works" in client.page("/") or "Sending: starting" in client.page("/")
    row = _approve_a_thank_you_due_now(client)
    _wait_for(lambda: "Sending failing" in client.page("/"))
    page = client.page("/")
    line = page.split('class="mailstate-text">')[1].split("</span>")[0]
    assert f"127.0.0.1:{down}" in line, line
    assert "refused" in line.lower(), line
    assert "`" not in line and password not in line
    for path in ("/", "/outbox", f"/interviews/{row['interview']}", "/settings"):
        assert password not in client.page(path), path
        assert "Sending failing" in client.page(path), path
    message = client.call("GET", "/api/outbox")["messages"][0]
    assert message["state"] == "scheduled" and message["reason"].startswith("will try again")
    assert password not in server.log_text()
