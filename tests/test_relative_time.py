"""Moments typed relative to now (`relative_time.py` through `parsing.parse_datetime`):
each form, across both daylight-saving changes, and in zones far from UTC. Hours and
minutes are elapsed time, days are calendar days (the same wall-clock time)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


@pytest.mark.parametrize(
    ("now", "text", "tz", "want"),
    [
        # Paris, 29 March 2026: 02:00 (+01:00) became 03:00 (+02:00)
        ("2026-03-29T01:30+01:00", "in 1h", "Europe/Paris", "2026-03-29T03:30:00+02:00"),
        ("2026-03-29T01:30+01:00", "in 2h", "Europe/Paris", "2026-03-29T04:30:00+02:00"),
        ("2026-03-29T01:30+01:00", "in 30m", "Europe/Paris", "2026-03-29T03:00:00+02:00"),
        ("2026-03-29T01:30+01:00", "in 90m", "Europe/Paris", "2026-03-29T04:00:00+02:00"),
        ("2026-03-29T03:30+02:00", "1h ago", "Europe/Paris", "2026-03-29T01:30:00+01:00"),
        ("2026-03-29T03:30+02:00", "90m ago", "Europe/Paris", "2026-03-29T01:00:00+01:00"),
        ("2026-03-28T09:00+01:00", "in 1d", "Europe/Paris", "2026-03-29T09:00:00+02:00"),
        ("2026-03-30T01:30+02:00", "1d ago", "Europe/Paris", "2026-03-29T01:30:00+01:00"),
        # Paris, 25 October 2026: 03:00 (+02:00) became 02:00 (+01:00) again
        ("2026-10-25T01:30+02:00", "in 1h", "Europe/Paris", "2026-10-25T02:30:00+02:00"),
        ("2026-10-25T01:30+02:00", "in 2h", "Europe/Paris", "2026-10-25T02:30:00+01:00"),
        ("2026-10-25T01:30+02:00", "in 90m", "Europe/Paris", "2026-10-25T02:00:00+01:00"),
        ("2026-10-25T01:30+02:00", "in 3h", "Europe/Paris", "2026-10-25T03:30:00+01:00"),
        ("2026-10-25T03:30+01:00", "2h ago", "Europe/Paris", "2026-10-25T02:30:00+02:00"),
        ("2026-10-25T02:30+01:00", "1h ago", "Europe/Paris", "2026-10-25T02:30:00+02:00"),
        ("2026-10-24T09:00+02:00", "in 1d", "Europe/Paris", "2026-10-25T09:00:00+01:00"),
        # a repeated wall-clock time is its first occurrence, as `today 2:30` is
        ("2026-10-24T02:30+02:00", "in 1d", "Europe/Paris", "2026-10-25T02:30:00+02:00"),
        ("2026-10-26T02:30+01:00", "1d ago", "Europe/Paris", "2026-10-25T02:30:00+02:00"),
        ("2026-10-25T02:30+01:00", "in 1d", "Europe/Paris", "2026-10-26T02:30:00+01:00"),
        # Auckland, 5 April 2026: 03:00 (+13:00) became 02:00 (+12:00)
        ("2026-04-05T01:30+13:00", "in 1h", "Pacific/Auckland", "2026-04-05T02:30:00+13:00"),
        ("2026-04-05T01:30+13:00", "in 2h", "Pacific/Auckland", "2026-04-05T02:30:00+12:00"),
        ("2026-04-04T02:30+13:00", "in 1d", "Pacific/Auckland", "2026-04-05T02:30:00+13:00"),
        # Auckland, 27 September 2026: 02:00 (+12:00) became 03:00 (+13:00)
        ("2026-09-27T01:30+12:00", "in 1h", "Pacific/Auckland", "2026-09-27T03:30:00+13:00"),
        ("2026-09-26T09:00+12:00", "in 1d", "Pacific/Auckland", "2026-09-27T09:00:00+13:00"),
        ("2026-09-27T09:00+13:00", "in 7d", "Pacific/Auckland", "2026-10-04T09:00:00+13:00"),
        # Lord Howe, 5 April 2026: 02:00 (+11:00) became 01:30 (+10:30)
        ("2026-04-05T01:15+11:00", "in 30m", "Australia/Lord_Howe", "2026-04-05T01:45:00+11:00"),
        ("2026-04-05T01:15+11:00", "in 45m", "Australia/Lord_Howe", "2026-04-05T01:30:00+10:30"),
        ("2026-04-05T01:15+11:00", "in 1h", "Australia/Lord_Howe", "2026-04-05T01:45:00+10:30"),
        ("2026-04-04T01:45+11:00", "in 1d", "Australia/Lord_Howe", "2026-04-05T01:45:00+11:00"),
        # Lord Howe, 4 October 2026: 02:00 (+10:30) became 02:30 (+11:00)
        ("2026-10-04T01:45+10:30", "in 15m", "Australia/Lord_Howe", "2026-10-04T02:30:00+11:00"),
        ("2026-10-04T01:45+10:30", "in 30m", "Australia/Lord_Howe", "2026-10-04T02:45:00+11:00"),
        ("2026-10-03T09:00+10:30", "in 1d", "Australia/Lord_Howe", "2026-10-04T09:00:00+11:00"),
        # `now` given in another zone (UTC, as the clock gives it): the answer is in `tz`
        ("2026-10-24T23:30+00:00", "in 2h", "Europe/Paris", "2026-10-25T02:30:00+01:00"),
        ("2026-10-24T00:30+00:00", "in 1d", "Europe/Paris", "2026-10-25T02:30:00+02:00"),
    ],
)
def test_spans_across_clock_changes(now: str, text: str, tz: str, want: str) -> None:
    got = parse_datetime(text, tz, "start", datetime.fromisoformat(now))
    assert got.isoformat() == want
    assert got.astimezone(UTC) == datetime.fromisoformat(want).astimezone(UTC)


@pytest.mark.parametrize(
    ("now", "text", "tz", "said"),
    [
        ("2026-03-28T02:30+01:00", "in 1d", "Europe/Paris", "in 1d is 2026-03-29 02:30, which"),
        ("2026-03-30T02:00+02:00", "1d ago", "Europe/Paris", "1d ago is 2026-03-29 02:00, which"),
        ("2026-09-20T02:59+12:00", "in 7d", "Pacific/Auckland", "in 7d is 2026-09-27 02:59,"),
        ("2026-10-03T02:15+10:30", "in 1d", "Australia/Lord_Howe", "in 1d is 2026-10-04 02:15,"),
    ],
)
def test_days_landing_on_a_skipped_time_are_refused(
    now: str, text: str, tz: str, said: str
) -> None:
    with pytest.raises(BadInput) as err:
        parse_datetime(text, tz, "start", datetime.fromisoformat(now))
    assert err.value.field == "start"
    assert err.value.problem.startswith(said)
    assert f"does not exist in {tz} (the clocks skip that hour)" in err.value.problem


_ZONES = [
    ZoneInfo(name)
    for name in ("Europe/Paris", "Pacific/Auckland", "Australia/Lord_Howe", "America/Santiago")
]
_NOWS = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2070, 1, 1),
    timezones=st.sampled_from([*_ZONES, UTC]),
    allow_imaginary=False,
)


@settings(max_examples=400, deadline=None)
@given(
    now=_NOWS,
    tz=st.sampled_from(_ZONES),
    count=st.integers(0, 9999),
    unit=st.sampled_from(["h", "m"]),
    ahead=st.booleans(),
)
def test_hours_and_minutes_are_elapsed_time(
    now: datetime, tz: ZoneInfo, count: int, unit: str, ahead: bool
) -> None:
    text = f"in {count}{unit}" if ahead else f"{count}{unit} ago"
    got = parse_datetime(text, tz.key, "start", now)
    step = timedelta(hours=count) if unit == "h" else timedelta(minutes=count)
    start = now.replace(second=0, microsecond=0)
    assert got.astimezone(UTC) - start.astimezone(UTC) == (step if ahead else -step)
    assert got.tzinfo is tz  # shown on the zone's clock


@settings(max_examples=400, deadline=None)
@given(now=_NOWS, tz=st.sampled_from(_ZONES), count=st.integers(0, 999), ahead=st.booleans())
def test_days_keep_the_wall_clock_time(
    now: datetime, tz: ZoneInfo, count: int, ahead: bool
) -> None:
    text = f"in {count}d" if ahead else f"{count}d ago"
    wall = now.astimezone(tz).replace(tzinfo=None, second=0, microsecond=0, fold=0)
    wall += timedelta(days=count if ahead else -count)
    first = wall.replace(tzinfo=tz, fold=0)
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != wall:  # skipped
        with pytest.raises(BadInput, match="the clocks skip that hour"):
            parse_datetime(text, tz.key, "start", now)
        return
    got = parse_datetime(text, tz.key, "start", now)
    assert got.replace(tzinfo=None, fold=0) == wall
    assert got.utcoffset() == first.utcoffset()  # the first of a repeated time
