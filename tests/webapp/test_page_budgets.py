"""The pages on the five-year history (bench/generate.py: 2,000 applications, 600
interviews, 8,000 touches), with bench/web_pages.py's own measure: each page of its
list answers 200, weighs under 200 KB and answers in under 100 ms at p95 (once its
view is built: the first request, which builds it, is not counted).

The full figures, with more runs and the cold requests, come from
`.venv/bin/python bench/web_pages.py`; this test keeps the budget from sliding.
"""

from __future__ import annotations

import importlib.util
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "web_pages.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_web_pages", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def history() -> Iterator[tuple[ModuleType, Any, dict[str, str]]]:
    bench = _bench()
    with tempfile.TemporaryDirectory() as folder, bench.history_app(folder) as (client, values):
        yield bench, client, values


@pytest.mark.parametrize("path", _bench().PAGES)
def test_each_page_keeps_its_budget_on_five_years(
    path: str, history: tuple[ModuleType, Any, dict[str, str]]
) -> None:
    bench, client, values = history
    row = bench.measure(client, path.format(**values), runs=20, timer=time.process_time)
    assert not bench.misses(row), row
