"""Moments typed relative to now: `now`, `today 14:00`, `yesterday 16:30`, `tomorrow
9:00`, `mon 10:00` (the Monday nearest today: three days back to three ahead; `last mon`
and `next mon` pick a side), `in 2h`, `in 90m`, `in 3d`, `2h ago`.

A day and a time are wall-clock time in the zone given, with the same daylight-saving
rules as an absolute time (a skipped time is refused, a repeated one means its first
occurrence). Hours and minutes (`in 2h`, `90m ago`) are elapsed time, counted in UTC
whatever the clocks do meanwhile; days (`in 3d`, `1d ago`) are calendar days, the same
wall-clock time that many days away, read like a typed one. Words are English and any
case.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from afterview.core.timeutil import NonexistentLocalTime, parse_local, zone

#: what `parsing.parse_datetime` adds to its message when relative moments are accepted
ACCEPTED = "now, today 14:00, yesterday 16:30, tomorrow 9:00, mon 10:00, in 2h, 30m ago"

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_TIME = re.compile(
    r"(?P<side>last |next )?(?P<day>today|yesterday|tomorrow|[a-z]{3,9})"
    r" +(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})"
)
_SPAN = re.compile(
    r"(?:in +(?P<ahead>[0-9]{1,4}) *(?P<unit>[mhd])|(?P<back>[0-9]{1,4}) *(?P<unit2>[mhd]) +ago)"
)
_ELAPSED = {"m": timedelta(minutes=1), "h": timedelta(hours=1)}


class SkippedDay(NonexistentLocalTime):
    """`in Nd` or `Nd ago` landing on a wall-clock time the zone skips; `wall` is that
    time (naive, in the zone)."""

    def __init__(self, wall: datetime, tz_name: str) -> None:
        super().__init__(f"{wall:%Y-%m-%d %H:%M} does not exist in {tz_name}")
        self.wall = wall


def relative_moment(text: str, now: datetime, tz_name: str) -> datetime | None:
    """The moment `text` names relative to `now` (in `tz_name` for days and times), or
    None when `text` is not a relative moment. Raises `NonexistentLocalTime` for a
    wall-clock time the zone skips."""
    raw = " ".join(text.lower().split())
    if raw == "now":
        return now.replace(microsecond=0)
    span = _SPAN.fullmatch(raw)
    if span is not None:
        ahead = span.group("ahead") is not None
        count = int(span.group("ahead") if ahead else span.group("back"))
        unit = span.group("unit") if ahead else span.group("unit2")
        return _span(now, count if ahead else -count, unit, tz_name)
    m = _DAY_TIME.fullmatch(raw)
    if m is None:
        return None
    hour, minute = int(m.group("hour")), int(m.group("minute"))
    if hour > 23 or minute > 59:
        return None
    day = _day(m.group("day"), m.group("side"), now.astimezone(zone(tz_name)).date())
    if day is None:
        return None
    return parse_local(datetime.combine(day, time(hour, minute)), zone(tz_name))


def _span(now: datetime, count: int, unit: str, tz_name: str) -> datetime:
    """`now` (to the minute) moved by `count` units: minutes and hours of elapsed time,
    days of the calendar in `tz_name`."""
    tz = zone(tz_name)
    start = now.replace(second=0, microsecond=0)
    if unit in _ELAPSED:
        return (start.astimezone(UTC) + _ELAPSED[unit] * count).astimezone(tz)
    wall = start.astimezone(tz).replace(tzinfo=None, fold=0) + timedelta(days=count)
    try:
        return parse_local(wall, tz)
    except NonexistentLocalTime:
        raise SkippedDay(wall, tz_name) from None


def _day(word: str, side: str | None, today: date) -> date | None:
    if word in ("today", "yesterday", "tomorrow"):
        if side:
            return None
        return today + timedelta(days={"today": 0, "yesterday": -1, "tomorrow": 1}[word])
    names = _DAYS if len(word) == 3 else _FULL
    if word not in names:
        return None
    ahead = (names.index(word) - today.weekday()) % 7  # 0..6 days ahead
    if side == "next ":
        offset = ahead or 7
    elif side == "last ":
        offset = (ahead - 7) if ahead else -7
    else:
        offset = ahead if ahead <= 3 else ahead - 7  # the nearest: three back to three ahead
    return today + timedelta(days=offset)
