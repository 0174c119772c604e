"""House rules that a machine can check (shared/design/ARCHITECTURE.md).

1. The core is pure: `afterview.core` imports the standard library and itself only,
   and nothing under `src/afterview` but `clock.py` reads the system clock.
7. Small pieces: no module is allowed to grow past 600 lines; past 500 is a warning.
"""

from __future__ import annotations

import ast
import re
import sys
import warnings
from pathlib import Path

import pytest

import afterview

PACKAGE = Path(afterview.__file__).resolve().parent
CORE = PACKAGE / "core"
CLOCK = PACKAGE / "clock.py"
SOFT_LIMIT = 500
HARD_LIMIT = 600

CLOCK_METHODS = {"now", "today", "utcnow"}
CLOCK_FUNCTIONS = {"time", "time_ns"}  # of the `time` module


def modules(root: Path) -> list[Path]:
    """Every Python module under `root`, in a stable order."""
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def rel(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


def module_name(path: Path) -> str:
    """The dotted name of a module file under the package."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """`(line, absolute module name)` of every import in the file, relative ones resolved.

    For `from package import name` the entry is `package.name` unless `package` alone
    is allowed in the core, so `from afterview import core` counts as importing the core.
    """
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                target = ".".join([*parts, node.module] if node.module else parts)
            else:
                target = node.module or ""
            if allowed_in_core(target):
                found.append((node.lineno, target))
            else:
                found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return found


def allowed_in_core(module: str) -> bool:
    """Standard library modules and the core's own."""
    top = module.split(".")[0]
    return (
        top in sys.stdlib_module_names
        or module == "afterview.core"
        or (module.startswith("afterview.core."))
    )


def test_the_core_imports_only_the_standard_library_and_itself() -> None:
    assert modules(CORE), f"no modules found under {CORE}"
    bad = [
        f"{rel(path)}:{line}: imports {module}"
        for path in modules(CORE)
        for line, module in imported_modules(path)
        if not allowed_in_core(module)
    ]
    assert not bad, "the core must stay pure (house rule 1):\n" + "\n".join(bad)


def test_the_core_does_not_import_dynamically() -> None:
    bad = []
    for path in modules(CORE):
        for node in ast.walk(parse(path)):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            if (isinstance(f, ast.Name) and f.id == "__import__") or (
                isinstance(f, ast.Attribute) and f.attr == "import_module"
            ):
                bad.append(f"{rel(path)}:{node.lineno}: dynamic import")
    assert not bad, "\n".join(bad)


def clock_reads(path: Path) -> list[str]:
    """Places in the file that read the system clock."""
    found = []
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            f = node.func
            receiver = f.value.id if isinstance(f.value, ast.Name) else None
            if f.attr in CLOCK_METHODS and receiver != "clock":
                found.append(f"{rel(path)}:{node.lineno}: .{f.attr}(")
            elif f.attr in CLOCK_FUNCTIONS and receiver == "time":
                found.append(f"{rel(path)}:{node.lineno}: time.{f.attr}(")
        elif isinstance(node, ast.ImportFrom) and node.module == "time":
            for alias in node.names:
                if alias.name in CLOCK_FUNCTIONS:
                    found.append(f"{rel(path)}:{node.lineno}: from time import {alias.name}")
    return found


def test_only_clock_py_reads_the_system_clock() -> None:
    bad = [hit for path in modules(PACKAGE) if path != CLOCK for hit in clock_reads(path)]
    assert not bad, (
        "read the time through afterview.clock and pass `at`/`now` in (house rule 1):\n"
        + "\n".join(bad)
    )


def test_the_clock_check_finds_what_it_looks_for() -> None:
    sample = PACKAGE / "clock.py"  # the one module that must read the clock
    assert clock_reads(sample), "the scan found no clock read in clock.py: is it still working?"


@pytest.mark.parametrize("path", modules(PACKAGE), ids=rel)
def test_modules_stay_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    if lines > SOFT_LIMIT:
        warnings.warn(
            f"{rel(path)} has {lines} lines (over {SOFT_LIMIT}): split it",
            UserWarning,
            stacklevel=1,
        )
    assert lines < HARD_LIMIT, f"{rel(path)} has {lines} lines; split it (house rule 7)"


#: Libraries that only one package of ours may import (ARCHITECTURE.md, the module map).
OWNERS = {
    "icalendar": "afterview.cal",
    "imapclient": "afterview.mail",
    "smtplib": "afterview.mail",
    "keyring": "afterview.mail",
    "selectolax": "afterview.sources",
    "httpx": "afterview.sources",
    "fastapi": "afterview.web",
    "starlette": "afterview.web",
    "uvicorn": "afterview.cli.serve_cmd",
    "matplotlib": "afterview.charts",
    "jsonschema": "afterview.sources.resume",
    "argon2": "afterview.server.passwords",
    "cryptography": "afterview.server.secret",
}


def test_heavy_libraries_stay_in_their_package() -> None:
    found = []
    for path in modules(PACKAGE):
        name = module_name(path)
        for line, imported in imported_modules(path):
            top = imported.split(".")[0]
            owner = OWNERS.get(top)
            if owner and not (name == owner or name.startswith(owner + ".")):
                found.append(f"{rel(path)}:{line} imports {imported} (only {owner} may)")
    assert not found, "\n".join(found)


ADAPTERS = ("afterview.cli", "afterview.web")
INNER = ("afterview.core", "afterview.store")


def test_the_adapters_reach_the_core_and_the_store_through_the_services() -> None:
    """cli/ and web/ word what the services return; they import neither core nor store."""
    bad = []
    for path in modules(PACKAGE):
        name = module_name(path)
        if not name.startswith(ADAPTERS):
            continue
        for line, imported in imported_modules(path):
            if any(imported == inner or imported.startswith(inner + ".") for inner in INNER):
                bad.append(f"{rel(path)}:{line}: imports {imported}")
    assert not bad, "go through afterview.services:\n" + "\n".join(bad)


#: the start of a string that is an SQL statement (upper case, as the project writes SQL)
SQL = re.compile(
    r"\s*(SELECT\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|WITH\s+\w+\s+AS\s"
    r"|CREATE\s+(TEMP\s+|UNIQUE\s+)?(TABLE|INDEX|TRIGGER)\s|DROP\s+(TABLE|INDEX|TRIGGER)\s"
    r"|ALTER\s+TABLE\s|LOCK\s+TABLE\s|PRAGMA\s|SET\s+\w+\s*=)"
)


def sql_strings(path: Path) -> list[str]:
    """Places in the file where a string (or an f-string's text) starts an SQL statement."""
    found = []
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        else:
            continue
        if SQL.match(text):
            found.append(f"{rel(path)}:{node.lineno}: {text.strip()[:50]!r}")
    return found


def test_sql_stays_in_the_store() -> None:
    store = PACKAGE / "store"
    bad = [
        hit for path in modules(PACKAGE) if store not in path.parents for hit in sql_strings(path)
    ]
    assert not bad, "put the statement in afterview.store:\n" + "\n".join(bad)


def test_the_sql_check_finds_what_it_looks_for() -> None:
    hits = [hit for path in modules(PACKAGE / "store") for hit in sql_strings(path)]
    assert len(hits) > 100, f"the scan found only {len(hits)} statements in store/"
    assert sql_strings(PACKAGE / "store" / "tracked.py"), "tracked.py's statements went unseen"


def test_refusals_leave_the_force_option_to_the_adapters() -> None:
    """A service says what insisting does (`Refused(..., override=...)`); only cli/ names
    `--force` and web/ its button."""
    bad = []
    for path in modules(PACKAGE):
        if module_name(path).startswith(ADAPTERS):
            continue
        tree = parse(path)
        docs = {id(d) for d in docstrings(tree)}
        bad += [
            f"{rel(path)}:{node.lineno}: {node.value.strip()[:60]!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and "--force" in node.value
            and id(node) not in docs
        ]
    assert not bad, "raise Refused(reason, override=...) instead:\n" + "\n".join(bad)


#: a string that is just a command-line option: `"--decision-by"`
OPTION_NAME = re.compile(r"--[a-z][a-z0-9-]*")


def option_names(path: Path) -> list[str]:
    """Places where a string is exactly a command-line option's name."""
    return [
        f"{rel(path)}:{node.lineno}: {node.value!r}"
        for node in ast.walk(parse(path))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and OPTION_NAME.fullmatch(node.value)
    ]


def test_bad_values_are_named_by_field_not_by_option() -> None:
    """A service names a bad value by its field (`BadInput("decision_by", ...)`); the CLI
    words it as its option (`cli/error_line.option_for`), the web as its form field."""
    bad = [
        hit
        for path in modules(PACKAGE)
        # autostart/ writes other programs' command lines (`systemctl --user enable --now`)
        if not module_name(path).startswith((*ADAPTERS, "afterview.autostart"))
        for hit in option_names(path)
    ]
    assert not bad, "name the field (decision_by), not the option:\n" + "\n".join(bad)


def test_the_option_name_check_finds_what_it_looks_for() -> None:
    hits = [hit for path in modules(PACKAGE / "cli") for hit in option_names(path)]
    assert len(hits) > 50, f"the scan found only {len(hits)} option names in cli/"


def docstrings(tree: ast.Module) -> list[ast.Constant]:
    """The docstrings of the module and of its classes and functions."""
    found = []
    for owner in ast.walk(tree):
        if isinstance(owner, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            first = owner.body[0] if owner.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.append(first.value)
    return found
