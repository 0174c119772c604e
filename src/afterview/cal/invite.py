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

from afterview.core.timeutil import zone
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
    return (name or email.split("@")[0])[:200], email.lower()


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


def _local(value: datetime, tz: str) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=zone(tz))
    return value.astimezone(zone(tz))


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
    try:
        start_value = ev.decoded("DTSTART")
    except Exception as exc:
        tzid = (getattr(prop, "params", {}) or {}).get("TZID")
        if tzid:
            raise BadInput(
                "TZID", f"unknown timezone {str(tzid)!r} (no VTIMEZONE for it)"
            ) from None
        raise BadInput("DTSTART", f"cannot read the start time ({exc})") from None
    if isinstance(start_value, date) and not isinstance(start_value, datetime):
        raise BadInput(
            "DTSTART",
            "an all-day event has no time; add the interview with `afterview interview add --start`",
        )
    tz = _zone_name(start_value, prop, default_tz)
    start = _local(start_value, tz)
    if ev.get("DTEND") is not None:
        end_value = ev.decoded("DTEND")
        if not isinstance(end_value, datetime):
            raise BadInput("DTEND", "expected a time, got a date")
        end = _local(end_value, tz)
    elif ev.get("DURATION") is not None:
        end = start + ev.decoded("DURATION")
    else:
        end = start + timedelta(hours=1)
    if end <= start:
        raise BadInput("DTEND", "the event ends before it starts")
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
        sequence=int(ev.get("SEQUENCE", 0) or 0),
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
