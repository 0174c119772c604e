"""The real entry points in a subprocess: `python -m afterview` and the console script."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, AFTERVIEW_DB=str(tmp_path / "a.db"))
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=60, check=False)


def test_python_dash_m(tmp_path: Path) -> None:
    r = _run([sys.executable, "-m", "afterview", "--help"], tmp_path)
    assert r.returncode == 0 and "agenda" in r.stdout


def test_console_script_bad_input_has_no_traceback(tmp_path: Path) -> None:
    script = shutil.which("afterview", path=os.path.dirname(sys.executable)) or "afterview"
    r = _run(
        [script, "interview", "add", "--company", "A", "--role", "B", "--start", "soon"], tmp_path
    )
    assert r.returncode == 2
    assert r.stderr.startswith("afterview: --start:") and "Traceback" not in r.stderr
    r = _run([script, "interview", "show", "7"], tmp_path)
    assert r.returncode == 1 and r.stderr.count("\n") == 1
    r = _run([script, "--db", str(tmp_path / "missing" / "x.db"), "agenda"], tmp_path)
    assert r.returncode == 2 and "does not exist" in r.stderr
    r = _run([script, "agenda", "--json"], tmp_path)
    assert r.returncode == 0 and '"actions": []' in r.stdout
