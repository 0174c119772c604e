"""Checking the mail side of an export document (version 2): the calendar feed's
SEQUENCEs, notifications sent, the mail settings, the sync state and the outbox.

The same reading as `import_check` (the CLI's own rules, places in messages); the
mail settings go through `mail setup`'s own `build_settings`.
"""

from __future__ import annotations

from typing import Any

from afterview.errors import BadInput
from afterview.mail.headers import check_address
from afterview.services.import_check import (
    MAX_TEXT,
    Refs,
    _action,
    _message_kind,
    _ref,
    _unique_ids,
)
from afterview.services.import_read import MAX_INTEGER, Obj

CALENDAR_EVENT = ("action_id", "window_key", "sequence")
NOTIFICATION = ("key", "channel", "sent_at")
MAIL = (
    "smtp_host", "smtp_port", "smtp_security", "smtp_user", "from_address", "from_name",
    "imap_host", "imap_port", "imap_security", "imap_user", "sent_folder", "my_addresses",
    "allow_insecure", "auth", "oauth_provider", "oauth_client_id", "updated_at",
)  # fmt: skip
MAIL_SYNC = ("folder", "uidvalidity", "last_uid", "highest_modseq", "synced_at")
OUTBOX = (
    "id", "interview_id", "action_id", "kind", "person_id", "to_name", "to_email", "subject",
    "body", "message_id", "state", "send_at", "due_at", "forced", "attempts", "retry_at",
    "reason", "claimed_by", "claimed_at", "sent_at", "approved_at", "updated_at", "written_for",
)  # fmt: skip
#: The states an outbox message may have in a document: never one the worker would send.
OUTBOX_STATES = ("held", "uncertain", "sent", "failed", "cancelled")


def calendar_events(events: list[Obj], refs: Refs) -> list[dict[str, Any]]:
    out = []
    seen = refs.seen("calendar_event")
    for e in events:
        action_id, _ = _action(e, refs)
        if action_id in seen:
            raise e.fail("action_id", f"{action_id} appears twice")
        seen.add(action_id)
        out.append(
            {
                "action_id": action_id,
                "window_key": e.line("window_key", 200),
                "sequence": e.integer("sequence", 0, MAX_INTEGER),
            }
        )
    return out


def notifications(notes: list[Obj], refs: Refs) -> list[dict[str, Any]]:
    out = []
    seen = refs.seen("notification")
    for n in notes:
        key, channel = n.line("key", 500), n.line("channel", 64)
        assert key is not None and channel is not None
        if (key, channel) in seen:
            raise n.fail("key", f"{key!r} appears twice for channel {channel}")
        seen.add((key, channel))
        out.append({"key": key, "channel": channel, "sent_at": n.moment("sent_at")})
    return out


def mail_settings(settings: list[Obj], refs: Refs) -> list[dict[str, Any]]:
    """The mail settings (one record, or none), checked by `mail setup`'s own rules
    (`build_settings`)."""
    return [_mail_settings(m) for m in settings]


def _mail_settings(m: Obj) -> dict[str, Any]:
    from afterview.mail.settings import AUTH, OAUTH_PROVIDERS, SECURITY, build_settings

    mine = m.lines("my_addresses", 320, 100)
    given: dict[str, Any] = {
        "smtp_host": m.line("smtp_host", 255) or "",
        "smtp_port": m.integer("smtp_port", 1, 65535),
        "smtp_security": m.choice("smtp_security", SECURITY) or "",
        "smtp_user": m.line("smtp_user", 320, True),
        "from_address": m.line("from_address", 320) or "",
        "from_name": m.line("from_name", 300, True),
        "imap_host": m.line("imap_host", 255, True),
        "imap_port": m.integer("imap_port", 1, 65535, True),
        "imap_security": m.choice("imap_security", SECURITY, True),
        "imap_user": m.line("imap_user", 320, True),
        "sent_folder": m.line("sent_folder", 300, True),
        # absent from exports made before OAuth2 (schema 21): a password login
        "auth": m.choice("auth", AUTH, True) or "password",
        "oauth_provider": m.choice("oauth_provider", OAUTH_PROVIDERS, True),
        "oauth_client_id": m.line("oauth_client_id", 200, True),
    }
    insecure, updated = m.flag("allow_insecure"), m.moment("updated_at")
    try:
        s = build_settings(**given, my_addresses=tuple(mine), allow_insecure=insecure)
    except BadInput as exc:
        raise m.fail(exc.field, exc.problem) from None
    return {**s._asdict(), "my_addresses": list(s.my_addresses), "updated_at": updated}


