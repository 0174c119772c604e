"""afterview's folders are platformdirs' folders, without importing platformdirs at start-up."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs
import pytest

from afterview import paths

XDG = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")


def expected() -> tuple[str, str, str]:
    return (
        platformdirs.user_data_dir("afterview", appauthor=False),
        platformdirs.user_config_dir("afterview", appauthor=False),
        platformdirs.user_cache_dir("afterview", appauthor=False),
    )


def actual() -> tuple[str, str, str]:
    return (paths.user_data_dir(), paths.user_config_dir(), paths.user_cache_dir())


def test_with_xdg_folders_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in XDG:
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    assert actual() == expected()
    assert paths.user_data_dir() == str(tmp_path / "xdg_data_home" / "afterview")


def test_without_xdg_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in XDG:
        monkeypatch.delenv(var, raising=False)
    assert actual() == expected()
    if sys.platform.startswith("linux"):
        home = os.environ["HOME"]  # the test's own, see tests/conftest.py
        assert paths.user_config_dir() == os.path.join(home, ".config", "afterview")


@pytest.mark.parametrize("value", ["", "relative/folder"])
def test_empty_or_relative_xdg_folders_are_ignored(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in XDG:
        monkeypatch.setenv(var, value)
    assert actual() == expected()


def test_without_home(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in (*XDG, "HOME"):
        monkeypatch.delenv(var, raising=False)
    assert actual() == expected()


def test_with_xdg_folders_ending_in_a_slash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in XDG:
        monkeypatch.setenv(var, f"{tmp_path}/{var.lower()}/")
    assert actual() == expected()
