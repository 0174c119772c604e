"""Sending while the app is open: the passes of `afterview run` in a thread of `afterview
serve`, and what the header of every page says of the mail account.

The thread runs the worker's own loop (`services.worker_loop.Loop`), so every rule of
`afterview run` holds: a message is claimed before its SMTP session and sent at most
once (another worker, or an `afterview run` beside the app, never sends it again); a
message the server was given when the process died is left for the user to settle, never
sent again; the loop outlives its database. One pass runs at a time in a process
(`worker_loop.PASS`). A pass starts every `INTERVAL` seconds, and at once after a change
made in the app (an approval, a reschedule: `nudge`). Shutting the app down lets a pass
that has started finish (at most the SMTP timeout), then the thread ends.

Time: the passes run at the server's clock (`WebSettings.clock`), the moment the pages
show. With the real clock that is now, read before each pass. With `--now`, every pass
runs at that fixed moment: a message scheduled by then goes out (stamped with that
moment), one scheduled later waits for a server started at a later `--now`; passing
the same moment again sends nothing twice (the claims) and retries nothing early.

The header's state (`header`) costs at most a read of the data revision (none when the
page read one for its own views): the database's part (mail set up, the next send, a
problem the worker wrote) is read again only when the data changed; the thread's part
(its last pass, what failed) is held in memory.
"""

from __future__ import annotations

import sys
import threading
import traceback
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from afterview.errors import AfterviewError, db_error_line
from afterview.redact import redact
from afterview.services import worker, worker_loop
from afterview.services.context import Context, Database
from afterview.services.outbox_view import MailState, mail_state
from afterview.services.worker_status import WorkerRun
from afterview.timewords import moment

if TYPE_CHECKING:
    from afterview.web.runtime import Runtime

#: Seconds between two passes (as `afterview run`'s default).
INTERVAL = 60.0
#: How often a pass reads the mailbox for replies first (as `afterview run`'s default).
SYNC_EVERY = timedelta(minutes=5)
#: How long the header keeps another worker's last pass before reading it again.
OTHER_READ_AGAIN = timedelta(seconds=30)
#: How long shutting down waits for a pass that has started (an SMTP session's timeout).
STOP_WAIT = 35.0


class Status(NamedTuple):
    """The thread's part of the header: whether it runs, when its last pass ran (at the
    server's clock), what failed in it (one line, secrets hidden)."""

    enabled: bool
    last_pass: datetime | None = None
    problem: str | None = None


