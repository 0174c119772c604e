"""Dates of tracker exports: ISO, dotted day.month.year, English month names, and slash
dates read the only way they can be (or as `--day-first`/`--month-first` says); a date
that reads two ways is a problem, never a guess. ASCII digits only, years 1990-2100
(`afterview.daterange`). The rules: tests/sources/trackers/README.md, "Dates"."""

from __future__ import annotations

import re
from datetime import date

from afterview.daterange import in_range
from afterview.textcheck import shown

_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}  # fmt: skip
# ASCII digits only: `\d` would take "٢٠٢٦" for 2026
_ISO = re.compile(
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ][0-9:.]+(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?$"
)
_DOTS = re.compile(r"^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})$")
_SLASH = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")
_WORDS1 = re.compile(r"^([A-Za-z]{3,9})\.? ([0-9]{1,2}),? ([0-9]{4})$")  # Sep 15, 2026
_WORDS2 = re.compile(r"^([0-9]{1,2}) ([A-Za-z]{3,9})\.?,? ([0-9]{4})$")  # 15 Sep 2026


def read_date(text: str, order: str | None) -> tuple[str | None, str | None, str | None]:
    """`(YYYY-MM-DD, problem, reading)`: reading is "day-first" or "month-first" when
    the value told (a number above 12), for the file-wide warning."""
    value = text.strip()
    if not value:
        return None, None, None
    m = _ISO.match(value)
    if m:
        return _day(int(m[1]), int(m[2]), int(m[3]), value)
    m = _DOTS.match(value)
    if m:
        return _day(int(m[3]), int(m[2]), int(m[1]), value)
    m = _WORDS1.match(value) or _WORDS2.match(value)
    if m:
        word, day = (m[1], m[2]) if m.re is _WORDS1 else (m[2], m[1])
        month = _MONTHS.get(word[:3].lower())
        if month is None:
            return None, f"{shown(value, 40)} is not a date", None
        return _day(int(m[3]), month, int(day), value)
    m = _SLASH.match(value)
    if not m:
        return None, f"{shown(value, 40)} is not a date", None
    a, b, year = int(m[1]), int(m[2]), int(m[3])
    if order == "day-first":
        return _day(year, b, a, value)
    if order == "month-first":
        return _day(year, a, b, value)
    if a == b:
        return _day(year, a, b, value)
    if a > 12 and b <= 12:
        d, problem, _ = _day(year, b, a, value)
        return d, problem, "day-first"
    if b > 12 and a <= 12:
        d, problem, _ = _day(year, a, b, value)
        return d, problem, "month-first"
    if a > 12 and b > 12:
        return None, f"{shown(value, 40)} is not a date", None
    return None, f"{shown(value, 40)} reads as two dates; pick --day-first or --month-first", None


def _day(y: int, m: int, d: int, value: str) -> tuple[str | None, str | None, None]:
    try:
        day = date(y, m, d)
    except ValueError:
        return None, f"{shown(value, 40)} is not a date", None
    if not in_range(day):
        return None, f"{shown(value, 40)} is not a plausible application date", None
    return day.isoformat(), None, None
