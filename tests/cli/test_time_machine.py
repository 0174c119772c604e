"""No future leakage, through the real CLI on both engines (PRODUCT.md: the time machine).

For random histories and moments t: the agenda (with and without `--all`) and the
interviews' statuses read at t from a database holding the whole history equal those
read from a database holding only the facts dated at or before t. Interviews are
plans and always count, so both databases get every interview first, in the same
order (their ids and their people's ids match); then each fact is recorded in time
order, in the first database all of them, in the second those dated by t. The first
database is read at increasing moments, so its stored agenda snapshot is reused,
and refused once a fact recorded for later starts to count.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.cli.helpers import Afterview

ZONES = ("Europe/Paris", "America/New_York", "Pacific/Kiritimati")
#: Sunday 2026-10-25: Europe changes to winter time inside every history
BASE = datetime(2026, 10, 19, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="seconds")


class History:
    """A random history: interviews (plans), and facts each with its moment."""

    def __init__(self, seed: int) -> None:
        rnd = random.Random(seed)
        self.interviews: list[list[str]] = []
        self.facts: list[tuple[datetime, list[str]]] = []
        ends: list[datetime] = []
        for n in range(1, rnd.randint(2, 3) + 1):
            tz = rnd.choice(ZONES)
            start = (BASE + timedelta(days=rnd.randint(0, 20), hours=rnd.randint(0, 8))).astimezone(
                ZoneInfo(tz)
            )
            end = start + timedelta(hours=1)
            ends.append(end)
            people = rnd.randint(0, 2)
            argv = [
                "interview",
                "add",
                "--company",
                f"Co{n}",
                "--role",
                "Engineer",
                "--start",
                start.replace(tzinfo=None).isoformat(timespec="minutes"),
                "--tz",
                tz,
            ]
            for p in range(people):
                argv += ["--interviewer", f"P{n}{p} <p{n}{p}@co{n}.example>"]
            if rnd.random() < 0.4:
                argv += [
                    "--decision-by",
                    (end + timedelta(days=rnd.randint(3, 12))).date().isoformat(),
                ]
            self.interviews.append(argv)
            self._facts_for(rnd, n, end, people)
        for k in range(rnd.randint(2, 8)):
            day = (BASE + timedelta(days=rnd.randint(0, 45))).date()
            self.facts.append(
                (
                    datetime.combine(day, datetime.min.time(), ZoneInfo("Europe/Paris")),
                    [
                        "application",
                        "add",
                        "--company",
                        f"Lead{k}",
                        "--role",
                        "Engineer",
                        "--applied-on",
                        day.isoformat(),
                    ],
                )
            )
        self.facts.sort(key=lambda f: f[0])
        first, last = min(ends), max(ends)
        span = int((last - first).total_seconds()) + 60 * 86400
        self.moments = sorted(
            {first - timedelta(days=1) + timedelta(seconds=rnd.randint(0, span)) for _ in range(4)}
            | {
                m + timedelta(seconds=d)
                for m, _ in rnd.sample(self.facts, min(2, len(self.facts)))
                for d in (-1, 0)
            }
        )

    def _facts_for(self, rnd: random.Random, n: int, end: datetime, people: int) -> None:
        def at(hours: float) -> datetime:
            return end + timedelta(hours=hours)

        def log(moment: datetime, *args: str) -> None:
            self.facts.append((moment, ["log", str(n), *args, "--at", _iso(moment)]))

        if people and rnd.random() < 0.7:
            m = at(rnd.uniform(0.5, 200))
            log(m, "--sent", "--kind", "thank_you", "--to", f"P{n}0 <p{n}00@co{n}.example>")
        if rnd.random() < 0.5:
            m = at(rnd.uniform(24 * 3, 24 * 30))
            log(m, "--received", "--note", "they wrote")
        for _ in range(rnd.randint(0, 2)):
            m = at(rnd.uniform(24 * 7, 24 * 40))
            log(m, "--sent", "--kind", "follow_up", "--force")
        if rnd.random() < 0.5:
            m = at(rnd.uniform(0.5, 24 * 20))
            self.facts.append((m, ["assess", str(n), "--score", "rapport=4", "--at", _iso(m)]))
        if rnd.random() < 0.3:
            m = at(rnd.uniform(1, 24 * 10))
            self.facts.append((m, ["profile", "reviewed", "--at", _iso(m)]))
        if rnd.random() < 0.4:
            m = at(rnd.uniform(24 * 5, 24 * 45))
            result = rnd.choice(["offer", "rejected", "next_round", "withdrawn"])
            self.facts.append((m, ["outcome", str(n), result, "--at", _iso(m)]))
        if rnd.random() < 0.4:
            m = at(rnd.uniform(24 * 7, 24 * 30))
            self.facts.append((m, ["--now", _iso(m), "skip", f"follow_up:{n}:1", "--why", "x"]))
        if rnd.random() < 0.3:
            m = at(rnd.uniform(0, 24 * 20))
            self.facts.append((m, ["--now", _iso(m), "done", f"self_assess:{n}"]))


def _record(av: Afterview, facts: list[tuple[datetime, list[str]]]) -> list[int]:
    codes = []
    for moment, argv in facts:
        r = av(*argv) if argv[0] == "--now" else av(*argv, now=_iso(moment))
        assert r.code in (0, 1), f"{argv}: exit {r.code}: {r.err}"
        codes.append(r.code)
    return codes


def _plans(av: Afterview, history: History) -> None:
    for argv in history.interviews:
        av.ok(*argv, now=_iso(BASE - timedelta(days=30)))


def _read(av: Afterview, at: datetime) -> dict[str, object]:
    now = _iso(at)
    return {
        "agenda": av.ok("agenda", "--json", now=now).json(),
        "all": av.ok("agenda", "--json", "--all", now=now).json(),
        "statuses": [
            (i["id"], i["status"], i["open_actions"])
            for i in av.ok("--json", "interview", "list", now=now).json()
        ],
    }


@pytest.fixture
def second_url(db_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """Another empty database on the engine of `db_url`."""
    if "://" not in db_url:
        yield str(tmp_path / "known.db")
        return
    server = request.getfixturevalue("postgres_server")
    schema = server.create_schema()
    try:
        yield str(server.url(schema))
    finally:
        server.drop_schema(schema)


@pytest.mark.parametrize("seed", range(6))
def test_the_agenda_at_t_uses_only_the_facts_dated_by_t(
    db_url: str, second_url: str, seed: int
) -> None:
    history = History(seed)
    whole = Afterview(db_url)
    _plans(whole, history)
    whole_codes = _record(whole, history.facts)
    # The second database grows with the moments: at each, it holds exactly the facts
    # dated by then (written after it was read at the moment before).
    known = Afterview(second_url)
    _plans(known, history)
    known_codes: list[int] = []
    done = 0
    for t in history.moments:
        upto = [f for f in history.facts[done:] if f[0] <= t]
        known_codes += _record(known, upto)
        done += len(upto)
        # a command refused in the whole history is refused with only the earlier facts too
        assert known_codes == whole_codes[:done]
        got, want = _read(whole, t), _read(known, t)
        assert got == want, (
            f"seed {seed}, at {t}: {json.dumps(got)[:400]} != {json.dumps(want)[:400]}"
        )


def test_show_stats_and_goal_tell_what_was_known_then(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('timezone = "Europe/Paris"\n', encoding="utf-8")
    monkeypatch.setenv("AFTERVIEW_CONFIG", str(cfg))
    av = Afterview(db_url)
    av.ok("interview", "add", "--company", "Acme", "--role", "DE", "--start", "2026-09-15T14:00",
          "--interviewer", "Ana Lopez <ana@acme.example>", now="2026-09-15T10:00")  # fmt: skip
    av.ok(
        "log",
        "1",
        "--sent",
        "--kind",
        "follow_up",
        "--at",
        "2026-09-29T10:00",
        now="2026-10-05T10:00",
    )
    av.ok("log", "1", "--received", "--at", "2026-10-02T11:00", now="2026-10-05T10:00")
    av.ok("assess", "1", "--score", "rapport=4", "--at", "2026-09-16T10:00", now="2026-10-05T10:00")
    av.ok("outcome", "1", "offer", "--at", "2026-10-20T10:00", now="2026-10-21T10:00")
    for day in ("2026-09-16", "2026-09-17"):
        av.ok("application", "add", "--company", f"L{day}", "--role", "DE", "--applied-on", day,
              now="2026-10-21T10:00")  # fmt: skip
    then = "2026-09-16T09:00"
    shown = av.ok("--json", "interview", "show", "1", now=then).json()
    assert shown["status"] == "awaiting"
    assert shown["outcome"] is None and shown["touches"] == [] and shown["assessment"] is None
    later = av.ok("--json", "interview", "show", "1", now="2026-10-01T12:00").json()
    assert [t["direction"] for t in later["touches"]] == ["sent"]
    assert later["assessment"] is not None
    assert av.ok("--json", "interview", "show", "1", now="2026-10-21T10:00").json()["outcome"]
    stats = av.ok("--json", "stats", now="2026-10-01T12:00").json()
    assert stats["funnel"]["offer"] == 0
    assert av.ok("--json", "stats", now="2026-10-21T10:00").json()["funnel"]["offer"] == 1
    goal = av.ok("--json", "goal", now=then).json()
    assert goal["weeks"][-1]["applied"] == 1  # the 17th's is still to come
    assert av.ok("--json", "goal", now="2026-09-20T12:00").json()["weeks"][-1]["applied"] == 2
