"""Fixtures for the CLI tests: a real database on each engine, a config in tmp."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import Afterview


@pytest.fixture
def av(db_url: str, tmp_path, monkeypatch) -> Afterview:
    """The CLI on a fresh database, with the user's zone set to Europe/Paris."""
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        'timezone = "Europe/Paris"\n[me]\nname = "Sam Rivera"\nemail = "sam@example.org"\n'
    )
    monkeypatch.setenv("AFTERVIEW_CONFIG", str(cfg))
    return Afterview(db_url)


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """An export of the demo, written once (on its own SQLite file)."""
    other = Afterview(str(tmp_path / "other.db"))
    other.ok("demo", now="2026-09-14T09:00")
    export = tmp_path / "demo-export.json"
    export.write_text(other.ok("export", now="2026-09-14T09:00").out, encoding="utf-8")
    return {"export": export}
