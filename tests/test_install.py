"""The sdist and wheel built from this folder (`python -m build`: the wheel from the sdist)
install into a fresh virtual environment without the dev extras, and the command works
there as a new user would run it: a sample, the agenda, and a chart refused in one line
because the base leaves matplotlib out (here the module is really missing).
bench/install_size.py prints what the install weighs."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = {"matplotlib", "numpy", "jsonschema", "psycopg", "psycopg-binary"}


def _bench() -> object:
    spec = importlib.util.spec_from_file_location(
        "install_size", ROOT / "bench" / "install_size.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["install_size"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.timeout(600)  # a venv and about 50 packages (from pip's cache when it has them)
def test_the_base_install_is_light_and_runs(tmp_path: Path) -> None:
    bench = _bench()
    # `python -m build`: the sdist, then the wheel built from the sdist alone
    sdist, wheel = bench.build_dists(tmp_path / "dist")  # type: ignore[attr-defined]
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    assert {"LICENSE", "README.md", "pyproject.toml", "src/afterview/__init__.py"} <= names
    assert not {n for n in names if n.startswith((".ci", ".venv")) or "__pycache__" in n}
    install = bench.fresh_install(wheel, tmp_path / "venv")  # type: ignore[attr-defined]
    assert "afterview" in install.packages and not HEAVY & set(install.packages)
    bench.smoke(install, tmp_path / "home")  # type: ignore[attr-defined]
    env = {
        **os.environ,
        "AFTERVIEW_DB": str(tmp_path / "home" / "afterview.db"),
        "AFTERVIEW_CONFIG": str(tmp_path / "home" / "config.toml"),
    }
    out = tmp_path / "funnel.png"
    r = subprocess.run(
        [install.command, "stats", "--plot", str(out)], capture_output=True, text=True, env=env
    )
    assert r.returncode == 2 and r.stdout == "" and not out.exists()
    assert r.stderr.startswith("afterview: --plot: charts need matplotlib")
    assert r.stderr.count("\n") == 1
    stats = subprocess.run(
        [install.command, "stats"], capture_output=True, text=True, env=env, check=True
    )
    assert "Funnel" in stats.stdout
    licence = subprocess.run(
        [install.venv / "bin" / "python", "-c",
         "from importlib.metadata import metadata; print(metadata('afterview')['License-Expression'])"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert licence.stdout.strip() == "MIT"
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
