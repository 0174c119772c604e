"""A server's workers, as real processes, on two accounts: two `afterview server worker
--once` at a time, killed with SIGKILL at random moments and started again until nothing
is left to send. No message is delivered twice and none goes out through the other
account's mailbox (the SMTP server logs each delivery's Message-ID, AUTH login and
From, fsynced before it answers). The passwords are only in the accounts' sealed rows:
the processes' own AFTERVIEW_SMTP_PASSWORD is wrong on purpose. Real PostgreSQL as the
application's role, aiosmtpd in its own process."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from afterview.config import Config
from afterview.mail.secret_store import binding
from afterview.mail.settings import build_settings
from afterview.server import secret
from afterview.server.secret_store import DatabaseSecrets
from afterview.server.settings import ServerSettings, render
from afterview.services import approving, records
from afterview.services.context import Context
from afterview.services.mailsetup import setup
from afterview.store.db import Database
from tests.mailservers import ME, ME_PASSWORD, OTHER, OTHER_PASSWORD, SmtpProcess
from tests.server.conftest import ServerDb, add_account

pytestmark = pytest.mark.postgres

PER_ACCOUNT = int(os.environ.get("AFTERVIEW_SERVER_CRASH_MESSAGES", "40"))
APPROVED = "2026-09-15T16:00:00+02:00"
SEND = "2026-09-15T17:30:00+02:00"


def _server_files(server_db: ServerDb, tmp_path: Path) -> ServerSettings:
    """server.toml, its secret and the centre's config.toml in `tmp_path`."""
    settings = ServerSettings(str(tmp_path / "server.toml"), server_db.app_url,
                              server_db.owner_url, "https://afterview.example.org",
                              str(tmp_path / "server-secret"))  # fmt: skip
    secret.create(settings.secret_file)
    Path(settings.path).write_text(render(settings))
    Path(settings.path).chmod(0o600)
    (tmp_path / "config.toml").write_text('timezone = "Europe/Paris"\n')
    return settings


def _fill(db: Database, account: int, user: str, password: str, smtp: SmtpProcess,
          sealer: object) -> None:  # fmt: skip
    from datetime import datetime

    ctx = Context(db, Config(path="none", timezone="Europe/Paris"),
                  datetime.fromisoformat(APPROVED), True, account=account)  # fmt: skip
    store = DatabaseSecrets(account, sealer, lambda: db, lambda d: None)
    with binding(store):
        setup(
            ctx,
            build_settings(
                smtp_host=smtp.host, smtp_port=smtp.port, smtp_security="none", smtp_user=user,
                from_address=user, from_name=None, imap_host=None, imap_port=None,
                imap_security=None, imap_user=None, sent_folder=None, my_addresses=(),
                allow_insecure=False,
            ),
            smtp_password=password,
        )  # fmt: skip
    for n in range(PER_ACCOUNT):
        iv = records.add_interview(
            ctx, company=f"Company {n}", role="Engineer", start="2026-09-15T14:00",
            interviewers=[f"Person {n} <p{n}@c{n}.example>"],
        )  # fmt: skip
        person = db.one("SELECT person_id FROM interview_person WHERE interview_id = ?", (iv,))
        assert person is not None
        approving.approve_action(ctx, f"thank_you:{iv}:{person[0]}")


def _states(owner: Database) -> Counter[str]:
    owner.conn.rollback()
    return Counter(str(r[0]) for r in owner.query("SELECT state FROM outbox"))


