"""An interview's length is elapsed time, also when it starts in the hour the clocks repeat."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.cli.helpers import Afterview


def _span(iv: dict) -> timedelta:
    return datetime.fromisoformat(iv["end"]) - datetime.fromisoformat(iv["start"])


@pytest.mark.parametrize(
    ("start", "tz"),
    [
        ("2026-10-25T02:30", "Europe/Paris"),  # the repeated hour: its first occurrence
        ("2026-11-01T01:15", "America/New_York"),
        ("2026-04-05T02:30", "Australia/Sydney"),  # autumn in the south
        ("2026-03-29T01:30", "Europe/Paris"),  # an hour before the gap: ends after it
    ],
)
def test_a_60_minute_interview_lasts_60_minutes_across_a_clock_change(
    av: Afterview, start: str, tz: str
) -> None:
    iv = av.ok(
        "interview", "add", "--company", "Acme", "--role", "Analyst",
        "--start", start, "--tz", tz, "--duration", "60", "--json",
        now="2026-01-01T00:00",
    ).json()  # fmt: skip
    assert _span(iv) == timedelta(minutes=60)
    thank = next(a for a in iv["actions"] if a["kind"] == "thank_you")
    assert datetime.fromisoformat(thank["ideal_from"]) - datetime.fromisoformat(
        iv["end"]
    ) == timedelta(hours=2)


def test_changing_the_start_keeps_the_elapsed_length(av: Afterview) -> None:
    av.ok(
        "interview", "add", "--company", "Acme", "--role", "Analyst",
        "--start", "2026-10-24T10:00", "--tz", "Europe/Paris", "--duration", "90",
        now="2026-01-01T00:00",
    )  # fmt: skip
    iv = av.ok(
        "interview", "update", "1", "--start", "2026-10-25T02:15", "--json", now="2026-01-01T00:00"
    ).json()
    assert iv["start"] == "2026-10-25T02:15:00+02:00"
    assert _span(iv) == timedelta(minutes=90)
    assert iv["end"] == "2026-10-25T02:45:00+01:00"
