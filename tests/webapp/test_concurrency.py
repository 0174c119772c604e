"""The real server under concurrent requests, on both engines: reads and writes at once
give no 5xx, every write lands whole, and every page read after a write shows it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IsolatedEnv

CLIENTS = 8
ROUNDS = 12


def _client(base: str) -> tuple[Any, str]:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(base, timeout=30).read()
    token = next(c.value for c in jar if c.name == "afterview_csrf")
    return opener, token


def _call(opener: Any, token: str, method: str, url: str, body: Any = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("X-CSRF-Token", token)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with opener.open(req, timeout=30) as r:
            raw = r.read()
            if r.headers.get("content-type", "").startswith("application/json"):
                return r.status, json.loads(raw)
            return r.status, raw.decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


@pytest.mark.timeout(120)
def test_concurrent_reads_and_writes(
    db_url: str, env_isolated: IsolatedEnv, tmp_path: Path
) -> None:
    env = {**os.environ, "AFTERVIEW_DB": db_url}
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "afterview", "--now", "2026-09-15T17:30", "serve", "--port", "0"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        base = proc.stderr.readline().split()[3].rstrip("/")
        threading.Thread(target=lambda: log.write(proc.stderr.read()), daemon=True).start()
        problems: list[str] = []
        made: list[int] = []

        def work(n: int) -> None:
            try:
                _work(n)
            except Exception as exc:  # a thread's failure fails the test
                problems.append(f"client {n}: {exc!r}")

        def _work(n: int) -> None:
            opener, token = _client(base + "/")
            for i in range(ROUNDS):
                status, body = _call(
                    opener,
                    token,
                    "POST",
                    base + "/api/interviews",
                    {
                        "company": f"Firm {n}",
                        "role": f"Role {i}",
                        "start": "2026-09-15T14:00",
                        "interviewers": [f"Person {n}-{i} <p{n}x{i}@firm{n}.example>"],
                        "topics": [f"topic {i}"],
                    },
                )
                if status != 201:
                    problems.append(f"POST {status}: {body}")
                    continue
                made.append(body["id"])
                for path in ("/api/today", f"/api/interviews/{body['id']}", "/", "/applications"):
                    status, page = _call(opener, token, "GET", base + path)
                    if status != 200:
                        problems.append(f"GET {path} {status}: {str(page)[:200]}")
                status, page = _call(opener, token, "GET", f"{base}/api/interviews/{body['id']}")
                if status == 200 and page["topics"] != [f"topic {i}"]:
                    problems.append(f"interview {body['id']} read back {page['topics']}")

        threads = [threading.Thread(target=work, args=(n,)) for n in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not problems, problems[:5]
        opener, token = _client(base + "/")
        status, rows = _call(opener, token, "GET", base + "/api/interviews")
        assert status == 200 and sorted(r["id"] for r in rows) == sorted(made)
        assert len(made) == CLIENTS * ROUNDS
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    log.seek(0)
    assert "Traceback" not in log.read()
