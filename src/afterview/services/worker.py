"""The outbox worker: send what is due, at most once.

Each message is claimed (`scheduled` -> `sending`, committed) before the SMTP
session starts, and marked `sent` (with its touch) right after the server
accepts it. A worker that dies in between leaves the message `sending`; the next
worker finds its claimant gone and marks it `uncertain` for the user to settle
(`afterview outbox confirm`), never sent again on its own. Two workers never send one
message: only one of them can move it out of `scheduled`."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import NamedTuple

from afterview.core.model import Facts
from afterview.core.send_moment import interview_when, same_words
from afterview.core.sending import hold_reason
from afterview.core.timeutil import utc, zone
from afterview.errors import BUSY, AfterviewError, Refused, Unavailable, db_error_line, is_busy
from afterview.mail import credentials, smtp
from afterview.mail.credentials import Secret
from afterview.mail.message import build_message
from afterview.mail.settings import MailSettings
from afterview.mail.smtp import MailSetupError
from afterview.services.context import Context
from afterview.services.outbox import action_of, record_sent, require_settings
from afterview.store import mail as store
from afterview.store.mail import OutboxRow

#: A claim older than this, by a worker we cannot see, is taken for a dead worker's.
LEASE = timedelta(minutes=15)
#: Waits between attempts after a temporary failure (then the last one again).
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(minutes=30))


class Report(NamedTuple):
    """What one pass of the worker did, message ids by outcome; `account_problem` says why
    nothing could be sent when the SMTP account itself failed (login, TLS, AUTH)."""

    sent: list[int]
    held: list[int]
    retrying: list[int]
    failed: list[int]
    uncertain: list[int]
    account_problem: str | None = None


def _started(pid: int) -> str | None:
    """When process `pid` started (clock ticks since boot, Linux), or None when unknown."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rpartition(")")[2].split()[19]
    except (OSError, IndexError):
        return None


def worker_name() -> str:
    """`host:pid:start` of this process: how claims name their worker (a reused pid differs)."""
    return f"{socket.gethostname()}:{os.getpid()}:{_started(os.getpid()) or '?'}"


def _claimant_gone(claimed_by: str | None, claimed_at: datetime | None, now: datetime) -> bool:
    if claimed_by is None or claimed_at is None:
        return True
    host, _, rest = claimed_by.partition(":")
    pid, _, start = rest.partition(":")
    if utc(now) - utc(claimed_at) > LEASE:
        return True  # whoever it was, a send does not take this long
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's worker: the lease decides
    if int(pid) == os.getpid() and start == (_started(os.getpid()) or "?"):
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass
    known = _started(int(pid))
    return start not in ("", "?") and known is not None and known != start


def recover(ctx: Context) -> list[int]:
    """Mark `uncertain` the messages left `sending` by a worker that is gone."""
    found = []
    for row in store.list_outbox(ctx.db, ctx.account, ("sending",)):
        if _claimant_gone(row.claimed_by, row.claimed_at, ctx.now):
            with ctx.db.transaction():
                if store.move(
                    ctx.db, ctx.account, row.id, ("sending",), "uncertain", ctx.now,
                    reason=f"the worker {row.claimed_by} stopped while sending it: it may or may "
                    "not have gone out; check your Sent folder, then `afterview outbox confirm "
                    f"{row.id} --sent` or `--not-sent`",
                ):  # fmt: skip
                    found.append(row.id)
    return found


def run_once(ctx: Context, *, password: str | None = None, follow_ups: bool = True) -> Report:
    """Send every message due at `ctx.now`; return what happened to each.

    With `follow_ups` False (the mailbox could not be read just before), follow-ups
    wait in the outbox (one must never go out after an unseen reply); those past
    their due time are held all the same, so none passes it unnoticed. What the worker
    writes is afterview acting on its own, not a change of the user's: the journal does
    not record it (`undo` takes back what the user did; a message sent stays sent).
    """
    with ctx.db.unrecorded():
        return _run_once(ctx, password, follow_ups)


def _run_once(ctx: Context, password: str | None, follow_ups: bool) -> Report:
    report = Report([], [], [], [], recover(ctx))
    due = store.due(ctx.db, ctx.account, ctx.now)
    if not due:
        return report
    settings = require_settings(ctx)
    secret: Secret | None = password
    if secret is None and (settings.smtp_user or settings.oauth2):
        secret = credentials.require(settings, "smtp", ctx.now)
    for row in due:
        if not follow_ups and row.kind == "follow_up":
            if utc(ctx.now) >= utc(row.due_at) and not row.forced:
                _hold(ctx, row, "not sent by its due time: the mailbox could not be read", report)
            continue
        try:
            _one(ctx, settings, secret, row, report)
        except AccountProblem as exc:
            # the account itself fails (login, TLS, AUTH): the rest waits, still scheduled
            report.retrying.append(row.id)
            _note_problem(ctx, [r for r in due if r.id not in _settled(report)], str(exc))
            return report._replace(account_problem=str(exc))
    return report


