"""`afterview run`: the worker's loop, which outlives its database.

Each pass reads the mailbox, then sends what is due (`worker.tick`). When the database
goes away (PostgreSQL restarted, a connection ended by an administrator, a SQLite file
held by a long import), the loop says so in one line, connects again with growing waits
(`RECONNECT`), writes what it learnt meanwhile (`worker.settle_owed`: a message the
server accepted while the database was away is recorded `sent`, not left `sending`), says
in one line that the database is back, and runs the pass again. Claims keep that safe: a
message is sent only by the worker that moved it out of `scheduled`, and one whose fate
the worker could not write stays `sending` until this worker writes it (or, if the worker
dies first, until another finds it `uncertain`). Nothing is ever sent twice.

`run --once` waits at most `ONCE_PATIENCE` for the database, then stops with its error.

The same loop runs inside `afterview serve` (`web/sender.py`): there it reads the config
again before each pass (`renew`), reports a pass that fails and goes on (`on_error`), and
stops when its sleep raises `Stop`. Passes in one process never overlap (`PASS`), however
many loops it runs.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from afterview import clock
from afterview.errors import StoreError, db_error_line
from afterview.services import worker
from afterview.services.context import Context
from afterview.store.db import Database

#: Seconds between attempts to connect again (then the last one, again and again).
RECONNECT = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)
#: How long `run --once` waits for a database that went away in the middle of its pass.
ONCE_PATIENCE = timedelta(seconds=60)
#: Held for the whole of each pass: one pass at a time in a process (claims keep passes
#: of other processes apart).
PASS = threading.Lock()


class Stop(Exception):
    """Raised by a loop's `sleep` to end the loop between passes."""


def cause(exc: BaseException) -> str:
    """The first line of the database's own words for an error, from its root cause
    ("terminating connection due to administrator command", not "the connection is lost")."""
    first: BaseException = exc
    seen = set()
    while first.__context__ is not None and id(first) not in seen:
        seen.add(id(first))
        if db_error_line(first.__context__) is None and not isinstance(
            first.__context__, StoreError
        ):
            break
        first = first.__context__
    line = db_error_line(first) or str(first)
    return line.removeprefix("db: ")


class Loop:
    """The worker's loop over one context whose database it may replace."""

    def __init__(
        self,
        ctx: Context,
        reopen: Callable[[], Database],
        *,
        warn: Callable[[str], None],
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], datetime] = clock.now,
        renew: Callable[[Context], Context] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        """`reopen` opens a new connection to the same database; `warn` prints one line.

        `renew` gives the context of the next pass from the last one (on the same
        connection); `on_error` is told of a pass that failed for another reason than the
        database (the mail settings, a password missing), and the loop goes on after
        `interval`; without it, that error ends the loop."""
        self.ctx = ctx
        self.reopen = reopen
        self.warn = warn
        self.sleep = sleep
        self.read_clock = clock
        self.renew = renew
        self.on_error = on_error
        self.outages = 0

    def run(
        self,
        *,
        once: bool,
        interval: float,
        sync_every: timedelta,
        fixed_now: bool,
        show: Callable[[worker.Tick], None],
    ) -> worker.Tick:
        """Run passes every `interval` seconds (one pass with `once`, returned); `show` gets
        each pass's result. A time fixed by `--now` is kept for every pass."""
        last_sync: datetime | None = None
        while True:
            try:
                if self.renew is not None:
                    self.ctx = self.renew(self.ctx)  # a config that cannot be read: on_error
                if not fixed_now:
                    self.ctx.now = self.read_clock()
                sync = last_sync is None or self.ctx.now - last_sync >= sync_every
                with PASS:
                    result = worker.tick(self.ctx, sync=sync, every=None if once else interval)
            except Exception as exc:
                if not worker.connection_lost(exc):
                    if self.on_error is None or once:
                        raise
                    self.on_error(exc)
                    self.sleep(interval)
                    continue
                self.reconnect(exc, patience=ONCE_PATIENCE if once else None)
                continue  # the pass again: what it did before the outage is not done twice
            if sync:
                last_sync = self.ctx.now
            show(result)
            if once:
                return result
            self.sleep(interval)

    def reconnect(self, lost: BaseException, *, patience: timedelta | None) -> None:
        """Connect again with growing waits and write what is owed; raise `lost` when the
        database is not back within `patience` (None: wait as long as it takes)."""
        self.outages += 1
        started = self.read_clock()
        pending = worker.owed()
        self.warn(
            f"database connection lost ({cause(lost)}); connecting again"
            + (
                f" (what happened to message{'s' if len(pending) > 1 else ''} {_ids(pending)} "
                "is written when it is back)"
                if pending
                else ""
            )
        )
        attempt = 0
        while True:
            wait = RECONNECT[min(attempt, len(RECONNECT) - 1)]
            attempt += 1
            if (
                patience is not None
                and self.read_clock() - started + timedelta(seconds=wait) > patience
            ):
                raise lost
            self.sleep(wait)
            try:
                db = self.reopen()
            except Exception as exc:
                if isinstance(exc, StoreError) or worker.connection_lost(exc):
                    continue
                raise
            old, self.ctx.db = self.ctx.db, db
            close(old)
            try:
                settled = worker.settle_owed(self.ctx)
            except Exception as exc:
                if worker.connection_lost(exc):
                    continue  # gone again: the next connection writes it
                raise
            took = int((self.read_clock() - started).total_seconds())
            self.warn(
                f"database back after {took} s, {attempt} attempt{'s' if attempt > 1 else ''}"
                + (
                    f"; recorded what happened to message{'s' if len(settled) > 1 else ''} "
                    f"{_ids(settled)}"
                    if settled
                    else ""
                )
            )
            return


def _ids(ids: list[int]) -> str:
    return ", ".join(str(i) for i in ids)


def close(db: Database) -> None:
    """Close a connection, whatever state the server left it in."""
    with contextlib.suppress(Exception):  # one the server ended may not close cleanly
        db.close()
