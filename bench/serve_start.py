"""How soon `afterview serve` answers after it is started, on the five-year history.

    .venv/bin/python bench/serve_start.py [--db FILE] [--runs 7] [--path /api/today]

The server runs as a real process (`python -m afterview --db COPY --now NOW serve --port 0
--no-worker`, the history copied for each run); the clock starts just before the process
is spawned and stops when the first answer to `--path` (default `/`, Today, then
`/api/today`) has been read whole with status 200. Each figure is the median over
`--runs`, with the fastest and slowest; also the time until the server prints its address.
Target (issue 19): the first answer within 1 s of start. Exit code 1 on a miss.

Without `--db`, the history of bench/generate.py is written once into a temporary
folder (as bench/scale.py does). The history is read once with `agenda` before the
runs, so its stored bounds (`store/quiet.py`) are those of this code, as on a machine
where the tool is in daily use; `--cold` skips that (the first start after an upgrade).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from stats import HERE

NOW = "2026-11-27T12:00+01:00"
TARGET_S = 1.0


def _history(folder: str) -> str:
    path = os.path.join(folder, "history.db")
    if not os.path.exists(path):
        subprocess.run(
            [sys.executable, os.path.join(HERE, "generate.py"), "--db", path, "--now", NOW],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return path


def _one(db: str, paths: list[str], env: dict[str, str]) -> tuple[float, list[float]]:
    """Start the server on `db`; seconds until it said where it is, and until each of
    `paths` (asked in turn) was answered whole."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "afterview", "--db", db, "--now", NOW, "serve", "--port", "0",
         "--no-worker"],
        env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        said = time.perf_counter() - started
        if not line.startswith("afterview is at http://"):
            raise SystemExit(f"serve did not start: {line!r}")
        url = line.split()[3]
        answered = []
        for path in paths:
            with urllib.request.urlopen(url + path.lstrip("/"), timeout=30) as r:
                r.read()
                if r.status != 200:
                    raise SystemExit(f"{path}: {r.status}")
            answered.append(time.perf_counter() - started)
        return said, answered
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    """Measure and print; 1 when the first answer misses its target."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", help="a database to copy for each run (default: the 5-year history)")
    p.add_argument("--runs", type=int, default=7)
    p.add_argument(
        "--path", action="append", help="what to ask, in turn (default: / then /api/today)"
    )
    p.add_argument("--cold", action="store_true", help="leave the stored bounds as they are")
    args = p.parse_args(argv)
    paths = args.path or ["/", "/api/today"]
    work = tempfile.mkdtemp(prefix="afterview-serve-")
    try:
        source = args.db or _history(work)
        config = os.path.join(work, "config.toml")
        open(config, "w").close()
        env = {
            **os.environ,
            "AFTERVIEW_CONFIG": config,
            "HOME": work,
            "XDG_DATA_HOME": os.path.join(work, "data"),
            "TZ": "Europe/Paris",
        }
        if not args.cold:
            warm = os.path.join(work, "warm.db")
            shutil.copyfile(source, warm)
            subprocess.run(
                [sys.executable, "-m", "afterview", "--db", warm, "--now", NOW, "agenda"],
                env=env, check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
            source = warm
        runs = []
        for n in range(args.runs):
            db = os.path.join(work, f"run{n}.db")
            shutil.copyfile(source, db)
            runs.append(_one(db, paths, env))
            os.remove(db)
        state = "bounds as found" if args.cold else "bounds stored"
        print(
            f"serve on {args.db or 'the 5-year history'} ({state}), {args.runs} runs, seconds from the spawn:"
        )
        rows = [("address printed", [r[0] for r in runs])]
        rows += [(f"{path} answered", [r[1][i] for r in runs]) for i, path in enumerate(paths)]
        for label, values in rows:
            print(
                f"  {label:<24} median {statistics.median(values):.3f}  "
                f"min {min(values):.3f}  max {max(values):.3f}"
            )
        first = statistics.median([r[1][0] for r in runs])
        met = first <= TARGET_S
        print(f"  first answer within {TARGET_S:.0f} s: {'met' if met else 'MISSED'}")
        return 0 if met else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
