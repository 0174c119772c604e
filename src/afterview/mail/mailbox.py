"""Reading the user's mailbox over IMAP, read-only, in batches.

Only headers are fetched for every message (BODY.PEEK: nothing is flagged or
moved); a short text snippet is fetched for the few messages that turn out to
be the employer's. A message whose headers cannot be read (broken MIME, odd
charsets, no usable date or sender) is skipped and counted, never fatal.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email import policy
from email.parser import BytesHeaderParser, BytesParser
from email.utils import parseaddr, parsedate_to_datetime
from typing import Any, NamedTuple

from afterview.core.replies import IncomingMail

_FIELDS = (
    b"FROM DATE SUBJECT MESSAGE-ID IN-REPLY-TO REFERENCES AUTO-SUBMITTED X-AUTOREPLY "
    b"X-AUTORESPOND PRECEDENCE CONTENT-TYPE"
)
HEADERS = b"BODY.PEEK[HEADER.FIELDS (" + _FIELDS + b")]"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ROBOTS = ("mailer-daemon", "postmaster")
BATCH = 500
SNIPPET_CHARS = 280
_MSGID = re.compile(r"<[^<>\s]+>")


def uid_batches(uids: list[int], size: int = BATCH) -> Iterator[list[int]]:
    """The UIDs in ascending batches."""
    ordered = sorted(uids)
    for i in range(0, len(ordered), size):
        yield ordered[i : i + size]


class Parsed(NamedTuple):
    """A message's headers as read, and whether software wrote it (an auto-reply, a bounce)."""

    mail: IncomingMail
    automatic: bool


def header_bytes(item: dict[Any, Any]) -> bytes:
    """The header block of a FETCH answer, whatever exact key the server echoed."""
    for key, value in item.items():
        if isinstance(key, bytes) and key.upper().startswith(b"BODY[HEADER.FIELDS"):
            return value if isinstance(value, bytes) else b""
    return b""


def clean(text: str, limit: int) -> str:
    """One line of text without control characters (terminal escapes included)."""
    return " ".join(_CONTROL.sub(" ", text).split())[:limit]


def parse_headers(
    raw: bytes, internaldate: datetime | None, uid: int, uidvalidity: int
) -> Parsed | None:
    """Read the headers of one message; None when they cannot be used."""
    try:
        msg = BytesHeaderParser(policy=policy.compat32).parsebytes(raw)
        sender_name, sender = parseaddr(_text(msg.get("From", "")))
        sender = clean(sender, 320).lower()
        if "@" not in sender or " " in sender:
            return None
        at = _date(_text(msg.get("Date", "")), internaldate)
        if at is None:
            return None
        subject = clean(_decoded(_text(msg.get("Subject", ""))), 300)
        mid = _ids(_text(msg.get("Message-ID", "")))
        message_id = mid[0] if mid else _fallback_id(sender, _text(msg.get("Date", "")), subject)
        refs = tuple(
            dict.fromkeys(
                _ids(_text(msg.get("In-Reply-To", ""))) + _ids(_text(msg.get("References", "")))
            )
        )
        mail = IncomingMail(
            message_id, sender, clean(_decoded(sender_name), 200), subject, at, refs
        )
        return Parsed(mail, _automatic(msg, sender))
    except Exception:  # a broken message is skipped, whatever broke
        return None


def _automatic(msg: Any, sender: str) -> bool:
    """RFC 3834 auto-replies, vacation notices, bulk mail and delivery reports."""
    submitted = _text(msg.get("Auto-Submitted", "")).strip().lower()
    if submitted and submitted != "no":
        return True
    if msg.get("X-Autoreply") is not None or msg.get("X-Autorespond") is not None:
        return True
    if _text(msg.get("Precedence", "")).strip().lower() in ("bulk", "junk", "list", "auto_reply"):
        return True
    if "multipart/report" in _text(msg.get("Content-Type", "")).lower():
        return True
    return sender.partition("@")[0] in _ROBOTS


def _fallback_id(sender: str, date: str, subject: str) -> str:
    """A stable id for a message without a Message-ID (the same after a folder is renumbered)."""
    digest = hashlib.sha256(f"{sender}\n{date.strip()}\n{subject}".encode()).hexdigest()[:32]
    return f"<{digest}@afterview.invalid>"


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return str(value) if value is not None else ""


def _decoded(value: str) -> str:
    from email.header import decode_header, make_header

    try:
        return str(make_header(decode_header(value)))
    except Exception:
        return value.encode("utf-8", "replace").decode("utf-8", "replace")


def _ids(value: str) -> list[str]:
    return _MSGID.findall(value)


def _date(value: str, internaldate: datetime | None) -> datetime | None:
    at: datetime | None = None
    if value:
        try:
            at = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            at = None
    if at is None or at.tzinfo is None:
        at = internaldate
    if at is None:
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC)


def snippet(raw: bytes) -> str:
    """The start of the message's plain text, on one line (empty when there is none)."""
    try:
        msg = BytesParser(policy=policy.default).parsebytes(raw)
        part = msg.get_body(preferencelist=("plain",))
        if part is None:
            return ""
        text = part.get_content()
    except Exception:
        return ""
    lines = [line for line in str(text).splitlines() if line.strip() and not line.startswith(">")]
    return clean(" ".join(lines), SNIPPET_CHARS)
