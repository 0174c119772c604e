"""Reading an interview invitation (.ics): times and zone, people, the meeting link.

Only what an interview needs is read; anything that cannot be used is refused
with a `BadInput` naming the part (`invitation`, `DTSTART`, `TZID`, ...) and, for
a file of several events, which one, before anything is written. Windows zone
names, as Outlook writes them, map to IANA zones; a floating time is read in the
user's zone.

Every text kept passes `afterview.textcheck` once decoded (RFC 6868 `^n` in a
name, `\n` in a title, encoded words): a name, a title, an address, a link is one
line, and one that is not is refused; a place may span lines (an address), which
are joined with commas. Dates are checked against `afterview.daterange` before any
arithmetic. The charset is found (`cal/ics_text.py`); what the reader had to guess
(the charset, a zone) comes back as notes.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from afterview.cal.ics_text import (
    MAX_SEQUENCE,
    SEQUENCE,
    address,
    checked,
    name_from_address,
    raw_of,
    text_of,
)
from afterview.core.timeutil import NonexistentLocalTime, parse_local, utc, zone
from afterview.daterange import check_year
from afterview.errors import BadInput
from afterview.parsing import check_zone
from afterview.textcheck import check_text, printable, shown

__all__ = ["MAX_BYTES", "MAX_PEOPLE", "Invitation", "name_from_address", "read_invitations"]

MAX_BYTES = 2_000_000
MAX_PEOPLE = 50
#: properties an event has at most once (RFC 5545 3.6.1) that the reader uses
_ONCE = ("UID", "DTSTART", "DTEND", "DURATION", "SEQUENCE", "STATUS", "SUMMARY", "ORGANIZER",
         "LOCATION")  # fmt: skip

_VIDEO = (
    ("zoom", re.compile(r"https://(?:[\w-]+\.)*zoom\.us/(?:j|my|w)/[^\s\"<>]+", re.I)),
    (
        "teams",
        re.compile(
            r"https://teams\.(?:microsoft|live)\.com/(?:l/meetup-join|meet)/[^\s\"<>]+", re.I
        ),
    ),
    ("meet", re.compile(r"https://meet\.google\.com/[a-z0-9-]+", re.I)),
    ("webex", re.compile(r"https://(?:[\w-]+\.)*webex\.com/[^\s\"<>]+", re.I)),
)
_PHONE = re.compile(r"(?:\bphone\b|\bcall you\b|\btel:|\+\d[\d\s().-]{6,}\d)", re.I)


class Invitation(NamedTuple):
    """One VEVENT as an interview."""

    uid: str
    sequence: int
    cancelled: bool
    summary: str
    start: datetime
    end: datetime
    tz: str
    organizer: tuple[str, str] | None  # (name, email)
    attendees: tuple[tuple[str, str], ...]
    format: str | None  # video, phone, onsite
    location: str | None
    meeting_url: str | None
    notes: tuple[str, ...] = ()  # what the reader had to guess, for the user


def _known_zone(name: str) -> str | None:
    """`name` when it is a zone of the zone database (folders, long names refused)."""
    try:
        return check_zone(name, "TZID")
    except BadInput:
        return None


def _zone_name(value: datetime, prop: Any, default_tz: str, notes: list[str]) -> str:
    """The IANA zone of a DTSTART: its TZID (IANA, Windows, or vendor-prefixed as
    `/freeassociation.sourceforge.net/Europe/Berlin`), else the user's zone.

    A TZID that is none of these, but that the file defines in a VTIMEZONE block, gives
    the right moment; the interview then takes the user's zone, with a note. One with no
    definition at all is refused.
    """
    params = getattr(prop, "params", {}) or {}
    tzid = text_of(params.get("TZID", "")).strip()
    if not tzid:
        if isinstance(value.tzinfo, ZoneInfo) and value.tzinfo.key != "UTC":
            return value.tzinfo.key
        return default_tz  # floating, or UTC ("Z")
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    found = _known_zone(tzid) or _known_zone(WINDOWS_TO_OLSON.get(tzid, ""))
    if found:
        return found
    parts = [p for p in tzid.split("/") if p]
    if tzid.startswith("/") and len(parts) >= 2:  # RFC 5545 3.2.19: a globally unique TZID
        for n in (3, 2):
            tail = _known_zone("/".join(parts[-n:])) if len(parts) > n else None
            if tail:
                notes.append(f"the zone {shown(tzid)} was read as {tail}")
                return tail
    if value.tzinfo is not None:  # defined by the file's VTIMEZONE: the moment is right
        notes.append(
            f"the zone {shown(tzid)} is defined by the file only: the interview is kept "
            f"in your zone, {default_tz}"
        )
        return default_tz
    raise BadInput("TZID", f"unknown timezone {shown(tzid)} (neither an IANA nor a Windows name)")


def _moment(ev: Any, name: str) -> Any:
    """A DTSTART or DTEND as a date or a datetime, in 1990..2100; a `BadInput` for anything else."""
    prop = ev.get(name)
    try:
        value = ev.decoded(name)
    except Exception as exc:
        tzid = (getattr(prop, "params", {}) or {}).get("TZID")
        if tzid:
            raise BadInput(
                "TZID", f"unknown timezone {shown(str(tzid))} (no VTIMEZONE for it)"
            ) from None
        raise BadInput(name, f"cannot read it ({printable(str(exc))[:100]})") from None
    if not isinstance(value, date):  # icalendar hands back text it could not read
        raise BadInput(
            name, f"expected a date and time like 20260915T140000, got {shown(raw_of(prop))}"
        )
    return check_year(value, name)


def _local(value: datetime, tz: str, field: str) -> datetime:
    """`value` in zone `tz`; a wall-clock time is read there, and one the clocks skip refused."""
    if isinstance(value.tzinfo, ZoneInfo):
        wall, where = value.replace(tzinfo=None), value.tzinfo
    elif value.tzinfo is not None:
        return check_year(value.astimezone(zone(tz)), field)  # a zone the file defines
    else:
        wall, where = value, zone(tz)
    try:
        return check_year(parse_local(wall, where).astimezone(zone(tz)), field)
    except NonexistentLocalTime:
        raise BadInput(
            field, f"{value:%Y-%m-%d %H:%M} does not exist in {tz} (the clocks skip it)"
        ) from None
    except OverflowError:
        raise BadInput(field, "the moment is outside what a calendar can hold") from None


def _link(*texts: str) -> str | None:
    for _, pattern in _VIDEO:
        for t in texts:
            m = pattern.search(t)
            if m:
                return m.group(0).rstrip(".,;)>")
    return None


def read_invitations(data: bytes, default_tz: str) -> list[Invitation]:
    """Every VEVENT of an invitation; refuses the whole file on the first problem."""
    from afterview.cal.ics_text import decode, prescan, silence

    if len(data) > MAX_BYTES:
        raise BadInput("invitation", f"larger than {MAX_BYTES // 1_000_000} MB: not an invitation")
    decoded, file_notes = decode(data)
    text = decoded.lstrip("\ufeff").strip()
    if not text[:15].upper() == "BEGIN:VCALENDAR":
        raise BadInput("invitation", "not a calendar file (it does not start with BEGIN:VCALENDAR)")
    if not text[-13:].upper() == "END:VCALENDAR":
        raise BadInput("invitation", "the file is cut short (no END:VCALENDAR)")
    prescan(text)
    silence()
    from icalendar import Calendar

    try:
        cal = Calendar.from_ical(text)
    except Exception as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise BadInput(
            "invitation", f"not a readable calendar ({printable(first)[:200]})"
        ) from None
    if isinstance(cal, list):
        raise BadInput("invitation", "several calendars in one file; import them one by one")
    if isinstance(cal.get("METHOD"), list):
        raise BadInput("METHOD", "the calendar has several METHOD lines; expected one")
    method = text_of(cal.get("METHOD", "")).upper()
    events = list(cal.walk("VEVENT"))
    if not events:
        raise BadInput("invitation", "no event in this calendar")
    many = len(events) > 1
    out = []
    for n, ev in enumerate(events, 1):
        where = f"event {n}" if many else ""
        try:
            out.append(_event(ev, method, default_tz, where, tuple(file_notes)))
        except BadInput as exc:
            if not many or where in exc.problem:
                raise
            raise BadInput(exc.field, f"{exc.problem} ({where})") from None
    return out


def _once(ev: Any) -> None:
    for name in _ONCE:
        value = ev.get(name)
        if isinstance(value, list):
            raise BadInput(name, f"the event has {len(value)} {name} lines; expected one")


def _times(ev: Any, default_tz: str, notes: list[str]) -> tuple[datetime, datetime, str]:
    """Start, end and zone of an event, every moment in 1990..2100."""
    prop = ev.get("DTSTART")
    if prop is None:
        raise BadInput("DTSTART", "the event has no start time")
    start_value = _moment(ev, "DTSTART")
    if not isinstance(start_value, datetime):
        raise BadInput(
            "DTSTART",
            "an all-day event has no time; add the interview with `afterview interview add --start`",
        )
    tz = _zone_name(start_value, prop, default_tz, notes)
    start = _local(start_value, tz, "DTSTART")
    if ev.get("DTEND") is not None:
        end_value = _moment(ev, "DTEND")
        if not isinstance(end_value, datetime):
            raise BadInput("DTEND", "expected a time, got a date")
        end_tz = _zone_name(end_value, ev.get("DTEND"), tz, [])
        end = _local(end_value, end_tz, "DTEND").astimezone(zone(tz))
    else:
        length: Any = timedelta(hours=1)
        if ev.get("DURATION") is not None:
            try:
                length = ev.decoded("DURATION")
            except Exception:
                length = None
            if not isinstance(length, timedelta):
                raise BadInput("DURATION", "expected a length like PT1H") from None
        try:
            end = check_year((utc(start) + length).astimezone(zone(tz)), "DURATION")
        except OverflowError:
            raise BadInput(
                "DURATION", f"{shown(raw_of(ev.get('DURATION')))} is far too long"
            ) from None
    if utc(end) <= utc(start):
        raise BadInput("DTEND", "the event ends before it starts")
    return start, end, tz


def _sequence(ev: Any) -> int:
    raw = text_of(ev.get("SEQUENCE", "0")).strip() or "0"
    if not SEQUENCE.fullmatch(raw) or int(raw) > MAX_SEQUENCE:
        raise BadInput(
            "SEQUENCE", f"expected a whole number from 0 to {MAX_SEQUENCE}, got {shown(raw)}"
        )
    return int(raw)


def _place(ev: Any, where: str) -> str | None:
    """The LOCATION as one line: an address's lines joined with commas."""
    raw = text_of(ev.get("LOCATION", ""))
    try:
        lines = check_text(raw, "LOCATION", limit=1000, empty=True).split("\n")
    except BadInput as exc:
        raise BadInput(exc.field, f"{exc.problem} ({where})" if where else exc.problem) from None
    joined = ", ".join(p for p in (" ".join(line.split()).strip(" ,") for line in lines) if p)
    return checked(joined, "LOCATION", where, limit=1000, empty=True) or None


