"""Relative moments wherever a moment is typed: `interview add --start`, `interview
update --start`, `log --at`; refused in one line like an absolute one."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.helpers import Afterview

#: the morning the clocks went forward in Paris (a Sunday)
NOW = "2026-03-29T09:00+02:00"


def _start(av: Afterview, iv: str) -> str:
    return str(json.loads(av.ok("interview", "show", iv, "--json", now=NOW).out)["start"])


def test_relative_starts_and_moments(av: Afterview) -> None:
    iv = av.ok(
        "interview", "add", "--company", "Acme", "--role", "R", "--start", "yesterday 14:00",
        "--interviewer", "Ana Lopez <ana@acme.example>", now=NOW,
    ).out.strip()  # fmt: skip
    assert _start(av, iv) == "2026-03-28T14:00:00+01:00"
    av.ok("interview", "update", iv, "--start", "fri 10:00", now=NOW)
    assert _start(av, iv) == "2026-03-27T10:00:00+01:00"
    av.ok("log", iv, "--sent", "--kind", "thank_you", "--to", "1", "--at", "2h ago", now=NOW)
    touches = json.loads(av.ok("export", now=NOW).out)["touches"]
    assert [t["at"] for t in touches] == ["2026-03-29T05:00:00+00:00"]
    r = av("interview", "add", "--company", "B", "--role", "R", "--start", "today 2:30", now=NOW)
    assert r.code == 2 and r.err == (
        "afterview: --start: today 2:30 does not exist in Europe/Paris "
        "(the clocks skip that hour); give a time outside it\n"
    )
    r = av("log", iv, "--sent", "--kind", "thank_you", "--to", "1", "--at", "in 2h", now=NOW)
    assert r.code == 2 and r.err.startswith("afterview: --at: expected a moment no later than now")


def _add(av: Afterview, start: str, now: str) -> str:
    iv = av.ok(
        "interview", "add", "--company", "Acme", "--role", "R", "--start", start, now=now
    ).out.strip()
    return str(json.loads(av.ok("interview", "show", iv, "--json", now=now).out)["start"])


def test_hours_are_elapsed_and_days_are_calendar_days_across_clock_changes(
    av: Afterview, tmp_path: Path
) -> None:
    # the two found by a new user: spring in Paris gave 03:30 for both, autumn 3 hours
    assert _add(av, "in 1h", "2026-03-29T01:30") == "2026-03-29T03:30:00+02:00"
    assert _add(av, "in 2h", "2026-03-29T01:30") == "2026-03-29T04:30:00+02:00"
    assert _add(av, "in 2h", "2026-10-25T01:30") == "2026-10-25T02:30:00+01:00"
    assert _add(av, "in 90m", "2026-10-25T01:30") == "2026-10-25T02:00:00+01:00"
    assert _add(av, "in 1d", "2026-10-24T09:00") == "2026-10-25T09:00:00+01:00"
    r = av("interview", "add", "--company", "B", "--role", "R", "--start", "in 1d",
           now="2026-03-28T02:30")  # fmt: skip
    assert r.code == 2 and r.err == (
        "afterview: --start: in 1d is 2026-03-29 02:30, which does not exist in "
        "Europe/Paris (the clocks skip that hour); give a time outside it\n"
    )
    # a far zone: Lord Howe's clocks move by 30 minutes (02:00 became 02:30 on 4 October)
    (tmp_path / "config.toml").write_text(
        'timezone = "Australia/Lord_Howe"\n[me]\nname = "Sam Rivera"\nemail = "sam@example.org"\n'
    )
    assert _add(av, "in 15m", "2026-10-04T01:45") == "2026-10-04T02:30:00+11:00"
    assert _add(av, "in 1d", "2026-10-03T09:00") == "2026-10-04T09:00:00+11:00"
    assert _add(av, "2h ago", "2026-04-05T02:30") == "2026-04-05T01:00:00+11:00"
