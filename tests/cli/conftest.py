"""Fixtures for the CLI tests: a real database on each engine, a config in tmp."""

from __future__ import annotations

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
