"""Benchmark `afterview agenda` on a heavy five-year history, against the interpreter's start.

    .venv/bin/python bench/agenda.py [--runs 15] [--db PATH] [--profile]

Without `--db`, the history of bench/generate.py is written into a temporary
file first. Each command runs as a fresh process (stdin and stdout on
/dev/null, so no TTY); its wall time is measured around spawn and wait, and its
peak memory is the child's max RSS from `os.wait4`. The commands take turns in
every round, after 2 warm-up rounds, so drift hits them alike.

Each agenda is measured twice: as it runs again while the data are unchanged (it
finds every interview's bound known, services/live.py), and right after a write
(before each of those runs, untimed, the benchmark forgets the bound of the latest
interview and raises the data revision, as a write to it does).

Targets, for both: `agenda --json` at most 4x the baseline `python -c "import
sqlite3"`, the human agenda at most 5x, and peak memory under 60 MB.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import importlib.util
import io
import json
import os
import platform
import pstats
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.dirname(sys.executable)
SCRIPT = os.path.join(BIN, "afterview")
USER_TZ = "Europe/Paris"

JSON_TARGET = 4.0
HUMAN_TARGET = 5.0
MEMORY_TARGET_MB = 60.0


def _generator() -> ModuleType:
    """Load bench/generate.py (works whether bench/ is on sys.path or not)."""
    spec = importlib.util.spec_from_file_location(
        "afterview_bench_generate", os.path.join(HERE, "generate.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@dataclass
class Command:
    """One command to time: a label and its argv."""

    label: str
    argv: list[str]
    info: bool = False  # shown for reference, no target
    before: Callable[[], None] | None = None  # run (untimed) before each run


@dataclass
class Sample:
    """One run of a command."""

    seconds: float
    max_rss_mb: float


def child_env(config_path: str) -> dict[str, str]:
    """The environment of every child: no user config, a fixed user zone, bytecode caches on."""
    env = dict(os.environ)
    for key in (
        "AFTERVIEW_DB",
        "AFTERVIEW_NOW",
        "PYTHONPROFILEIMPORTTIME",
        "PYTHONDONTWRITEBYTECODE",
    ):
        env.pop(key, None)
    env["AFTERVIEW_CONFIG"] = config_path
    env["TZ"] = USER_TZ
    return env


def _rss_mb(ru_maxrss: int) -> float:
    # Linux reports kilobytes, macOS bytes.
    return ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else ru_maxrss / 1024


# A child's max RSS starts at the memory of the process it was forked from (Linux
# carries the parent's high-water mark through fork and exec). So the commands are
# spawned by this small launcher (no site, no imports beyond os and time), not by
# the benchmark, whose own memory would otherwise be the floor of every figure.
# Protocol: one command per line, arguments separated by NUL; the answer is
# "seconds max_rss exit_code". The child's stderr goes to the file named by argv[1].
_LAUNCHER = r"""
import os, sys, time
null_in = os.open(os.devnull, os.O_RDONLY)
null_out = os.open(os.devnull, os.O_WRONLY)
for line in sys.stdin:
    argv = line.rstrip("\n").split("\0")
    err = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    actions = [(os.POSIX_SPAWN_DUP2, null_in, 0), (os.POSIX_SPAWN_DUP2, null_out, 1),
               (os.POSIX_SPAWN_DUP2, err, 2)]
    began = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - began
    os.close(err)
    sys.stdout.write(f"{seconds!r} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}\n")
    sys.stdout.flush()
