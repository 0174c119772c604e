"""What installing afterview costs: the wheel built from this folder, installed into a
fresh virtual environment (no dev extras), once as the base and once with every extra.

    .venv/bin/python bench/install_size.py [--keep DIR] [--json]

For each install it prints the number of packages (pip, setuptools and wheel left out)
and the bytes of their installed files, and checks that the `afterview`
command runs (`--version`, `demo`, `agenda`). The versions come from constraints.txt,
as `scripts/demo` and the tests install them. It needs the package index (or pip's
cache), as any install does. Exit code 1 when an install or a command fails.

`tests/test_install.py` runs the same steps (`build_wheel`, `fresh_install`).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
LEFT_OUT = {"pip", "setuptools", "wheel"}


class Install(NamedTuple):
    """A fresh environment with afterview installed in it."""

    venv: Path
    packages: list[str]
    size_bytes: int

    @property
    def command(self) -> Path:
        """The environment's `afterview` script."""
        return self.venv / "bin" / "afterview"


def _run(args: list[str | Path], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [str(a) for a in args], capture_output=True, text=True, check=False, **kw
    )


def _checked(args: list[str | Path], what: str, **kw: object) -> str:
    r = _run(args, **kw)
    if r.returncode != 0:
        raise RuntimeError(f"{what} failed ({r.returncode}):\n{r.stdout[-2000:]}{r.stderr[-3000:]}")
    return r.stdout


def build_dists(out: Path) -> tuple[Path, Path]:
    """Build afterview's sdist from this folder, then its wheel from that sdist (as
    `python -m build` does, so the sdist is known to hold everything), into `out`;
    return `(sdist, wheel)`."""
    _checked([sys.executable, "-m", "build", "--outdir", out, ROOT], "python -m build")
    (sdist,) = out.glob("afterview-*.tar.gz")
    (wheel,) = out.glob("afterview-*.whl")
    return sdist, wheel


def build_wheel(out: Path) -> Path:
    """Build afterview's wheel (from its sdist) into `out` and return its path."""
    return build_dists(out)[1]


def fresh_install(wheel: Path, venv: Path, extras: str = "") -> Install:
    """A new virtual environment at `venv` with the wheel (and `extras`) installed."""
    _checked([sys.executable, "-m", "venv", venv], "creating the venv")
    python = venv / "bin" / "python"
    target = f"{wheel}[{extras}]" if extras else str(wheel)
    _checked(
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check",
         "-c", ROOT / "constraints.txt", target],
        f"installing {target}",
    )  # fmt: skip
    sizes = json.loads(_checked([python, "-c", _SIZES], "measuring the packages"))
    kept = {name: size for name, size in sizes.items() if name not in LEFT_OUT}
    return Install(venv, sorted(kept), sum(kept.values()))


#: run by the environment's Python: each installed distribution and the bytes of its files
_SIZES = """
import json, os
from importlib.metadata import distributions
out = {}
for d in distributions():
    total = 0
    for f in d.files or ():
        path = d.locate_file(f)
        if os.path.isfile(path) and not os.path.islink(path):
            total += os.path.getsize(path)
    out[d.metadata["Name"].lower()] = total
print(json.dumps(out))
"""


def smoke(install: Install, folder: Path) -> None:
    """Run the installed command as a new user would: its version, a sample, the agenda."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "AFTERVIEW_DB": str(folder / "afterview.db"),
        "AFTERVIEW_CONFIG": str(folder / "config.toml"),
    }
    _checked([install.command, "--version"], "afterview --version", env=env)
    _checked([install.command, "demo"], "afterview demo", env=env)
    _checked([install.command, "agenda"], "afterview agenda", env=env)


def main() -> int:
    """Build, install twice, measure, run; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="build and install here (kept)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="afterview-install-") as tmp:
        where = args.keep or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        figures = {}
        try:
            wheel = build_wheel(where / "dist")
            for label, extras in (("base", ""), ("all", "all")):
                install = fresh_install(wheel, where / f"venv-{label}", extras)
                smoke(install, where / f"home-{label}")
                figures[label] = {
                    "packages": len(install.packages),
                    "megabytes": round(install.size_bytes / 1e6, 1),
                    "names": install.packages,
                }
        except RuntimeError as exc:
            print(f"install_size: {exc}", file=sys.stderr)
            return 1
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"afterview wheel: {wheel.name}")
    for label, f in figures.items():
        print(f"  {label:5} {f['packages']:3} packages, {f['megabytes']:6.1f} MB installed")
    base, full = set(figures["base"]["names"]), set(figures["all"]["names"])
    print(f"  the extras add: {', '.join(sorted(full - base))}")
    print("  (pip, setuptools and wheel, which every environment has, are not counted)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
