"""Reading what the user typed: dates, datetimes, zones, people, scores.

Every failure is a `BadInput` naming the field and what is accepted.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from afterview.core.timeutil import NonexistentLocalTime, parse_local, zone
from afterview.errors import BadInput

_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")
_PERSON = re.compile(r"^\s*(?P<name>[^<>]*?)\s*<(?P<email>[^<>]*)>\s*$")
MAX_TEXT = 5000


def shown(value: str, limit: int = 60) -> str:
    """A value quoted for an error message, cut short when it is long."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def check_zone(name: str, field: str = "--tz") -> str:
    """Return `name` if it is a known IANA timezone."""
    try:
        zone(name)
    except (KeyError, ValueError):
        raise BadInput(
            field, f"unknown timezone {shown(name)}; use an IANA name like 'Europe/Paris'"
        ) from None
    return name


def parse_date(text: str, field: str) -> date:
    """Read `YYYY-MM-DD`."""
    try:
        if len(text.strip()) != 10:
            raise ValueError
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadInput(field, f"expected a date as YYYY-MM-DD, got {shown(text)}") from None


def parse_datetime(text: str, tz_name: str, field: str) -> datetime:
    """Read an ISO 8601 datetime; a naive one is wall-clock time in `tz_name`.

    A local time skipped by a daylight-saving change is refused; a repeated one
    means its first occurrence.
    """
    raw = text.strip()
    try:
        if len(raw) < 16:
            raise ValueError
        value = datetime.fromisoformat(raw.replace(" ", "T", 1) if "T" not in raw else raw)
    except ValueError:
        raise BadInput(
            field,
            f"expected a datetime as YYYY-MM-DDTHH:MM (ISO 8601, optional offset), got {shown(text)}",
        ) from None
    if value.tzinfo is not None:
        return value.replace(microsecond=0)
    try:
        return parse_local(value.replace(microsecond=0), zone(tz_name))
    except NonexistentLocalTime:
        raise BadInput(
            field,
            f"{raw} does not exist in {tz_name} (the clocks skip that hour); give a time outside it",
        ) from None


def parse_person(text: str, field: str) -> tuple[str, str | None]:
    """Read `"Name <email>"`, a bare e-mail address, or a bare name."""
    raw = check_text(text, field, limit=300)
    m = _PERSON.match(raw)
    if m:
        name, email = m.group("name").strip().strip('"').strip(), m.group("email").strip()
        if not _EMAIL.match(email):
            raise BadInput(
                field, f'expected "Name <email>", and {shown(email)} is not an e-mail address'
            )
        return (name or email.split("@")[0], email)
    if "<" in raw or ">" in raw:
        raise BadInput(field, f'expected "Name <email>", got {shown(text)}')
    if _EMAIL.match(raw):
        return (raw.split("@")[0], raw)
    if "@" in raw:
        raise BadInput(
            field, f'{shown(raw)} is not an e-mail address; expected "Name <email>" or a name'
        )
    return (raw, None)


def check_text(text: str, field: str, *, limit: int = MAX_TEXT) -> str:
    """Return `text` stripped; refuse empty text, control characters and text over `limit`."""
    value = text.strip()
    if not value:
        raise BadInput(field, "expected some text, got nothing")
    if len(value) > limit:
        raise BadInput(field, f"expected at most {limit} characters, got {len(value)}")
    if any(ord(c) < 32 and c not in "\n\t" for c in value) or "\x7f" in value:
        raise BadInput(field, "control characters are not accepted")
    return value


def parse_score(text: str, rubric: tuple[str, ...], field: str = "--score") -> tuple[str, int]:
    """Read `KEY=1..5` for a rubric item."""
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise BadInput(
            field, f"expected KEY=1..5 with KEY one of {', '.join(rubric)}, got {shown(text)}"
        )
    if key not in rubric:
        raise BadInput(
            field, f"unknown rubric item {shown(key)}; expected one of {', '.join(rubric)}"
        )
    if value.strip() not in {"1", "2", "3", "4", "5"}:
        raise BadInput(field, f"{key}: expected a score from 1 to 5, got {shown(value.strip())}")
    return key, int(value)


def parse_id(text: str, what: str) -> int:
    """Read a positive numeric record id."""
    if not text.strip().isdigit() or int(text) <= 0 or len(text.strip()) > 18:
        raise BadInput(what, f"expected a numeric id, got {shown(text)}")
    return int(text)