def _event(
    ev: Any, method: str, default_tz: str, where: str, file_notes: tuple[str, ...]
) -> Invitation:
    _once(ev)
    uid = checked(text_of(ev.get("UID", "")), "UID", where, limit=500, empty=True)
    if not uid:
        raise BadInput("UID", "the event has no UID, so a later update could not find it")
    if ev.get("RRULE") is not None:
        raise BadInput("RRULE", "a repeating event is not an interview; add each round by itself")
    notes = list(file_notes)
    start, end, tz = _times(ev, default_tz, notes)
    sequence = _sequence(ev)
    summary = checked(text_of(ev.get("SUMMARY", "")), "SUMMARY", where, limit=500, empty=True)
    organizer = address(ev.get("ORGANIZER"), "ORGANIZER", where)
    attendees_raw = ev.get("ATTENDEE") or []
    if not isinstance(attendees_raw, list):
        attendees_raw = [attendees_raw]
    attendees = []
    for a in attendees_raw:
        cutype = text_of((getattr(a, "params", {}) or {}).get("CUTYPE", "INDIVIDUAL")).upper()
        if cutype in ("ROOM", "RESOURCE"):
            continue
        found = address(a, "ATTENDEE", where)
        if found is not None:
            attendees.append(found)
    location = _place(ev, where)
    description = text_of(ev.get("DESCRIPTION", ""))
    extras = " ".join(
        text_of(ev.get(k, ""))
        for k in ("X-GOOGLE-CONFERENCE", "X-MICROSOFT-SKYPETEAMSMEETINGURL", "URL", "CONFERENCE")
    )
    url = _link(location or "", extras, description)
    if url:
        url = checked(url, "meeting link", where, limit=1000)
        fmt = "video"
    elif _PHONE.search(location or "") or (not location and _PHONE.search(description)):
        fmt = "phone"
    elif location:
        fmt = "onsite"
    else:
        fmt = None
    cancelled = method == "CANCEL" or text_of(ev.get("STATUS", "")).upper() == "CANCELLED"
    return Invitation(
        uid=uid,
        sequence=sequence,
        cancelled=cancelled,
        summary=summary,
        start=start,
        end=end,
        tz=tz,
        organizer=organizer,
        attendees=tuple(attendees),
        format=fmt,
        location=location,
        meeting_url=url,
        notes=tuple(notes),
    )
