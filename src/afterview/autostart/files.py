"""The files that keep the worker running, made from their arguments only (pure, testable
on any system): a systemd user unit (Linux), a launchd agent (macOS), the command line of
a scheduled task (Windows).

Each runs `afterview run` (the long-running loop: it sends in the window to the minute,
reads the mailbox every few minutes and outlives its database) with the interpreter's
absolute path, and is told the database and the config file in use, so that it works on
the same data as the command that installed it.
"""

from __future__ import annotations

import plistlib
import subprocess
from typing import NamedTuple

UNIT_NAME = "afterview-worker.service"
AGENT_LABEL = "org.afterview.worker"
TASK_NAME = "afterview-worker"
#: Seconds before a worker that failed is started again (systemd, launchd).
RESTART_AFTER = 60


class Launch(NamedTuple):
    """What the service runs: `argv` (an absolute program first) and `env`, the variables
    it is given (`AFTERVIEW_DB`, `AFTERVIEW_CONFIG`)."""

    argv: tuple[str, ...]
    env: tuple[tuple[str, str], ...]


def check_text(value: str, what: str) -> str:
    """`value`, refused (ValueError) when it holds a line break or another control
    character: no service file can carry one safely."""
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError(f"{what}: a control character or a line break cannot be written")
    return value


# -- systemd ----------------------------------------------------------------------------------------
def _systemd_word(value: str, *, program: bool = False) -> str:
    """One word of `ExecStart=`, double-quoted: `\\` and `"` escaped, `%` (a specifier)
    doubled, and `$` (a variable) doubled but in the program's path, which systemd
    never expands."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")
    return '"' + (escaped if program else escaped.replace("$", "$$")) + '"'


def _systemd_env(name: str, value: str) -> str:
    """One `Environment=` assignment, quoted as a whole (no `$` expansion there)."""
    escaped = f"{name}={value}".replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("%", "%%") + '"'


def systemd_unit(launch: Launch) -> str:
    """The text of `~/.config/systemd/user/afterview-worker.service`."""
    for word in launch.argv:
        check_text(word, "command")
    lines = [
        "# Written by `afterview service install`; `afterview service uninstall` removes it.",
        "[Unit]",
        "Description=afterview worker: sends approved messages in their window, reads replies",
        "",
        "[Service]",
        "Type=simple",
        "ExecStart="
        + " ".join(_systemd_word(w, program=i == 0) for i, w in enumerate(launch.argv)),
    ]
    for name, value in launch.env:
        lines.append("Environment=" + _systemd_env(name, check_text(value, name)))
    lines += [
        "Restart=on-failure",
        f"RestartSec={RESTART_AFTER}",
        "",
        "[Install]",
        "WantedBy=default.target",
        "",
    ]
    return "\n".join(lines)


# -- launchd ----------------------------------------------------------------------------------------
def launchd_plist(launch: Launch, log_path: str) -> bytes:
    """The property list of `~/Library/LaunchAgents/org.afterview.worker.plist`: started at
    login, kept alive (started again `RESTART_AFTER` seconds after it ends), its output in
    `log_path`."""
    for word in launch.argv:
        check_text(word, "command")
    agent = {
        "Label": AGENT_LABEL,
        "ProgramArguments": list(launch.argv),
        "EnvironmentVariables": {name: check_text(v, name) for name, v in launch.env},
        "RunAtLoad": True,
        "KeepAlive": True,
        "ThrottleInterval": RESTART_AFTER,
        "ProcessType": "Background",
        "StandardOutPath": check_text(log_path, "log"),
        "StandardErrorPath": log_path,
    }
    return plistlib.dumps(agent, fmt=plistlib.FMT_XML, sort_keys=False)


# -- Windows ----------------------------------------------------------------------------------------
def windows_command(launch: Launch) -> str:
    """The command line the task runs (`schtasks /TR`), quoted by the rules Windows
    programs read their arguments with. A task has no environment of its own: the
    database goes as `--db=PATH` (before `run`); the config file as the user's
    `AFTERVIEW_CONFIG` (`setx`, see `windows_notes`)."""
    env = dict(launch.env)
    argv = list(launch.argv)
    if "AFTERVIEW_DB" in env:
        argv.insert(-1, "--db=" + env["AFTERVIEW_DB"])
    for word in argv:
        check_text(word, "command")
        if '"' in word:
            raise ValueError(f'command: {word!r}: a " cannot be passed to a scheduled task')
    return subprocess.list2cmdline(argv)


def schtasks_create(launch: Launch) -> list[str]:
    """The `schtasks` command that makes the task: at logon, as the user, replacing one
    made before (`/F`)."""
    command = windows_command(launch)
    if len(command) > 261:
        raise ValueError("command: longer than the 261 characters a scheduled task takes")
    return ["schtasks", "/Create", "/TN", TASK_NAME, "/SC", "ONLOGON", "/TR", command, "/F"]
