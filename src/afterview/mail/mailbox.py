"""Reading the user's mailbox over IMAP, read-only, in batches.

Only headers are fetched for every message (BODY.PEEK: nothing is flagged or
moved); a short text snippet is fetched for the few messages that turn out to
be the employer's. A message whose headers cannot be read (broken MIME, odd
charsets, no usable date or sender) is skipped and counted, never fatal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email import policy
from email.parser import BytesHeaderParser, BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from typing import Any

from afterview.core.replies import IncomingMail

HEADERS = b"BODY.PEEK[HEADER.FIELDS (FROM DATE SUBJECT MESSAGE-ID IN-REPLY-TO REFERENCES)]"
HEADERS_KEY = b"BODY[HEADER.FIELDS (FROM DATE SUBJECT MESSAGE-ID IN-REPLY-TO REFERENCES)]"
BATCH = 500
SNIPPET_BYTES = 64 * 1024
SNIPPET_CHARS = 280
_MSGID = re.compile(r"<[^<>\s]+>")


def uid_batches(uids: list[int], size: int = BATCH) -> Iterator[list[int]]:
    """The UIDs in ascending batches."""
    ordered = sorted(uids)
    for i in range(0, len(ordered), size):
        yield ordered[i : i + size]


def parse_headers(
    raw: bytes, internaldate: datetime | None, uid: int, uidvalidity: int
) -> IncomingMail | None:
    """Read the headers of one message; None when they cannot be used."""
    try:
        msg = BytesHeaderParser(policy=policy.compat32).parsebytes(raw)
        sender_name, sender = parseaddr(_text(msg.get("From", "")))
        sender = sender.strip().lower()
        if "@" not in sender:
            return None
        at = _date(_text(msg.get("Date", "")), internaldate)
        if at is None:
            return None
        mid = _ids(_text(msg.get("Message-ID", "")))
        message_id = mid[0] if mid else f"<uid-{uidvalidity}-{uid}@afterview.invalid>"
        refs = tuple(
            dict.fromkeys(
                _ids(_text(msg.get("In-Reply-To", ""))) + _ids(_text(msg.get("References", "")))
            )
        )
        subject = " ".join(_decoded(_text(msg.get("Subject", ""))).split())[:300]
        return IncomingMail(
            message_id, sender, " ".join(_decoded(sender_name).split())[:200], subject, at, refs
        )
    except Exception:  # a broken message is skipped, whatever broke
        return None


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
    return " ".join(" ".join(lines).split())[:SNIPPET_CHARS]


def all_addresses(value: str) -> list[str]:
    """Every address in a header value (To, Cc), lower case."""
    return [a.lower() for _, a in getaddresses([value]) if "@" in a]
