"""Server mode under load: 1,000 seekers in two cohorts of 500, four web processes, 50
clients; and one worker pass over the 1,000 accounts.

    .venv/bin/python bench/server_load.py                  # the whole run (about 4 minutes here)
    .venv/bin/python bench/server_load.py --seekers 200 --duration 10   # a quick look
    .venv/bin/python bench/server_load.py --json
    .venv/bin/python bench/server_load.py --clients 5,50    # light load first, then 50

What it builds, in a private PostgreSQL cluster (started and removed by the benchmark, as
the tests do): the schema as `server init` makes it (the tables' owner, the
application's role held by row-level security), two coaches each with a cohort, and
`--seekers` job seekers (1,000), each with the demo's search (applications, interviews,
messages, self-assessments) dated a little differently (up to 20 days apart), mail
settings (nothing due, so a worker pass finds nothing to send), half in each cohort,
sharing their figures. Every account's password hash is the same argon2id hash (hashing
1,000 passwords would only time argon2).

Then `afterview server run --workers 4` runs as a real process on the real clock, and 50
clients (threads, each with its keep-alive connection and its own session: 40 seekers
asking for Today, 10 coaches, five per cohort, asking for their 500-seeker cohort page)
ask as fast as they are answered for `--duration` seconds after a warm-up. Figures:
requests, p50/p95/p99/max per page, errors. Targets: Today p95 < 100 ms, the cohort
page p95 < 300 ms. Last, `afterview server worker --once` runs three times over the
1,000 accounts with nothing due (target: under 5 s), on the real clock.

The clients share the machine with the server and PostgreSQL (its CPU count is printed):
on a small machine they slow it down. Exit code 0 when every target is met, else 1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "bench password, long enough"


def _build(owner_url: str, app_url: str, seekers: int) -> dict[str, Any]:
    """Accounts, cohorts, the seekers' searches and figures; returns who is who."""
    from afterview import clock
    from afterview.config import Config
    from afterview.mail.settings import build_settings
    from afterview.server import cohorts, passwords
    from afterview.services.context import Context
    from afterview.services.demo import fill_demo
    from afterview.store import cohorts as cohort_store
    from afterview.store import mail as mailstore
    from afterview.store import server_accounts, server_roles
    from afterview.store.db import connect
    from afterview.store.migrations import migrate

    owner = connect(owner_url)
    migrate(owner)
    role = app_url.split("//", 1)[1].split("@", 1)[0]
    with owner.transaction():
        server_roles.prepare(owner, role, None)
    hashed = passwords.hash_password(PASSWORD)
    now = clock.now()
    config = Config(path="none", timezone="Europe/Paris")
    smtp = build_settings(
        smtp_host="127.0.0.1", smtp_port=9, smtp_security="none", smtp_user=None,
        from_address="seeker@example.org", from_name=None, imap_host=None, imap_port=None,
        imap_security=None, imap_user=None, sent_folder=None, my_addresses=(),
        allow_insecure=False,
    )  # fmt: skip

    def account(email: str, role: str) -> int:
        with owner.unrecorded(), owner.transaction():
            return server_accounts.create_account(owner, email.split("@")[0], email, role,
                                                  hashed, now)  # fmt: skip

    coaches = [account(f"coach{n}@example.org", "coach") for n in range(2)]
    groups = []
    for n, coach in enumerate(coaches):
        with owner.unrecorded(), owner.transaction():
            groups.append(cohort_store.create(owner, coach, f"Cohort {n + 1}", now))
    started = time.monotonic()
    ids = []
    for n in range(seekers):
        seeker = account(f"seeker{n}@example.org", "seeker")
        ids.append(seeker)
        ctx = Context(owner, config, now - timedelta(hours=(n * 7) % 480), True, account=seeker)
        fill_demo(ctx)
        with owner.unrecorded(), owner.transaction():
            mailstore.save_settings(owner, seeker, smtp, now)
            cohort_store.join(owner, groups[n % 2], seeker, ("figures",), now)
        cohorts.refresh(Context(owner, config, now, False, account=seeker))
        if (n + 1) % 100 == 0:
            print(f"  {n + 1} seekers ({time.monotonic() - started:.0f} s)", flush=True)
    owner.close()
    return {"coaches": coaches, "cohorts": groups, "seekers": ids}


