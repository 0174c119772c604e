"""Practice 5's commands on the 5-year history (400 self-assessments, their questions):
`questions --json`, `insights --json`, `prep ID --json` and `report --out`, start-up included.

    .venv/bin/python bench/insights.py [--runs N] [--db FILE]

No target was set (issue 8); the figures show how these commands scale on a heavy
personal history, next to the interpreter's start-up floor.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from stats import SCRIPT, _time, history_args, median_p90, prepare  # noqa: E402  (bench/stats.py)


def main(argv: list[str] | None = None) -> int:
    """Build the history, time the commands, print the figures."""
    args = history_args(__doc__ or "", 9, argv)
    with tempfile.TemporaryDirectory() as tmp:
        db, env = prepare(args, tmp)
        with sqlite3.connect(db) as con:
            questions = con.execute("SELECT COUNT(*) FROM question").fetchone()[0]
            last = con.execute("SELECT MAX(id) FROM interview").fetchone()[0]
        print(f"questions in the bank: {questions}")
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
            med, p90 = median_p90(_time(cmd, env, args.runs))
            print(f"{label:34} {med:9.3f} {p90:7.3f}")
        print(f"report size: {os.path.getsize(os.path.join(tmp, 'r.html')) / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
