"""`afterview serve`: what it refuses before it starts, and a real start on a free port."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.helpers import Afterview


def test_an_address_other_than_loopback_needs_allow_host(av: Afterview) -> None:
    r = av("serve", "--host", "0.0.0.0", "--port", "0")
    assert r.code == 2
    assert r.err.startswith("afterview: --host: 0.0.0.0 is not loopback")


def test_a_port_in_use_is_one_clear_line(av: Afterview) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = av("serve", "--port", str(port))
    assert r.code == 2 and r.err.startswith(f"afterview: --port: cannot listen on 127.0.0.1:{port}")


def test_a_bad_now_is_refused_before_starting(av: Afterview) -> None:
    r = av("serve", "--port", "0", now="next tuesday")
    assert r.code == 2 and "--now" in r.err


@contextlib.contextmanager
def _serving(tmp_path: Path, *argv: str) -> Iterator[str]:
    """Run `afterview ARGV` as a real process and give the URL it says it is at."""
    env = {**os.environ, "AFTERVIEW_DB": str(tmp_path / "a.db")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "afterview", *argv], env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        assert line.startswith("afterview is at http://"), line
        yield line.split()[3]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.timeout(60)
def test_serve_answers_on_loopback_and_says_where(tmp_path: Path) -> None:
    with _serving(tmp_path, "--now", "2026-09-15T17:30", "serve", "--port", "0") as url:
        assert url.startswith("http://127.0.0.1:"), url
        with urllib.request.urlopen(url, timeout=10) as r:
            page = r.read().decode()
        # a new user (no data, no config file) is greeted by the set-up
        assert "Welcome to afterview" in page and "time set by --now" in page
        with urllib.request.urlopen(url + "api/today", timeout=10) as r:
            assert r.headers["content-type"] == "application/json"


@pytest.mark.timeout(60)
def test_another_loopback_address_answers_at_the_url_it_prints(tmp_path: Path) -> None:
    # 127.0.0.2 is loopback too: the URL printed must answer (it said 400 "Host not allowed")
    with _serving(tmp_path, "serve", "--host", "127.0.0.2", "--port", "0") as url:
        assert url.startswith("http://127.0.0.2:"), url
        with urllib.request.urlopen(url + "api/today", timeout=10) as r:
            assert r.status == 200
