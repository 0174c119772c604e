"""The text of an invitation file, before icalendar reads it.

- **Charset.** A byte-order mark says it (UTF-8, UTF-16, UTF-32); else UTF-8 when the
  bytes are UTF-8; else the charset a `CHARSET=` parameter names (older Outlook and
  vCalendar senders write one); else Windows-1252, the usual "ANSI" of mail programs
  (Latin-1 would turn its quotes and dashes into control characters), with a note.
- **Quiet.** icalendar speaks through `warnings` (and may through `logging`): its own
  words and source paths must not reach the user's terminal (`silence()`).
"""

from __future__ import annotations

import codecs
import contextlib
import logging
import re
import warnings
from typing import Any

from afterview.errors import BadInput
from afterview.textcheck import check_line, shown

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CHARSET = re.compile(rb";CHARSET=\"?([A-Za-z0-9_.:-]{1,40})\"?[;:]", re.IGNORECASE)
# RFC 5545 3.1: no control character but HTAB in a content line (CR LF end the lines)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FOLD = re.compile(r"\r?\n[ \t]")
_TZIDS = re.compile(r';TZID=("[^"\r\n]*"|[^:;\r\n]*)|^TZID(?:;[^:\r\n]*)?:([^\r\n]*)', re.I | re.M)
_SEQUENCES = re.compile(r"^SEQUENCE(?:;[^:\r\n]*)?:([^\r\n]*)", re.I | re.M)
SEQUENCE = re.compile(r"[0-9]{1,10}")
# the moments of an event: written with the digits 0-9 (Python reads "٢٠٢٦" as 2026)
_MOMENTS = re.compile(
    r"^(DTSTART|DTEND|DUE|RECURRENCE-ID|EXDATE|RDATE)(?:;[^:\r\n]*)?:([^\r\n]*)", re.I | re.M
)
_MOMENT_TEXT = re.compile(r"[0-9TZtz,/+PHMSDW-]*")
MAX_SEQUENCE = 2_147_483_647  # RFC 5545 says "integer"; what a 32-bit column holds


def _ascii_text_codec(name: str) -> str | None:
    """The codec's name when Python knows it as a text encoding that keeps ASCII as is."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    try:
        if "BEGIN:VCALENDAR;:\r\n".encode(info.name) != b"BEGIN:VCALENDAR;:\r\n":
            return None
    except (UnicodeError, LookupError):
        return None
    return info.name


def decode(data: bytes) -> tuple[str, list[str]]:
    """The file's text and, when its charset had to be guessed, a note saying how it was read."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), []
            except UnicodeDecodeError:
                return "", []  # not text after all: the caller says it is not a calendar
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(data)
    if declared:
        named = _ascii_text_codec(declared.group(1).decode("ascii"))
        if named is not None:
            with contextlib.suppress(UnicodeDecodeError):
                return data.decode(named), []
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # bytes Windows-1252 leaves undefined
        text = data.decode("latin-1")
    return text, ["the file is not UTF-8 and names no charset: read as Windows-1252"]


def prescan(text: str) -> None:
    """Refuse, before icalendar reads it, what it would misread or crash on: control
    characters, a TZID naming a folder or a name too long for a file (the zone database
    is files), a SEQUENCE that is not ASCII digits (Python reads "١" as 1)."""
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise BadInput(
            "invitation",
            f"line {line} holds a control character ({shown(bad.group())}): not a calendar file",
        )
    unfolded = _FOLD.sub("", text)
    from zoneinfo import ZoneInfo

    for m in _TZIDS.finditer(unfolded):
        name = (m.group(1) if m.group(1) is not None else m.group(2)).strip().strip('"')
        try:
            ZoneInfo(name)
        except OSError:  # a folder ("Europe"), a name too long for a file
            raise BadInput("TZID", f"unknown timezone {shown(name)}") from None
        except Exception:  # unknown or malformed: the reader decides, with its own words
            continue
    for m in _MOMENTS.finditer(unfolded):
        if not _MOMENT_TEXT.fullmatch(m.group(2).strip()):
            raise BadInput(
                m.group(1).upper(),
                f"expected a date and time written with the digits 0-9, like 20260915T140000, "
                f"got {shown(m.group(2).strip())}",
            )
    for m in _SEQUENCES.finditer(unfolded):
        raw = m.group(1).strip()
        if not SEQUENCE.fullmatch(raw) or int(raw) > MAX_SEQUENCE:
            raise BadInput(
                "SEQUENCE", f"expected a whole number from 0 to {MAX_SEQUENCE}, got {shown(raw)}"
            )


