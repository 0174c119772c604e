"""Benchmark shell completion (`afterview done <Tab>`) on the heavy history, as a shell
runs it: a fresh `afterview` process with `_AFTERVIEW_COMPLETE=bash_complete`.

    .venv/bin/python bench/completion.py [--runs 15] [--db PATH]

Without `--db`, the history of bench/generate.py is written into a temporary file.
The commands take turns in each round, spawned by bench/agenda.py's launcher (wall
time around spawn and wait, peak memory from `os.wait4`), next to the interpreter's
start and the agenda's own quick path. Completing `done` is timed twice: with the
agenda's stored bounds holding (any command that ran since the last write keeps
them), and with them stale (a new afterview, or settings changed): completion never
writes them, so then it reads every fact that can still matter.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from types import ModuleType

HERE = os.path.dirname(os.path.abspath(__file__))


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        f"afterview_bench_{name}", os.path.join(HERE, f"{name}.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def completing(db: str, now: str, words: str) -> list[str]:
    """The argv that asks `afterview` to complete `words` (the last one being typed)."""
    env = shutil.which("env") or "/usr/bin/env"
    line = f"afterview --db {db} --now {now} {words}"
    return [
        env,
        "_AFTERVIEW_COMPLETE=bash_complete",
        f"COMP_WORDS={line}",
        f"COMP_CWORD={len(line.split(' ')) - 1}",
        os.path.join(os.path.dirname(sys.executable), "afterview"),
    ]


def stamp_setter(db: str, stamp: str) -> Callable[[], None]:
    """Set the stamp the agenda's stored bounds were computed under: the one in force
    (they hold), or another (a new afterview, or settings changed: they do not)."""

    def put() -> None:
        conn = sqlite3.connect(db)
        try:
            with conn:
                conn.execute("UPDATE quiet_stamp SET stamp = ?", (stamp,))
        finally:
            conn.close()

    return put


def current_stamp(db: str) -> str:
    """The stamp stored by the agenda's last run."""
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("SELECT stamp FROM quiet_stamp").fetchone()[0])
    finally:
        conn.close()


def report(commands: list, samples: dict, p90: Callable[[list[float]], float]) -> None:  # type: ignore[type-arg]
    """Median, 90th percentile and peak memory of each command, against the baseline."""
    import statistics

    base = statistics.median(s.seconds for s in samples[commands[0].label])
    width = max(len(c.label) for c in commands)
    print(
        f"\n{'command':<{width}}  {'median ms':>9}  {'p90 ms':>7}  {'max RSS MB':>10}  {'x base':>7}"
    )
    for c in commands:
        times = [s.seconds for s in samples[c.label]]
        med = statistics.median(times)
        rss = max(s.max_rss_mb for s in samples[c.label])
        print(
            f"{c.label:<{width}}  {med * 1000:>9.1f}  {p90(times) * 1000:>7.1f}  {rss:>10.1f}"
            f"  {med / base:>6.2f}x"
        )


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    agenda = _load("agenda")
    gen = agenda._generator()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15, help="measured runs (default 15)")
    parser.add_argument("--warmups", type=int, default=2, help="warm-up runs (default 2)")
    parser.add_argument("--db", help="an existing database (default: generate one)")
    parser.add_argument(
        "--now", default=gen.DEFAULT_NOW, help="the moment (default: the history's)"
    )
    args = parser.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="afterview-bench-")
    try:
        db = args.db or os.path.join(tmp, "heavy.db")
        if args.db is None:
            gen.generate(db, 1, args.now)
        env = agenda.child_env(os.path.join(tmp, "no-such-config.toml"))
        script = agenda.SCRIPT
        run_agenda = [script, "--db", db, "--now", args.now, "agenda"]
        subprocess.run(run_agenda, env=env, capture_output=True, check=True)  # bounds stored
        done = completing(db, args.now, "done ")
        offered = subprocess.run(done, env=env, capture_output=True, text=True, check=True)
        print(f"afterview done <Tab> offers {len(offered.stdout.splitlines())} action ids")
        Command = agenda.Command
        hold = stamp_setter(db, current_stamp(db))
        stale = stamp_setter(db, "an older afterview")
        commands = [
            Command(
                'python -c "import sqlite3" (baseline)', [sys.executable, "-c", "import sqlite3"]
            ),
            Command("afterview agenda (quick path)", run_agenda, info=True, before=hold),
            Command("done <Tab>", done, info=True, before=hold),
            Command("done <Tab>, bounds stale", done, info=True, before=stale),
            Command("interview show <Tab>", completing(db, args.now, "interview show "), info=True),
            Command("reopen <Tab>", completing(db, args.now, "reopen "), info=True, before=hold),
        ]
        launcher = agenda.Launcher(env, tmp)
        try:
            samples = agenda.measure(commands, launcher, args.runs, args.warmups)
        finally:
            launcher.close()
        report(commands, samples, agenda.p90)
        print(f"(1-minute load average {agenda._load()}: other work skews figures)")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