def mail_sync(folders: list[Obj], refs: Refs) -> list[dict[str, Any]]:
    out = []
    seen = refs.seen("mail_sync")
    for s in folders:
        folder = s.line("folder", 1000)
        assert folder is not None
        if folder in seen:
            raise s.fail("folder", f"{folder!r} appears twice")
        seen.add(folder)
        out.append(
            {
                "folder": folder,
                "uidvalidity": s.integer("uidvalidity", 0, MAX_INTEGER),
                "last_uid": s.integer("last_uid", 0, MAX_INTEGER),
                "highest_modseq": s.integer("highest_modseq", 0, MAX_INTEGER, True),
                "synced_at": s.moment("synced_at"),
            }
        )
    return out


def outbox(items: list[Obj], refs: Refs) -> list[dict[str, Any]]:
    from afterview.textcheck import MAX_HEADER_TEXT

    message_ids = refs.seen("outbox_message")
    elsewhere = refs.elsewhere.get("outbox_message", set())
    _unique_ids(items, "message", refs, "outbox")
    live = refs.seen("outbox_live")
    out = []
    for o in items:
        iv = _ref(o, "interview_id", refs.interviews, "interview")
        assert iv is not None
        kind, action_id = _message_kind(o, refs, iv)
        state = o.choice("state", OUTBOX_STATES)
        if state in ("held", "uncertain"):
            if action_id in live:
                raise o.fail("state", f"{action_id} has another message waiting")
            live.add(action_id)
        to_name = o.line("to_name", MAX_HEADER_TEXT, True)
        to_email = o.line("to_email", 320)
        assert to_email is not None
        mid = o.line("message_id", 1000)
        assert mid is not None
        if mid in message_ids:
            raise o.fail("message_id", f"another message has the same message id ({mid[:60]!r})")
        if mid in elsewhere:
            raise o.fail(
                "message_id", "another account of this database has a message with this id"
            )
        message_ids.add(mid)
        out.append(
            {
                "id": o.ident("id"),
                "interview_id": iv,
                "action_id": action_id,
                "kind": kind,
                "person_id": _ref(o, "person_id", refs.people, "person", True),
                "to_name": to_name,
                "to_email": check_address(to_email, o.place("to_email")),
                "subject": o.line("subject", MAX_HEADER_TEXT),
                "body": o.text("body", MAX_TEXT),
                "message_id": mid,
                "state": state,
                "send_at": o.moment("send_at"),
                "due_at": o.moment("due_at"),
                "forced": o.flag("forced"),
                "attempts": o.integer("attempts", 0, 1_000_000, True) or 0,
                "retry_at": o.moment("retry_at", True),
                "reason": o.text("reason", 5000, True),
                "claimed_by": o.line("claimed_by", 300, True),
                "claimed_at": o.moment("claimed_at", True),
                "sent_at": o.moment("sent_at", True),
                "approved_at": o.moment("approved_at"),
                "updated_at": o.moment("updated_at"),
                "written_for": o.moment("written_for", True),
            }
        )
    return out


#: Each list of the mail side: the keys of its records, and the check of a batch of them.
SECTIONS: dict[str, tuple[tuple[str, ...], Any]] = {
    "calendar_events": (CALENDAR_EVENT, calendar_events),
    "notifications": (NOTIFICATION, notifications),
    "mail": (MAIL, mail_settings),
    "mail_sync": (MAIL_SYNC, mail_sync),
    "outbox": (OUTBOX, outbox),
}
