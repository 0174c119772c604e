"""The worker waits out a SQLite database held by another writer: it says so in one line,
tries again, and sends the message once (the PostgreSQL outages are in
test_worker_reconnect.py)."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

import afterview.store.db as dbmod
from tests.cli.helpers import Afterview
from tests.mailservers import ME, ME_PASSWORD, SmtpServer


@pytest.mark.timeout(180)
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_run_once_waits_for_a_busy_sqlite_file_and_sends_once(
    av: Afterview, db_url: str, smtpd: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AFTERVIEW_SMTP_PASSWORD", ME_PASSWORD)
    now = "2026-09-15T15:10"
    av.ok("interview", "add", "--company", "Acme", "--role", "Data Engineer",
          "--start", "2026-09-15T14:00", "--interviewer", "Ana Lopez <ana@acme.example>", now=now)  # fmt: skip
    av.ok("mail", "setup", "--smtp-host", smtpd.host, "--smtp-port", str(smtpd.port),
          "--smtp-security", "none", "--smtp-user", ME, "--from", ME, now=now)  # fmt: skip
    av.ok("send", "thank_you:1:1", now=now)
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_S", 1)

    holder = sqlite3.connect(db_url, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # a long import, say

    def release() -> None:
        time.sleep(4)
        holder.execute("ROLLBACK")

    threading.Thread(target=release, daemon=True).start()
    r = av("run", "--once", "--json", now="2026-09-15T17:02")
    holder.close()
    assert r.code == 0, r.err
    assert r.json()["sent"] == [1]
    assert len(smtpd.messages) == 1
    assert "busy" in r.err and "back" in r.err, r.err
    again = av("run", "--once", "--json", now="2026-09-15T17:05")
    assert again.code == 0 and again.json()["sent"] == [] and len(smtpd.messages) == 1