class AccountProblem(Exception):
    """The SMTP account cannot be used (login, TLS, AUTH): no message can go out now."""


def _settled(report: Report) -> set[int]:
    return {i for ids in (report.sent, report.held, report.failed, report.uncertain) for i in ids}


def _note_problem(ctx: Context, rows: list[OutboxRow], problem: str) -> None:
    fix = (
        "then" if "afterview mail setup" in problem else "fix it with `afterview mail setup`, then"
    )
    with ctx.db.transaction():
        for r in rows:
            store.move(
                ctx.db, ctx.account, r.id, ("scheduled",), "scheduled", ctx.now,
                reason=f"not sent yet: {problem} ({fix} `afterview mail check`)",
            )  # fmt: skip


def _hold(ctx: Context, row: OutboxRow, reason: str, report: Report) -> None:
    with ctx.db.transaction():
        if store.move(ctx.db, ctx.account, row.id, ("scheduled",), "held", ctx.now, reason=reason):
            report.held.append(row.id)


def _why_not(ctx: Context, row: OutboxRow) -> str | None:
    """Why `row` must not go out now, read from fresh facts; None when it may."""
    facts = ctx.facts()
    action = action_of(ctx, row, facts)
    reason = hold_reason(action, facts, row.approved_at, ctx.now, ctx.config.playbook)
    if (
        reason is None
        and action is not None
        and (
            utc(action.window.due_at) != utc(row.due_at)
            or action.state(ctx.now).value == "upcoming"
        )
    ):
        return (
            "the interview changed after you approved this message (its window moved); "
            "look at it again, then `afterview outbox reschedule`"
        )
    if reason is None and utc(ctx.now) >= utc(row.due_at) and not row.forced:
        due = row.due_at.astimezone(zone(ctx.user_tz))
        reason = f"it was not sent by its due time ({due:%a %d %b %H:%M})"
        if row.reason:
            reason += f"; last attempt: {row.reason}"
    if reason is None and action is not None:
        reason = _words_stale(ctx, row, facts)
    return reason


def _words_stale(ctx: Context, row: OutboxRow, facts: Facts) -> str | None:
    """Why afterview's words of `row` must not go out now: they were written for another
    day ("today" read tomorrow) or the other side of the due moment; None when they fit
    (or are the user's own, which nothing rewrites)."""
    if row.written_for is None:
        return None
    iv = next((i for i in facts.interviews if i.id == row.interview_id), None)
    if iv is None:
        return None
    due_hours = ctx.config.playbook.thank_you_due_hours
    if same_words(row.kind, iv, row.written_for, ctx.now, due_hours):
        return None
    written = row.written_for.astimezone(zone(ctx.user_tz))
    return (
        f"its wording was written to go out {written:%a %d %b %H:%M} and no longer fits now "
        f"(it says the interview was {interview_when(iv, row.written_for)}); "
        f"`afterview outbox reschedule {row.id}` writes it for the new time, and "
        f"`afterview outbox show {row.id}` shows it"
    )


def _one(
    ctx: Context, settings: MailSettings, password: Secret | None, row: OutboxRow, report: Report
) -> None:
    reason = _why_not(ctx, row)
    if reason is not None:
        _hold(ctx, row, reason, report)
        return
    me, at = worker_name(), ctx.now
    try:
        with ctx.db.transaction():
            claimed = store.claim(ctx.db, ctx.account, row.id, at, me)
    except Exception as exc:
        if connection_lost(exc):  # the claim may have landed: take it back, nothing was sent
            _OWED.append((row.id, lambda c: _unclaim(c, row.id, me, at)))
        raise
    if claimed is None:
        return  # another worker has it, or it was edited, rescheduled or cancelled meanwhile
    row = claimed  # what is sent is what the outbox holds now
    try:
        msg = build_message(
            settings,
            to_name=row.to_name,
            to_email=row.to_email,
            subject=row.subject,
            body=row.body,
            message_id=row.message_id,
            at=at,
            tz=ctx.user_tz,
        )
    except Exception as exc:  # nothing was sent: hand it back to the user
        why = f"it cannot be sent as it is ({exc}); edit it with `afterview outbox edit`"
        _write(ctx, row.id, lambda c: _move(c, row.id, ("sending",), "held", at, reason=why))
        report.held.append(row.id)
        return
    try:
        smtp.send(settings, password, msg)
    except smtp.SendFailure as exc:
        if exc.kind == "account":
            why = f"not sent yet: {exc.reason}"
            _write(
                ctx, row.id, lambda c: _move(c, row.id, ("sending",), "scheduled", at, reason=why)
            )
            raise AccountProblem(exc.reason) from None
        failure = exc
        _write(ctx, row.id, lambda c: _failed(c, row, failure, report, at))
        return
    _write(ctx, row.id, lambda c: _mark_sent(c, row, at))
    report.sent.append(row.id)
    if settings.sent_folder and settings.has_imap:
        problem = _keep_copy(settings, msg.as_bytes(), at)
        if problem:
            _write(ctx, row.id, lambda c: _move(c, row.id, ("sent",), "sent", at, reason=problem))


