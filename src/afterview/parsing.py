"""Reading what the user typed: dates, datetimes, zones, people, scores.

Every failure is a `BadInput` naming the field and what is accepted.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from afterview.core.timeutil import NonexistentLocalTime, has_zone, parse_local, zone
from afterview.daterange import check_year
from afterview.errors import BadInput
from afterview.textcheck import MAX_TEXT, check_line, check_text, shown

__all__ = [
    "MAX_TEXT",
    "check_email",
    "check_line",
    "check_text",
    "check_zone",
    "parse_date",
    "parse_datetime",
    "parse_id",
    "parse_person",
    "parse_score",
    "shown",
]

_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")
_PERSON = re.compile(r"^\s*(?P<name>[^<>]*?)\s*<(?P<email>[^<>]*)>\s*$")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:?[0-9]{2})?"
)
_ID = re.compile(r"[0-9]{1,18}")
MAX_ZONE_NAME = 64


#: Files of the zone database that are not zones: this machine's own setting, rules
#: templates, and the variants with or without leap seconds
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})


def check_zone(name: str, field: str = "tz") -> str:
    """Return `name` if it is an IANA timezone the zone database knows."""
    hint = "use an IANA name like 'Europe/Paris'"
    if len(name) > MAX_ZONE_NAME:
        raise BadInput(field, f"unknown timezone {shown(name)}; {hint}")
    check_line(name, field, limit=MAX_ZONE_NAME)
    if name in _NOT_ZONES or name.startswith(("posix/", "right/")) or not has_zone(name):
        raise BadInput(field, f"unknown timezone {shown(name)}; {hint}")
    return name


def parse_date(text: str, field: str) -> date:
    """Read `YYYY-MM-DD` (ASCII digits, a real day, a year from 1990 to 2100)."""
    raw = text.strip(" ")
    try:
        if not _DATE.fullmatch(raw):
            raise ValueError
        value = date.fromisoformat(raw)
    except ValueError:
        raise BadInput(field, f"expected a date as YYYY-MM-DD, got {shown(text)}") from None
    return check_year(value, field)


def parse_datetime(text: str, tz_name: str, field: str, now: datetime | None = None) -> datetime:
    """Read an ISO 8601 datetime; a naive one is wall-clock time in `tz_name`. With `now`,
    a moment relative to it too (`today 14:00`, `in 2h`: `relative_time.py`).

    A local time skipped by a daylight-saving change is refused; a repeated one
    means its first occurrence.
    """
    raw = text.strip(" ")
    try:
        if _DATETIME.fullmatch(raw):
            value = datetime.fromisoformat(raw.replace(" ", "T", 1) if "T" not in raw else raw)
        elif now is not None and (relative := _relative(raw, now, tz_name, field)) is not None:
            return check_year(relative, field)
        else:
            raise ValueError
    except ValueError:
        also = ""
        if now is not None:
            from afterview.relative_time import ACCEPTED

            also = f", or {ACCEPTED}"
        raise BadInput(
            field,
            f"expected a datetime as YYYY-MM-DDTHH:MM (ISO 8601, optional offset){also}, "
            f"got {shown(text)}",
        ) from None
    check_year(value, field)
    if value.tzinfo is not None:
        return value.replace(microsecond=0)
    try:
        return parse_local(value.replace(microsecond=0), zone(tz_name))
    except NonexistentLocalTime:
        raise BadInput(
            field,
            f"{raw} does not exist in {tz_name} (the clocks skip that hour); give a time outside it",
        ) from None


def _relative(raw: str, now: datetime, tz_name: str, field: str) -> datetime | None:
    from afterview.relative_time import SkippedDay, relative_moment

    try:
        return relative_moment(raw, now, tz_name)
    except NonexistentLocalTime as exc:
        said = f"{raw} is {exc.wall:%Y-%m-%d %H:%M}, which" if isinstance(exc, SkippedDay) else raw
        raise BadInput(
            field,
            f"{said} does not exist in {tz_name} (the clocks skip that hour); "
            "give a time outside it",
        ) from None


def parse_person(text: str, field: str) -> tuple[str, str | None]:
    """Read `"Name <email>"`, a bare e-mail address, or a bare name."""
    raw = check_line(text, field, limit=300)
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


def check_email(text: str, field: str) -> str:
    """Return `text` if it is one e-mail address (`ana@acme.example`, no name around it)."""
    raw = check_line(text, field, limit=254)
    if not _EMAIL.match(raw):
        raise BadInput(
            field, f"expected an e-mail address such as ana@acme.example, got {shown(raw)}"
        )
    return raw


def parse_score(text: str, rubric: tuple[str, ...], field: str = "score") -> tuple[str, int]:
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
    raw = text.strip(" ")
    if not _ID.fullmatch(raw) or int(raw) <= 0:
        raise BadInput(what, f"expected a numeric id (digits 0-9), got {shown(text)}")
    return int(raw)
