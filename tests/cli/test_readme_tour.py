"""The README's two-minute tour, and the corrections after it, run as written, in order, on
a fresh database: each line exits 0 (the one that needs the reader's own CV and LinkedIn
export is left out).
The tour's moments are relative ("today 10:00"), so it holds on any day; here `--now`
is the afternoon of a fixed day."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from afterview.cli.main import load_cli
from tests.conftest import IsolatedEnv

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-09-15T16:30+02:00"


def tour() -> list[list[str]]:
    """The tour's command lines, then those of the corrections that follow it, joined
    where a line ends in a backslash, comments cut."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## A two-minute tour", 1)[1].split("\n## ", 1)[0]
    blocks = [part.split("```", 1)[0] for part in section.split("```sh\n")[1:]]
    lines = "".join(blocks).replace("\\\n", " ").splitlines()
    return [shlex.split(line, comments=True) for line in lines if line.strip()]


def test_the_tour_is_what_we_run() -> None:
    commands = tour()
    assert len(commands) > 15 and all(c[0] == "afterview" for c in commands)
    assert commands[0][:2] == ["afterview", "init"]
    assert ["afterview", "interview", "delete", "2"] in commands  # the corrections run too


def test_the_tour_runs_as_written(
    env_isolated: IsolatedEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for argv in tour():
        if argv[1:3] == ["profile", "check"]:  # the reader's own files
            continue
        args = [os.path.expanduser(a) for a in argv[1:]]
        args = [str(ROOT / a) if a.startswith("docs/") else a for a in args]
        r = CliRunner().invoke(load_cli(), ["--now", NOW, *args], catch_exceptions=False)
        assert r.exit_code == 0, f"{' '.join(argv)}: exit {r.exit_code}: {r.stderr}{r.stdout}"
    assert (tmp_path / "my-search.json").exists()
    assert (env_isolated.home / "afterview.ics").exists()
