"""The base install leaves out what only some features need (pyproject's extras: charts,
profile, postgresql). Without them, each feature refuses in one line that says what to
install, before anything is computed or written, and the rest works.

Each test takes the module away for its own duration (`sys.modules[name] = None` makes
`import name` fail as if it were not installed): the libraries cannot be uninstalled
from the shared test environment, and the import machinery is what the code meets."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.cli.helpers import Afterview
from tests.cli.test_profile_cmd import MATCHES, STANDARD
from tests.cli.test_report_cmd import history

NOW = "2026-11-27T12:00"


@pytest.fixture
def no_charts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)


@pytest.mark.usefixtures("no_charts")
@pytest.mark.parametrize("command", ["stats", "insights"])
def test_a_plot_without_matplotlib_is_refused_before_anything_is_written(
    av: Afterview, tmp_path: Path, command: str
) -> None:
    out = tmp_path / "chart.png"
    r = av(command, "--plot", str(out), now=NOW)
    assert r.code == 2 and r.out == "" and r.err.count("\n") == 1
    assert r.err.startswith("afterview: --plot: charts need matplotlib")
    assert "afterview[charts]" in r.err and not out.exists()
    assert av.ok(command, now=NOW).out  # the figures themselves still come


@pytest.mark.usefixtures("no_charts")
def test_the_report_without_matplotlib_has_its_words_without_charts(
    av: Afterview, tmp_path: Path
) -> None:
    history(av)
    out = tmp_path / "report.html"
    av.ok("report", "--out", str(out), now=NOW)
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "<svg" not in html


def test_a_resume_check_without_jsonschema_says_what_to_install(
    av: Afterview, monkeypatch: pytest.MonkeyPatch
) -> None:
    from afterview.sources import resume

    resume._validator.cache_clear()
    monkeypatch.setitem(sys.modules, "jsonschema", None)
    try:
        r = av("profile", "check", "--resume", str(MATCHES), "--linkedin", str(STANDARD), now=NOW)
    finally:
        resume._validator.cache_clear()
    assert r.code == 2 and r.err.count("\n") == 1
    assert r.err.startswith("afterview: --resume: checking a resume needs jsonschema")
    assert "afterview[profile]" in r.err


def test_a_postgresql_url_without_psycopg_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    r = Afterview("postgresql://postgres@127.0.0.1:1/none")("agenda", now=NOW)
    assert r.code == 2 and r.err.count("\n") == 1
    assert r.err.startswith("afterview: db: a PostgreSQL database needs psycopg")
    assert "afterview[postgresql]" in r.err
