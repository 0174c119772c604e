"""Several processes opening a new database at once all succeed (`serve` and `run`
started together at boot, a script running commands in parallel): one creates the
schema, the others wait for it and find it done."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.timeout(300)
def test_six_processes_on_a_new_database_all_succeed(db_url: str) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "afterview", "--db", db_url, "--now", "2026-11-20T10:00",
             "application", "add", "--company", f"C{i}", "--role", "R"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(6)
    ]  # fmt: skip
    results = [(p.wait(timeout=240), p.stderr.read() if p.stderr else "") for p in procs]
    assert [code for code, _ in results] == [0] * 6, results
    listed = subprocess.run(
        [sys.executable, "-m", "afterview", "--db", db_url, "application", "list", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert sorted(listed.stdout.count(f'"C{i}"') for i in range(6)) == [1] * 6
