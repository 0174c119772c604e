"""SQL for mail: the account's mail settings and the outbox.

Every function takes the account. State changes of an outbox message name the
state they expect (`WHERE state = ?`), so two workers never both claim one message.
"""

from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from afterview.store.codec import get_dt, put_dt
from afterview.store.db import Database

if TYPE_CHECKING:  # the agenda reads the outbox without the mail settings' module
    from afterview.mail.settings import MailSettings

_SETTINGS_COLUMNS = (
    "smtp_host, smtp_port, smtp_security, smtp_user, from_address, from_name, imap_host, "
    "imap_port, imap_security, imap_user, sent_folder, my_addresses, allow_insecure, auth, "
    "oauth_provider, oauth_client_id"
)


def save_settings(db: Database, account: int, s: "MailSettings", now: datetime) -> None:
    """Replace the account's mail settings."""
    db.execute("DELETE FROM mail_settings WHERE account_id = ?", (account,))
    db.execute(
        f"INSERT INTO mail_settings (account_id, {_SETTINGS_COLUMNS}, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            account,
            s.smtp_host,
            s.smtp_port,
            s.smtp_security,
            s.smtp_user,
            s.from_address,
            s.from_name,
            s.imap_host,
            s.imap_port,
            s.imap_security,
            s.imap_user,
            s.sent_folder,
            "\n".join(s.my_addresses),
            int(s.allow_insecure),
            s.auth,
            s.oauth_provider,
            s.oauth_client_id,
            put_dt(now),
        ),
    )


def get_settings(db: Database, account: int) -> "MailSettings | None":
    """Return the account's mail settings, or None when mail is not set up."""
    row = db.one(f"SELECT {_SETTINGS_COLUMNS} FROM mail_settings WHERE account_id = ?", (account,))
    if row is None:
        return None
    (host, port, sec, user, sender, name, ihost, iport, isec, iuser, folder, mine, insecure,
     auth, provider, client) = row  # fmt: skip
    from afterview.mail.settings import MailSettings

    return MailSettings(
        smtp_host=host,
        smtp_port=int(port),
        smtp_security=sec,
        smtp_user=user,
        from_address=sender,
        from_name=name,
        imap_host=ihost,
        imap_port=int(iport) if iport is not None else None,
        imap_security=isec,
        imap_user=iuser,
        sent_folder=folder,
        my_addresses=tuple(a for a in mine.split("\n") if a),
        allow_insecure=bool(insecure),
        auth=auth,
        oauth_provider=provider,
        oauth_client_id=client,
    )


class OutboxRow(NamedTuple):
    """A message in the outbox. `written_for`: the moment afterview's wording was written
    for (it says "today", "yesterday"... from then); None for the user's own words."""

    id: int
    interview_id: int
    action_id: str
    kind: str
    person_id: int | None
    to_name: str | None
    to_email: str
    subject: str
    body: str
    message_id: str
    state: str
    send_at: datetime
    due_at: datetime
    forced: bool
    attempts: int
    retry_at: datetime | None
    reason: str | None
    claimed_by: str | None
    claimed_at: datetime | None
    sent_at: datetime | None
    approved_at: datetime
    updated_at: datetime
    written_for: datetime | None = None


_OUTBOX_COLUMNS = (
    "id, interview_id, action_id, kind, person_id, to_name, to_email, subject, body, message_id, "
    "state, send_at, due_at, forced, attempts, retry_at, reason, claimed_by, claimed_at, sent_at, "
    "approved_at, updated_at, written_for"
)


def _opt_dt(value: str | None) -> datetime | None:
    return get_dt(value) if value else None


def _outbox_row(r: tuple[object, ...]) -> OutboxRow:
    (i, iv, action, kind, person, to_name, to_email, subject, body, mid, state, send_at, due_at,
     forced, attempts, retry_at, reason, claimed_by, claimed_at, sent_at, approved_at, updated_at,
     written_for) = r  # fmt: skip
    return OutboxRow(
        id=int(i),  # type: ignore[call-overload]
        interview_id=int(iv),  # type: ignore[call-overload]
        action_id=str(action),
        kind=str(kind),
        person_id=int(person) if person is not None else None,  # type: ignore[call-overload]
        to_name=to_name if isinstance(to_name, str) else None,
        to_email=str(to_email),
        subject=str(subject),
        body=str(body),
        message_id=str(mid),
        state=str(state),
        send_at=get_dt(str(send_at)),
        due_at=get_dt(str(due_at)),
        forced=bool(forced),
        attempts=int(attempts),  # type: ignore[call-overload]
        retry_at=_opt_dt(retry_at if isinstance(retry_at, str) else None),
        reason=reason if isinstance(reason, str) else None,
        claimed_by=claimed_by if isinstance(claimed_by, str) else None,
        claimed_at=_opt_dt(claimed_at if isinstance(claimed_at, str) else None),
        sent_at=_opt_dt(sent_at if isinstance(sent_at, str) else None),
        approved_at=get_dt(str(approved_at)),
        updated_at=get_dt(str(updated_at)),
        written_for=_opt_dt(written_for if isinstance(written_for, str) else None),
    )


