"""Is a worker sending, and can it? What `send`, `approve` and `service status` tell.

Every pass of a worker (`afterview run`, `run --once`, the sender in `afterview serve`)
records how it ended (`store/worker_runs.py`). An approved message goes out only while a
worker runs, with a usable mail account; `sending_gaps` says what would keep it in the
outbox, each with the command that fixes it.

How long without a pass means "no worker": `QUIET` (10 minutes), or twice the loop's own
interval plus a minute when that is longer. The loop passes every minute by default
(`afterview run --interval 60`, the sender in `serve` too) and a pass may take a while
(an SMTP timeout of 30 s, a mailbox read, a database that restarts and is waited for
with pauses of up to a minute); a laptop waking from sleep misses a few. Ten minutes is
ten missed passes: long enough that a working worker is never reported stopped, short
enough that a message approved for the next hour is not left waiting unnoticed. A
`run --once` repeated by cron or a timer every 5 minutes fits too.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from typing import NamedTuple

from afterview.errors import AfterviewError
from afterview.redact import redact
from afterview.services.context import Context
from afterview.store import worker_runs
from afterview.store.worker_runs import WorkerRun as WorkerRun  # re-exported for the adapters

#: A worker silent for longer than this is taken for stopped (see the module's docstring).
QUIET = timedelta(minutes=10)
#: The command that keeps a worker running for the user.
INSTALL = "afterview service install"


class Gap(NamedTuple):
    """Something that keeps an approved message from going out: `what` ("no_worker",
    "worker_stopped", "worker_failing", "smtp_password", "imap_password", "oauth_token",
    "secrets_file"), `text` in
    words, and `fix`, the command that fixes it."""

    what: str
    text: str
    fix: str


def _detail(text: str) -> str:
    """One line, secrets hidden, short enough for a status line."""
    line = " ".join(redact(text).split())
    return line if len(line) <= 300 else line[:299] + "…"


def _every(every: float | None) -> int | None:
    return None if every is None else int(every)


def record_pass(ctx: Context, tick: object, every: float | None) -> None:
    """Record a pass that ran to its end (`worker.Tick`) as the account's last; a
    database busy or gone leaves it to the next pass (this one's work is done)."""
    from afterview.services.worker import Tick, connection_lost, worker_name

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
    try:
        worker_runs.record(ctx.db, ctx.account, run)
    except Exception as exc:
        if not connection_lost(exc):
            raise


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


def allowed_quiet(run: WorkerRun) -> timedelta:
    """How long after `run` its worker counts as running (see the module's docstring)."""
    if run.every_s is None:
        return QUIET
    return max(QUIET, timedelta(seconds=2 * run.every_s) + timedelta(minutes=1))


#: how far after `now` a pass may be dated and still count (clocks of two machines differ)
SKEW = timedelta(minutes=1)


def worker_running(run: WorkerRun | None, now: datetime) -> bool:
    """True when a worker passed recently enough at `now` to be taken for running; a pass
    dated after `now` (a `run --once --now` later than the clock) is no sign of one."""
    return run is not None and -SKEW <= now - run.at <= allowed_quiet(run)


def worker_gaps(ctx: Context, run: WorkerRun | None) -> list[Gap]:
    """What the last pass says: no worker ever, none lately, or one that cannot send."""
    from afterview.timewords import moment, span

    keep = f"`{INSTALL}` keeps one running, or leave `afterview run` open in a terminal"
    if run is None:
        return [
            Gap("no_worker", "no worker has run on this database yet, so nothing is sent", keep)
        ]
    gaps = []
    if not worker_running(run, ctx.now) and run.at > ctx.now:
        when = moment(run.at, ctx.now, ctx.user_tz)
        gaps.append(
            Gap(
                "worker_stopped",
                f"the last pass recorded is dated {when}, later than now (a run with --now), "
                "so no worker is known to run now and nothing may be sent",
                f"`afterview service status` says if it is installed; {keep}",
            )
        )
    elif not worker_running(run, ctx.now):
        when = moment(run.at, ctx.now, ctx.user_tz)
        gaps.append(
            Gap(
                "worker_stopped",
                f"no worker has run for {span(ctx.now - run.at)} (the last pass was {when}), "
                "so nothing is sent",
                f"`afterview service status` says if it is installed; {keep}",
            )
        )
    if run.outcome == "setup":
        gaps.append(
            Gap(
                "worker_failing",
                f"the worker's last pass could not use the mail account ({run.detail})",
                "fix it with `afterview mail setup ...` (see `afterview mail setup --help`), "
                "then `afterview mail check`",
            )
        )
    return gaps


def password_gaps(ctx: Context) -> list[Gap]:
    """What this process cannot find to log in with (keyring, secrets file or environment)
    for the logins the mail settings name: a password, or for an OAuth2 account its
    sign-in; a secrets file that others may read says so."""
    from afterview.errors import BadInput
    from afterview.mail.credentials import has_login
    from afterview.mail.secrets import ENV
    from afterview.store import mail as mailstore

    settings = mailstore.get_settings(ctx.db, ctx.account)
    if settings is None:
        return []
    kinds = []
    if settings.smtp_user or settings.oauth2:
        kinds.append("smtp")
    if settings.has_imap and settings.imap_host:
        kinds.append("imap")
    gaps = []
    for kind in kinds:
        try:
            found = has_login(settings, kind)
        except BadInput as exc:  # the secrets file refused (others may read it)
            from afterview.mail.secret_file import secrets_path

            return [Gap("secrets_file", exc.problem, f"chmod 600 {secrets_path()}")]
        if found:
            continue
        if settings.oauth2:
            provider = settings.oauth_provider or "OAuth2"
            return [
                Gap(
                    "oauth_token",
                    f"no {provider} sign-in is kept for {settings.login_user}",
                    "afterview mail login",
                )
            ]
        user = (
            settings.login_user if kind == "smtp" else settings.imap_user or settings.from_address
        )
        host = settings.smtp_host if kind == "smtp" else settings.imap_host
        gaps.append(
            Gap(
                f"{kind}_password",
                f"no {kind.upper()} password for {user} at {host} is found here"
                + (" (replies cannot be read, so follow-ups wait)" if kind == "imap" else ""),
                f"afterview mail setup ... --{kind}-password-stdin keeps it in the keyring "
                f"(or the secrets file), or set {ENV[kind]} where the worker runs",
            )
        )
    return gaps


def sending_gaps(ctx: Context) -> list[Gap]:
    """Everything this process can tell, without connecting, that would keep an approved
    message from going out: the passwords, then the worker. When the worker's last pass
    could not use the account, that says it (the worker's own environment is what
    counts), not the passwords this process finds or not."""
    worker = worker_gaps(ctx, last_pass(ctx))
    if any(g.what == "worker_failing" for g in worker):
        return worker
    return password_gaps(ctx) + worker


class Unsent(NamedTuple):
    """A message a pass did not send, as its report line needs it: `outcome` (retrying,
    held, failed, uncertain), to whom, why (the outbox's reason) and when it is tried
    again (`retry_at`; None: at the worker's next pass)."""

    id: int
    outcome: str
    kind: str
    to_name: str | None
    to_email: str
    reason: str | None
    retry_at: datetime | None
    interview_id: int


def unsent(ctx: Context, report: object) -> list[Unsent]:
    """The messages of a pass's report (`worker.Report`) that did not go out, as the
    outbox holds them now, in the report's order."""
    from afterview.services.worker import Report
    from afterview.store import mail as mailstore

    assert isinstance(report, Report)
    out = []
    for outcome in ("failed", "uncertain", "held", "retrying"):
        for message in getattr(report, outcome):
            row = mailstore.get_outbox(ctx.db, ctx.account, message)
            if row is None:
                continue
            retry = row.retry_at if row.state == "scheduled" else None
            out.append(
                Unsent(
                    row.id, outcome, row.kind, row.to_name, row.to_email, row.reason, retry,
                    row.interview_id,
                )
            )  # fmt: skip
    return out
