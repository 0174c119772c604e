"""Every figure of issue 19 at 1x, 10x and 100x the five-year history, against the floor.

    .venv/bin/python bench/scale.py [--scales 1,10,100] [--runs 5] [--keep DIR]

Each history comes from `bench/generate.py --scale N` (written once into `--keep`, default
a folder under /tmp, and copied for each run so the writes of one figure do not reach
the next). Each figure is the median, over `--runs` pairs, of the command's CPU time
(user + system of the finished process, `os.wait4`) divided by that of the floor `python
-c "import sqlite3"` run just before it by the same interpreter; peak memory is the
process's max RSS. The exit code is 1 when a figure misses its target.

Targets (issue 19):
- `agenda --json` at most 2x on unchanged data, 3x right after a write (`log`, `done`,
  `interview add`), at every scale;
- `application list`, `interview list`, `lead list`, `outbox` (piped) at most 5x at 1x;
- `stats --json`, `export` and `import`: peak memory at the largest scale within 60 MB
  of 1x; `export` at most 20x the floor per 1x of history; the export imports into a
  new database.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from stats import HERE, SCRIPT

NOW = "2026-11-27T12:00+01:00"
FLOOR = [sys.executable, "-c", "import sqlite3"]


@dataclass
class Figure:
    """One measured command: the median ratio to the floor, and its peak memory."""

    label: str
    ratio: float
    peak_mb: float
    target: str = ""
    met: bool | None = None


def _cpu(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Run `argv` to its end; its CPU seconds, peak RSS (MB) and exit code."""
    with open(os.devnull, "wb") as null:
        proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=null, stderr=null)
        _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode


def _measure(
    label: str,
    argv: list[str],
    env: dict[str, str],
    runs: int,
    before: Callable[[], None] | None = None,
) -> Figure:
    """Pairs of (floor, command), `before` run untimed ahead of each command."""
    ratios, peaks = [], []
    for _ in range(runs):
        floor, _peak, _code = _cpu(FLOOR, env)
        if before is not None:
            before()
        took, peak, code = _cpu(argv, env)
        if code != 0:
            raise SystemExit(f"{label}: exit {code}: {' '.join(argv)}")
        ratios.append(took / floor)
        peaks.append(peak)
    return Figure(label, statistics.median(ratios), max(peaks))


def _history(scale: int, keep: str) -> str:
    """The generated history of `scale`, written once into `keep`."""
    path = os.path.join(keep, f"history-x{scale}.db")
    if not os.path.exists(path):
        began = time.perf_counter()
        # in a process of its own: a child forked from a large parent counts its pages in
        # its peak memory (the history's rows would inflate every figure)
        subprocess.run(
            [sys.executable, os.path.join(HERE, "generate.py"), "--db", path + ".part",
             "--now", NOW, "--scale", str(scale)],
            check=True, capture_output=True,
        )  # fmt: skip
        os.replace(path + ".part", path)
        print(f"  generated {scale}x in {time.perf_counter() - began:.1f} s", flush=True)
    return path


class Afterview:
    """The console script on one copy of a history, at `NOW`, with no config file."""

    def __init__(self, db: str, env: dict[str, str]) -> None:
        self.db, self.env = db, env

    def argv(self, *args: str) -> list[str]:
        return [SCRIPT, "--db", self.db, "--now", NOW, *args]

    def json(self, *args: str) -> Any:
        out = subprocess.run(self.argv(*args), env=self.env, check=True, capture_output=True)
        return json.loads(out.stdout)

    def ok(self, *args: str) -> None:
        subprocess.run(self.argv(*args), env=self.env, check=True, capture_output=True)


def _writes(av: Afterview) -> list[tuple[str, Callable[[], None]]]:
    """Each write kind as a function that makes one such write."""
    counter = iter(range(10**6))

    def log() -> None:
        live = [a for a in av.json("agenda", "--json")["actions"] if a.get("interview_id")]
        iv = str(live[next(counter) % len(live)]["interview_id"])
        av.ok("log", iv, "--received", "--kind", "other", "--note", "still deciding")

    def done() -> None:
        actions = av.json("agenda", "--json")["actions"]
        ready = [a["id"] for a in actions if a["state"] in ("open", "ideal", "overdue")]
        ready = [a for a in ready if not a.startswith("keep_searching")] or ready
        if ready:
            subprocess.run(av.argv("done", ready[0]), env=av.env, capture_output=True)

    def interview_add() -> None:
        n = next(counter)
        av.ok("interview", "add", "--company", f"Scale Co {n}", "--role", "Data Engineer",
              "--start", "2026-11-27T09:00", "--tz", "Europe/Paris",
              "--interviewer", f"Person {n} <p{n}@scale.example>")  # fmt: skip

    return [("log", log), ("done", done), ("interview add", interview_add)]