# -- writes the worker owes the database ----------------------------------------------------------
#: What the worker learnt while its database was away (the server accepted a message, or
#: refused it), written once the database is back (`settle_owed`); one worker per process.
_OWED: list[tuple[int, Callable[[Context], object]]] = []


def connection_lost(exc: BaseException) -> bool:
    """True for a database error that a new connection may not meet: the server went away or
    restarted (PostgreSQL), or the database is busy with another writer (either engine;
    the store reports that as `Unavailable(BUSY)`)."""
    if is_busy(exc) or (isinstance(exc, Unavailable) and str(exc) == BUSY):
        return True
    if type(exc).__module__.startswith("psycopg"):
        import psycopg

        return isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError))
    return False


def _write(ctx: Context, message: int, write: Callable[[Context], object]) -> None:
    """Run `write` (one transaction); when the database is gone, owe it and raise."""
    try:
        write(ctx)
    except Exception as exc:
        if connection_lost(exc):
            _OWED.append((message, write))
        raise


def owed() -> list[int]:
    """The messages whose state the worker still owes the database."""
    return [message for message, _ in _OWED]


def settle_owed(ctx: Context) -> list[int]:
    """Write what the worker owes (right after reconnecting); return the messages settled.

    Each write expects the state it leaves (`sending`), so one that had landed after all
    changes nothing the second time. A write the database refuses for another reason than
    a lost connection is given up (the claim's lease then makes the message `uncertain`).
    """
    with ctx.db.unrecorded():
        return _settle(ctx)


def _settle(ctx: Context) -> list[int]:
    done = []
    while _OWED:
        message, write = _OWED[0]
        try:
            write(ctx)
        except Exception as exc:
            if connection_lost(exc):
                raise
        _OWED.pop(0)
        done.append(message)
    return done


def _move(
    ctx: Context, message: int, expected: tuple[str, ...], state: str, at: datetime, reason: str
) -> bool:
    with ctx.db.transaction():
        return store.move(ctx.db, ctx.account, message, expected, state, at, reason=reason)


def _unclaim(ctx: Context, message: int, me: str, at: datetime) -> None:
    """Give back a claim whose commit was not confirmed: no SMTP session was started."""
    with ctx.db.transaction():
        store.move(
            ctx.db, ctx.account, message, ("sending",), "scheduled", at, claimed_by_me=me,
            reason="will try again: the database went away while the worker took it",
        )  # fmt: skip


def _mark_sent(ctx: Context, row: OutboxRow, at: datetime) -> None:
    """The server accepted `row` at `at`: mark it sent and record the touch, once."""
    with ctx.db.transaction():
        moved = store.move(
            ctx.db, ctx.account, row.id, ("sending",), "sent", at, sent_at=at, reason=None
        ) or store.move(  # another worker took it for lost meanwhile; the server did accept it
            ctx.db, ctx.account, row.id, ("uncertain",), "sent", at, sent_at=at,
            reason="sent (another worker had taken it for lost)",
        )  # fmt: skip
        if moved:
            record_sent(ctx, row, at)


def _keep_copy(settings: MailSettings, data: bytes, at: datetime) -> str | None:
    """Append the sent message to the IMAP Sent folder; return a problem, or None."""
    from afterview.mail.check import connect_imap, describe_imap

    assert settings.imap_host is not None and settings.imap_port is not None
    folder = settings.sent_folder
    assert folder is not None
    try:
        password = credentials.login(settings, "imap", at)
    except AfterviewError as exc:  # an OAuth2 sign-in to renew
        return f"sent; no copy in the Sent folder ({exc})"
    if password is None:
        return "sent; no copy in the Sent folder (no IMAP password)"
    try:
        client = connect_imap(settings, password)
        try:
            client.append(folder, data, flags=[b"\\Seen"], msg_time=at)
        finally:
            client.logout()
    except Exception as exc:
        where = describe_imap(exc, settings.imap_host, settings.imap_port)
        return f"sent; no copy in the Sent folder ({where})"
    return None


