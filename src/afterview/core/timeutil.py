"""Time arithmetic that stays right across daylight-saving changes.

Two kinds of duration (PRODUCT.md, "Times are computed..."):

- hours are real elapsed time: `add_hours(end, 24)` is 24 hours later on a
  stopwatch, whatever the clocks did in between;
- days are calendar days at the same wall-clock time: `add_days(end, 7, tz)` is
  the same local time a week later.

A computed local time that falls into the hour skipped in spring moves forward
by the length of the gap (as RFC 5545 reads such times); an ambiguous one (the
hour repeated in autumn) is its first occurrence.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: Monday..Friday as `date.weekday()` numbers.
DEFAULT_WORKWEEK: frozenset[int] = frozenset({0, 1, 2, 3, 4})


class NonexistentLocalTime(ValueError):
    """A wall-clock time that the zone skips (the spring-forward gap)."""


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """Return the IANA zone `name`; raises `ZoneInfoNotFoundError` (a KeyError) if unknown."""
    if not name or name != name.strip() or name.startswith(("/", ".")) or ".." in name:
        raise ZoneInfoNotFoundError(name)
    return ZoneInfo(name)


def has_zone(name: str) -> bool:
    """True when the zone database has a zone of that name (a folder, an over-long or a
    malformed name is none)."""
    try:
        zone(name)
    except (KeyError, ValueError, OSError, UnicodeError):
        return False
    return True


def utc(at: datetime) -> datetime:
    """Return the moment `at` in UTC: compare and order moments through this.

    Python compares two datetimes that share a tzinfo by their wall clock, ignoring
    `fold`, which misorders moments in the hour repeated in autumn.
    """
    return at.astimezone(UTC)


def resolve_local(naive: datetime, tz: tzinfo) -> datetime:
    """Attach `tz` to a computed wall-clock time: gaps move forward, repeats take the first."""
    aware = naive.replace(tzinfo=tz, fold=0)
    return aware.astimezone(UTC).astimezone(tz)


def parse_local(naive: datetime, tz: tzinfo) -> datetime:
    """Attach `tz` to a wall-clock time the user typed.

    Raises `NonexistentLocalTime` for a time inside the spring-forward gap; an
    ambiguous time means its first occurrence.
    """
    aware = naive.replace(tzinfo=tz, fold=0)
    back = aware.astimezone(UTC).astimezone(tz)
    if back.replace(tzinfo=None) != naive.replace(tzinfo=None, fold=0):
        raise NonexistentLocalTime(f"{naive:%Y-%m-%d %H:%M} does not exist in {tz}")
    return back


def add_hours(at: datetime, hours: float) -> datetime:
    """Return `at` plus real elapsed hours, expressed in `at`'s zone."""
    tz = at.tzinfo
    return (at.astimezone(UTC) + timedelta(hours=hours)).astimezone(tz)


def add_days(at: datetime, days: int, tz: tzinfo) -> datetime:
    """Return the same wall-clock time in `tz`, `days` calendar days later."""
    local = at.astimezone(tz)
    return resolve_local(local.replace(tzinfo=None) + timedelta(days=days), tz)


def local_at(day: date, clock: time, tz: tzinfo) -> datetime:
    """Return the moment `clock` on `day` in `tz` (gaps move forward)."""
    return resolve_local(datetime.combine(day, clock), tz)


def is_business_day(
    day: date, holidays: Collection[date], workweek: Collection[int] = DEFAULT_WORKWEEK
) -> bool:
    """True when `day` is a working weekday and not a public holiday."""
    return day.weekday() in workweek and day not in holidays


def next_business_day(
    day: date, holidays: Collection[date], workweek: Collection[int] = DEFAULT_WORKWEEK
) -> date:
    """Return the first business day strictly after `day`."""
    if not workweek:
        raise ValueError("the work week has no days")
    d = day + timedelta(days=1)
    for _ in range(3660):
        if is_business_day(d, holidays, workweek):
            return d
        d += timedelta(days=1)
    raise ValueError("no business day within ten years")


def on_business_day(
    at: datetime,
    tz: tzinfo,
    morning: time,
    holidays: Collection[date],
    workweek: Collection[int] = DEFAULT_WORKWEEK,
) -> datetime:
    """Keep `at` if its local date is a business day, else move to `morning` of the next one."""
    local = at.astimezone(tz)
    if is_business_day(local.date(), holidays, workweek):
        return local
    return local_at(next_business_day(local.date(), holidays, workweek), morning, tz)


def week_start(day: date) -> date:
    """Return the Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def week_bounds(monday: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """Return Monday 00:00 and the next Monday 00:00 of the week starting `monday`, in `tz`."""
    return local_at(monday, time(0), tz), local_at(monday + timedelta(days=7), time(0), tz)


def iso_week_label(monday: date) -> str:
    """Return the ISO week of `monday` as `YYYY-Www`."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def said(at: datetime, tz: tzinfo, here: tzinfo, *, year: bool = False) -> str:
    """A moment in a reason: "Tue 15 Sep 21:00" on the user's clock (`here`), with the
    local time and city of `tz` (the interview's zone) added when its clock differs at
    that moment: "Tue 15 Sep 21:00, 15:00 New York time", with its weekday when its date
    differs ("…, Wed 10:00 Kiritimati time"). Reasons put moments in parentheses, so this
    adds none."""
    mine, theirs = at.astimezone(here), at.astimezone(tz)
    text = f"{mine:%a %d %b %Y %H:%M}" if year else f"{mine:%a %d %b %H:%M}"
    if mine.utcoffset() == theirs.utcoffset():
        return text
    day = "" if theirs.date() == mine.date() else f"{theirs:%a} "
    name = str(getattr(tz, "key", tz))
    city = name.rsplit("/", 1)[-1].replace("_", " ")
    return f"{text}, {day}{theirs:%H:%M} {city} time"
