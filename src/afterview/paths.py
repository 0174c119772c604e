"""Where afterview keeps its files, after each platform's conventions.

This follows the XDG base directories on Linux and the usual folders on macOS
and Windows (the same answers as platformdirs' `user_data_dir` and
`user_config_dir`, which a test checks) without its import cost at start-up.
"""

from __future__ import annotations

import os
import sys

APP = "afterview"


def env_setting(name: str) -> str | None:
    """The value of an `AFTERVIEW_…` variable, None when it is not set.

    Set but empty (a script's unset variable: `AFTERVIEW_DB="$DB"`) is refused rather
    than taken for "not set", which would quietly mean the default database or clock.
    """
    value = os.environ.get(name)
    if value is None:
        return None
    if not value.strip():
        from afterview.errors import BadInput

        raise BadInput(name, "is set but empty; give it a value, or unset it for the default")
    return value


def _home() -> str:
    """The user's home: $HOME when it is an absolute path, else the account's own."""
    home = os.environ.get("HOME", "")
    if home and os.path.isabs(home):
        return home
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_dir
    except (ImportError, KeyError, AttributeError):  # no pwd on Windows
        return os.path.expanduser("~")


def user_home() -> str:
    """The user's home folder."""
    return _home()


def _xdg(var: str, default: str) -> str:
    value = os.environ.get(var, "").strip()
    if value and os.path.isabs(value):
        return value
    return os.path.join(_home(), default)


def user_data_dir() -> str:
    """Return the directory for the database."""
    if sys.platform == "darwin":
        return os.path.join(_home(), "Library", "Application Support", APP)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(_home(), "AppData", "Local")
        return os.path.join(base, APP, APP)
    return os.path.join(_xdg("XDG_DATA_HOME", ".local/share"), APP)


def user_config_dir() -> str:
    """Return the directory of `config.toml` and the user's own draft templates."""
    if sys.platform == "darwin":
        return os.path.join(_home(), "Library", "Application Support", APP)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(_home(), "AppData", "Local")
        return os.path.join(base, APP, APP)
    return os.path.join(_xdg("XDG_CONFIG_HOME", ".config"), APP)


def user_cache_dir() -> str:
    """Return the directory for caches (public holidays)."""
    if sys.platform == "darwin":
        return os.path.join(_home(), "Library", "Caches", APP)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(_home(), "AppData", "Local")
        return os.path.join(base, APP, APP, "Cache")
    return os.path.join(_xdg("XDG_CACHE_HOME", ".cache"), APP)


def completion_script_path(shell: str) -> str:
    """Where `afterview completion install` puts the script for `shell` (bash, zsh, fish):
    where bash-completion and fish load it by themselves; for zsh, which has no such
    folder, `~/.zfunc/_afterview` (a folder the user puts on `fpath`)."""
    if shell == "bash":
        return os.path.join(
            _xdg("XDG_DATA_HOME", ".local/share"), "bash-completion", "completions", APP
        )
    if shell == "fish":
        return os.path.join(
            _xdg("XDG_CONFIG_HOME", ".config"), "fish", "completions", f"{APP}.fish"
        )
    if shell == "zsh":
        return os.path.join(_home(), ".zfunc", f"_{APP}")
    raise ValueError(f"shell: expected bash, zsh or fish, got {shell!r}")


def zshrc_path() -> str:
    """The zsh start-up file (`$ZDOTDIR/.zshrc`, else `~/.zshrc`)."""
    folder = os.environ.get("ZDOTDIR", "").strip()
    return os.path.join(folder if os.path.isabs(folder) else _home(), ".zshrc")
