"""Moments typed relative to now (`relative_time.py` through `parsing.parse_datetime`):
each form, across both daylight-saving changes, and in zones far from UTC."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from afterview.errors import BadInput
from afterview.parsing import parse_datetime

#: Sunday 29 March 2026, 09:00 in Paris: the clocks went from 02:00 to 03:00 that night
SPRING = datetime.fromisoformat("2026-03-29T09:00+02:00")
#: Sunday 25 October 2026, 09:00 in Paris: 02:00-03:00 came twice that night
AUTUMN = datetime.fromisoformat("2026-10-25T09:00+01:00")
#: 1 June 2026 at 20:00 UTC: already 2 June at 10:00 in Kiritimati (UTC+14), still
#: 1 June at 09:00 in Pago Pago (UTC-11)
FAR = datetime(2026, 6, 1, 20, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "now", "tz", "want"),
    [
        ("now", SPRING, "Europe/Paris", "2026-03-29T09:00:00+02:00"),
        ("NOW", SPRING, "Europe/Paris", "2026-03-29T09:00:00+02:00"),
        ("today 14:00", SPRING, "Europe/Paris", "2026-03-29T14:00:00+02:00"),
        ("today 1:30", SPRING, "Europe/Paris", "2026-03-29T01:30:00+01:00"),  # before the change
        ("yesterday 16:30", SPRING, "Europe/Paris", "2026-03-28T16:30:00+01:00"),
        ("tomorrow 9:00", SPRING, "Europe/Paris", "2026-03-30T09:00:00+02:00"),
        ("  Tomorrow   09:05 ", SPRING, "Europe/Paris", "2026-03-30T09:05:00+02:00"),
        ("in 2h", SPRING, "Europe/Paris", "2026-03-29T09:00:00+00:00"),  # elapsed: 07:00Z + 2h
        ("in 90m", SPRING, "Europe/Paris", "2026-03-29T08:30:00+00:00"),
        ("in 3d", SPRING, "Europe/Paris", "2026-04-01T07:00:00+00:00"),
        ("2h ago", SPRING, "Europe/Paris", "2026-03-29T05:00:00+00:00"),  # 06:00+01:00
        # the nearest day of that name: three days back to three ahead (a Sunday here)
        ("fri 10:00", SPRING, "Europe/Paris", "2026-03-27T10:00:00+01:00"),
        ("sun 10:00", SPRING, "Europe/Paris", "2026-03-29T10:00:00+02:00"),
        ("wed 10:00", SPRING, "Europe/Paris", "2026-04-01T10:00:00+02:00"),
        ("thursday 10:00", SPRING, "Europe/Paris", "2026-03-26T10:00:00+01:00"),
        ("next sun 10:00", SPRING, "Europe/Paris", "2026-04-05T10:00:00+02:00"),
        ("last sun 10:00", SPRING, "Europe/Paris", "2026-03-22T10:00:00+01:00"),
        ("next wed 10:00", SPRING, "Europe/Paris", "2026-04-01T10:00:00+02:00"),
        ("last wed 10:00", SPRING, "Europe/Paris", "2026-03-25T10:00:00+01:00"),
        # a time that came twice means its first occurrence
        ("today 2:30", AUTUMN, "Europe/Paris", "2026-10-25T02:30:00+02:00"),
        ("yesterday 23:00", AUTUMN, "Europe/Paris", "2026-10-24T23:00:00+02:00"),
        ("today 9:00", FAR, "Pacific/Kiritimati", "2026-06-02T09:00:00+14:00"),
        ("yesterday 9:00", FAR, "Pacific/Kiritimati", "2026-06-01T09:00:00+14:00"),
        ("today 9:00", FAR, "Pacific/Pago_Pago", "2026-06-01T09:00:00-11:00"),
        ("tue 9:00", FAR, "Pacific/Kiritimati", "2026-06-02T09:00:00+14:00"),
        ("tue 9:00", FAR, "Pacific/Pago_Pago", "2026-06-02T09:00:00-11:00"),
        # absolute moments read as before
        ("2026-03-29T14:00", SPRING, "Europe/Paris", "2026-03-29T14:00:00+02:00"),
    ],
)
def test_relative_moments(text: str, now: datetime, tz: str, want: str) -> None:
    got = parse_datetime(text, tz, "start", now)
    # (in UTC: an aware time of a repeated hour never equals one in another zone)
    assert got.astimezone(UTC) == datetime.fromisoformat(want).astimezone(UTC), got.isoformat()
    if "ago" not in text and not text.startswith("in "):
        assert got.isoformat() == want  # wall-clock forms carry the zone's offset


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("today 2:30", "does not exist in Europe/Paris"),  # skipped by the spring change
        ("today 24:00", "expected a datetime"),
        ("today 9:60", "expected a datetime"),
        ("someday 9:00", "expected a datetime"),
        ("last today 9:00", "expected a datetime"),
        ("tomorrow", "expected a datetime"),
        ("in 2 weeks", "expected a datetime"),
        ("in ٢h", "expected a datetime"),  # digits 0-9 only
        ("today 14:00\nX", "expected a datetime"),
        ("in 99999d", "expected a datetime"),
    ],
)
def test_what_is_refused(text: str, problem: str) -> None:
    with pytest.raises(BadInput) as err:
        parse_datetime(text, "Europe/Paris", "start", SPRING)
    assert err.value.field == "start" and problem in err.value.problem
    assert "\n" not in str(err.value)


def test_without_now_only_absolute_moments_are_read() -> None:
    with pytest.raises(BadInput) as err:
        parse_datetime("today 14:00", "Europe/Paris", "start")
    assert "today 14:00, yesterday" not in err.value.problem
