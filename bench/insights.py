"""Practice 5's commands on the 5-year history (400 self-assessments, their questions):
`questions --json`, `insights --json`, `prep ID --json` and `report --out`, start-up included.

    .venv/bin/python bench/insights.py [--runs N] [--db FILE]

No target was set (issue 8); the figures show how these commands scale on a heavy
personal history, next to the interpreter's start-up floor.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from stats import SCRIPT, _generator, _time  # noqa: E402  (bench/stats.py, same folder)


def main(argv: list[str] | None = None) -> int:
    """Build the history, time the commands, print the figures."""
    gen = _generator()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--db", help="an existing history (default: a new one)")
    parser.add_argument("--now", default=gen.DEFAULT_NOW)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or os.path.join(tmp, "history.db")
        if not args.db:
            print(f"history: {gen.generate(db, 1, args.now)}")
        with sqlite3.connect(db) as con:
            questions = con.execute("SELECT COUNT(*) FROM question").fetchone()[0]
            last = con.execute("SELECT MAX(id) FROM interview").fetchone()[0]
        print(f"questions in the bank: {questions}")
        env = {
            **os.environ,
            "AFTERVIEW_CONFIG": os.path.join(tmp, "none.toml"),
            "TZ": "Europe/Paris",
        }
        env.pop("AFTERVIEW_DB", None)
        base = [SCRIPT, "--db", db, "--now", args.now]
        rows = [
            ("python -c pass (start-up floor)", [sys.executable, "-c", "pass"]),
            ("afterview questions --json", [*base, "questions", "--json"]),
            ("afterview insights --json", [*base, "insights", "--json"]),
            (f"afterview prep {last} --json", [*base, "prep", str(last), "--json"]),
            ("afterview report --out", [*base, "report", "--out", os.path.join(tmp, "r.html")]),
        ]
        print(f"{'command':34} {'median s':>9} {'p90 s':>7}")
        for label, cmd in rows:
            t = sorted(_time(cmd, env, args.runs))
            print(f"{label:34} {statistics.median(t):9.3f} {t[int(0.9 * (len(t) - 1))]:7.3f}")
        print(f"report size: {os.path.getsize(os.path.join(tmp, 'r.html')) / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