def add_outbox(
    db: Database,
    account: int,
    *,
    interview_id: int,
    action_id: str,
    kind: str,
    person_id: int | None,
    to_name: str | None,
    to_email: str,
    subject: str,
    body: str,
    message_id: str,
    send_at: datetime,
    due_at: datetime,
    forced: bool,
    now: datetime,
    written_for: datetime | None = None,
) -> int:
    """Put a scheduled message in the outbox and return its id (`written_for`: the moment
    afterview's wording was written for; None for the user's own words)."""
    return db.insert(
        "INSERT INTO outbox (account_id, interview_id, action_id, kind, person_id, to_name, "
        "to_email, subject, body, message_id, state, send_at, due_at, forced, approved_at, "
        "updated_at, written_for) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', ?, ?, ?, "
        "?, ?, ?)",
        (
            account,
            interview_id,
            action_id,
            kind,
            person_id,
            to_name,
            to_email,
            subject,
            body,
            message_id,
            put_dt(send_at),
            put_dt(due_at),
            int(forced),
            put_dt(now),
            put_dt(now),
            put_dt(written_for) if written_for is not None else None,
        ),
    )


def get_outbox(db: Database, account: int, message: int) -> OutboxRow | None:
    """Return one outbox message of the account."""
    row = db.one(
        f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE account_id = ? AND id = ?", (account, message)
    )
    return _outbox_row(row) if row else None


def list_outbox(
    db: Database, account: int, states: tuple[str, ...] = (), interview_id: int | None = None
) -> list[OutboxRow]:
    """Return the account's outbox messages (optionally in `states`), by send time."""
    sql = f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE account_id = ?"
    params: list[object] = [account]
    if states:
        sql += f" AND state IN ({', '.join('?' for _ in states)})"
        params += list(states)
    if interview_id is not None:
        sql += " AND interview_id = ?"
        params.append(interview_id)
    return [_outbox_row(r) for r in db.query(sql + " ORDER BY send_at, id", params)]


def live_for_action(db: Database, account: int, action_id: str) -> OutboxRow | None:
    """Return the message of `action_id` that is not settled yet (scheduled, sending, held, uncertain)."""
    row = db.one(
        f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE account_id = ? AND action_id = ? "
        "AND state IN ('scheduled', 'sending', 'held', 'uncertain')",
        (account, action_id),
    )
    return _outbox_row(row) if row else None


def live_messages(db: Database, account: int) -> list[OutboxRow]:
    """Return every message not settled yet (scheduled, sending, held, uncertain)."""
    return [
        _outbox_row(r)
        for r in db.query(
            f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE account_id = ? "
            "AND state IN ('scheduled', 'sending', 'held', 'uncertain') ORDER BY id",
            (account,),
        )
    ]


def due(db: Database, account: int, now: datetime) -> list[OutboxRow]:
    """Return the scheduled messages whose send time (and retry time) has come."""
    t = put_dt(now)
    return [
        _outbox_row(r)
        for r in db.query(
            f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE account_id = ? AND state = 'scheduled' "
            "AND send_at <= ? AND (retry_at IS NULL OR retry_at <= ?) ORDER BY send_at, id",
            (account, t, t),
        )
    ]


def claim(db: Database, account: int, message: int, now: datetime, worker: str) -> OutboxRow | None:
    """Take a due message for sending (`scheduled` -> `sending`) and return it as it is now.

    None when it is no longer scheduled and due: another worker took it, or it
    was rescheduled or cancelled since the worker listed it.
    """
    t = put_dt(now)
    changed = db.update(
        "UPDATE outbox SET state = 'sending', claimed_by = ?, claimed_at = ?, updated_at = ?, "
        "attempts = attempts + 1 WHERE account_id = ? AND id = ? AND state = 'scheduled' "
        "AND send_at <= ? AND (retry_at IS NULL OR retry_at <= ?)",
        (worker, t, t, account, message, t, t),
    )
    return get_outbox(db, account, message) if changed == 1 else None


