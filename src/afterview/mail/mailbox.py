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
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from typing import Any

from afterview.core.mail_kinds import HEADERS as KIND_HEADERS
from afterview.core.replies import IncomingMail
from afterview.textcheck import clean_line

_FIELDS = " ".join(
    ["FROM", "REPLY-TO", "DATE", "SUBJECT", "MESSAGE-ID", "IN-REPLY-TO", "REFERENCES"]
    + [h.upper() for h in KIND_HEADERS]
).encode("ascii")
HEADERS = b"BODY.PEEK[HEADER.FIELDS (" + _FIELDS + b")]"
BATCH = 500
SNIPPET_CHARS = 280
#: How long a sender's name, a subject or a header read for its kind may be, once cleaned.
NAME_CHARS = 200
SUBJECT_CHARS = 300
HEADER_CHARS = 300
_ANGLED = re.compile(r"<([^<>\s@]+@[^<>\s@]+)>\s*$")
_MSGID = re.compile(r"<[^<>\s]+>")


def uid_batches(uids: list[int], size: int = BATCH) -> Iterator[list[int]]:
    """The UIDs in ascending batches."""
    ordered = sorted(uids)
    for i in range(0, len(ordered), size):
        yield ordered[i : i + size]


def header_bytes(item: dict[Any, Any]) -> bytes:
    """The header block of a FETCH answer, whatever exact key the server echoed."""
    for key, value in item.items():
        if isinstance(key, bytes) and key.upper().startswith(b"BODY[HEADER.FIELDS"):
            return value if isinstance(value, bytes) else b""
    return b""


def clean(text: str, limit: int) -> str:
    """One line of text as `check_line` accepts it: encoded words decoded, control
    characters (terminal escapes included), line breaks and direction overrides made spaces."""
    return clean_line(_unescaped(text), limit)


def parse_headers(
    raw: bytes, internaldate: datetime | None, uid: int, uidvalidity: int
) -> IncomingMail | None:
    """Read the headers of one message; None when they cannot be used (no sender, no date)."""
    try:
        fields = _fields(raw)

        def get(name: str) -> str:
            return fields.get(name.lower(), [""])[0]

        sender_name, sender = _address(get("From"))
        sender = clean(sender, 320).lower()
        if "@" not in sender or " " in sender:
            return None
        at = _date(get("Date"), internaldate)
        if at is None:
            return None
        subject = clean(get("Subject"), SUBJECT_CHARS)
        mid = _ids(get("Message-ID"))
        message_id = mid[0] if mid else _fallback_id(sender, get("Date"), subject)
        refs = tuple(dict.fromkeys(_ids(get("In-Reply-To")) + _ids(get("References"))))
        reply_to = tuple(
            (clean(name, NAME_CHARS), clean(address, 320).lower())
            for name, address in getaddresses(fields.get("reply-to", []))
            if "@" in address
        )[:5]
        headers = tuple(
            (name, clean(fields[name][0], HEADER_CHARS)) for name in KIND_HEADERS if name in fields
        )
        return IncomingMail(
            message_id, sender, clean(sender_name, NAME_CHARS), subject, at, refs, reply_to, headers
        )
    except Exception:  # a broken message is skipped, whatever broke
        return None


def _fallback_id(sender: str, date: str, subject: str) -> str:
    """A stable id for a message without a Message-ID (the same after a folder is renumbered)."""
    digest = hashlib.sha256(f"{sender}\n{date.strip()}\n{subject}".encode()).hexdigest()[:32]
    return f"<{digest}@afterview.invalid>"


def _address(value: str) -> tuple[str, str]:
    """The name and address of a From line. `Name <address>` at its end is read as mail
    programs show it, whatever the name holds (parseaddr takes a `:` or `@` in an
    unencoded name for the address)."""
    found = _ANGLED.search(value)
    if found is None:
        return parseaddr(value)
    name = value[: found.start()].strip()
    if len(name) >= 2 and name[0] == name[-1] == '"':
        name = name[1:-1].replace('\\"', '"')
    return name, found.group(1)


def _fields(raw: bytes) -> dict[str, list[str]]:
    """The message's header fields by lower-case name, each value as sent (raw 8-bit bytes
    read as text, see `_unescaped`)."""
    msg = BytesHeaderParser(policy=policy.compat32).parsebytes(raw)
    fields: dict[str, list[str]] = {}
    for name, value in msg.raw_items():
        fields.setdefault(name.lower(), []).append(_unescaped(str(value)))
    return fields


def _unescaped(value: str) -> str:
    """Raw 8-bit bytes in a header (the parser keeps them as surrogates) read as UTF-8,
    else as Windows-1252, which is what senders of such headers mostly mean."""
    if value.isascii() or not any("\udc80" <= c <= "\udcff" for c in value):
        return value
    data = value.encode("utf-8", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


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
