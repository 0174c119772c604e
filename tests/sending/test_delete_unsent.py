"""Deleting an interview whose messages wait in the outbox: nothing is ever sent for it
afterwards, even while a worker is sending the outbox.

The worker runs as a real process (`afterview run --once`) against aiosmtpd in another
process (which logs each delivered Message-ID, and waits a little before answering so
the worker is busy for a while). As soon as the first message is delivered, this test
deletes the interviews one by one, from the last: each delete either succeeds (its
message had not gone out: it must never be delivered), or is refused because the message
went out (or is going out right now). On both engines.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from afterview.cli.session import open_context
from afterview.mail.settings import build_settings
from afterview.services import approving, records
from afterview.services.mailsetup import setup
from afterview.store import mail as store
from tests.badinput.runner import run
from tests.mailservers import ME, ME_PASSWORD, SmtpProcess

COUNT = 30
APPROVED = "2026-09-15T16:00"  # the interviews end at 15:00; ideal from 17:00
SEND = "2026-09-15T17:30"


@pytest.fixture
def slow_smtp(tmp_path: Path) -> Iterator[SmtpProcess]:
    proc = SmtpProcess(tmp_path / "delivered.txt", delay=0.05)
    proc.start()
    try:
        yield proc
    finally:
        proc.kill()


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('timezone = "Europe/Paris"\n[me]\nname = "Sam Rivera"\n')
    monkeypatch.setenv("AFTERVIEW_CONFIG", str(cfg))


def _fill(db_url: str, smtp: SmtpProcess) -> dict[int, str]:
    """COUNT interviews, each with its thank-you approved: interview id -> Message-ID."""
    ctx = open_context(db_url, APPROVED)
    try:
        setup(
            ctx,
            build_settings(
                smtp_host=smtp.host, smtp_port=smtp.port, smtp_security="none", smtp_user=ME,
                from_address=ME, from_name="Sam Rivera", imap_host=None, imap_port=None,
                imap_security=None, imap_user=None, sent_folder=None, my_addresses=(),
                allow_insecure=False,
            ),
        )  # fmt: skip
        ids = [
            records.add_interview(
                ctx,
                company=f"Company {n}",
                role="Engineer",
                start="2026-09-15T14:00",
                interviewers=[f"Person {n} <p{n}@c{n}.example>"],
            )
            for n in range(COUNT)
        ]
        out = {}
        for iv in ids:
            [row] = approving.approve_action(ctx, f"thank_you:{iv}:{iv}")
            out[iv] = row.message_id
        return out
    finally:
        ctx.db.close()


def _delivered(smtp: SmtpProcess) -> list[str]:
    return smtp.delivered_ids()


def _worker(db_url: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, AFTERVIEW_SMTP_PASSWORD=ME_PASSWORD)
    return subprocess.Popen(
        [sys.executable, "-m", "afterview", "--db", db_url, "--now", SEND, "run", "--once"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


@pytest.mark.usefixtures("config")
@pytest.mark.timeout(300)
def test_a_deleted_interview_never_sends_its_waiting_message(
    db_url: str, slow_smtp: SmtpProcess
) -> None:
    messages = _fill(db_url, slow_smtp)
    worker = _worker(db_url)
    try:
        deadline = time.monotonic() + 60
        while not _delivered(slow_smtp):  # the worker is sending: now delete, from the last
            assert worker.poll() is None, worker.stderr.read() if worker.stderr else ""
            assert time.monotonic() < deadline, "the worker sent nothing"
            time.sleep(0.01)
        deleted, refused = [], []
        for iv in sorted(messages, reverse=True):
            r = run(["--db", db_url, "--now", SEND, "interview", "delete", str(iv), "--json"])
            if r.code == 0:
                gone = json.loads(r.out)["removed"]
                assert (gone["outbox"], gone["outbox_sent"]) == (1, 0), gone
                deleted.append(iv)
            else:  # it went out, or is going out: one line, exit 1
                assert r.code == 1 and r.err.count("\n") == 1, r.err
                assert "add --force" in r.err or "being sent right now" in r.err, r.err
                refused.append(iv)
        _, err = worker.communicate(timeout=120)
        assert worker.returncode in (0, 1), err.decode()
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    # another pass, later: nothing more goes out
    again = run(["--db", db_url, "--now", "2026-09-15T17:45", "run", "--once", "--json"])
    assert again.code == 0 and json.loads(again.out)["sent"] == [], again.err
    delivered = _delivered(slow_smtp)
    assert len(delivered) == len(set(delivered))  # at most once, too
    assert deleted and refused, (deleted, refused)  # the race really ran both ways
    assert not {messages[iv] for iv in deleted} & set(delivered)
    assert {messages[iv] for iv in refused} >= set(delivered) - {messages[iv] for iv in deleted}
    ctx = open_context(db_url, SEND)
    try:
        left = store.list_outbox(ctx.db, ctx.account)
        assert {r.interview_id for r in left} == set(refused)
        assert {r.state for r in left} == {"sent"}
    finally:
        ctx.db.close()
