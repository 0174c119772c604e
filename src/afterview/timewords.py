"""Plain time words for people: "16:00", "tomorrow 14:00", "in 2 h", "3 days ago"."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any

from afterview.core.timeutil import zone


def moment(at: datetime, now: datetime, tz: str | tzinfo) -> str:
    """Say when `at` is, relative to the day of `now`, in zone `tz` (a name or a tzinfo)."""
    z = zone(tz) if isinstance(tz, str) else tz
    local, today = at.astimezone(z), now.astimezone(z).date()
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


def clock_or_moment(at: datetime, ref: datetime, now: datetime, tz: str) -> str:
    """Just the clock time when `at` is on the same local day as `ref`, else `moment`."""
    z = zone(tz)
    if at.astimezone(z).date() == ref.astimezone(z).date():
        return f"{at.astimezone(z):%H:%M}"
    return moment(at, now, tz)


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


def when_line(a: dict[str, Any], now: datetime) -> str:
    """Say when an action is best done and when it is due, in plain words."""
    tz = a["tz"]
    opens, ideal_from, ideal_until, due = (
        _dt(a[k]) for k in ("opens_at", "ideal_from", "ideal_until", "due_at")
    )
    state = a["state"]
    due_words = f"due {moment(due, now, tz)}"
    if state == "overdue":
        return f"was due {moment(due, now, tz)}, {relative(due, now)}"
    if state == "ideal":
        return f"ideal now until {clock_or_moment(ideal_until, now, now, tz)} ({relative(ideal_until, now).removeprefix('in ')} left); {due_words}"
    if state == "open":
        if now < ideal_from:
            return (
                f"ideal {moment(ideal_from, now, tz)}–{clock_or_moment(ideal_until, ideal_from, now, tz)}, "
                f"{relative(ideal_from, now)}; {due_words}"
            )
        return f"{due_words} ({relative(due, now)})"
    if state == "upcoming":
        ideal = f"ideal until {clock_or_moment(ideal_until, opens, now, tz)}"
        if ideal_from != opens:
            ideal = (
                f"ideal {clock_or_moment(ideal_from, opens, now, tz)}–"
                f"{clock_or_moment(ideal_until, ideal_from, now, tz)}"
            )
        if ideal_from == opens and ideal_until == due:  # best any time it is open
            return f"opens {moment(opens, now, tz)} ({relative(opens, now)}); {due_words}"
        return f"opens {moment(opens, now, tz)} ({relative(opens, now)}); {ideal}; {due_words}"

    ended = a.get("ended_at")
    return f"{state} {moment(_dt(ended), now, tz)}" if ended else state
