"""Is a worker sending? Every pass of a worker (`afterview run`, `run --once`, the
sender in `afterview serve`) records how it ended (`store/worker_runs.py`).
"""

from __future__ import annotations

import contextlib

from afterview.errors import AfterviewError
from afterview.redact import redact
from afterview.services.context import Context
from afterview.store import worker_runs
from afterview.store.worker_runs import WorkerRun


def _detail(text: str) -> str:
    """One line, secrets hidden, short enough for a status line."""
    line = " ".join(redact(text).split())
    return line if len(line) <= 300 else line[:299] + "…"


def _every(every: float | None) -> int | None:
    return None if every is None else int(every)


def record_pass(ctx: Context, tick: object, every: float | None) -> None:
    """Record a pass that ran to its end (`worker.Tick`) as the account's last."""
    from afterview.services.worker import Tick, worker_name

    assert isinstance(tick, Tick)
    report = tick.report
    setup = [p for p in (report.account_problem, tick.sync_error if tick.sync_setup else None) if p]
    if setup:
        outcome, detail = "setup", "; ".join(setup)
    elif report.failed or report.uncertain:
        ids = ", ".join(str(i) for i in [*report.failed, *report.uncertain])
        outcome, detail = "attention", f"message {ids} needs you (see `afterview outbox`)"
    elif tick.sync_error:
        outcome, detail = "ok", f"the mailbox could not be read ({tick.sync_error})"
    else:
        outcome, detail = "ok", None
    run = WorkerRun(
        ctx.now, outcome, _detail(detail) if detail else None, worker_name(), _every(every)
    )
    worker_runs.record(ctx.db, ctx.account, run)


def record_failure(ctx: Context, exc: BaseException, every: float | None) -> None:
    """Record a pass that failed (a password missing: `setup`; anything else: `error`);
    a database that cannot take it leaves the record as it was."""
    from afterview.services.worker import worker_name

    setup = isinstance(exc, AfterviewError) and exc.exit_code == 2
    text = str(exc).strip().splitlines()
    line = text[0] if text else type(exc).__name__
    run = WorkerRun(
        ctx.now, "setup" if setup else "error", _detail(line), worker_name(), _every(every)
    )
    with contextlib.suppress(Exception):  # the failure the caller raises says more
        worker_runs.record(ctx.db, ctx.account, run)


def last_pass(ctx: Context) -> WorkerRun | None:
    """The account's last worker pass on this database, or None."""
    return worker_runs.last(ctx.db, ctx.account)