def move(
    db: Database,
    account: int,
    message: int,
    expected: tuple[str, ...],
    state: str,
    now: datetime,
    *,
    claimed_by_me: str | None = None,
    **changes: object,
) -> bool:
    """Move a message from one of the `expected` states to `state`, with other column changes.

    Returns False (and changes nothing) when the message is not in an expected
    state any more: another worker or command got there first. With `claimed_by_me`,
    only a message that worker claimed moves.
    """
    allowed = {
        "reason",
        "claimed_by",
        "claimed_at",
        "sent_at",
        "attempts",
        "retry_at",
        "send_at",
        "subject",
        "body",
        "forced",
        "approved_at",
        "written_for",
    }
    sets = ["state = ?", "updated_at = ?"]
    params: list[object] = [state, put_dt(now)]
    for key, value in changes.items():
        if key not in allowed:
            raise ValueError(f"outbox column {key} cannot be changed")
        sets.append(f"{key} = ?")
        params.append(put_dt(value) if isinstance(value, datetime) else value)  # None: NULL
    marks = ", ".join("?" for _ in expected)
    params += [account, message, *expected]
    mine = ""
    if claimed_by_me is not None:
        mine = " AND claimed_by = ?"
        params.append(claimed_by_me)
    changed = db.update(
        f"UPDATE outbox SET {', '.join(sets)} WHERE account_id = ? AND id = ? "
        f"AND state IN ({marks}){mine}",
        params,
    )
    return changed == 1


# -- reading replies --------------------------------------------------------------------------------
class SyncState(NamedTuple):
    """How far the mailbox folder has been read."""

    uidvalidity: int
    last_uid: int
    highest_modseq: int | None


def get_sync_state(db: Database, account: int, folder: str) -> SyncState | None:
    """Return the folder's sync state, or None before the first sync."""
    row = db.one(
        "SELECT uidvalidity, last_uid, highest_modseq FROM mail_sync WHERE account_id = ? AND folder = ?",
        (account, folder),
    )
    if row is None:
        return None
    return SyncState(int(row[0]), int(row[1]), int(row[2]) if row[2] is not None else None)


def save_sync_state(
    db: Database, account: int, folder: str, state: SyncState, now: datetime
) -> None:
    """Record how far the folder has been read."""
    db.execute("DELETE FROM mail_sync WHERE account_id = ? AND folder = ?", (account, folder))
    db.execute(
        "INSERT INTO mail_sync (account_id, folder, uidvalidity, last_uid, highest_modseq, synced_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (account, folder, state.uidvalidity, state.last_uid, state.highest_modseq, put_dt(now)),
    )


def known_message_ids(db: Database, account: int) -> set[str]:
    """The Message-IDs already recorded on touches."""
    return {
        str(r[0])
        for r in db.query(
            "SELECT message_id FROM touch WHERE account_id = ? AND message_id IS NOT NULL",
            (account,),
        )
    }


def sent_message_ids(db: Database, account: int) -> dict[str, int]:
    """Our sent Message-IDs and their interviews (outbox and sent touches)."""
    out: dict[str, int] = {}
    for mid, iv in db.query(
        "SELECT message_id, interview_id FROM touch WHERE account_id = ? AND direction = 'sent' "
        "AND message_id IS NOT NULL",
        (account,),
    ):
        out[str(mid)] = int(iv)
    for mid, iv in db.query(
        "SELECT message_id, interview_id FROM outbox WHERE account_id = ? "
        "AND state IN ('sent', 'uncertain', 'sending')",
        (account,),
    ):
        out[str(mid)] = int(iv)
    return out


def company_domains(db: Database, account: int) -> dict[int, str]:
    """The company domains set on applications."""
    return {
        int(i): str(d)
        for i, d in db.query(
            "SELECT id, email_domain FROM application WHERE account_id = ? AND email_domain IS NOT NULL",
            (account,),
        )
    }


def add_received_mail(
    db: Database,
    account: int,
    interview_id: int,
    person_id: int | None,
    at: datetime,
    note: str,
    now: datetime,
    message_id: str,
    sender: str,
    subject: str,
) -> bool:
    """Record an employer's message as a received touch; False when its Message-ID is known."""
    changed = db.update(
        "INSERT INTO touch (account_id, interview_id, direction, kind, person_id, at, note, forced, "
        "created_at, message_id, sender, subject) VALUES (?, ?, 'received', 'other', ?, ?, ?, 0, ?, ?, ?, ?) "
        "ON CONFLICT (account_id, message_id) DO NOTHING",
        (
            account,
            interview_id,
            person_id,
            put_dt(at),
            note,
            put_dt(now),
            message_id,
            sender,
            subject,
        ),
    )
    return changed == 1
