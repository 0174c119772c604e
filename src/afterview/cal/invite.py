"""Reading an interview invitation (.ics): times and zone, people, the meeting link.

Only what an interview needs is read; anything that cannot be used is refused
with a `BadInput` naming the part (`invitation`, `DTSTART`, `TZID`, ...), before
anything is written. Windows zone names, as Outlook writes them, map to IANA
zones; a floating time is read in the user's zone.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from afterview.core.timeutil import NonexistentLocalTime, parse_local, utc, zone
from afterview.errors import BadInput

MAX_BYTES = 2_000_000
MAX_PEOPLE = 50

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


def _text(value: Any) -> str:
    return str(value) if value is not None else ""


_EMAIL = re.compile(
    r"^[A-Za-z0-9._+'-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _address(prop: Any) -> tuple[str, str] | None:
    """`(name, email)` of an ORGANIZER or ATTENDEE; None unless it is one plain address."""
    raw = _text(prop).strip()
    if not raw.lower().startswith("mailto:"):
        return None
    email = raw[7:].strip()
    if not _EMAIL.match(email):  # "%0d%0a", "<...>", spaces: not an address we write to
        return None
    params = getattr(prop, "params", {}) or {}
    name = " ".join(_CONTROL.sub(" ", _text(params.get("CN", ""))).split())
    if len(name) >= 2 and name[0] == name[-1] == '"':
        name = name[1:-1].strip()
    if not name:  # "jane.doe@x" -> "Jane Doe", better than an address in a greeting
        name = " ".join(w.capitalize() for w in re.split(r"[._-]+", email.split("@")[0]) if w)
    return (name or email)[:200], email.lower()


def _zone_name(value: datetime, prop: Any, default_tz: str) -> str:
    """The IANA zone of a DTSTART: its TZID (IANA or Windows), else the user's zone.

    A TZID that is neither, but that the file defines in a VTIMEZONE block, gives
    the right moment; the interview then takes the user's zone. One with no
    definition at all is refused.
    """
    params = getattr(prop, "params", {}) or {}
    tzid = _text(params.get("TZID", "")).strip()
    if not tzid:
        if isinstance(value.tzinfo, ZoneInfo) and value.tzinfo.key != "UTC":
            return value.tzinfo.key
        return default_tz  # floating, or UTC ("Z")
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    for name in (tzid, WINDOWS_TO_OLSON.get(tzid)):
        if not name:
            continue
        try:
            zone(name)
            return name
        except (KeyError, ValueError):
            continue
    if value.tzinfo is not None:
        return default_tz  # defined by the file's VTIMEZONE: the moment is right
    raise BadInput("TZID", f"unknown timezone {tzid!r} (neither an IANA nor a Windows name)")


def _moment(ev: Any, name: str) -> Any:
    """A DTSTART or DTEND as a date or a datetime; a `BadInput` for anything else."""
    prop = ev.get(name)
    try:
        value = ev.decoded(name)
    except Exception as exc:
        tzid = (getattr(prop, "params", {}) or {}).get("TZID")
        if tzid:
            raise BadInput(
                "TZID", f"unknown timezone {str(tzid)!r} (no VTIMEZONE for it)"
            ) from None
        raise BadInput(name, f"cannot read it ({str(exc)[:100]})") from None
    if not isinstance(value, date):  # icalendar hands back text it could not read
        raise BadInput(name, f"expected a date and time like 20260915T140000, got {_text(prop)!r}")
    return value


def _local(value: datetime, tz: str, field: str) -> datetime:
    """`value` in zone `tz`; a wall-clock time is read there, and one the clocks skip refused."""
    if isinstance(value.tzinfo, ZoneInfo):
        wall, where = value.replace(tzinfo=None), value.tzinfo
    elif value.tzinfo is not None:
        return value.astimezone(zone(tz))  # a zone the file defines: the moment is right
    else:
        wall, where = value, zone(tz)
    try:
        return parse_local(wall, where).astimezone(zone(tz))
    except NonexistentLocalTime:
        raise BadInput(
            field, f"{value:%Y-%m-%d %H:%M} does not exist in {tz} (the clocks skip it)"
        ) from None


def _link(*texts: str) -> str | None:
    for _, pattern in _VIDEO:
        for t in texts:
            m = pattern.search(t)
            if m:
                return m.group(0).rstrip(".,;)>")
    return None


def read_invitations(data: bytes, default_tz: str) -> list[Invitation]:
    """Every VEVENT of an invitation; refuses the whole file on the first problem."""
    if len(data) > MAX_BYTES:
        raise BadInput("invitation", f"larger than {MAX_BYTES // 1_000_000} MB: not an invitation")
    text = data.lstrip(b"\xef\xbb\xbf").strip()
    if not text.upper().startswith(b"BEGIN:VCALENDAR"):
        raise BadInput("invitation", "not a calendar file (it does not start with BEGIN:VCALENDAR)")
    if not text.upper().endswith(b"END:VCALENDAR"):
        raise BadInput("invitation", "the file is cut short (no END:VCALENDAR)")
    from icalendar import Calendar

    try:
        cal = Calendar.from_ical(text)
    except Exception as exc:
        raise BadInput(
            "invitation", f"not a readable calendar ({str(exc).splitlines()[0][:200]})"
        ) from None
    method = _text(cal.get("METHOD", "")).upper()
    events = list(cal.walk("VEVENT"))
    if not events:
        raise BadInput("invitation", "no event in this calendar")
    return [_event(ev, method, default_tz) for ev in events]


def _event(ev: Any, method: str, default_tz: str) -> Invitation:
    uid = _text(ev.get("UID", "")).strip()
    if not uid:
        raise BadInput("UID", "the event has no UID, so a later update could not find it")
    if ev.get("RRULE") is not None:
        raise BadInput("RRULE", "a repeating event is not an interview; add each round by itself")
    prop = ev.get("DTSTART")
    if prop is None:
        raise BadInput("DTSTART", "the event has no start time")
    start_value = _moment(ev, "DTSTART")
    if not isinstance(start_value, datetime):
        raise BadInput(
            "DTSTART",
            "an all-day event has no time; add the interview with `afterview interview add --start`",
        )
    tz = _zone_name(start_value, prop, default_tz)
    start = _local(start_value, tz, "DTSTART")
    if ev.get("DTEND") is not None:
        end_value = _moment(ev, "DTEND")
        if not isinstance(end_value, datetime):
            raise BadInput("DTEND", "expected a time, got a date")
        end_tz = _zone_name(end_value, ev.get("DTEND"), tz)
        end = _local(end_value, end_tz, "DTEND").astimezone(zone(tz))
    else:
        length: timedelta | None = timedelta(hours=1)
        if ev.get("DURATION") is not None:
            try:
                length = ev.decoded("DURATION")
            except Exception:
                length = None
            if not isinstance(length, timedelta):
                raise BadInput("DURATION", "expected a length like PT1H") from None
        assert length is not None
        end = (utc(start) + length).astimezone(zone(tz))  # real elapsed time
    if utc(end) <= utc(start):
        raise BadInput("DTEND", "the event ends before it starts")
    try:
        sequence = int(str(ev.get("SEQUENCE", 0) or 0))
    except ValueError:
        raise BadInput("SEQUENCE", f"expected a whole number, got {ev.get('SEQUENCE')!r}") from None
    organizer = _address(ev.get("ORGANIZER"))
    attendees_raw = ev.get("ATTENDEE") or []
    if not isinstance(attendees_raw, list):
        attendees_raw = [attendees_raw]
    attendees = []
    for a in attendees_raw:
        cutype = _text((getattr(a, "params", {}) or {}).get("CUTYPE", "INDIVIDUAL")).upper()
        if cutype in ("ROOM", "RESOURCE"):
            continue
        found = _address(a)
        if found is not None:
            attendees.append(found)
    location = " ".join(_CONTROL.sub(" ", _text(ev.get("LOCATION", ""))).split()) or None
    description = _text(ev.get("DESCRIPTION", ""))
    extras = " ".join(
        _text(ev.get(k, ""))
        for k in ("X-GOOGLE-CONFERENCE", "X-MICROSOFT-SKYPETEAMSMEETINGURL", "URL", "CONFERENCE")
    )
    url = _link(location or "", extras, description)
    if url:
        fmt = "video"
    elif _PHONE.search(location or "") or (not location and _PHONE.search(description)):
        fmt = "phone"
    elif location:
        fmt = "onsite"
    else:
        fmt = None
    cancelled = method == "CANCEL" or _text(ev.get("STATUS", "")).upper() == "CANCELLED"
    return Invitation(
        uid=uid[:500],
        sequence=sequence,
        cancelled=cancelled,
        summary=" ".join(_CONTROL.sub(" ", _text(ev.get("SUMMARY", ""))).split())[:300],
        start=start,
        end=end,
        tz=tz,
        organizer=organizer,
        attendees=tuple(attendees),
        format=fmt,
        location=location[:500] if location else None,
        meeting_url=url[:1000] if url else None,
    )
