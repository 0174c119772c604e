"""Every pass of the worker is recorded as the account's last (`store/worker_runs.py`), on
both engines: by `run --once`, by the long-running loop (with its interval), by a pass
that fails; and the record is no data: it raises no data revision (the web's cache),
is not in `history`, `undo` passes it by, and the export leaves it out."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from afterview.services import worker_loop
from afterview.store import worker_runs
from afterview.store.db import Database, connect
from afterview.store.revision import data_revision
from tests.cli.helpers import Afterview
from tests.mailservers import ME, ME_PASSWORD, SmtpServer

NOW = "2026-09-15T17:05"


def _last(url: str) -> worker_runs.WorkerRun | None:
    db = connect(url)
    try:
        return worker_runs.last(db, 1)
    finally:
        db.close()


def _revision(url: str) -> int:
    db = connect(url)
    try:
        return data_revision(db)
    finally:
        db.close()


def _queue(av: Afterview, smtpd: SmtpServer) -> int:
    av.ok(
        "interview", "add", "--company", "Acme", "--role", "Data Engineer",
        "--start", "2026-09-15T14:00", "--interviewer", "Ana Lopez <ana@acme.example>",
        now="2026-09-15T15:10",
    )  # fmt: skip
    av.ok(
        "mail", "setup", "--smtp-host", smtpd.host, "--smtp-port", str(smtpd.port),
        "--smtp-security", "none", "--smtp-user", ME, "--from", ME, now="2026-09-15T15:10",
    )  # fmt: skip
    return int(av.ok("send", "thank_you:1:1", "--json", now="2026-09-15T15:10").json()[0]["id"])


def test_run_once_records_its_pass_and_that_is_no_change_of_the_users(
    av: Afterview, db_url: str, smtpd: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _queue(av, smtpd)
    assert _last(db_url) is None
    changes = av.ok("history", "--json").json()
    revision = _revision(db_url)

    av.ok("run", "--once", now="2026-09-15T16:00")  # nothing due yet: still a pass
    first = _last(db_url)
    assert first is not None
    assert (first.at, first.outcome, first.detail, first.every_s) == (
        datetime.fromisoformat("2026-09-15T14:00:00+00:00"), "ok", None, None,
    )  # fmt: skip
    assert first.worker.count(":") == 2  # host:pid:start, as claims name their worker
    assert _revision(db_url) == revision  # the web's cache keeps its entries
    assert av.ok("history", "--json").json() == changes

    # a pass that cannot send (no password anywhere): recorded, with why, redacted
    r = av("run", "--once", now=NOW)
    assert r.code == 2
    failed = _last(db_url)
    assert failed is not None and failed.outcome == "setup"
    assert failed.detail is not None and "none found" in failed.detail
    assert "AFTERVIEW_SMTP_PASSWORD" in failed.detail

    # undo takes back the last change of the user's (the approval), not the worker's record
    monkeypatch.setenv("AFTERVIEW_SMTP_PASSWORD", ME_PASSWORD)
    av.ok("run", "--once", now="2026-09-15T17:06")
    assert len(smtpd.messages) == 1
    sent = _last(db_url)
    assert sent is not None and sent.outcome == "ok"
    assert sent.at == datetime.fromisoformat("2026-09-15T15:06:00+00:00")
    assert av.ok("history", "--json").json() == changes  # the send is the worker's, too
    av.ok("undo", now="2026-09-15T17:07")
    assert _last(db_url) == sent


def test_the_export_leaves_the_worker_out(av: Afterview, db_url: str) -> None:
    av.ok("run", "--once", now=NOW)
    assert _last(db_url) is not None
    document = av.ok("export", now=NOW).out
    assert "worker" not in json.loads(document) and ME not in document


def test_the_loop_records_each_pass_with_its_interval(av: Afterview, db_url: str) -> None:
    """The loop of `afterview run` (and of `serve`), two passes on a real database; its
    `sleep` is the loop's own seam for ending it."""
    from afterview.config import Config
    from afterview.services.context import Context, open_database

    db: Database = open_database(db_url)
    first = datetime.fromisoformat("2026-09-15T17:00+02:00")
    moments = iter([first, first + timedelta(minutes=1)])
    seen: list[worker_runs.WorkerRun | None] = []

    def sleep(seconds: float) -> None:
        assert seconds == 45
        seen.append(worker_runs.last(db, 1))
        if len(seen) == 2:
            raise worker_loop.Stop

    ctx = Context(db, Config(path="none", timezone="Europe/Paris"), first, True)
    loop = worker_loop.Loop(
        ctx, lambda: connect(db_url), warn=print, sleep=sleep, clock=lambda: next(moments)
    )
    try:
        with pytest.raises(worker_loop.Stop):
            loop.run(once=False, interval=45, sync_every=timedelta(minutes=5),
                     fixed_now=False, show=lambda t: None)  # fmt: skip
    finally:
        db.close()
    assert [(r.at.isoformat(), r.every_s, r.outcome) for r in seen if r] == [
        ("2026-09-15T15:00:00+00:00", 45, "ok"),
        ("2026-09-15T15:01:00+00:00", 45, "ok"),
    ]
