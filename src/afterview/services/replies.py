"""`afterview mail sync`: find the employer's replies in the user's mailbox.

INBOX is opened read-only (EXAMINE) and read incrementally by UIDVALIDITY/UID:
only messages after the last one seen are fetched, headers only, in batches; a
changed UIDVALIDITY means the server renumbered the folder, so it is read again
from the start (touches are kept unique by Message-ID, so nothing is recorded
twice). Each employer's message becomes a received touch with its sender,
subject, date and a short snippet; the plan's rules do the rest (a pending
follow-up is cancelled). An automatic answer (an out-of-office, a bounce) from the
employer's side is counted in the report and recorded nowhere (`core.replies` says
which is which). Progress is saved after each batch, so a dropped connection
resumes where it stopped. A database that goes away mid-sync is not taken for the
mailbox: its error goes up as it is.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any, NamedTuple

from afterview.core.replies import IncomingMail, ReplyFinder, ReplyMatch, company_domains
from afterview.core.timeutil import utc
from afterview.errors import AfterviewError, Refused, db_error_line
from afterview.mail import credentials, mailbox
from afterview.mail.check import connect_imap, describe_imap, setup_problem
from afterview.mail.smtp import MailError, MailSetupError
from afterview.services.context import Context
from afterview.services.outbox import require_settings
from afterview.store import mail as store

FOLDER = "INBOX"
SNIPPET_FETCH = b"BODY.PEEK[]<0.65536>"


class SyncReport(NamedTuple):
    """What one sync read and recorded."""

    folder: str
    seen: int
    replies: int
    recorded: int
    skipped: int
    rescanned: bool
    automatic: int = 0  # automatic answers about an interview (out-of-office…), not counted


def sync(ctx: Context, *, batch: int = mailbox.BATCH, rescan: bool = False) -> SyncReport:
    """Read new messages in INBOX and record the employer's as received touches.

    `rescan` reads INBOX again from the start (after adding an interviewer's address
    or a company domain, say); what is already recorded is not recorded again.
    """
    settings = require_settings(ctx)
    if not settings.has_imap:
        raise Refused(
            "no mailbox to read: add --imap-host (and the rest) with `afterview mail setup`"
        )
    assert settings.imap_host is not None
    password = credentials.require(settings, "imap", ctx.now)
    where = f"imap {settings.imap_host}:{settings.imap_port}"
    try:
        client = connect_imap(settings, password)
    except Exception as exc:
        error = MailSetupError if setup_problem(exc) else MailError
        raise error(
            f"{where}: {describe_imap(exc, settings.imap_host, settings.imap_port or 0)}"
        ) from None
    try:
        return _sync(ctx, client, settings.own_addresses(), batch, rescan)
    except AfterviewError:
        raise
    except Exception as exc:  # the server went away or answered oddly mid-sync
        if db_error_line(exc) is not None:
            raise  # the database, not the mailbox
        raise MailError(
            f"{where}: {describe_imap(exc, settings.imap_host, settings.imap_port or 0)} "
            "(what was read so far is kept; run it again)"
        ) from None
    finally:
        with contextlib.suppress(Exception):  # the connection may be gone already
            client.logout()


def _sync(ctx: Context, client: Any, own: frozenset[str], batch: int, again: bool) -> SyncReport:
    info = client.select_folder(FOLDER, readonly=True)
    uidvalidity = int(info[b"UIDVALIDITY"])
    uidnext = int(info[b"UIDNEXT"]) if b"UIDNEXT" in info else None
    modseq = int(info[b"HIGHESTMODSEQ"]) if b"HIGHESTMODSEQ" in info else None
    state = store.get_sync_state(ctx.db, ctx.account, FOLDER)
    rescan = again or (state is not None and state.uidvalidity != uidvalidity)
    last = 0 if state is None or rescan else state.last_uid
    if state is not None and not rescan and uidnext is not None and uidnext <= last + 1:
        return SyncReport(FOLDER, 0, 0, 0, 0, False)  # nothing new since the last sync
    uids = [u for u in client.search(["UID", f"{last + 1}:*"]) if u > last]
    if not uids:
        with ctx.db.transaction():
            store.save_sync_state(
                ctx.db, ctx.account, FOLDER, store.SyncState(uidvalidity, last, modseq), ctx.now
            )
        return SyncReport(FOLDER, 0, 0, 0, 0, rescan)
    facts = ctx.facts()
    ours = store.sent_message_ids(ctx.db, ctx.account)
    domains = company_domains(facts, store.company_domains(ctx.db, ctx.account))
    mine = own | ({ctx.config.my_email.lower()} if ctx.config.my_email else frozenset())
    known = store.known_message_ids(ctx.db, ctx.account)
    finder = ReplyFinder(facts, ours, frozenset(mine), domains)
    seen = replies = recorded = skipped = automatic = 0
    for chunk in mailbox.uid_batches(uids, batch):
        fetched = client.fetch(chunk, [mailbox.HEADERS, b"INTERNALDATE"])
        found: list[tuple[int, IncomingMail, ReplyMatch]] = []
        for uid in chunk:
            item = fetched.get(uid)
            seen += 1
            if item is None:
                skipped += 1
                continue
            raw = mailbox.header_bytes(item)
            internal = item.get(b"INTERNALDATE")
            parsed = mailbox.parse_headers(raw, _aware(internal), uid, uidvalidity)
            if parsed is None:
                skipped += 1
                continue
            mail = _plausible(parsed, _aware(internal))
            verdict = finder.judge(mail)
            if verdict.match is None:
                continue
            if not verdict.counts:
                automatic += 1  # an out-of-office or a bounce is not the employer writing
                continue
            match = verdict.match
            replies += 1
            if mail.message_id not in known:
                found.append((uid, mail, match))
        snippets = _snippets(client, [uid for uid, _, _ in found])
        with ctx.db.transaction():
            for uid, mail, match in found:
                if mail.message_id in known:
                    continue  # the same message twice in one batch
                text = snippets.get(uid, "")
                note = f"{mail.sender_name or mail.sender}: {mail.subject}" + (
                    f" — {text}" if text else ""
                )
                if store.add_received_mail(
                    ctx.db, ctx.account, match.interview_id, match.person_id, mail.at,
                    note[:600], ctx.now, mail.message_id, mail.sender, mail.subject,
                ):  # fmt: skip
                    recorded += 1
                known.add(mail.message_id)
            store.save_sync_state(
                ctx.db,
                ctx.account,
                FOLDER,
                store.SyncState(uidvalidity, max(chunk), modseq),
                ctx.now,
            )
    return SyncReport(FOLDER, seen, replies, recorded, skipped, rescan, automatic)


def _aware(value: Any) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    from datetime import UTC

    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _plausible(mail: IncomingMail, internal: datetime | None) -> IncomingMail:
    """A message was not written after the server received it: a Date header later than
    that (a sender's clock or zone off) gives way to the arrival time."""
    if internal is not None and utc(mail.at) > utc(internal):
        return mail._replace(at=internal)
    return mail


def _snippets(client: Any, uids: list[int]) -> dict[int, str]:
    if not uids:
        return {}
    out: dict[int, str] = {}
    for uid, item in client.fetch(uids, [SNIPPET_FETCH]).items():
        raw = next(
            (v for k, v in item.items() if isinstance(k, bytes) and k.startswith(b"BODY[]")), b""
        )
        out[uid] = mailbox.snippet(raw or b"")
    return out