"""


class Launcher:
    """A small helper process that spawns each command and reports its time and max RSS."""

    def __init__(self, env: dict[str, str], workdir: str) -> None:
        self.err_path = os.path.join(workdir, "stderr.txt")
        self.proc = subprocess.Popen(
            [sys.executable, "-S", "-E", "-c", _LAUNCHER, self.err_path],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, argv: list[str]) -> Sample:
        """Run `argv` once (stdin and stdout on /dev/null, so no TTY)."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("\0".join(argv) + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().split()
        if len(answer) != 3:
            raise SystemExit("bench: the launcher stopped")
        seconds, rss, code = float(answer[0]), int(answer[1]), int(answer[2])
        if code != 0:
            with open(self.err_path, encoding="utf-8", errors="replace") as fh:
                message = fh.read().strip()
            raise SystemExit(f"bench: {' '.join(argv)} exited {code}:\n{message}")
        return Sample(seconds, _rss_mb(rss))

    def close(self) -> None:
        """Stop the launcher."""
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def p90(values: list[float]) -> float:
    """The 90th percentile (inclusive method; the single value when there is one)."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def measure(
    commands: list[Command], launcher: Launcher, runs: int, warmups: int
) -> dict[str, list[Sample]]:
    """Run every command `warmups + runs` times, taking turns; keep the last `runs`."""
    samples: dict[str, list[Sample]] = {c.label: [] for c in commands}
    for n in range(warmups + runs):
        for c in commands:
            if c.before is not None:
                c.before()
            s = launcher.run(c.argv)
            if n >= warmups:
                samples[c.label].append(s)
    return samples


def bump_revision(db: str) -> Callable[[], None]:
    """Return a function that does to `db` what a write to its latest interview does:
    its bound is forgotten (computed again by the next agenda), the revision raised."""

    def bump() -> None:
        conn = sqlite3.connect(db)
        try:
            with conn:
                conn.execute("UPDATE data_revision SET n = n + 1")
                conn.execute(
                    "UPDATE interview_quiet SET quiet_from = NULL, last_fact = NULL, n = n + 1 "
                    "WHERE interview_id = (SELECT MAX(id) FROM interview)"
                )
        finally:
            conn.close()

    return bump


def _load() -> str:
    """The 1-minute load average, if the system tells it."""
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "?"


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def report(commands: list[Command], samples: dict[str, list[Sample]]) -> bool:
    """Print the figures and the targets; return True when every target is met."""
    base_label = commands[0].label
    base = statistics.median(s.seconds for s in samples[base_label])
    width = max(len(c.label) for c in commands)
    print()
    print(
        f"{'command':<{width}}  {'median ms':>9}  {'p90 ms':>7}  {'max RSS MB':>10}  {'x baseline':>10}"
    )
    print(f"{'-' * width}  {'-' * 9}  {'-' * 7}  {'-' * 10}  {'-' * 10}")
    figures: dict[str, tuple[float, float, float]] = {}
    for c in commands:
        times = [s.seconds for s in samples[c.label]]
        med, hi = statistics.median(times), p90(times)
        rss = max(s.max_rss_mb for s in samples[c.label])
        figures[c.label] = (med, rss, med / base)
        note = "  (reference)" if c.info else ""
        print(
            f"{c.label:<{width}}  {med * 1000:>9.1f}  {hi * 1000:>7.1f}  {rss:>10.1f}  {med / base:>9.2f}x{note}"
        )
    checks = []
    peak = 0.0
    # the targeted commands come in pairs (--json, human): bounds known, then after a write
    targeted = [c.label for c in commands if not c.info][1:]
    for json_label, human_label in zip(targeted[::2], targeted[1::2], strict=True):
        j_med, j_rss, j_ratio = figures[json_label]
        h_med, h_rss, h_ratio = figures[human_label]
        peak = max(peak, j_rss, h_rss)
        checks += [
            (
                f"{json_label} <= {JSON_TARGET:g}x baseline (<= {JSON_TARGET * base * 1000:.0f} ms)",
                f"{j_ratio:.2f}x ({j_med * 1000:.0f} ms)",
                j_ratio <= JSON_TARGET,
            ),
            (
                f"{human_label} <= {HUMAN_TARGET:g}x baseline (<= {HUMAN_TARGET * base * 1000:.0f} ms)",
                f"{h_ratio:.2f}x ({h_med * 1000:.0f} ms)",
                h_ratio <= HUMAN_TARGET,
            ),
        ]
    checks.append(
        (f"peak memory < {MEMORY_TARGET_MB:g} MB", f"{peak:.1f} MB", peak < MEMORY_TARGET_MB)
    )
    twidth = max(len(c[0]) for c in checks)
    print()
    print(f"{'target':<{twidth}}  {'measured':>18}  result")
    for name, measured, ok in checks:
        print(f"{name:<{twidth}}  {measured:>18}  {_verdict(ok)}")
    return all(ok for _, _, ok in checks)


def _output(argv: list[str], env: dict[str, str]) -> bytes:
    """Run `argv` once and return its stdout; stop with its stderr if it fails."""
    done = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise SystemExit(f"bench: {' '.join(argv)} exited {done.returncode}:\n{message}")
    return done.stdout


def sanity(db: str, now: str, env: dict[str, str]) -> None:
    """Run each agenda once with its output kept, and say what it printed."""
    base = [SCRIPT, "--db", db, "--now", now, "agenda"]
    out = _output([*base, "--json"], env)
    doc = json.loads(out)
    states: dict[str, int] = {}
    for a in doc["actions"]:
        states[a["state"]] = states.get(a["state"], 0) + 1
    lines = _output(base, env).count(b"\n")
    listed = ", ".join(f"{k} {v}" for k, v in sorted(states.items()))
    print(
        f"agenda at {doc['at']}: {len(doc['actions'])} actions ({listed}); "
        f"--json {len(out) / 1024:.0f} KiB, human {lines} lines"
    )


# -- profiling ---------------------------------------------------------------------------------
def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    value = fn()
    return time.perf_counter() - began, value


def profile(db: str, now: str, env: dict[str, str], top: int = 25) -> None:
    """Where the time goes: imports (-X importtime), phases of the agenda, cProfile."""
    print()
    print("== imports: python -X importtime afterview agenda --json ==")
    argv = [
        sys.executable,
        "-X",
        "importtime",
        SCRIPT,
        "--db",
        db,
        "--now",
        now,
        "agenda",
        "--json",
    ]
    err = subprocess.run(
        argv,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    ).stderr
    rows: list[tuple[int, int, str]] = []
    for line in err.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cum_us, name = line[len("import time:") :].split("|")
        rows.append((int(self_us), int(cum_us), name[1:].rstrip()))
    total = sum(r[0] for r in rows)
    by_package: dict[str, int] = {}
    for self_us, _, name in rows:
        package = name.strip().split(".")[0]
        by_package[package] = by_package.get(package, 0) + self_us
    print(
        f"{len(rows)} modules imported, {total / 1000:.1f} ms in total (importtime inflates this)"
    )
    print("self time by top-level package:")
    for package, us in sorted(by_package.items(), key=lambda kv: -kv[1])[:15]:
        print(f"  {us / 1000:7.1f} ms  {package}")
    print("largest cumulative imports (a module with what it imports):")
    for _self_us, cum_us, name in sorted(rows, key=lambda r: -r[1])[:20]:
        depth = (len(name) - len(name.lstrip())) // 2
        print(f"  {cum_us / 1000:7.1f} ms  {name.strip()}  (depth {depth})")

    # The rest runs in this process with the same settings as the children. What
    # the benchmark itself holds is frozen, so the collector does not walk it again.
    gc.collect()
    gc.freeze()
    os.environ.update({"AFTERVIEW_CONFIG": env["AFTERVIEW_CONFIG"], "TZ": env["TZ"]})
    for key in ("AFTERVIEW_DB", "AFTERVIEW_NOW"):
        os.environ.pop(key, None)
    time.tzset()
    from afterview.cli.main import main as cli_main

    print()
    print("== phases of the agenda, in-process (median of 5 after a warm-up) ==")
    try:
        _phases(db, now)
    except Exception as exc:  # the internals may move; the rest of the report still stands
        print(f"phase breakdown unavailable: {type(exc).__name__}: {exc}")

    print()
    print(f"== cProfile: afterview agenda --json in-process, top {top} by cumulative time ==")
    prof = cProfile.Profile()
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink):
        prof.enable()
        code = cli_main(["--db", db, "--now", now, "agenda", "--json"])
        prof.disable()
    if code != 0:
        print(f"agenda exited {code}")
    stats = pstats.Stats(prof, stream=sys.stdout)
    stats.strip_dirs().sort_stats("cumulative").print_stats(top)
    print(f"== cProfile: same run, top {top} by own time ==")
    stats.sort_stats("tottime").print_stats(top)


def _phases(db: str, now_text: str) -> None:
    from afterview.cli.agenda_view import render_agenda
    from afterview.config import load_config
    from afterview.core.plan import agenda, live_actions
    from afterview.core.weeks import settled_before
    from afterview.parsing import parse_datetime
    from afterview.services.context import Context, open_database
    from afterview.services.views import action_json, iso

    def once() -> dict[str, float]:
        t: dict[str, float] = {}
        t["config"], config = _timed(load_config)
        tz = config.timezone or os.environ.get("TZ", "UTC")
        now = parse_datetime(now_text, tz, "--now")
        t["open + migrate check"], database = _timed(lambda: open_database(db))
        ctx = Context(db=database, config=config, now=now, now_given=True)
        since = settled_before(now, ctx.user_tz, config.playbook)
        t["load facts (SQL + objects)"], facts = _timed(lambda: ctx.facts(settled_before=since))
        t["live actions"], actions = _timed(lambda: live_actions(facts, now, config.playbook))
        t["select + sort agenda"], chosen = _timed(lambda: agenda(actions, now, config.playbook))

        def to_json() -> dict[str, Any]:
            apps = {a.id: a for a in facts.applications}
            tz_of = {iv.id: iv.tz for iv in facts.interviews}
            return {
                "at": iso(now, ctx.user_tz),
                "tz": ctx.user_tz,
                "now_given": True,
                "actions": [action_json(a, now, apps, tz_of, ctx.user_tz) for a in chosen],
            }

        t["actions to dicts"], view = _timed(to_json)
        t["json.dumps"], _ = _timed(
            lambda: json.dumps({"at": view["at"], "actions": view["actions"]}, ensure_ascii=False)
        )
        t["render human"], _ = _timed(lambda: render_agenda(view, False, io.StringIO()))
        database.close()
        return t

    once()
    results = [once() for _ in range(5)]
    total = 0.0
    for key in results[0]:
        med = statistics.median(r[key] for r in results)
        total += med
        print(f"  {med * 1000:8.1f} ms  {key}")
    print(
        f"  {total * 1000:8.1f} ms  sum (the JSON path skips 'render human', the human path 'json.dumps')"
    )


# -- main ----------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """Command line."""
    gen = _generator()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--runs", type=int, default=15, help="measured runs per command (default 15)"
    )
    parser.add_argument(
        "--warmups", type=int, default=2, help="warm-up runs per command (default 2)"
    )
    parser.add_argument(
        "--db", help="an existing database (default: generate one into a temp file)"
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="seed of the generated history (default 1)"
    )
    parser.add_argument(
        "--now",
        default=gen.DEFAULT_NOW,
        help=f"the moment of the agenda (default {gen.DEFAULT_NOW}; must match the history)",
    )
    parser.add_argument("--profile", action="store_true", help="also show where the time goes")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmups < 0:
        parser.error("--runs must be at least 1 and --warmups at least 0")
    if not os.path.exists(SCRIPT):
        parser.error(
            f"no console script at {SCRIPT}: run with the venv's python (.venv/bin/python)"
        )

    tmp = tempfile.mkdtemp(prefix="afterview-bench-")
    try:
        db = args.db
        if db is None:
            db = os.path.join(tmp, "heavy.db")
            began = time.perf_counter()
            counts = gen.generate(db, args.seed, args.now)
            took = time.perf_counter() - began
            shown = (
                "applications",
                "interviews",
                "touches",
                "assessments",
                "outcomes",
                "action marks",
                "profile reviews",
            )
            print(
                f"generated {db} in {took:.2f} s: " + ", ".join(f"{counts[k]} {k}" for k in shown)
            )
        elif not os.path.isfile(db):
            parser.error(f"--db: no such file {db}")
        env = child_env(os.path.join(tmp, "no-such-config.toml"))
        print(
            f"python {platform.python_version()} ({sys.executable}), {platform.system()} "
            f"{platform.machine()}, {os.cpu_count()} CPUs; now {args.now}, user zone {USER_TZ}; "
            f"{args.runs} runs after {args.warmups} warm-ups"
        )
        sanity(db, args.now, env)
        agenda = [SCRIPT, "--db", db, "--now", args.now, "agenda"]
        bump = bump_revision(db)
        commands = [
            Command(
                'python -c "import sqlite3" (baseline)', [sys.executable, "-c", "import sqlite3"]
            ),
            Command(
                'python -c "import afterview.cli.agenda_view"',
                [sys.executable, "-c", "import afterview.cli.agenda_view, afterview.cli.session"],
                info=True,
            ),
            Command("afterview agenda --json", [*agenda, "--json"]),
            Command("afterview agenda", agenda),
            Command("agenda --json, after a write", [*agenda, "--json"], before=bump),
            Command("agenda, after a write", agenda, before=bump),
        ]
        load_before = _load()
        launcher = Launcher(env, tmp)
        try:
            true = shutil.which("true") or "/bin/true"
            floor = max(launcher.run([true]).max_rss_mb for _ in range(3))
            samples = measure(commands, launcher, args.runs, args.warmups)
        finally:
            launcher.close()
        ok = report(commands, samples)
        print(f"(max RSS floor of the launcher, `true` run the same way: {floor:.1f} MB)")
        print(
            f"(1-minute load average {load_before} before, {_load()} after: other work skews figures)"
        )
        if args.profile:
            profile(db, args.now, env)
        return 0 if ok else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