def _request(conn: http.client.HTTPConnection, method: str, path: str,
             headers: dict[str, str], body: str | None = None) -> tuple[int, bytes, Any]:  # fmt: skip
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    return r.status, r.read(), r


def _sign_in(port: int, email: str) -> tuple[http.client.HTTPConnection, dict[str, str]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    host = {"Host": "localhost"}
    _, _, r = _request(conn, "GET", "/signin", host)
    cookies = dict(re.findall(r"(afterview_\w+)=([^;]+)", r.getheader("set-cookie") or ""))
    form = f"email={email}&password={PASSWORD.replace(' ', '+').replace(',', '%2C')}&next=/"
    headers = {**host, "Content-Type": "application/x-www-form-urlencoded",
               "X-CSRF-Token": cookies["afterview_csrf"],
               "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}  # fmt: skip
    status, _, r = _request(conn, "POST", "/signin", headers, form)
    if status != 303:
        raise SystemExit(f"sign-in of {email} answered {status}")
    cookies.update(re.findall(r"(afterview_session)=([^;]+)", r.getheader("set-cookie") or ""))
    return conn, {**host, "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}


def _percentiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p95": None, "p99": None, "max": None}
    cuts = (
        statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99
    )
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "max": max(values)}


def _load(
    port: int, who: dict[str, Any], clients: int, warmup: float, duration: float
) -> dict[str, Any]:
    coach_clients = max(2, clients // 5)
    plan = [("cohort", f"coach{n % 2}@example.org", f"/cohorts/{who['cohorts'][n % 2]}")
            for n in range(coach_clients)]  # fmt: skip
    plan += [("today", f"seeker{n * 7 % len(who['seekers'])}@example.org", "/")
             for n in range(clients - coach_clients)]  # fmt: skip
    sessions = [(kind, *_sign_in(port, email), path) for kind, email, path in plan]
    times: dict[str, list[float]] = {"today": [], "cohort": []}
    errors: list[str] = []
    begin = time.monotonic()
    start, stop = begin + warmup, begin + warmup + duration
    lock = threading.Lock()

    def run(
        kind: str, conn: http.client.HTTPConnection, headers: dict[str, str], path: str
    ) -> None:
        while True:
            t0 = time.monotonic()
            if t0 >= stop:
                return
            try:
                status, _, _ = _request(conn, "GET", path, headers)
            except Exception as exc:  # a new connection (an idle one may have been closed)
                status, failure = 0, repr(exc)
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            else:
                failure = f"{kind} {status}"
            took = (time.monotonic() - t0) * 1000
            if t0 >= start:
                with lock:
                    times[kind].append(took)
                    if status != 200:
                        errors.append(failure)

    threads = [threading.Thread(target=run, args=s) for s in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        "clients": {"today": clients - coach_clients, "cohort": coach_clients},
        "requests": {k: len(v) for k, v in times.items()},
        "today_ms": _percentiles(times["today"]),
        "cohort_ms": _percentiles(times["cohort"]),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
    }


def _worker_passes(env: dict[str, str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "afterview", "server", "worker", "--once",
                               "--json"], env=env, capture_output=True, text=True, timeout=600)  # fmt: skip
        took = time.monotonic() - t0
        served = len(json.loads(done.stdout)["accounts"]) if done.stdout.strip() else 0
        if done.returncode not in (0, 1) or not served:
            raise SystemExit(f"server worker failed ({done.returncode}): {done.stderr[-2000:]}")
        out.append(took)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seekers", type=int, default=1000)
    parser.add_argument("--clients", default="50", help="clients, or several loads: 5,50")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from tests.conftest import PostgresServer, _free_port

    from afterview.server import secret
    from afterview.server.settings import ServerSettings, render

    pg = PostgresServer()
    pg.start()
    work = tempfile.mkdtemp(prefix="afterview-server-bench-")
    proc = None
    try:
        pg.admin.execute("CREATE DATABASE bench")
        owner_url = pg.url().rsplit("/", 1)[0] + "/bench"
        app_url = owner_url.replace("postgresql://postgres@", "postgresql://afterview_app@")
        t0 = time.monotonic()
        print(f"building {args.seekers} seekers ...", flush=True)
        who = _build(owner_url, app_url, args.seekers)
        built = time.monotonic() - t0
        port = _free_port()
        settings = ServerSettings(str(Path(work) / "server.toml"), app_url, owner_url,
                                  f"http://localhost:{port}", str(Path(work) / "secret"))  # fmt: skip
        secret.create(settings.secret_file)
        Path(settings.path).write_text(render(settings))
        Path(settings.path).chmod(0o600)
        (Path(work) / "config.toml").write_text('timezone = "Europe/Paris"\n')
        env = {**os.environ, "AFTERVIEW_SERVER_CONFIG": settings.path,
               "AFTERVIEW_CONFIG": str(Path(work) / "config.toml")}  # fmt: skip
        env.pop("AFTERVIEW_NOW", None)
        log = open(Path(work) / "server.log", "wb")  # noqa: SIM115 - the server's whole life
        proc = subprocess.Popen([sys.executable, "-m", "afterview", "server", "run", "--port",
                                 str(port), "--workers", str(args.workers)], env=env,
                                stdout=log, stderr=log)  # fmt: skip
        for _ in range(300):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/signin")
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(1.0)
        loads = []
        for clients in (int(c) for c in str(args.clients).split(",")):
            print(f"load: {clients} clients, {args.duration:.0f} s after {args.warmup:.0f} s",
                  flush=True)  # fmt: skip
            loads.append(_load(port, who, clients, args.warmup, args.duration))
        load = loads[-1]
        proc.terminate()
        proc.wait(timeout=30)
        proc = None
        print("worker passes ...", flush=True)
        passes = _worker_passes(env, 3)
        doc = {
            "cpus": os.cpu_count(), "seekers": args.seekers, "web_processes": args.workers,
            "build_s": round(built, 1), **load,
            "loads": loads,
            "worker_pass_s": {"runs": [round(p, 2) for p in passes],
                              "median": round(statistics.median(passes), 2)},
        }  # fmt: skip
        ok = (
            (doc["today_ms"]["p95"] or 1e9) < 100
            and (doc["cohort_ms"]["p95"] or 1e9) < 300
            and doc["worker_pass_s"]["median"] < 5
            and doc["errors"] == 0
        )
        doc["targets_met"] = ok
        if args.json:
            print(json.dumps(doc, indent=2))
        else:
            _print(doc)
        return 0 if ok else 1
    finally:
        if proc is not None:
            proc.kill()
        pg.stop()


def _print(doc: dict[str, Any]) -> None:
    def ms(p: dict[str, float | None]) -> str:
        return "  ".join(f"{k} {v:.1f}" if v is not None else f"{k} -" for k, v in p.items())

    print(f"\n{doc['seekers']} seekers in 2 cohorts, {doc['web_processes']} web processes, "
          f"{doc['cpus']} CPUs; built in {doc['build_s']} s")  # fmt: skip
    print(f"Today  ({doc['clients']['today']} clients, {doc['requests']['today']} requests): "
          f"{ms(doc['today_ms'])} ms   target p95 < 100")  # fmt: skip
    print(f"Cohort ({doc['clients']['cohort']} clients, {doc['requests']['cohort']} requests): "
          f"{ms(doc['cohort_ms'])} ms   target p95 < 300")  # fmt: skip
    print(f"errors: {doc['errors']} {doc['error_kinds']}")
    for other in doc["loads"][:-1]:
        print(f"  with {sum(other['clients'].values())} clients: Today {ms(other['today_ms'])}; "
              f"cohort {ms(other['cohort_ms'])} ms")  # fmt: skip
    print(f"worker pass over {doc['seekers'] + 2} accounts, nothing due: "
          f"{doc['worker_pass_s']['runs']} s (median {doc['worker_pass_s']['median']})   target < 5")  # fmt: skip
    print("targets met" if doc["targets_met"] else "a target is missed")


if __name__ == "__main__":
    sys.exit(main())
