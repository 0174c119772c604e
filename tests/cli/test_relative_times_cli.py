"""Relative moments wherever a moment is typed: `interview add --start`, `interview
update --start`, `log --at`; refused in one line like an absolute one."""

from __future__ import annotations

import json

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