class Sender:
    """The background worker of one app, and the header's state."""

    def __init__(self, runtime: Runtime, *, enabled: bool, interval: float = INTERVAL) -> None:
        self.runtime = runtime
        self.interval = interval
        self._status = Status(enabled)
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop: worker_loop.Loop | None = None
        self._sync_problem: str | None = None
        self._said: str | None = None
        self._state: tuple[tuple[Any, ...], MailState, str] | None = None
        self._other: tuple[datetime, WorkerRun | None] | None = None

    # -- the thread -------------------------------------------------------------------------
    def start(self) -> None:
        """Start the passes (nothing when the worker is off, or already started)."""
        if not self._status.enabled or self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="afterview-sender", daemon=True)
        self._thread.start()

    def stop(self, wait: float = STOP_WAIT) -> None:
        """Stop the passes: the one running finishes first (up to `wait` seconds)."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        self._wake.set()
        thread.join(wait)
        if thread.is_alive():
            _say(
                "a message was still being sent when the app stopped; if the app ends "
                "before it is done, the outbox marks it uncertain for you to settle"
            )

    def nudge(self) -> None:
        """Run a pass now (after a change that may have made a message due)."""
        if self._thread is not None:
            self._wake.set()

    @property
    def status(self) -> Status:
        """The thread's state, as the header shows it."""
        return self._status

    def _sleep(self, seconds: float) -> None:
        """Wait `seconds`, less when nudged; raise `Stop` when the app is stopping."""
        if self._stop.is_set():
            raise worker_loop.Stop
        self._wake.wait(seconds)
        self._wake.clear()
        if self._stop.is_set():
            raise worker_loop.Stop

    def _connect(self) -> Database:
        """A connection of the thread's own, tried again every `interval` until it opens."""
        while True:
            try:
                return self.runtime.connect()
            except Exception as exc:
                self._failed(exc)
                self._sleep(self.interval)

    def _run(self) -> None:
        rt = self.runtime
        try:
            db = self._connect()
            self._loop = worker_loop.Loop(
                rt.context(db),
                rt.connect,
                warn=lambda line: _say(redact(line)),
                sleep=self._sleep,
                clock=rt.settings.clock,
                renew=lambda last: rt.context(last.db),
                on_error=self._failed,
            )
            self._loop.run(
                once=False,
                interval=self.interval,
                sync_every=SYNC_EVERY,
                fixed_now=rt.settings.now_given,
                show=self._passed,
            )
        except worker_loop.Stop:
            pass
        except Exception as exc:  # a fault of ours: said in the log, the app goes on
            traceback.print_exc()
            self._set(problem=f"sending stopped: {_line(exc)}")
        finally:
            if self._loop is not None:
                worker_loop.close(self._loop.ctx.db)

    def _passed(self, result: worker.Tick) -> None:
        """Keep what a pass found: the account failing, the mailbox not read, or neither."""
        if result.sync_error is not None:
            self._sync_problem = f"the mailbox could not be read ({result.sync_error})"
        elif result.synced is not None:
            self._sync_problem = None
        problem = result.report.account_problem or self._sync_problem
        assert self._loop is not None
        self._set(last_pass=self._loop.ctx.now, problem=redact(problem) if problem else None)

    def _failed(self, exc: Exception) -> None:
        """A pass failed (a password missing, a setting, a fault): say it once in the log."""
        line = _line(exc)
        if line != self._said:
            if isinstance(exc, AfterviewError) or db_error_line(exc) is not None:
                _say(f"sending: {line}")
            else:
                traceback.print_exception(exc)
            self._said = line
        self._set(problem=line)

    def _set(self, **changes: Any) -> None:
        with self._lock:
            s = self._status
            self._status = s._replace(**changes)

    # -- the header -------------------------------------------------------------------------
    def state(self, ctx: Context | None) -> tuple[MailState, str] | None:
        """The database's part of the header and the user's zone: read again when the data
        or the config changed; the last one read when no connection is at hand (None before
        the first)."""
        if ctx is None:
            return self._state[1:] if self._state else None
        rt = self.runtime
        # the revision the page was read at, if it read one: no second round trip
        revision = getattr(ctx, "revision_seen", None)
        if revision is None:
            revision = rt.revision(ctx)
        key = (ctx.account, revision, getattr(ctx, "config_generation", 0))
        found = self._state
        if found is not None and found[0] == key:
            return found[1:]
        state = mail_state(ctx)
        if not ctx.db.in_transaction:  # what a write reads may still be rolled back
            self._state = (key, state, ctx.user_tz)
        return state, ctx.user_tz

    def header(self, ctx: Context | None, now: datetime) -> dict[str, Any] | None:
        """What the header says of sending, in words: `state` (unset, failing, working,
        starting, off), `text`, and a link (`href`, `link`) where there is one to follow."""
        from afterview.web.templating import plain_reason

        found = self.state(ctx)
        if found is None:
            return None
        state, tz = found
        if not state.set_up:
            return {
                "state": "unset",
                "text": "Mail not set up",
                "href": "/settings#mail",
                "link": "Set it up",
            }
        s = self._status
        after = ""
        if state.next_send is not None:
            after = f" · next {moment(state.next_send, now, tz)}"
            if state.waiting > 1:
                after += f" ({state.waiting} waiting)"
        if state.attention:
            after += f" · {state.attention} need{'s' if state.attention == 1 else ''} you"
        problem = s.problem or (plain_reason(redact(state.problem)) if state.problem else None)
        if problem:
            return {
                "state": "failing",
                "text": f"Sending failing: {problem}{after}",
                "href": "/outbox",
                "link": "Outbox",
            }
        if not s.enabled:
            text = f"Sending off in this app{after}{self._elsewhere(ctx, now, tz)}"
        elif s.last_pass is None:
            text = f"Sending: starting{after}"
        else:
            text = f"Sending works · checked {moment(s.last_pass, now, tz)}{after}"
        return {
            "state": "working" if s.enabled else "off",
            "text": text,
            "href": "/outbox",
            "link": "Outbox",
        }

    def _elsewhere(self, ctx: Context | None, now: datetime, tz: str) -> str:
        """With sending off in the app: whether another worker sends, else the command
        that starts one. Its last pass raises no data revision, so it is read again
        when the one read is `OTHER_READ_AGAIN` old (on the app's clock), not per page."""
        from afterview.services import worker_status

        found = self._other
        if found is None or not timedelta(0) <= now - found[0] < OTHER_READ_AGAIN:
            if ctx is None:
                return ""
            found = (now, worker_status.last_pass(ctx))
            if not ctx.db.in_transaction:
                self._other = found
        last = found[1]
        if worker_status.worker_running(last, now):
            assert last is not None
            return f" · a worker sends (checked {moment(last.at, now, tz)})"
        return " · no worker runs: `afterview service install` keeps one running"


def _line(exc: BaseException) -> str:
    """One line for a failed pass, secrets hidden."""
    text = str(exc).strip()
    line = db_error_line(exc) or (text.splitlines()[0] if text else type(exc).__name__)
    return redact(line)


def _say(line: str) -> None:
    """One line in the server's log."""
    sys.stderr.write(f"afterview: {line}\n")
    sys.stderr.flush()
