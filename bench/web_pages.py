"""Time and weigh each page of the web app on the five-year history.

    .venv/bin/python bench/web_pages.py                 # 30 requests per page, fixed clock
    .venv/bin/python bench/web_pages.py --runs 100      # steadier figures
    .venv/bin/python bench/web_pages.py --real-clock    # the app's clock is the wall clock
    .venv/bin/python bench/web_pages.py --json

The history of bench/generate.py (2,000 applications, 600 interviews, 8,000 touches)
is written into a temporary SQLite file; the app runs in this process behind
Starlette's test client (no network: the figures are the app's own time, routing,
views, templates, the database). With a fixed clock (the generator's moment, the
default) a page's view is built once per data revision and minute and then read
from the cache, as on a server where nothing changes; the first request of each
page (the cache miss) is reported apart as `cold`. `--real-clock` uses the wall
clock instead, so a minute boundary can fall inside the runs.

For each page: the answer's size, and the latency's p50, p95 and max over the runs
(the cold request not among them). Targets (issue 17): Today, Interviews,
Applications and the board answer in under 100 ms at p95 and weigh under 200 KB,
and so does every other page listed. Exit code 1 when one is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET_MS = 100.0
TARGET_KB = 200.0
# Each page as a path; `{busy}` is the interview with the most touches, `{app}` its
# application, `{action}` one of its thank-yous.
PAGES = (
    "/",
    "/?all=1",
    "/interviews",
    "/interviews?page=6",
    "/interviews/{busy}",
    "/applications",
    "/applications?page=30",
    "/applications/{app}",
    "/applications/{app}/delete",
    "/board",
    "/leads",
    "/stats",
    "/insights",
    "/questions",
    "/settings",
    "/outbox",
    "/history",
)


def _generator() -> Any:
    if HERE not in sys.path:
        sys.path.insert(0, HERE)
    import generate

    return generate


@contextmanager
def history_app(
    folder: str, clock: Callable[[], datetime] | None = None
) -> Iterator[tuple[Any, dict[str, str]]]:
    """The app in-process on a fresh five-year history in `folder`, with a client that
    has its CSRF cookie, and the values to fill into PAGES."""
    from fastapi.testclient import TestClient

    from afterview.web.app import create_app
    from afterview.web.runtime import LOOPBACK_HOSTS, WebSettings

    gen = _generator()
    db = os.path.join(folder, "history.db")
    gen.generate(db)
    config = Path(folder) / "config.toml"
    config.write_text('timezone = "Europe/Paris"\n[me]\nname = "Sam Carter"\n', encoding="utf-8")
    moment = gen.parse_now(gen.DEFAULT_NOW).astimezone(UTC)
    settings = WebSettings(
        db_target=db,
        clock=clock or (lambda: moment),
        allowed_hosts=(*LOOPBACK_HOSTS, "testserver"),
        config_path=str(config),
    )
    with TestClient(create_app(settings), base_url="http://testserver") as client:
        client.get("/")
        yield client, _values(db)


def _values(db_path: str) -> dict[str, str]:
    """The busiest interview (most touches) and its application."""
    import sqlite3

    with sqlite3.connect(db_path) as db:
        busy, app = db.execute(
            "SELECT i.id, i.application_id FROM interview i JOIN touch t ON t.interview_id = i.id "
            "GROUP BY i.id ORDER BY COUNT(*) DESC, i.id LIMIT 1"
        ).fetchone()
    return {"busy": str(busy), "app": str(app)}


def measure(
    client: Any, path: str, runs: int, timer: Callable[[], float] = time.perf_counter
) -> dict[str, Any]:
    """One page: its status, size, the cold request's time, and p50/p95/max of `runs`.

    `timer`: the wall clock by default; `time.process_time` counts this process's CPU
    time instead (the app runs in it), which other work on a busy machine does not
    inflate."""
    started = timer()
    first = client.get(path)
    cold = (timer() - started) * 1000
    times = []
    for _ in range(runs):
        started = timer()
        r = client.get(path)
        times.append((timer() - started) * 1000)
        if r.status_code != first.status_code:
            raise RuntimeError(f"{path}: {first.status_code} then {r.status_code}")
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return {
        "path": path,
        "status": first.status_code,
        "kb": round(len(first.content) / 1024, 1),
        "cold_ms": round(cold, 1),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(times[-1], 1),
    }


def misses(row: dict[str, Any]) -> list[str]:
    """What a page's figures miss of the targets."""
    out = []
    if row["status"] != 200:
        out.append(f"answered {row['status']}")
    if row["p95_ms"] >= TARGET_MS:
        out.append(f"p95 {row['p95_ms']} ms (target < {TARGET_MS:.0f})")
    if row["kb"] >= TARGET_KB:
        out.append(f"{row['kb']} KB (target < {TARGET_KB:.0f})")
    return out


def main(argv: list[str] | None = None) -> int:
    """Print each page's figures; exit 1 when one misses a target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--real-clock", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    clock = (lambda: datetime.now(UTC)) if args.real_clock else None
    with tempfile.TemporaryDirectory() as folder, history_app(folder, clock) as (client, values):
        rows = [measure(client, p.format(**values), args.runs) for p in PAGES]
    missed = {r["path"]: misses(r) for r in rows if misses(r)}
    if args.json:
        print(json.dumps({"runs": args.runs, "pages": rows, "missed": missed}, indent=2))
    else:
        print(f"{'page':28} {'KB':>7} {'cold':>8} {'p50':>7} {'p95':>7} {'max':>7}  (ms)")
        for r in rows:
            print(
                f"{r['path']:28} {r['kb']:7.1f} {r['cold_ms']:8.1f} {r['p50_ms']:7.1f} "
                f"{r['p95_ms']:7.1f} {r['max_ms']:7.1f}  {'; '.join(misses(r))}"
            )
        print("all targets met" if not missed else f"{len(missed)} page(s) miss a target")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
