"""docs/server.md stays true: its systemd units pass `systemd-analyze verify`, and every
`afterview server ...` command line it shows names commands and options that exist."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from afterview.cli.main import load_cli

DOC = Path(__file__).resolve().parents[1] / "docs" / "server.md"
ANALYZE = shutil.which("systemd-analyze")
UNIT = re.compile(r"```ini\n# /etc/systemd/system/(\S+)\n(.*?)```", re.S)
PROGRAM = "/opt/afterview/bin/afterview"


def _units() -> dict[str, str]:
    return dict(UNIT.findall(DOC.read_text(encoding="utf-8")))


@pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed")
def test_the_guides_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    units = _units()
    assert set(units) == {"afterview-web.service", "afterview-worker@.service"}
    program = tmp_path / "afterview"
    program.symlink_to(sys.executable)
    for name, text in units.items():
        assert PROGRAM in text
        path = tmp_path / (name.replace("@.", "@1.") if "@." in name else name)
        path.write_text(text.replace(PROGRAM, str(program)), encoding="utf-8")
        assert ANALYZE is not None
        done = subprocess.run([ANALYZE, "verify", str(path)], capture_output=True, text=True,
                              timeout=60, check=False)  # fmt: skip
        assert done.returncode == 0, f"{name}: {done.stderr}"


def _command_lines() -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8").replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        at = line.find("afterview server ")
        if at < 0 or line.lstrip().startswith(("Description", "#")):
            continue
        words = shlex.split(line[at:].split("#")[0].split("`")[0], posix=True)
        found.append(words[1:])
    return found


def test_every_command_line_of_the_guide_exists() -> None:
    cli = load_cli()
    lines = _command_lines()
    assert len(lines) >= 6
    for words in lines:
        cmd: click.Command = cli
        rest = list(words)
        while rest and isinstance(cmd, click.Group) and rest[0] in cmd.commands:
            cmd = cmd.commands[rest.pop(0)]
        assert not isinstance(cmd, click.Group), f"not a command: {' '.join(words)}"
        known = {o for p in cmd.params for o in getattr(p, "opts", [])}
        for word in rest:
            if word.startswith("--"):
                assert word.split("=")[0] in known, f"{' '.join(words)}: {word}"
