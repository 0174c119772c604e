"""Correcting on the 5-year history: a write, its `undo`, and `history`, each the whole
command (start-up included), with the floor beside them.

    .venv/bin/python bench/undo.py [--runs N] [--db FILE] [--now ISO]

Each round writes (an application added, a message logged, the interview with the most
rows deleted, its application deleted), then takes it back with `undo`: the history is
the same after every round, so the rounds time the same work. The change journal is
written by triggers in each write's own transaction: the write's figure includes it.
The history is the one of bench/generate.py, in a temporary SQLite file.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
import time

from stats import SCRIPT, history_args, median_p90, prepare


def _busiest(db: str) -> tuple[int, int]:
    """The interview with the most rows hanging on it, and its application."""
    conn = sqlite3.connect(db)
    try:
        row = conn.execute(
            "SELECT i.id, i.application_id FROM interview i "
            "ORDER BY (SELECT COUNT(*) FROM touch t WHERE t.interview_id = i.id) DESC, i.id "
            "LIMIT 1"
        ).fetchone()
        return int(row[0]), int(row[1])
    finally:
        conn.close()


def _run(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv[3:])}: exit {done.returncode}: {done.stderr.strip()}")
    return took


def main(argv: list[str] | None = None) -> int:
    """Build the history, time each write and its undo, print medians and p90."""
    args = history_args(__doc__ or "", 7, argv)
    with tempfile.TemporaryDirectory() as tmp:
        db, env = prepare(args, tmp)
        iv, app = _busiest(db)
        base = [SCRIPT, "--db", db, "--now", args.now]
        writes = [
            ("application add", ["application", "add", "--company", "Bench", "--role", "QA"]),
            ("log", ["log", str(iv), "--received", "--note", "bench"]),
            ("interview delete (busiest)", ["interview", "delete", str(iv), "--force"]),
            ("application delete", ["application", "delete", str(app), "--force"]),
        ]
        floor = [_run([sys.executable, "-c", "import sqlite3"], env) for _ in range(args.runs)]
        print(f"{'command':34} {'median s':>9} {'p90 s':>7} {'x floor':>8}")
        med_floor, p90 = median_p90(floor)
        print(f"{'python -c import sqlite3 (floor)':34} {med_floor:9.3f} {p90:7.3f} {1:8.1f}")
        for label, write in writes:
            took_w, took_u = [], []
            for _ in range(args.runs):
                took_w.append(_run(base + write, env))
                took_u.append(_run([*base, "undo"], env))
            for name, took in ((label, took_w), ("  undo of it", took_u)):
                med, p90 = median_p90(took)
                print(f"{name:34} {med:9.3f} {p90:7.3f} {med / med_floor:8.1f}")
        hist = [
            _run([*base, "history", "--json", "--limit", "1000"], env) for _ in range(args.runs)
        ]
        med, p90 = median_p90(hist)
        print(f"{'history --json --limit 1000':34} {med:9.3f} {p90:7.3f} {med / med_floor:8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
