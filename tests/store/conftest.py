"""Fixtures of the store's tests: the heavy history of bench/generate.py, generated once."""

from __future__ import annotations

import importlib.util
import sys
from datetime import datetime
from pathlib import Path

import pytest

from afterview.config import Config
from afterview.services.context import Context, open_database
from afterview.services.porting import export_document

ROOT = Path(__file__).resolve().parents[2]
HISTORY_NOW = "2026-11-27T12:00:00+01:00"
ZONE = "Europe/Paris"


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "afterview_bench_generate", ROOT / "bench" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def history_document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The heavy history, generated once into SQLite and exported."""
    path = tmp_path_factory.mktemp("history") / "heavy.db"
    _generator().generate(str(path), seed=3, now_text=HISTORY_NOW)
    db = open_database(str(path))
    try:
        ctx = Context(db, Config(path="none", timezone=ZONE), datetime.fromisoformat(HISTORY_NOW))
        return export_document(ctx)
    finally:
        db.close()
