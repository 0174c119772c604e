"""The system's side of the worker's service: where its file goes, and the commands that
load, start, query and remove it (systemctl --user, launchctl, schtasks). Thin: every
decision is in `services/worker_service.py`, every file's text in `autostart/files.py`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import NamedTuple

from afterview import paths
from afterview.autostart.files import AGENT_LABEL, TASK_NAME, UNIT_NAME

#: systemctl talking to the user's own service manager.
USER_SYSTEMCTL = ["systemctl", "--user"]
#: Seconds a system command may take.
TIMEOUT = 30


class Said(NamedTuple):
    """What a command did: its exit code and its first line of output (stderr first)."""

    code: int
    line: str


def platform() -> str:
    """ "linux", "macos" or "windows" (any other Unix is taken for Linux: systemd's rules)."""
    if sys.platform == "darwin":
        return "macos"
    if sys.platform == "win32":
        return "windows"
    return "linux"


def service_file(system: str) -> str | None:
    """Where the service's file goes (None on Windows: the task lives in the scheduler)."""
    if system == "linux":
        base = os.environ.get("XDG_CONFIG_HOME", "").strip()
        if not (base and os.path.isabs(base)):
            base = os.path.join(paths.user_home(), ".config")
        return os.path.join(base, "systemd", "user", UNIT_NAME)
    if system == "macos":
        return os.path.join(paths.user_home(), "Library", "LaunchAgents", f"{AGENT_LABEL}.plist")
    return None


def log_file() -> str:
    """Where launchd writes the worker's output (macOS)."""
    return os.path.join(paths.user_home(), "Library", "Logs", "afterview-worker.log")


def worker_log(system: str) -> tuple[str, bool]:
    """Where the installed worker's output goes, and whether that is a file: the journal on
    Linux (read with journalctl), a file on macOS; on Windows the task has no output."""
    if system == "linux":
        return f"journalctl --user -u {UNIT_NAME}", False
    if system == "macos":
        return log_file(), True
    return "none: the scheduled task runs without a console", False


def run(argv: list[str]) -> Said:
    """Run a system command; a program missing or too slow is said as its exit code 127."""
    if shutil.which(argv[0]) is None:
        return Said(127, f"{argv[0]} is not installed here")
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Said(127, f"{argv[0]} could not be run ({exc})")
    words = [ln.strip() for ln in (done.stderr + "\n" + done.stdout).splitlines() if ln.strip()]
    return Said(done.returncode, words[0] if words else "")


def systemctl(*args: str) -> Said:
    """`systemctl --user ARGS`."""
    return run([*USER_SYSTEMCTL, *args])


def user_manager_problem() -> str | None:
    """Why `systemctl --user` cannot be used here (no user bus: a container, ssh without
    lingering), or None when it can."""
    said = systemctl("show-environment")
    return None if said.code == 0 else (said.line or f"exit {said.code}")


def gui_domain() -> str:
    """launchd's domain of the user's login session."""
    return f"gui/{os.getuid()}" if hasattr(os, "getuid") else "gui/0"


def launchctl(*args: str) -> Said:
    """`launchctl ARGS`."""
    return run(["launchctl", *args])


def schtasks(*args: str) -> Said:
    """`schtasks ARGS`."""
    return run(["schtasks", *args])


def task_name() -> str:
    """The scheduled task's name."""
    return TASK_NAME


def enable_commands() -> list[list[str]]:
    """The commands that load the user unit and start it now and at every login."""
    return [[*USER_SYSTEMCTL, "daemon-reload"], [*USER_SYSTEMCTL, "enable", "--now", UNIT_NAME]]


def disable_commands() -> list[list[str]]:
    """The commands that stop the user unit and keep it from starting at login."""
    return [[*USER_SYSTEMCTL, "disable", "--now", UNIT_NAME]]
