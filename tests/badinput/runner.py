"""Running the real entry point in-process, and reading a database's whole content.

`run()` calls `afterview.cli.main.main(argv)`, the function the `afterview` script
calls, with stdin, stdout and stderr captured: what a user would see, without a
new interpreter per case. An exception escaping `main` is what a user would see
as a traceback, so it fails the test.

`content()` reads every table but the caches, rows sorted: two equal contents mean
nothing was written (the data revision is a table too, so even a write that was
undone by hand would show). `fingerprint()` is its quick first look: equal
fingerprints mean equal contents (the SQLite files' bytes are the same, or on
PostgreSQL each table's rows hash the same); when they differ (a read that stored
a cache, say), compare `content()`.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from afterview.cli.main import main
from afterview.store.db import connect
from afterview.store.migrations import CACHE_TABLES
from afterview.store.worker_runs import LOCAL_TABLES


@dataclass
class Run:
    """What one command line did."""

    code: int
    out: str
    err: str


def run(argv: list[str], stdin: str | bytes | None = None) -> Run:
    """Run `afterview ARGV` in-process and return its exit code and output."""
    runner = CliRunner()
    with runner.isolation(input=stdin) as (out, err, _output):
        try:
            code = main(list(argv))
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
    return Run(
        code,
        out.getvalue().decode("utf-8", "replace"),
        err.getvalue().decode("utf-8", "replace"),
    )


def _tables(db: Any) -> list[str]:
    if db.dialect == "sqlite":
        rows = db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    else:
        rows = db.query(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() ORDER BY table_name"
        )
    # the worker's last pass is recorded by a pass that failed too (that is its point)
    return [r[0] for r in rows if r[0] not in (*CACHE_TABLES, *LOCAL_TABLES)]


def content(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the caches, sorted, keyed by table."""
    db = connect(url)
    try:
        return {t: sorted(db.query(f"SELECT * FROM {t}"), key=repr) for t in _tables(db)}
    finally:
        db.close()


def fingerprint(url: str) -> str:
    """A summary of the content that costs one file read or one query."""
    if "://" not in url:
        digest = hashlib.sha256()
        for suffix in ("", "-wal"):
            path = Path(url + suffix)
            digest.update(path.read_bytes() if path.exists() else b"-")
        return digest.hexdigest()
    db = connect(url)
    try:
        parts = [
            f"SELECT '{t}', md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) "
            f"FROM {t} x"
            for t in _tables(db)
        ]
        return repr(db.query(" UNION ALL ".join(parts)))
    finally:
        db.close()


def check_unchanged(seeded: Any) -> None:
    """The database holds what it held; if not, seed it again for the next case and fail."""
    quick = fingerprint(seeded.url)
    if quick == seeded.fingerprint:
        return  # the same bytes (SQLite) or the same hash of every table (PostgreSQL)
    now = content(seeded.url)
    if now == seeded.baseline:
        seeded.fingerprint = quick  # only a cache was stored: the next look is quick again
        return
    changed = [t for t in now if now[t] != seeded.baseline.get(t)]
    seeded.restore()
    pytest.fail(f"the refused command wrote to: {', '.join(changed)}")