def _failed(
    ctx: Context, row: OutboxRow, exc: smtp.SendFailure, report: Report, at: datetime
) -> None:
    with ctx.db.transaction():
        if exc.kind == "uncertain":
            store.move(
                ctx.db, ctx.account, row.id, ("sending",), "uncertain", at, reason=exc.reason
            )
            report.uncertain.append(row.id)
        elif exc.kind == "permanent":
            store.move(
                ctx.db, ctx.account, row.id, ("sending",), "failed", at,
                reason=f"{exc.reason}; once that is fixed, `afterview outbox reschedule {row.id}` "
                f"sends it again (for another address: fix the interviewer's, then "
                f"`afterview outbox cancel {row.id}` and `afterview send {row.action_id}`)",
            )  # fmt: skip
            report.failed.append(row.id)
        else:
            wait = BACKOFF[min(max(row.attempts - 1, 0), len(BACKOFF) - 1)]
            retry = at + wait
            if utc(retry) >= utc(row.due_at) and not row.forced:
                store.move(
                    ctx.db, ctx.account, row.id, ("sending",), "held", at,
                    reason=f"could not be sent before its due time ({exc.reason})",
                )  # fmt: skip
                report.held.append(row.id)
            else:
                store.move(
                    ctx.db, ctx.account, row.id, ("sending",), "scheduled", at,
                    retry_at=retry, reason=f"will try again: {exc.reason}",
                )  # fmt: skip
                report.retrying.append(row.id)


class Tick(NamedTuple):
    """One pass of `afterview run`: the mailbox read (if any), then the outbox.

    `sync_setup` is True when the mailbox could not be read because the settings are
    wrong (login refused, TLS not as the port speaks it, no password), not for now."""

    synced: dict[str, object] | None
    sync_error: str | None
    report: Report
    sync_setup: bool = False


def tick(ctx: Context, *, sync: bool, every: float | None = None) -> Tick:
    """Read the mailbox first (when `sync` and IMAP is set up), then send what is due
    (none of it journaled: see `run_once`); then record the pass as the account's last
    (`worker_status.record_pass`), a pass that failed too. `every`: the seconds until
    the next pass (None: run once)."""
    from afterview.services import worker_status

    try:
        with ctx.db.unrecorded():
            done = _tick(ctx, sync)
    except Exception as exc:
        if not connection_lost(exc):
            worker_status.record_failure(ctx, exc, every)
        raise
    worker_status.record_pass(ctx, done, every)
    return done


def _tick(ctx: Context, sync: bool) -> Tick:
    from afterview.services import replies
    from afterview.store import mail as mailstore

    synced: dict[str, object] | None = None
    error: str | None = None
    setup = False
    settings = mailstore.get_settings(ctx.db, ctx.account)
    if sync and settings is not None and settings.has_imap:
        try:
            synced = dict(replies.sync(ctx)._asdict())
        except AfterviewError as exc:
            error, setup = str(exc), exc.exit_code == 2
        except Exception as exc:  # IMAP down, network: report it, keep follow-ups back
            if db_error_line(exc) is not None:
                raise  # the database went away: `afterview run` reconnects
            from afterview.mail.check import describe_imap

            assert settings.imap_host is not None and settings.imap_port is not None
            error = describe_imap(exc, settings.imap_host, settings.imap_port)
    report = run_once(ctx, follow_ups=error is None)
    if ctx.config.channels:
        from afterview.services.notify import notify

        notify(ctx)  # a failing channel is tried again on the next tick
    return Tick(synced, error, report, setup)


def problem(ctx: Context, t: Tick) -> AfterviewError | None:
    """What a pass must end with when run once (cron, a systemd timer): the mail settings
    are wrong (exit 2: nothing can work until they are fixed), else a message the server
    refused or that may have gone out (exit 1: it needs you); None when all went as planned
    (a temporary failure is tried again, a held message waits for you by rule)."""
    setup = [p for p in (t.report.account_problem, t.sync_error if t.sync_setup else None) if p]
    if setup:
        text = "; ".join(setup)
        fix = (
            ""
            if "afterview mail setup" in text
            else (
                "; fix it with `afterview mail setup` (a password: the keyring or "
                "AFTERVIEW_SMTP_PASSWORD / AFTERVIEW_IMAP_PASSWORD)"
            )
        )
        return MailSetupError(
            f"{text}{fix}; then `afterview mail check` (the messages wait in the outbox)"
        )
    lines = []
    for message in t.report.failed:
        row = store.get_outbox(ctx.db, ctx.account, message)
        lines.append(f"message {message} refused: {row.reason if row else 'see the outbox'}")
    for message in t.report.uncertain:
        lines.append(
            f"message {message} may or may not have gone out: check your Sent folder, then "
            f"`afterview outbox confirm {message} --sent` or `--not-sent`"
        )
    return Refused("; ".join(lines)) if lines else None
