"""`afterview completion install`: the shell's completion script, written where that
shell loads it, without editing its start-up files.

bash (with bash-completion, on by default on Debian and Ubuntu) loads
`$XDG_DATA_HOME/bash-completion/completions/afterview` the first time `afterview` is
completed; fish loads `~/.config/fish/completions/afterview.fish`. zsh has no folder
of the user's that it reads by itself: the script goes to `~/.zfunc/_afterview`, and
when `.zshrc` does not name that folder, the line to add is returned for the command
to print. Writing again what is there already changes nothing.
"""

from __future__ import annotations

import os
from typing import NamedTuple

from afterview.errors import AfterviewError, BadInput
from afterview.paths import completion_script_path, zshrc_path
from afterview.textcheck import shown

SHELLS = ("bash", "zsh", "fish")
#: Where bash-completion's loader is found when it is installed (Debian, macOS brew).
BASH_COMPLETION = (
    "/usr/share/bash-completion/bash_completion",
    "/etc/bash_completion",
    "/opt/homebrew/etc/profile.d/bash_completion.sh",
    "/usr/local/etc/profile.d/bash_completion.sh",
)


class Installed(NamedTuple):
    """Where the script went, whether it changed, and what the user must still add to
    the shell's start-up file (none when the shell loads it by itself)."""

    shell: str
    path: str
    changed: bool
    add_to: str | None  # the start-up file to add `lines` to
    lines: tuple[str, ...]


def guess_shell(shell_variable: str | None) -> str:
    """The shell named by `$SHELL` (`/usr/bin/zsh` is zsh); `BadInput` when it is none of
    bash, zsh and fish."""
    name = os.path.basename((shell_variable or "").strip())
    if name in SHELLS:
        return name
    seen = f"$SHELL is {shown(name)}" if name else "$SHELL is not set"
    raise BadInput("shell", f"{seen}; give --shell bash, zsh or fish")


def install(shell: str, script: str) -> Installed:
    """Write `script` for `shell` where it loads (atomically; nothing when it is there
    already) and say what, if anything, the user must add to their start-up file."""
    if shell not in SHELLS:
        raise BadInput("shell", f"expected bash, zsh or fish, got {shown(shell)}")
    path = completion_script_path(shell)
    changed = _write_if_changed(path, script)
    add_to, lines = _activation(shell, path)
    return Installed(shell, path, changed, add_to, lines)


def _activation(shell: str, path: str) -> tuple[str | None, tuple[str, ...]]:
    home = os.path.expanduser("~")
    if shell == "zsh":
        rc = zshrc_path()
        text = _read(rc)
        if ".zfunc" in text:
            return None, ()
        lines = ["fpath=(~/.zfunc $fpath)"]
        if "compinit" not in text:
            lines.append("autoload -Uz compinit && compinit")
        return rc, tuple(lines)
    if shell == "bash" and not any(os.path.exists(p) for p in BASH_COMPLETION):
        rc = os.path.join(home, ".bashrc")
        if path in _read(rc):
            return None, ()
        return rc, (f"source {path}",)
    return None, ()


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError:
        return ""


def _write_if_changed(path: str, text: str) -> bool:
    try:
        with open(path, encoding="utf-8") as fh:
            if fh.read() == text:
                return False
    except (OSError, UnicodeDecodeError):
        pass
    from afterview.outfile import replace_text

    try:
        replace_text(path, text, 0o644)
    except OSError as exc:
        raise AfterviewError(f"completion: cannot write {path}: {exc.strerror}") from None
    return True
