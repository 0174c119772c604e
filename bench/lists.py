"""The lists on the 5-year history: `application list` and `interview list`, piped (tab-
separated) and as JSON, the whole command with start-up, beside the floor; and the
terminal table alone (2,000 rows laid out at 80 columns), in-process.

    .venv/bin/python bench/lists.py [--runs N] [--db FILE] [--now ISO]

Target (issue 19): each list at most 5x the floor (`python -c "import sqlite3"`).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time

from stats import SCRIPT, history_args, median_p90, prepare

TARGET = 5.0


def _run(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def _table_ms(db: str, now: str) -> float:
    """Lay out every application as the terminal table, 80 columns wide (ms, median)."""
    from datetime import datetime

    from afterview.cli.table import Column, text_table
    from afterview.config import Config
    from afterview.services.applications import application_rows
    from afterview.services.context import Context, open_database

    ctx = Context(open_database(db), Config(path="none"), datetime.fromisoformat(now), True)
    rows = application_rows(ctx)
    cols = [Column("id"), Column("company", True), Column("role", True), Column("applied"),
            Column("status"), Column("interviews")]  # fmt: skip
    cells = [[r["id"], r["company"], r["role"], r["applied_on"] or "—", r["status"],
              r["interviews"]] for r in rows]  # fmt: skip
    took = []
    for _ in range(5):
        start = time.perf_counter()
        text_table(cols, cells, 80)
        took.append(time.perf_counter() - start)
    return statistics.median(took) * 1000


def main(argv: list[str] | None = None) -> int:
    """Build the history, time each list, print medians, p90 and the ratio to the floor."""
    args = history_args(__doc__ or "", 9, argv)
    missed = False
    with tempfile.TemporaryDirectory() as tmp:
        db, env = prepare(args, tmp)
        base = [SCRIPT, "--db", db, "--now", args.now]
        floor = [_run([sys.executable, "-c", "import sqlite3"], env) for _ in range(args.runs)]
        med_floor, p90 = median_p90(floor)
        print(f"{'command':34} {'median s':>9} {'p90 s':>7} {'x floor':>8}  target")
        print(f"{'python -c import sqlite3 (floor)':34} {med_floor:9.3f} {p90:7.3f} {1:8.1f}")
        for label, cmd in (
            ("application list (piped)", ["application", "list"]),
            ("application list --json", ["application", "list", "--json"]),
            ("interview list (piped)", ["interview", "list"]),
            ("interview list --json", ["interview", "list", "--json"]),
        ):
            med, p90 = median_p90([_run(base + cmd, env) for _ in range(args.runs)])
            ratio = med / med_floor
            verdict = "met" if ratio <= TARGET else "MISS"
            missed |= ratio > TARGET
            print(f"{label:34} {med:9.3f} {p90:7.3f} {ratio:8.1f}  {verdict} (<= {TARGET}x)")
        print(f"terminal table, 2,000 rows at 80 columns: {_table_ms(db, args.now):.1f} ms")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
