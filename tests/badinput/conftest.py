"""A seeded database on each engine, shared by every bad-input case of a run.

Each case must leave the database as it found it; the fixture reads its content
once (`baseline`), and `restore()` seeds it again after a case that changed it, so
one broken case does not fail every case after it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.badinput.runner import content, fingerprint, run

NOW = "2026-11-20T10:00"
CONFIG = 'timezone = "Europe/Paris"\n[me]\nname = "Sam Rivera"\nemail = "sam@example.org"\n'


@dataclass
class Seeded:
    """A database holding the demo's sample, a mail setup and one approved message."""

    engine: str
    url: str
    folder: Path
    baseline: dict[str, list[tuple[Any, ...]]]
    _reset: Any
    fingerprint: str = ""

    @property
    def config(self) -> Path:
        return self.folder / "config.toml"

    def restore(self) -> None:
        """Seed the database again (after a case that wrote to it)."""
        self._reset()
        seed(self.url, self.folder)
        self.baseline = content(self.url)
        self.fingerprint = fingerprint(self.url)


def _env(folder: Path) -> dict[str, str]:
    return {
        "AFTERVIEW_CONFIG": str(folder / "config.toml"),
        "HOME": str(folder / "home"),
        "XDG_CONFIG_HOME": str(folder / "xdg" / "config"),
        "XDG_DATA_HOME": str(folder / "xdg" / "data"),
        "XDG_CACHE_HOME": str(folder / "xdg" / "cache"),
        "XDG_STATE_HOME": str(folder / "xdg" / "state"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }


def seed(url: str, folder: Path) -> None:
    """Write the sample through the real commands."""
    (folder / "home").mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(CONFIG)
    with pytest.MonkeyPatch.context() as mp:
        for k, v in _env(folder).items():
            mp.setenv(k, v)
        mp.delenv("AFTERVIEW_NOW", raising=False)
        mp.setenv("AFTERVIEW_SMTP_PASSWORD", "not-a-real-password")
        base = ["--db", url, "--now", NOW]
        for argv in (
            ["demo"],
            ["mail", "setup", "--smtp-host", "smtp.example.org", "--from", "sam@example.org"],
            ["send", "thank_you:1:1"],
            ["draft", "thank-you", "1", "--to", "2"],
        ):
            r = run([*base, *argv])
            assert r.code == 0, f"seeding {argv}: {r.err}"


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Seeded]:
    """The seeded database of one engine, for the whole run."""
    folder = tmp_path_factory.mktemp(f"badinput-{request.param}")
    if request.param == "sqlite":
        url = str(folder / "afterview.db")

        def reset() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(url + suffix).unlink(missing_ok=True)

    else:
        server = request.getfixturevalue("postgres_server")
        schema = server.create_schema()
        url = server.url(schema)

        def reset() -> None:
            server.drop_schema(schema)
            server.admin.execute(f"CREATE SCHEMA {schema}")

    seed(url, folder)
    yield Seeded(request.param, url, folder, content(url), reset, fingerprint(url))
    if request.param == "sqlite":
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def user_env(seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> Seeded:
    """The seeded database's config and folders as the user's environment."""
    for k, v in _env(seeded.folder).items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("AFTERVIEW_DB", seeded.url)
    os.makedirs(seeded.folder / "home", exist_ok=True)
    return seeded


def on_postgresql(cases: list[tuple[Any, ...]]) -> set[str]:
    """The cases of the table that also run on PostgreSQL: the first of each command, every
    case of a rare kind of value (8 or fewer), and one in three of each common kind.

    Every case runs on SQLite. A refusal is decided before anything is written and does not
    depend on the engine; what does (the transaction that writes nothing, the database's
    own checks) is tried on PostgreSQL with every command and every kind of bad value."""
    from collections import Counter

    def kind(case_id: str) -> str:
        return case_id.rsplit(":", 1)[-1]

    sizes = Counter(kind(c[0]) for c in cases)
    seen: Counter[str] = Counter()
    commands: set[str] = set()
    kept: set[str] = set()
    for case in cases:
        case_id, spec = case[0], case[1]
        k = kind(case_id)
        if spec.name not in commands or sizes[k] <= 8 or seen[k] % 3 == 0:
            kept.add(case_id)
        commands.add(spec.name)
        seen[k] += 1
    return kept


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run on PostgreSQL only the sample of the bad-value table that `on_postgresql` keeps."""
    from tests.badinput.test_cli_bad_input import CASES

    keep = on_postgresql(CASES)
    selected, dropped = [], []
    for item in items:
        spec = getattr(item, "callspec", None)
        if (
            item.name.startswith("test_a_bad_value_is_refused_with_one_line_and_writes_nothing")
            and spec is not None
            and spec.params.get("seeded") == "postgresql"
            and spec.params.get("case") not in keep
        ):
            dropped.append(item)
        else:
            selected.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = selected
