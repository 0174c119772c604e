"""Load-test the web app (Today and the interview page) on the five-year history.

    .venv/bin/python bench/web_load.py                       # 10 clients, 30 s after a 3 s warm-up
    .venv/bin/python bench/web_load.py --fixed-now           # the server runs with --now (fixed moment)
    .venv/bin/python bench/web_load.py --clients 4 --duration 10 --json
    .venv/bin/python bench/web_load.py --db my.db --no-wrk   # your own database, no wrk comparison
    .venv/bin/python bench/web_load.py --profile             # also cProfile the pages in-process
    .venv/bin/python bench/web_load.py --api                 # the clients ask /api/today and /api/interviews/{id}
    .venv/bin/python bench/web_load.py --patch-nodelay       # with a stand-in fix (TCP_NODELAY)

Without `--db`, the history of bench/generate.py (the core benchmark's, loaded the
way bench/agenda.py loads it) is written into a temporary file. The real server
then runs as a subprocess (`python -m afterview --db DB serve --port 0`, with its
HOME, XDG folders and AFTERVIEW_CONFIG in the temporary folder and TZ=Europe/Paris),
by default on the real clock: no `--now`, so the cached views and pages (keyed by
the moment, to the minute) are rebuilt each minute, as on a user's server. `--fixed-now` passes
`--now` (the generator's reference moment) instead, so the views stay cached.

First one client alone requests each page (and the JSON twins) 20 times in turn:
the latency without concurrency. Then each client is a thread of this process with
its own keep-alive connection (http.client), keeping the CSRF cookie of its first
answer like a browser, and alternates GET `/` (Today) and GET `/interviews/{id}`, the
id cycling over every interview of the history (from `/api/interviews`), so the
interview page is not one cached id. Requests started during the warm-up are not counted; a request counts
when it starts inside the measured window. An error is an exception or a status
other than 200. Figures: requests, throughput, p50/p95/p99/max latency per page and
overall, errors, the server's CPU time and peak RSS (VmHWM). Target: p95 under
50 ms on both pages, no errors (exit code 1 on a miss).

The clients share the machine with the server (this process's CPU use and the load
average are printed), so on a small machine they slow it down. When `wrk` is
installed (Debian: `wrk`), the same mix is also run with it at the same concurrency,
for comparison (overall figures only: wrk does not tell the pages apart).

`--patch-nodelay` starts the server with a stand-in for a fix (see `_PATCH_NODELAY`),
to measure the speed apart from that bug; the figures say so. `--profile` then times
the route functions, the parts of the two view builds and the Today render in this
process, and prints cProfile of a cache miss and a cache hit of each page.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import http.client
import io
import itertools
import json
import os
import platform
import pstats
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
USER_TZ = "Europe/Paris"
HOST = "127.0.0.1"
TARGET_P95_MS = 50.0
TODAY = "/ (Today)"
INTERVIEW = "/interviews/{id}"
PAGES = (TODAY, INTERVIEW)
#: what the clients ask for each page: the HTML pages, or with --api their JSON twins
PATHS = {TODAY: "/", INTERVIEW: "/interviews/{}"}
ACCEPT = "text/html"


def _generator() -> ModuleType:
    """bench/generate.py, the history of the core benchmark (bench/ is this script's folder)."""
    if HERE not in sys.path:
        sys.path.insert(0, HERE)
    import generate

    return generate


# -- the server ----------------------------------------------------------------------------------
def server_env(workdir: str) -> dict[str, str]:
    """The server's environment: a home of its own, no user config, a fixed user zone."""
    home = os.path.join(workdir, "home")
    os.makedirs(home, exist_ok=True)
    env = dict(os.environ)
    for key in ("AFTERVIEW_DB", "AFTERVIEW_NOW", "PYTHONPROFILEIMPORTTIME"):
        env.pop(key, None)
    env.update(
        HOME=home,
        XDG_CONFIG_HOME=os.path.join(home, ".config"),
        XDG_DATA_HOME=os.path.join(home, ".local", "share"),
        XDG_CACHE_HOME=os.path.join(home, ".cache"),
        AFTERVIEW_CONFIG=os.path.join(home, "no-such-config.toml"),
        TZ=USER_TZ,
    )
    return env


# `--patch-nodelay`: a stand-in for a fix, to measure the speed apart from the bug (not the
# shipped code): TCP_NODELAY on the listening socket (accepted sockets inherit it on Linux).
# `afterview serve` makes its socket with proto 0, and asyncio only disables Nagle on
# sockets whose proto is IPPROTO_TCP, so a small response written in two parts (headers,
# body) waits for the client's delayed ACK (about 40 ms) on a keep-alive connection.
_PATCH_NODELAY = r"""
import socket
import uvicorn

_run = uvicorn.Server.run

def _run_nodelay(self, sockets=None):
    for sock in sockets or ():
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return _run(self, sockets=sockets)

uvicorn.Server.run = _run_nodelay
"""
_PATCHES = {"nodelay": _PATCH_NODELAY}
_PATCH_NOTES = {"nodelay": "TCP_NODELAY on the listening socket"}
_PATCH_MAIN = r"""
import sys
from afterview.cli.main import main
sys.exit(main())
"""


class Server:
    """`afterview serve` as a subprocess on a free port."""

    def __init__(
        self,
        db: str,
        now: str | None,
        workdir: str,
        patches: tuple[str, ...] = (),
        timeout: float = 60.0,
    ) -> None:
        if patches:
            code = "".join(_PATCHES[p] for p in patches) + _PATCH_MAIN
            argv = [sys.executable, "-c", code]
        else:
            argv = [sys.executable, "-m", "afterview"]
        argv += ["--db", db]
        if now is not None:
            argv += ["--now", now]
        argv += ["serve", "--port", "0"]
        self.argv = argv
        self.err_path = os.path.join(workdir, "server-stderr.txt")
        self._err = open(self.err_path, "wb")  # noqa: SIM115 (closed in stop())
        self.proc = subprocess.Popen(
            argv,
            env=server_env(workdir),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._err,
        )
        self.pid = self.proc.pid
        try:
            self.port = self._wait_port(timeout)
            self._wait_answer(timeout)
        except BaseException:
            self.stop()
            raise

    def _stderr(self) -> str:
        with open(self.err_path, encoding="utf-8", errors="replace") as fh:
            return fh.read()

    def _check_alive(self) -> None:
        if self.proc.poll() is not None:
            raise SystemExit(
                f"bench: the server exited {self.proc.returncode}:\n{self._stderr().strip()}"
            )

    def _wait_port(self, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive()
            found = re.search(r"afterview is at http://[^/]*:(\d+)/", self._stderr())
            if found:
                return int(found.group(1))
            time.sleep(0.05)
        raise SystemExit(f"bench: the server did not say its address within {timeout:g} s")

    def _wait_answer(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                status, _body = get(self.port, "/api/interviews")
                if status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.05)
        raise SystemExit(f"bench: the server did not answer within {timeout:g} s")

    def log_errors(self) -> dict[str, int]:
        """The server's logged exceptions: the exception line of each traceback, counted."""
        found: Counter[str] = Counter()
        inside = False
        for line in self._stderr().splitlines():
            if line.startswith("Traceback (most recent call last)"):
                inside = True
            elif inside and line and not line.startswith((" ", "\t")):
                found[re.sub(r"thread id \d+", "thread id N", line)[:200]] += 1
                inside = False
        return dict(found)

    def memory_mb(self) -> tuple[float, float]:
        """(peak RSS VmHWM, current RSS VmRSS) in MB, from /proc (0 when unavailable)."""
        values = {"VmHWM": 0.0, "VmRSS": 0.0}
        with contextlib.suppress(OSError), open(f"/proc/{self.pid}/status") as fh:
            for line in fh:
                key, _, rest = line.partition(":")
                if key in values:
                    values[key] = int(rest.split()[0]) / 1024  # kB
        return values["VmHWM"], values["VmRSS"]

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server (all its threads), from /proc."""
        try:
            with open(f"/proc/{self.pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime

    def threads(self) -> int:
        """The server's thread count, from /proc (0 when unavailable)."""
        with contextlib.suppress(OSError), open(f"/proc/{self.pid}/status") as fh:
            for line in fh:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
        return 0

    def stop(self) -> int | None:
        """Ctrl+C the server (uvicorn shuts down cleanly), then kill it if it hangs."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        self._err.close()
        return self.proc.returncode


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """One GET on a fresh connection: (status, body)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


# -- the load ------------------------------------------------------------------------------------
@dataclass
class ClientLog:
    """What one client saw in the measured window."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {p: [] for p in PAGES})
    ok_latencies: dict[str, list[float]] = field(default_factory=lambda: {p: [] for p in PAGES})
    nbytes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PAGES, 0))
    errors: Counter[str] = field(default_factory=Counter)
    error_pages: Counter[str] = field(default_factory=Counter)
    warmup_requests: int = 0


def client(
    n: int,
    port: int,
    ids: list[int],
    ticket: Callable[[], int],
    window: tuple[float, float],
    log: ClientLog,
) -> None:
    """One client: a keep-alive connection, Today and an interview page in turn."""
    measure_from, stop_at = window
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    headers = {"Accept": ACCEPT}
    today_next = n % 2 == 0
    try:
        while True:
            began = time.perf_counter()
            if began >= stop_at:
                break
            if today_next:
                page, path = TODAY, PATHS[TODAY]
            else:
                page, path = INTERVIEW, PATHS[INTERVIEW].format(ids[ticket() % len(ids)])
            today_next = not today_next
            error = None
            size = 0
            try:
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                body = resp.read()
                size = len(body)
                if resp.status != 200:
                    error = f"HTTP {resp.status}"
                elif "Cookie" not in headers:  # keep the CSRF cookie, as a browser does
                    cookie = resp.getheader("set-cookie")
                    if cookie:
                        headers["Cookie"] = cookie.split(";", 1)[0]
            except (OSError, http.client.HTTPException) as exc:
                error = type(exc).__name__
                conn.close()  # the next request opens a new connection
            took = time.perf_counter() - began
            if began < measure_from:
                log.warmup_requests += 1
                continue
            log.latencies[page].append(took)
            if error is None:
                log.ok_latencies[page].append(took)
            log.nbytes[page] += size
            if error is not None:
                log.errors[error] += 1
                log.error_pages[page] += 1
    finally:
        conn.close()


def sequential(port: int, ids: list[int], runs: int) -> dict[str, Any]:
    """One client alone, one keep-alive connection: `runs` requests of each page in turn.

    The interview pages take `runs` different ids; the clock mode decides whether a
    request finds its view cached (fixed moment, same page again) or not.
    """
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    headers = {"Accept": "text/html"}
    kinds = (
        (TODAY, lambda k: "/"),
        (INTERVIEW, lambda k: f"/interviews/{ids[(k * 7) % len(ids)]}"),
        ("/api/today", lambda k: "/api/today"),
        ("/api/interviews/{id}", lambda k: f"/api/interviews/{ids[(k * 7 + 3) % len(ids)]}"),
    )
    times: dict[str, list[float]] = {name: [] for name, _ in kinds}
    errors: Counter[str] = Counter()
    try:
        for k in range(runs):
            for name, path_of in kinds:
                began = time.perf_counter()
                try:
                    conn.request("GET", path_of(k), headers=headers)
                    resp = conn.getresponse()
                    resp.read()
                    if resp.status != 200:
                        errors[f"{name}: HTTP {resp.status}"] += 1
                    elif "Cookie" not in headers and resp.getheader("set-cookie"):
                        headers["Cookie"] = str(resp.getheader("set-cookie")).split(";", 1)[0]
                except (OSError, http.client.HTTPException) as exc:
                    errors[f"{name}: {type(exc).__name__}"] += 1
                    conn.close()
                times[name].append(time.perf_counter() - began)
    finally:
        conn.close()
    return {
        "runs": runs,
        "pages": {name: percentiles(v) for name, v in times.items()},
        "errors": dict(errors),
    }


def percentiles(values: list[float]) -> dict[str, float | None]:
    """p50, p95, p99, max and mean in milliseconds (None without samples)."""
    if not values:
        return dict.fromkeys(("p50_ms", "p95_ms", "p99_ms", "max_ms", "mean_ms"))
    ms = [v * 1000 for v in values]
    cuts = [ms[0]] * 99 if len(ms) == 1 else statistics.quantiles(ms, n=100, method="inclusive")
    return {
        "p50_ms": cuts[49],
        "p95_ms": cuts[94],
        "p99_ms": cuts[98],
        "max_ms": max(ms),
        "mean_ms": statistics.fmean(ms),
    }


def run_load(
    server: Server, ids: list[int], clients: int, duration: float, warmup: float
) -> dict[str, Any]:
    """Run the clients; return the figures."""
    counter = itertools.count()
    logs = [ClientLog() for _ in range(clients)]
    start = time.perf_counter() + 0.05
    measure_from = start + warmup
    stop_at = measure_from + duration
    threads = [
        threading.Thread(
            target=client,
            args=(n, server.port, ids, counter.__next__, (measure_from, stop_at), logs[n]),
            name=f"client-{n}",
            daemon=True,
        )
        for n in range(clients)
    ]
    for t in threads:
        t.start()
    # CPU use of the server and of this process (the clients) over the measured window
    time.sleep(max(0.0, measure_from - time.perf_counter()))
    cpu0, self0, wall0 = server.cpu_seconds(), _own_cpu(), time.perf_counter()
    time.sleep(max(0.0, stop_at - time.perf_counter()))
    cpu1, self1, wall1 = server.cpu_seconds(), _own_cpu(), time.perf_counter()
    threads_seen = server.threads()
    for t in threads:
        t.join(timeout=120)
    wall = wall1 - wall0

    pages: dict[str, Any] = {}
    every: list[float] = []
    every_ok: list[float] = []
    errors: Counter[str] = Counter()
    for page in PAGES:
        lat = [v for log in logs for v in log.latencies[page]]
        ok = [v for log in logs for v in log.ok_latencies[page]]
        every += lat
        every_ok += ok
        nbytes = sum(log.nbytes[page] for log in logs)
        pages[page] = {
            "requests": len(lat),
            "req_per_s": len(lat) / duration,
            **percentiles(lat),
            "errors": sum(log.error_pages[page] for log in logs),
            "mean_kib": nbytes / len(lat) / 1024 if lat else 0.0,
            "ok": {"requests": len(ok), "req_per_s": len(ok) / duration, **percentiles(ok)},
        }
    for log in logs:
        errors.update(log.errors)
    overall = {
        "requests": len(every),
        "req_per_s": len(every) / duration,
        **percentiles(every),
        "errors": sum(errors.values()),
        "ok": {
            "requests": len(every_ok),
            "req_per_s": len(every_ok) / duration,
            **percentiles(every_ok),
        },
    }
    return {
        "pages": pages,
        "overall": overall,
        "errors_by_kind": dict(errors),
        "warmup_requests": sum(log.warmup_requests for log in logs),
        "server_cpu_s": cpu1 - cpu0,
        "server_cpu_share": (cpu1 - cpu0) / wall if wall else 0.0,
        "clients_cpu_s": self1 - self0,
        "clients_cpu_share": (self1 - self0) / wall if wall else 0.0,
        "server_threads": threads_seen,
    }


def _load() -> float | None:
    """The 1-minute load average, if the system tells it."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else None


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# -- wrk -----------------------------------------------------------------------------------------
_WRK_LUA = """
local ids = {%(ids)s}
local counter = 0
local requests = {}
local started = 0

function setup(thread)
  thread:set("offset", %(step)d * started)
  started = started + 1
end

function init(args)
  requests[1] = wrk.format("GET", "/", {["Accept"] = "text/html"})
end

function request()
  counter = counter + 1
  if counter %% 2 == 1 then
    return requests[1]
  end
  local id = ids[(((offset or 0) + counter / 2) %% #ids) + 1]
  return wrk.format("GET", "/interviews/" .. id, {["Accept"] = "text/html"})
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "bytes": %%d, "p50_us": %%d, '
    .. '"p95_us": %%d, "p99_us": %%d, "max_us": %%d, "mean_us": %%f, "connect": %%d, '
    .. '"read": %%d, "write": %%d, "status": %%d, "timeout": %%d}\\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def run_wrk(
    wrk: str, port: int, ids: list[int], cookie: str | None, clients: int, duration: float,
    warmup: float, workdir: str,
) -> dict[str, Any]:  # fmt: skip
    """The same mix with wrk (closed loop, `clients` connections): overall figures only."""
    script = os.path.join(workdir, "mix.lua")
    with open(script, "w", encoding="utf-8") as fh:
        fh.write(_WRK_LUA % {"ids": ",".join(map(str, ids)), "step": len(ids) // 2})
    threads = max(1, min(clients, os.cpu_count() or 1))
    base = [wrk, f"-t{threads}", f"-c{clients}", "--timeout", "30s", "-s", script]
    if cookie:
        base += ["-H", f"Cookie: {cookie}"]
    url = f"http://{HOST}:{port}/"

    def once(seconds: float) -> dict[str, Any]:
        done = subprocess.run(
            [*base, f"-d{max(1, round(seconds))}s", url],
            capture_output=True,
            text=True,
            check=False,
        )
        line = next((ln for ln in done.stdout.splitlines() if ln.startswith("WRKJSON ")), None)
        if done.returncode != 0 or line is None:
            raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
        return dict(json.loads(line[len("WRKJSON ") :]))

    if warmup > 0:
        once(warmup)
    raw = once(duration)
    seconds = raw["duration_us"] / 1e6
    errors = raw["connect"] + raw["read"] + raw["write"] + raw["status"] + raw["timeout"]
    return {
        "command": " ".join([*base, f"-d{max(1, round(duration))}s", url]),
        "threads": threads,
        "requests": raw["requests"],
        "req_per_s": raw["requests"] / seconds if seconds else 0.0,
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "mean_ms": raw["mean_us"] / 1000,
        "errors": errors,
        "errors_by_kind": {
            k: raw[k] for k in ("connect", "read", "write", "status", "timeout") if raw[k]
        },
        "mib_per_s": raw["bytes"] / seconds / 1048576 if seconds else 0.0,
    }


# -- in-process profile --------------------------------------------------------------------------
def profile(db: str, now: str | None, ids: list[int], workdir: str, top: int = 20) -> None:
    """Where the time of a page goes, in this process, on one thread (so cProfile sees it all).

    The routes of web/pages.py are called directly with a Starlette request (no HTTP, no
    threadpool), at a clock this function moves: a cache miss is a new second (and, for
    the interview page, a new id), a cache hit the same moment and id again. Then the
    phases of each build, and cProfile of 20 misses and 20 hits of each page.
    """
    env = server_env(workdir)
    for key in ("AFTERVIEW_DB", "AFTERVIEW_NOW"):
        os.environ.pop(key, None)
    os.environ.update({k: env[k] for k in ("HOME", "AFTERVIEW_CONFIG", "TZ")})
    time.tzset()
    from datetime import datetime, timedelta

    from starlette.requests import Request

    from afterview.clock import now as clock_now
    from afterview.web import pages
    from afterview.web.app import create_app
    from afterview.web.runtime import WebSettings

    moment = [datetime.fromisoformat(now) if now else clock_now()]
    app = create_app(WebSettings(db_target=db, clock=lambda: moment[0], now_given=True))
    rt = app.state.runtime
    token = "t" * 43  # a CSRF token as the Guard middleware makes them

    def request(path: str) -> Request:
        return Request(
            {
                "type": "http",
                "method": "GET",
                "path": path,
                "raw_path": path.encode(),
                "root_path": "",
                "query_string": b"",
                "headers": [(b"host", HOST.encode()), (b"accept", b"text/html")],
                "scheme": "http",
                "server": (HOST, 80),
                "app": app,
                "state": {"csrf": token},
            }
        )

    def tick() -> None:
        moment[0] += timedelta(seconds=1)

    def today(k: int, miss: bool) -> Any:
        if miss:
            tick()
        with _context(rt) as ctx:
            return pages.today(request("/"), ctx)

    def interview(k: int, miss: bool) -> Any:
        if miss:
            tick()
        iv_id = ids[k % len(ids)] if miss else ids[0]
        with _context(rt) as ctx:
            return pages.interview_page(iv_id, request(f"/interviews/{iv_id}"), ctx)

    cases: list[tuple[str, Callable[[int, bool], Any], bool]] = [
        ("Today, cache miss (new second: view build + render)", today, True),
        ("Today, cache hit (render only)", today, False),
        ("interview page, cache miss (new second and id)", interview, True),
        ("interview page, cache hit (same second and id)", interview, False),
    ]
    today(0, False)  # first calls: imports, connections, template compilation
    interview(0, False)
    runs = 20
    print()
    print(f"== in-process, one thread, route functions called directly: median of {runs} ==")
    for label, fn, miss in cases:
        times = []
        for k in range(runs):
            began = time.perf_counter()
            fn(k + 1, miss)
            times.append(time.perf_counter() - began)
        print(f"  {statistics.median(times) * 1000:8.2f} ms  {label}")
    try:
        _build_phases(rt, ids, runs)
    except Exception as exc:  # the internals may move; the rest of the report still stands
        print(f"phase breakdown unavailable: {type(exc).__name__}: {exc}")

    for label, fn, miss in cases:
        prof = cProfile.Profile()
        for k in range(runs):
            if miss:
                prof.enable()
                fn(k + 100, miss)
                prof.disable()
            else:
                prof.enable()
                fn(0, miss)
                prof.disable()
        print()
        print(f"== cProfile: {label}, {runs} requests, top {top} by cumulative time ==")
        out = io.StringIO()
        stats = pstats.Stats(prof, stream=out)
        stats.strip_dirs().sort_stats("cumulative").print_stats(top)
        print(_trim_pstats(out.getvalue()))
        print(f"-- same, top {top} by own time --")
        out = io.StringIO()
        stats.stream = out  # type: ignore[attr-defined]
        stats.sort_stats("tottime").print_stats(top)
        print(_trim_pstats(out.getvalue()))


@contextlib.contextmanager
def _context(rt: Any) -> Iterator[Any]:
    """A request's context as web/deps.py makes it: a pooled connection, given back."""
    db = rt.acquire()
    try:
        yield rt.context(db)
    finally:
        rt.release(db)


def _build_phases(rt: Any, ids: list[int], runs: int) -> None:
    """The parts of the two view builds (internal functions: may move)."""
    from afterview.core.plan import _Index, agenda, live_actions, refresh_profile_actions
    from afterview.services import views
    from afterview.services.views import action_json
    from afterview.store.facts import outbox_needing_attention
    from afterview.web.templating import environment

    db = rt.acquire()
    ctx = rt.context(db)
    facts = ctx.facts()
    pb = ctx.config.playbook
    view = views.agenda_view(ctx)
    apps = {a.id: a for a in facts.applications}
    tz_of = {iv.id: iv.tz for iv in facts.interviews}
    chosen = agenda(live_actions(facts, ctx.now, pb), ctx.now, pb)
    ix = _Index(facts)
    parts: list[tuple[str, Callable[[], Any]]] = [
        ("Today build: views.agenda_view, in all", lambda: views.agenda_view(ctx)),
        ("  core.plan.live_actions (every interview)", lambda: live_actions(facts, ctx.now, pb)),
        ("  core.plan.agenda (select + sort)", lambda: agenda(chosen, ctx.now, pb)),
        (
            f"  action_json x {len(chosen)}",
            lambda: [action_json(a, ctx.now, apps, tz_of, ctx.user_tz) for a in chosen],
        ),
        ("  outbox_needing_attention (SQL)", lambda: outbox_needing_attention(ctx.db, 1)),
        (
            "interview build: views.show_interview, in all",
            lambda: views.show_interview(ctx, ids[0]),
        ),
        ("  core.plan._Index(facts) (every fact)", lambda: _Index(facts)),
        (
            "  core.plan.refresh_profile_actions (every interview)",
            lambda: refresh_profile_actions(list(facts.interviews), ix, pb),
        ),
        ("revision (SQL, every view lookup)", lambda: rt.revision(ctx)),
    ]
    env = environment()
    today_html = env.get_template("today.html")
    groups = [
        (state, [a for a in view["actions"] if a["state"] == state])
        for state in ("overdue", "ideal", "open", "upcoming")
    ]
    values = {"view": view, "groups": [(s, g) for s, g in groups if g], "show_all": False}
    values |= {"message": None, "csrf": "t" * 43, "path": "/", "request": None}
    parts.append(
        (
            f"Today render: today.html, {len(view['actions'])} cards",
            lambda: today_html.render(values),
        )
    )
    page = today_html.render(values)
    parts.append(
        (
            f"  str.replace of the token in the page ({len(page) // 1024} KiB)",
            lambda: page.replace("t" * 43, "u" * 43),
        )
    )
    print()
    print(f"== parts of the builds and renders, median of {runs} ==")
    for label, fn in parts:
        times = []
        for _ in range(runs):
            began = time.perf_counter()
            fn()
            times.append(time.perf_counter() - began)
        print(f"  {statistics.median(times) * 1000:8.2f} ms  {label}")
    rt.release(db)


def _trim_pstats(text: str) -> str:
    lines = text.splitlines()
    start = next((i for i, ln in enumerate(lines) if "ncalls" in ln), 0)
    summary = next((ln.strip() for ln in lines if "function calls" in ln), "")
    return "\n".join([summary, *lines[start:]]).rstrip()


# -- report --------------------------------------------------------------------------------------
def _fmt(value: float | None, width: int = 8, digits: int = 1) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:>{width}.{digits}f}"


def verdict(figures: dict[str, Any]) -> bool:
    """p95 under the target on every page, and no error."""
    p95s = [figures["pages"][p]["p95_ms"] for p in PAGES]
    fast = all(p is not None and p < TARGET_P95_MS for p in p95s)
    return fast and figures["overall"]["errors"] == 0 and figures["overall"]["requests"] > 0


def print_report(doc: dict[str, Any]) -> None:
    """The figures as a table."""
    run = doc["run"]
    fig = doc["python_clients"]
    alone = doc.get("one_client_alone")
    if alone:
        print()
        print(f"one client alone, {alone['runs']} requests of each page in turn (no concurrency):")
        for name, f in alone["pages"].items():
            print(
                f"  {name:<22} p50 {_fmt(f['p50_ms'], 6)} ms  p95 {_fmt(f['p95_ms'], 6)} ms  "
                f"max {_fmt(f['max_ms'], 6)} ms"
            )
        if alone["errors"]:
            print("  errors: " + ", ".join(f"{k} x{v}" for k, v in alone["errors"].items()))
    print()
    print(f"{args_line(run)}:")
    print(
        f"{'page':<18} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'max ms':>8} {'errors':>6} {'KiB/resp':>8}"
    )
    print(
        f"{'-' * 18} {'-' * 8} {'-' * 7} {'-' * 8} {'-' * 8} {'-' * 8} {'-' * 8} {'-' * 6} {'-' * 8}"
    )
    rows = [(p, fig["pages"][p]) for p in PAGES] + [("all", fig["overall"])]
    for name, f in rows:
        kib = _fmt(f["mean_kib"], 8) if "mean_kib" in f else f"{'':>8}"
        print(
            f"{name:<18} {f['requests']:>8} {f['req_per_s']:>7.1f} {_fmt(f['p50_ms'])} "
            f"{_fmt(f['p95_ms'])} {_fmt(f['p99_ms'])} {_fmt(f['max_ms'])} {f['errors']:>6} {kib}"
        )
    if fig["errors_by_kind"]:
        print("errors: " + ", ".join(f"{k} x{v}" for k, v in fig["errors_by_kind"].items()))
        print("the successful requests (status 200) alone:")
        for name, f in rows:
            ok = f["ok"]
            print(
                f"{name:<18} {ok['requests']:>8} {ok['req_per_s']:>7.1f} {_fmt(ok['p50_ms'])} "
                f"{_fmt(ok['p95_ms'])} {_fmt(ok['p99_ms'])} {_fmt(ok['max_ms'])}"
            )
    print(
        f"({fig['warmup_requests']} warm-up requests not counted; server CPU "
        f"{fig['server_cpu_s']:.1f} s = {fig['server_cpu_share'] * 100:.0f}% of one core, "
        f"load clients (this process) {fig['clients_cpu_s']:.1f} s = "
        f"{fig['clients_cpu_share'] * 100:.0f}% of one core, over {run['duration_s']:g} s on "
        f"{run['cpus']} CPUs; the server had {fig['server_threads']} threads)"
    )
    before, after = run["load_average_1min_before"], run["load_average_1min_after"]
    if before is not None:
        print(
            f"(1-minute load average {before:.2f} before, {after:.2f} after the Python clients; "
            f"the server and the clients account for about 1-2: more means other work on the "
            f"machine skews the figures)"
        )
    print()
    for p in PAGES:
        p95 = fig["pages"][p]["p95_ms"]
        ok = p95 is not None and p95 < TARGET_P95_MS
        print(f"target p95 < {TARGET_P95_MS:g} ms, {p:<18} {_fmt(p95, 7)} ms  {_verdict(ok)}")
    errs = fig["overall"]["errors"]
    print(f"target no errors{'':<27} {errs:>7}     {_verdict(errs == 0)}")
    print(f"overall: {_verdict(doc['pass'])}")
    mem = doc["server_memory"]
    print()
    print(
        f"server memory: peak RSS (VmHWM) {mem['peak_rss_mb_after_python']:.1f} MB after the "
        f"Python clients"
        + (
            f", {mem['peak_rss_mb_end']:.1f} MB at the end (after wrk)"
            if doc.get("wrk") and "requests" in doc["wrk"]
            else ""
        )
        + f"; RSS at the end {mem['rss_mb_end']:.1f} MB"
    )
    wrk = doc.get("wrk")
    if wrk is None:
        print("wrk: not installed (Debian: apt-get install wrk), no comparison")
    elif "error" in wrk:
        print(f"wrk: {wrk['error']}")
    else:
        print()
        print(f"wrk, same mix and concurrency (C load generator, overall only): {wrk['command']}")
        print(
            f"  {wrk['requests']} requests, {wrk['req_per_s']:.1f} req/s, p50 "
            f"{wrk['p50_ms']:.1f} ms, p95 {wrk['p95_ms']:.1f} ms, p99 {wrk['p99_ms']:.1f} ms, "
            f"max {wrk['max_ms']:.1f} ms, errors {wrk['errors']}"
            + (f" ({wrk['errors_by_kind']})" if wrk["errors_by_kind"] else "")
            + f"; p95 < {TARGET_P95_MS:g} ms "
            + _verdict(wrk["p95_ms"] < TARGET_P95_MS and wrk["errors"] == 0)
        )


def args_line(run: dict[str, Any]) -> str:
    """The heading of the load figures."""
    return (
        f"{run['clients']} clients for {run['duration_s']:g} s (after {run['warmup_s']:g} s "
        f"warm-up), clock {run['clock']}"
        + (
            f", server PATCHED ({', '.join(run['server_patched'])})"
            if run["server_patched"]
            else ""
        )
    )


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


# -- main ----------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """Command line."""
    gen = _generator()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--duration", type=float, default=30.0, help="measured seconds (default 30)"
    )
    parser.add_argument("--clients", type=int, default=10, help="concurrent clients (default 10)")
    parser.add_argument(
        "--warmup", type=float, default=3.0, help="warm-up seconds, not counted (default 3)"
    )
    parser.add_argument(
        "--fixed-now",
        action="store_true",
        help="run the server with --now (default: the real clock, no --now)",
    )
    parser.add_argument(
        "--now",
        default=gen.DEFAULT_NOW,
        help=f"the moment of --fixed-now and of the generated history (default {gen.DEFAULT_NOW})",
    )
    parser.add_argument(
        "--db", help="an existing database (default: generate one into a temp file)"
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="seed of the generated history (default 1)"
    )
    parser.add_argument(
        "--sequential",
        type=int,
        default=20,
        help="requests of each page by one client alone before the load (default 20; 0: none)",
    )
    parser.add_argument("--no-wrk", action="store_true", help="skip the wrk comparison")
    parser.add_argument(
        "--patch-nodelay",
        action="store_true",
        help="run the server with TCP_NODELAY on its listening socket (a stand-in fix for "
        "the 40 ms delayed-ACK stall of small answers on keep-alive connections)",
    )
    parser.add_argument(
        "--api",
        action="store_true",
        help="the clients ask the JSON twins (/api/today, /api/interviews/{id}) instead",
    )
    parser.add_argument(
        "--today-only",
        action="store_true",
        help="every request asks Today (the issue's /api/today figure with --api)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--profile", action="store_true", help="also cProfile the pages in-process (text mode)"
    )
    args = parser.parse_args(argv)
    if args.api:
        global ACCEPT
        PATHS.update({TODAY: "/api/today", INTERVIEW: "/api/interviews/{}"})
        ACCEPT = "application/json"
    if args.today_only:
        PATHS[INTERVIEW] = PATHS[TODAY]  # the second slot asks Today too (shown on its row)
    if args.duration <= 0 or args.clients < 1 or args.warmup < 0:
        parser.error("--duration must be positive, --clients at least 1, --warmup at least 0")
    say: Callable[[str], None] = (lambda s: print(s, file=sys.stderr)) if args.json else print

    tmp = tempfile.mkdtemp(prefix="afterview-webload-")
    server: Server | None = None
    try:
        db = args.db
        if db is None:
            db = os.path.join(tmp, "heavy.db")
            began = time.perf_counter()
            with contextlib.redirect_stdout(sys.stderr if args.json else sys.stdout):
                counts = gen.generate(db, args.seed, args.now)
            say(
                f"generated the 5-year history in {time.perf_counter() - began:.2f} s: "
                f"{counts['applications']} applications, {counts['interviews']} interviews, "
                f"{counts['touches']} touches"
            )
        elif not os.path.isfile(db):
            parser.error(f"--db: no such file {db}")

        fixed = args.now if args.fixed_now else None
        patches = ("nodelay",) if args.patch_nodelay else ()
        server = Server(db, fixed, tmp, patches)
        status, body = get(server.port, "/api/interviews")
        ids = [row["id"] for row in json.loads(body)] if status == 200 else []
        if not ids:
            raise SystemExit("bench: the database has no interview")
        status, body = get(server.port, "/api/today")
        today = json.loads(body)
        t_status, t_body = get(server.port, "/")
        clock = (
            f"fixed: the server runs with --now {args.now} (views stay cached)"
            if fixed
            else "real: the server has no --now; cached views are keyed by the minute, so "
            "they are rebuilt each minute, as on a user's server"
        )
        say(
            f"python {platform.python_version()}, {platform.system()} {platform.machine()}, "
            f"{os.cpu_count()} CPUs; server pid {server.pid}: afterview {' '.join(server.argv[3:])}"
        )
        say(f"clock: {clock}")
        if patches:
            say(
                f"server: PATCHED ({', '.join(patches)}), not the shipped code: "
                + "; ".join(_PATCH_NOTES[p] for p in patches)
            )
        say(
            f"Today at {today['at']}: {len(today['actions'])} actions, "
            f"HTML {len(t_body) / 1024:.0f} KiB (status {t_status}); {len(ids)} interview ids"
        )
        say(
            f"load: {args.clients} clients (threads of this process, one keep-alive connection "
            f"each) x {args.duration:g} s after a {args.warmup:g} s warm-up, alternating / and "
            f"/interviews/{{id}} over the {len(ids)} ids. NOTE: the load clients share the "
            f"{os.cpu_count()} CPUs with the server."
        )
        say(f"one client alone first ({args.sequential} requests of each page in turn)...")
        alone = sequential(server.port, ids, args.sequential) if args.sequential else None
        say("running...")
        load_before = _load()
        figures = run_load(server, ids, args.clients, args.duration, args.warmup)
        load_after = _load()
        hwm_python, _ = server.memory_mb()

        wrk_doc: dict[str, Any] | None = None
        wrk = None if args.no_wrk else shutil.which("wrk")
        if wrk:
            say("running wrk with the same mix...")
            _, cookie_headers = _cookie_of(server.port)
            try:
                wrk_doc = run_wrk(
                    wrk, server.port, ids, cookie_headers, args.clients, args.duration,
                    args.warmup, tmp,
                )  # fmt: skip
            except RuntimeError as exc:
                wrk_doc = {"error": str(exc)}
        hwm_end, rss_end = server.memory_mb()
        code = server.stop()
        log_errors = server.log_errors()
        server = None
        doc: dict[str, Any] = {
            "run": {
                "clock": "fixed" if fixed else "real",
                "now": fixed,
                "today_at": today["at"],
                "today_actions": len(today["actions"]),
                "today_html_kib": len(t_body) / 1024,
                "interview_ids": len(ids),
                "clients": args.clients,
                "duration_s": args.duration,
                "warmup_s": args.warmup,
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "note": "the Python load clients run on the same machine as the server",
                "server_patched": list(patches),
                "load_average_1min_before": load_before,
                "load_average_1min_after": load_after,
            },
            "one_client_alone": alone,
            "python_clients": figures,
            "target_p95_ms": TARGET_P95_MS,
            "pass": verdict(figures),
            "server_memory": {
                "peak_rss_mb_after_python": hwm_python,
                "peak_rss_mb_end": hwm_end,
                "rss_mb_end": rss_end,
            },
            # None: wrk is not installed
            "wrk": {"error": "skipped (--no-wrk)"} if args.no_wrk else wrk_doc,
            "server_exit_code": code,
            "server_log_errors": log_errors,
        }
        if args.json:
            print(json.dumps(doc, indent=2))
        else:
            print_report(doc)
            if log_errors:
                print("the server logged these exceptions (the exception line of each traceback):")
                for line, count in sorted(log_errors.items(), key=lambda kv: -kv[1]):
                    print(f"  {count:>6} x {line}")
            print(f"(server stopped with Ctrl+C, exit code {code})")
        if args.profile:
            with contextlib.redirect_stdout(sys.stderr if args.json else sys.stdout):
                profile(db, args.now if fixed else None, ids, tmp)
        return 0 if doc["pass"] else 1
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def _cookie_of(port: int) -> tuple[int, str | None]:
    """A CSRF cookie from the server, for wrk's requests (as a browser would send it)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", "/api/today")
        resp = conn.getresponse()
        resp.read()
        cookie = resp.getheader("set-cookie")
        return resp.status, cookie.split(";", 1)[0] if cookie else None
    finally:
        conn.close()


if __name__ == "__main__":
    sys.exit(main())