def _scale(scale: int, keep: str, work: str, runs: int, env: dict[str, str]) -> list[Figure]:
    source = _history(scale, keep)
    db = os.path.join(work, f"x{scale}.db")
    shutil.copyfile(source, db)
    av = Afterview(db, env)
    av.ok("agenda", "--json")  # the first read after generating computes every bound
    out = [_measure(f"{scale}x agenda --json, unchanged", av.argv("agenda", "--json"), env, runs)]
    out[-1].target = "<= 2x"
    for kind, write in _writes(av):
        fig = _measure(
            f"{scale}x agenda --json after {kind}", av.argv("agenda", "--json"), env, runs, write
        )
        fig.target = "<= 3x"
        out.append(fig)
    for label, args in (
        ("application list", ["application", "list"]),
        ("interview list", ["interview", "list"]),
        ("lead list", ["lead", "list"]),
        ("outbox", ["outbox"]),
        ("stats --json", ["stats", "--json"]),
    ):
        fig = _measure(f"{scale}x {label}", av.argv(*args), env, runs)
        if scale == 1 and label != "stats --json":
            fig.target = "<= 5x"
        out.append(fig)
    export = os.path.join(work, f"x{scale}.json")
    fig = _measure(f"{scale}x export", av.argv("export", "--out", export), env, max(1, runs // 2))
    fig.target = f"<= {20 * scale}x (20x per 1x)"
    out.append(fig)
    other = os.path.join(work, f"x{scale}-imported.db")
    began = time.perf_counter()
    cpu, peak, code = _cpu([SCRIPT, "--db", other, "--now", NOW, "import", export], env)
    took = time.perf_counter() - began
    fig = Figure(f"{scale}x import", float("nan"), peak, "imports its export", code == 0)
    print(f"  import: exit {code} in {took:.1f} s ({cpu:.1f} s CPU), peak {peak:.0f} MB")
    out.append(fig)
    for path in (db, other, export):
        if os.path.exists(path):
            os.remove(path)
    return out


def _ratio_met(fig: Figure) -> bool | None:
    if fig.met is not None or not fig.target.startswith("<= "):
        return fig.met
    limit = float(fig.target[3:].split("x")[0])
    return fig.ratio <= limit


def main(argv: list[str] | None = None) -> int:
    """Measure every figure at every scale; print them; exit 1 on a miss."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", default="/tmp/afterview-scale")
    args = parser.parse_args(argv)
    scales = [int(s) for s in args.scales.split(",")]
    os.makedirs(args.keep, exist_ok=True)
    work = os.path.join(args.keep, "work")
    os.makedirs(work, exist_ok=True)
    env = {**os.environ, "AFTERVIEW_CONFIG": os.path.join(work, "none.toml"), "TZ": "UTC"}
    env.pop("AFTERVIEW_DB", None)
    figures: list[Figure] = []
    for scale in scales:
        print(f"{scale}x:", flush=True)
        figures += _scale(scale, args.keep, work, args.runs, env)
    missed = False
    print(f"\n{'figure':44} {'x floor':>8} {'peak MB':>8}  target")
    for fig in figures:
        met = _ratio_met(fig)
        verdict = "" if met is None else ("met" if met else "MISS")
        missed |= met is False
        print(f"{fig.label:44} {fig.ratio:8.1f} {fig.peak_mb:8.1f}  {fig.target} {verdict}")
    stats_memory = {f.label.split("x ", 1)[1]: f for f in figures if f.label.startswith("1x ")}
    top = max(scales)
    for name in ("stats --json", "export", "import"):
        low = stats_memory.get(name)
        high = next((f for f in figures if f.label == f"{top}x {name}"), None)
        if low and high and top > 1:
            grew = high.peak_mb - low.peak_mb
            ok = grew <= 60
            missed |= not ok
            print(f"{name}: peak memory grew {grew:.0f} MB from 1x to {top}x  <= 60 MB "
                  f"{'met' if ok else 'MISS'}")  # fmt: skip
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
