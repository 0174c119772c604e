"""`afterview stats` on the 5-year history: the whole command, start-up included.

    .venv/bin/python bench/stats.py [--runs N] [--db FILE]

Target (issue 6): under 0.3 s per run, start-up included. The history is the one of
bench/generate.py (the core benchmark's), in a temporary SQLite file.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from types import ModuleType

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(os.path.dirname(sys.executable), "afterview")
TARGET_S = 0.3


def _generator() -> ModuleType:
    """bench/generate.py, the history of the core benchmark (bench/ is this script's folder)."""
    if HERE not in sys.path:
        sys.path.insert(0, HERE)
    import generate

    return generate


def _time(argv: list[str], env: dict[str, str], runs: int) -> list[float]:
    subprocess.run(argv, env=env, check=True, capture_output=True)  # warm the file cache
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, check=True, capture_output=True)
        out.append(time.perf_counter() - start)
    return out


def history_args(doc: str, runs: int, argv: list[str] | None) -> argparse.Namespace:
    """The options every history benchmark takes: --runs, --db, --now."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--db", help="an existing history (default: a new one)")
    parser.add_argument("--now", default=_generator().DEFAULT_NOW)
    return parser.parse_args(argv)


def prepare(args: argparse.Namespace, tmp: str) -> tuple[str, dict[str, str]]:
    """The history's database (built in `tmp` unless --db names one) and the environment
    to run afterview in (no config file, the Paris zone)."""
    db = args.db or os.path.join(tmp, "history.db")
    if not args.db:
        print(f"history: {_generator().generate(db, 1, args.now)}")
    env = {**os.environ, "AFTERVIEW_CONFIG": os.path.join(tmp, "none.toml"), "TZ": "Europe/Paris"}
    env.pop("AFTERVIEW_DB", None)
    return db, env


def median_p90(times: list[float]) -> tuple[float, float]:
    """The median and the 90th percentile of some timings."""
    t = sorted(times)
    return statistics.median(t), t[int(0.9 * (len(t) - 1))]


def main(argv: list[str] | None = None) -> int:
    """Build the history, time `stats --json` and `stats`, print the figures."""
    args = history_args(__doc__ or "", 15, argv)
    with tempfile.TemporaryDirectory() as tmp:
        db, env = prepare(args, tmp)
        rows = [
            ("python -c pass (start-up floor)", [sys.executable, "-c", "pass"]),
            ("afterview stats --json", [SCRIPT, "--db", db, "--now", args.now, "stats", "--json"]),
            ("afterview stats", [SCRIPT, "--db", db, "--now", args.now, "stats"]),
        ]
        print(f"{'command':34} {'median s':>9} {'p90 s':>7}  target")
        for label, cmd in rows:
            med, p90 = median_p90(_time(cmd, env, args.runs))
            verdict = "" if "stats" not in label else ("PASS" if med < TARGET_S else "MISS")
            print(f"{label:34} {med:9.3f} {p90:7.3f}  {verdict} {'< 0.3 s' if verdict else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