def raw_of(value: Any) -> str:
    """A property as the file wrote it (for error messages), else its text."""
    to_ical = getattr(value, "to_ical", None)
    if callable(to_ical):
        try:
            out = to_ical()
            return out.decode("utf-8", "replace") if isinstance(out, bytes) else str(out)
        except Exception:
            pass
    return text_of(value)


def silence() -> None:
    """Keep icalendar's warnings and log records off the user's terminal.

    Filters, not `warnings.catch_warnings` (which is not safe with the web app's
    threads); adding them again is harmless (a filter already there moves to the front),
    so each read calls this, and a test harness that resets filters cannot undo it. What
    matters in them (a vendor-prefixed TZID guessed by its tail) the reader notes itself.
    """
    warnings.filterwarnings("ignore", module=r"icalendar(\..*)?$")
    from icalendar import error

    for name in dir(error):
        kind = getattr(error, name)
        if isinstance(kind, type) and issubclass(kind, Warning):
            warnings.filterwarnings("ignore", category=kind)
    log = logging.getLogger("icalendar")
    if not any(isinstance(h, logging.NullHandler) for h in log.handlers):
        log.addHandler(logging.NullHandler())
    log.propagate = False


def text_of(value: Any) -> str:
    """A property's text; several of the same property joined by spaces."""
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(text_of(v) for v in value)
    return str(value)


def checked(value: str, field: str, where: str, *, limit: int, empty: bool = False) -> str:
    """`check_line`, with the place in the file (if any) added to a refusal."""
    try:
        return check_line(value, field, limit=limit, empty=empty)
    except BadInput as exc:
        raise BadInput(exc.field, f"{exc.problem} ({where})" if where else exc.problem) from None


_EMAIL = re.compile(
    r"^[A-Za-z0-9._+'-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)


# words that make an address a mailbox of a team or a service, not a person's
_NOT_NAMES = frozenset({
    "admin", "booking", "bookings", "calendar", "career", "careers", "contact", "do", "events",
    "group", "hello", "help", "hiring", "hr", "info", "interview", "interviews", "job", "jobs",
    "mail", "meeting", "meetings", "no", "noreply", "not", "notification", "notifications",
    "office", "people", "recruiter", "recruiters", "recruiting", "recruitment", "reply",
    "resource", "room", "sales", "schedule", "scheduling", "service", "services", "staff",
    "support", "talent", "team", "test", "user",
})  # fmt: skip


def name_from_address(email: str) -> str:
    """A name to greet by, read from an address only where it clearly is one
    ("sam.okoro@…" -> "Sam Okoro", "jean-pierre.roux@…" -> "Jean-Pierre Roux"), else ""
    ("jsmith@…", "talent.team@…", "s.okoro@…")."""
    local = email.split("@")[0]
    parts = re.split(r"[._-]", local)
    if not 2 <= len(parts) <= 3:
        return ""
    if any(
        len(p) < 2 or not (p.isascii() and p.isalpha()) or p.lower() in _NOT_NAMES for p in parts
    ):
        return ""
    words = re.split(r"([._-])", local)  # the parts and, between them, the separators
    return "".join(
        w.capitalize() if i % 2 == 0 else ("-" if w == "-" else " ") for i, w in enumerate(words)
    )


def address(prop: Any, field: str, where: str) -> tuple[str, str] | None:
    """`(name, email)` of an ORGANIZER or ATTENDEE; None unless it is one plain address.

    The name is the CN when it is a name, else "": Google writes the guest's address as
    the CN when there is no display name, and an address is no name to greet anyone by
    (the import then keeps a name it knows, or reads one from the address where it
    clearly is one: `name_from_address`).
    """
    raw = text_of(prop).strip()
    if not raw.lower().startswith("mailto:"):
        return None
    email = raw[7:].strip()
    if not _EMAIL.match(email):  # "%0d%0a", "<...>", spaces: not an address we write to
        return None
    email = email.lower()
    params = getattr(prop, "params", {}) or {}
    cn = text_of(params.get("CN", ""))
    name = checked(
        cn, f"{field} CN", f"{email}, {where}" if where else email, limit=200, empty=True
    )
    if len(name) >= 2 and name[0] == name[-1] == '"':
        name = name[1:-1].strip()
    return ("" if "@" in name else name), email
