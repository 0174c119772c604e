"""Plain time words for people: "16:00", "tomorrow 14:00", "in 2 h", "3 days ago".

The rule for zones: a moment is said on the user's clock (config `timezone`), its day
word ("today", "tomorrow", "Wed") judged on that clock. A moment that belongs to an
interview whose zone shows another clock at that moment (its UTC offset then differs
from the user's zone) also gets the interview's local time, with the zone's city:
"today 20:00 (15:00 New York)". The offsets are compared, not the names: Paris and
Berlin show the same clock, so nothing is added; New York and London are 5 h apart most
of the year and 4 h for a few weeks in spring and autumn. The added time carries a
weekday when its day is not the user's day: "today 09:00 (Wed 10:00 Kiritimati)".
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any

from afterview.core.timeutil import zone

#: a zone given as an IANA name or a tzinfo
Zone = str | tzinfo


@lru_cache(maxsize=64)
def _named_zone(name: str) -> tzinfo:
    return zone(name)


def _zone(tz: Zone) -> tzinfo:
    return _named_zone(tz) if isinstance(tz, str) else tz


_UTC_NAMES = frozenset({"UTC", "UCT", "GMT", "Zulu", "Universal", "Greenwich", "GMT0"})


@lru_cache(maxsize=64)
def place(name: str) -> str:
    """Say a zone the way people do: its city, underscores as spaces ("America/New_York"
    is "New York", "America/Argentina/Buenos_Aires" "Buenos Aires"); the Etc zones by
    their offset ("Etc/GMT+5" is "UTC-5", POSIX signs turned round; "Etc/UTC" is "UTC")."""
    head, _, last = name.rpartition("/")
    if head == "Etc" or not head:
        for prefix in ("GMT+", "GMT-"):
            hours = last.removeprefix(prefix)
            if hours != last and hours.isdigit():
                sign = "-" if prefix == "GMT+" else "+"
                return "UTC" if int(hours) == 0 else f"UTC{sign}{int(hours)}"
        if last in _UTC_NAMES:
            return "UTC"
    return last.replace("_", " ")


def same_clock(at: datetime, here: Zone, there: Zone | None) -> bool:
    """True when zone `there` shows the same clock as `here` at moment `at` (the same UTC
    offset then), or when there is no `there`."""
    if there is None:
        return True
    return at.astimezone(_zone(here)).utcoffset() == at.astimezone(_zone(there)).utcoffset()


def _day_clock(local: datetime, today: date) -> str:
    """`local` in words relative to `today` (both on the same clock)."""
    days = (local.date() - today).days
    clock = f"{local:%H:%M}"
    if days == 0:
        return f"today {clock}"
    if days == 1:
        return f"tomorrow {clock}"
    if days == -1:
        return f"yesterday {clock}"
    if 1 < days < 7:
        return f"{local:%a} {clock}"
    if local.year == today.year:
        return f"{local:%a %d %b} {clock}"
    return f"{local:%a %d %b %Y} {clock}"


def _clock_on(local: datetime, day: date) -> str:
    """The clock time, with the weekday when it is not on `day`."""
    return f"{local:%H:%M}" if local.date() == day else f"{local:%a %H:%M}"


def there_words(start: datetime, end: datetime | None, here: Zone, there: Zone | None) -> str:
    """The interview's local time to add to a moment (or a span `start`–`end`) said on
    the `here` clock: " (15:00 New York)", " (15:00–16:00 New York)", or "" when `there`
    shows the same clock at both ends."""
    if there is None or there == here:
        return ""
    zh, zt = _zone(here), _zone(there)
    first_here, first = start.astimezone(zh), start.astimezone(zt)
    last = end.astimezone(zt) if end is not None else None
    if first.utcoffset() == first_here.utcoffset() and (
        end is None or last is None or last.utcoffset() == end.astimezone(zh).utcoffset()
    ):
        return ""
    words = _clock_on(first, first_here.date())
    if last is not None:
        words += f"–{_clock_on(last, first.date())}"
    name = there if isinstance(there, str) else str(there)
    return f" ({words} {place(name)})"


def moment(at: datetime, now: datetime, tz: Zone, there: Zone | None = None) -> str:
    """Say when `at` is, relative to the day of `now`, on zone `tz`'s clock (a name or a
    tzinfo); with `there` (the interview's zone), its local time too when the clocks differ."""
    z = _zone(tz)
    return _day_clock(at.astimezone(z), now.astimezone(z).date()) + there_words(at, None, tz, there)


def _clock_or_day(at: datetime, ref: datetime, now: datetime, tz: Zone) -> str:
    z = _zone(tz)
    local = at.astimezone(z)
    if local.date() == ref.astimezone(z).date():
        return f"{local:%H:%M}"
    return _day_clock(local, now.astimezone(z).date())


def clock_or_moment(
    at: datetime, ref: datetime, now: datetime, tz: Zone, there: Zone | None = None
) -> str:
    """Just the clock time when `at` is on the same local day as `ref`, else `moment`;
    with `there`, the interview's local time too when the clocks differ."""
    return _clock_or_day(at, ref, now, tz) + there_words(at, None, tz, there)


def span_words(
    start: datetime, end: datetime, now: datetime, tz: Zone, there: Zone | None = None
) -> str:
    """Say a span: "today 20:00–21:00", the end's day only when it is another day; with
    `there`, the interview's local times too when the clocks differ:
    "today 20:00–21:00 (15:00–16:00 New York)"."""
    z = _zone(tz)
    first = _day_clock(start.astimezone(z), now.astimezone(z).date())
    last = _clock_or_day(end, start, now, tz)
    return f"{first}–{last}{there_words(start, end, tz, there)}"


def span(delta: timedelta) -> str:
    """Say a duration roughly: "45 min", "2 h", "2 h 30 min", "3 days"."""
    minutes = int(abs(delta).total_seconds() // 60)
    if minutes < 1:
        return "less than a minute"
    if minutes < 60:
        return f"{minutes} min"
    hours, mins = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h" if mins < 5 or hours >= 6 else f"{hours} h {mins} min"
    days = round(minutes / 1440)
    return "1 day" if days == 1 else f"{days} days"


def relative(at: datetime, now: datetime) -> str:
    """Say "in 2 h" or "3 days ago"."""
    if at >= now:
        return f"in {span(at - now)}"
    return f"{span(now - at)} ago"


def _dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def when_line(a: dict[str, Any], now: datetime, here: str) -> str:
    """Say when an action is best done and when it is due, in plain words, on the clock
    of `here` (the user's zone), with the local times of the action's zone (`a["tz"]`,
    its interview's) added where that zone's clock differs."""
    there = a["tz"]
    opens, ideal_from, ideal_until, due = (
        _dt(a[k]) for k in ("opens_at", "ideal_from", "ideal_until", "due_at")
    )
    state = a["state"]
    due_words = f"due {moment(due, now, here, there)}"
    if state == "overdue":
        line = f"was due {moment(due, now, here, there)}, {relative(due, now)}"
        lapses = a.get("lapses_at")
        if lapses:  # how long it can still help
            line += f"; lapses {moment(_dt(lapses), now, here, there)}"
        return line
    if state == "ideal":
        left = relative(ideal_until, now).removeprefix("in ")
        until = clock_or_moment(ideal_until, now, now, here, there)
        return f"ideal now until {until}, {left} left; {due_words}"
    if state == "open":
        if now < ideal_from:
            ideal = span_words(ideal_from, ideal_until, now, here, there)
            return f"ideal {ideal}, {relative(ideal_from, now)}; {due_words}"
        return f"{due_words}, {relative(due, now)}"
    if state == "upcoming":
        opens_words = f"opens {moment(opens, now, here, there)}, {relative(opens, now)}"
        if ideal_from == opens and ideal_until == due:  # best any time it is open
            return f"{opens_words}; {due_words}"
        ideal = f"ideal until {clock_or_moment(ideal_until, opens, now, here, there)}"
        if ideal_from != opens:
            first = _clock_or_day(ideal_from, opens, now, here)
            last = _clock_or_day(ideal_until, ideal_from, now, here)
            ideal = f"ideal {first}–{last}{there_words(ideal_from, ideal_until, here, there)}"
        return f"{opens_words}; {ideal}; {due_words}"

    ended = a.get("ended_at")
    return f"{state} {moment(_dt(ended), now, here, there)}" if ended else state


def counted(n: int | float, word: str, plural: str | None = None) -> str:
    """`n` and the word in its number: "1 row", "3 rows", "1 person" / "2 people"."""
    return f"{n:g} {word if n == 1 else plural or word + 's'}"