@pytest.mark.timeout(420)  # real processes killed and restarted: slow on a loaded machine
def test_two_workers_killed_at_random_never_send_twice_nor_as_the_other_account(
    server_db: ServerDb, slow_smtp: SmtpProcess, tmp_path: Path
) -> None:
    settings = _server_files(server_db, tmp_path)
    sealer = secret.sealer(settings.secret_file)
    owner = server_db.owner
    ana = add_account(owner, "ana@example.org")
    ben = add_account(owner, "ben@example.org")
    _fill(owner, ana, ME, ME_PASSWORD, slow_smtp, sealer)
    _fill(owner, ben, OTHER, OTHER_PASSWORD, slow_smtp, sealer)
    assert _states(owner) == Counter({"scheduled": 2 * PER_ACCOUNT})
    env = {**os.environ, "AFTERVIEW_SERVER_CONFIG": settings.path,
           "AFTERVIEW_CONFIG": str(tmp_path / "config.toml"),
           "AFTERVIEW_SMTP_PASSWORD": "not the password of anyone"}  # fmt: skip
    argv = [sys.executable, "-m", "afterview", "--now", SEND, "server", "worker", "--once"]

    def start() -> subprocess.Popen[bytes]:
        return subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)  # fmt: skip

    rng = random.Random(11)
    kills = runs = 0
    started = time.monotonic()
    errors: list[str] = []
    while True:
        left = _states(owner)
        if left["scheduled"] == 0 and left["sending"] == 0:
            break
        assert time.monotonic() - started < 300, f"not settled: {left}"
        pair = [start(), start()]
        runs += 2
        for w in pair:
            try:
                w.wait(timeout=rng.uniform(0.05, 0.7))
            except subprocess.TimeoutExpired:
                w.kill()
                w.wait()
                kills += 1
            if w.stderr is not None:
                errors.append(w.stderr.read().decode(errors="replace"))
                w.stderr.close()
    last = start()
    assert last.wait(timeout=120) == 0
    if last.stderr is not None:
        last.stderr.close()
    assert not [e for e in errors if "Traceback" in e], errors
    owner.conn.rollback()
    rows = owner.query("SELECT message_id, account_id, state FROM outbox")
    account_of = {str(m): int(a) for m, a, _ in rows}
    states = {str(m): str(s) for m, _, s in rows}
    login_of = {ana: ME, ben: OTHER}
    delivered = slow_smtp.delivered()
    twice = [m for m, n in Counter(d[0] for d in delivered).items() if n > 1]
    cross = [
        d
        for d in delivered
        if login_of[account_of[d[0]]] != d[1] or login_of[account_of[d[0]]] not in d[2]
    ]
    counts = Counter(states.values())
    print(
        f"\nserver crash test: 2 accounts x {PER_ACCOUNT} messages, {runs} worker runs, "
        f"{kills} killed; sent {counts['sent']}, uncertain {counts['uncertain']}, "
        f"delivered {len(delivered)}, twice {len(twice)}, through the other account {len(cross)}"
    )
    assert twice == [] and cross == []
    assert set(states.values()) <= {"sent", "uncertain"}, counts
    once = Counter(d[0] for d in delivered)
    for mid, state in states.items():
        assert once[mid] == (1 if state == "sent" else once[mid]) and once[mid] <= 1, mid
    assert kills > 0 and counts["sent"] > 0


def test_an_account_whose_mailbox_fails_does_not_stop_the_others(
    server_db: ServerDb, slow_smtp: SmtpProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.cli.helpers import Afterview

    settings = _server_files(server_db, tmp_path)
    monkeypatch.setenv("AFTERVIEW_SERVER_CONFIG", settings.path)
    monkeypatch.setenv("AFTERVIEW_CONFIG", str(tmp_path / "config.toml"))
    sealer = secret.sealer(settings.secret_file)
    owner = server_db.owner
    ana = add_account(owner, "ana@example.org")
    ben = add_account(owner, "ben@example.org")
    _fill(owner, ana, ME, "a wrong password", slow_smtp, sealer)
    _fill(owner, ben, OTHER, OTHER_PASSWORD, slow_smtp, sealer)
    r = Afterview(str(tmp_path / "unused.db"))(
        "--now", SEND, "server", "worker", "--once", "--json"
    )
    assert r.code == 1, r.err
    passes = {p["account"]: p for p in r.json()["accounts"]}
    assert len(passes[ben]["sent"]) == PER_ACCOUNT and passes[ana]["sent"] == []
    owner.conn.rollback()
    by_account = Counter(
        (int(a), str(s)) for a, s in owner.query("SELECT account_id, state FROM outbox")
    )
    assert by_account[(ben, "sent")] == PER_ACCOUNT
    assert by_account[(ana, "scheduled")] == PER_ACCOUNT  # waits, to be tried again
    assert {d[1] for d in slow_smtp.delivered()} == {OTHER}
