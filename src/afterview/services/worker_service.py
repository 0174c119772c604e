"""`afterview service install|status|uninstall`: keep the worker running for the user.

Linux: a systemd user unit (`~/.config/systemd/user/afterview-worker.service`), then
`systemctl --user daemon-reload` and `enable --now`. macOS: a launchd agent
(`~/Library/LaunchAgents/org.afterview.worker.plist`), then `launchctl bootstrap`.
Windows: a scheduled task at logon (`schtasks /Create /SC ONLOGON`). Each runs
`afterview run` (the loop) on the database and config file in use.

When `systemctl --user` cannot be used (no user bus: a container, ssh without
lingering), install writes the unit all the same and refuses (exit 1) in one line with
the commands to run in a login session: the file is ready, the worker is not running.

No timer variant (`run --once` every few minutes): the loop already sends in the window
to the minute, outlives a database that restarts and is started again by the service
manager when it fails; a timer would send up to its period late and give `status` two
shapes to explain.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import NamedTuple

from afterview import paths
from afterview.autostart import files, system
from afterview.errors import BadInput, Refused
from afterview.store.worker_runs import WorkerRun


class Plan(NamedTuple):
    """What install does: the file it writes (`path`, None on Windows) with `content`,
    then the `commands` it runs; `notes`: what the user should know (one line each)."""

    system: str
    path: str | None
    content: str
    commands: list[list[str]]
    notes: list[str]


class Status(NamedTuple):
    """Installed or not, running or not (`state`: what the service manager says, or why
    it cannot be asked), and the account's last worker pass on this database."""

    system: str
    path: str | None
    installed: bool
    state: str
    last: WorkerRun | None
    worker_running: bool


def launch(db_target: str, config: str) -> files.Launch:
    """What the service runs: this interpreter's `afterview run`, on `db_target` and
    `config` (made absolute: the service starts in another folder)."""
    python = os.path.abspath(sys.executable or "")
    if not sys.executable or not os.path.isfile(python):
        raise Refused("the Python interpreter running afterview cannot be found by its path")
    if system.platform() == "windows":  # no console window at each logon
        quiet = os.path.join(os.path.dirname(python), "pythonw.exe")
        python = quiet if os.path.isfile(quiet) else python
    db = db_target if "://" in db_target else os.path.abspath(db_target)
    return files.Launch(
        (python, "-m", "afterview", "run"),
        (("AFTERVIEW_DB", db), ("AFTERVIEW_CONFIG", os.path.abspath(config))),
    )


def install_plan(db_target: str, config: str) -> Plan:
    """What `service install` writes and runs on this system (`config`: the config file
    in use)."""
    how = launch(db_target, config)
    where = system.platform()
    try:
        if where == "linux":
            path = system.service_file(where)
            return Plan(where, path, files.systemd_unit(how), system.enable_commands(), [])
        if where == "macos":
            path = system.service_file(where)
            text = files.launchd_plist(how, system.log_file()).decode("utf-8")
            domain = system.gui_domain()
            commands = [
                ["launchctl", "bootout", f"{domain}/{files.AGENT_LABEL}"],
                ["launchctl", "bootstrap", domain, str(path)],
            ]
            return Plan(where, path, text, commands, [])
        create = files.schtasks_create(how)
    except ValueError as exc:
        raise BadInput("path", str(exc)) from None
    notes = []
    default_config = os.path.join(paths.user_config_dir(), "config.toml")
    if os.path.abspath(config) != os.path.abspath(default_config):
        notes.append(
            "a scheduled task has no environment of its own: for it to read your config "
            f'file, run once: setx AFTERVIEW_CONFIG "{os.path.abspath(config)}"'
        )
    return Plan(where, None, create[-2], [create], notes)


def _write(path: str, content: str) -> None:
    """Write the service's file atomically, readable by the user only (it may name a
    database URL with its password)."""
    from afterview.outfile import replace_text

    try:
        replace_text(path, content, 0o600)
    except OSError as exc:
        raise BadInput("path", f"cannot write {path} ({exc.strerror})") from None


def install(plan: Plan) -> list[str]:
    """Write the file and run the commands; return what was done, one line each. Raise
    `Refused` when the service manager cannot be used or refuses (the file is kept)."""
    done = []
    if plan.path is not None:
        _write(plan.path, plan.content)
        done.append(f"wrote {plan.path}")
    if plan.system == "linux":
        problem = system.user_manager_problem()
        if problem is not None:
            raise Refused(
                f"wrote {plan.path}, but systemctl --user cannot be used here ({problem}); "
                "in a login session run: systemctl --user daemon-reload && systemctl --user "
                f"enable --now {files.UNIT_NAME} (and `loginctl enable-linger` to keep it "
                "running while you are logged out)"
            )
    for i, argv in enumerate(plan.commands):
        said = system.run(argv)
        bootout = plan.system == "macos" and i == 0  # not loaded yet: nothing to unload
        if said.code != 0 and not bootout:
            raise Refused(f"{' '.join(argv[:3])} failed ({said.line or f'exit {said.code}'})")
        if not bootout:
            done.append("ran " + " ".join(argv))
    return done


def _state(where: str, installed: bool) -> str:
    """What the service manager says of the worker's service."""
    if where == "linux":
        problem = system.user_manager_problem()
        if problem is not None:
            return f"unknown: systemctl --user cannot be used here ({problem})"
        said = system.systemctl("is-active", files.UNIT_NAME)
        return said.line or ("active" if said.code == 0 else "inactive")
    if where == "macos":
        said = system.launchctl("print", f"{system.gui_domain()}/{files.AGENT_LABEL}")
        if said.code != 0:
            return "not loaded"
        return "loaded"
    said = system.schtasks("/Query", "/TN", files.TASK_NAME)
    return "scheduled at logon" if said.code == 0 else "not scheduled"


def status(last: WorkerRun | None, running: bool) -> Status:
    """Installed or not, what the service manager says, and the last pass (given)."""
    where = system.platform()
    path = system.service_file(where)
    if path is not None:
        installed = os.path.isfile(path)
    else:
        installed = system.schtasks("/Query", "/TN", files.TASK_NAME).code == 0
    return Status(where, path, installed, _state(where, installed), last, running)


def uninstall_plan() -> Plan:
    """What `service uninstall` runs and removes on this system."""
    where = system.platform()
    path = system.service_file(where)
    if where == "linux":
        return Plan(where, path, "", system.disable_commands(), [])
    if where == "macos":
        target = f"{system.gui_domain()}/{files.AGENT_LABEL}"
        return Plan(where, path, "", [["launchctl", "bootout", target]], [])
    return Plan(where, None, "", [["schtasks", "/Delete", "/TN", files.TASK_NAME, "/F"]], [])


def uninstall(plan: Plan) -> list[str]:
    """Stop and disable the service, remove its file; return what was done (a service
    manager that cannot be asked is said, and the file removed all the same)."""
    done = []
    if plan.path is not None and not os.path.exists(plan.path):
        return [f"not installed: {plan.path} does not exist"]
    problem = system.user_manager_problem() if plan.system == "linux" else None
    if problem is not None:
        done.append(
            f"systemctl --user cannot be used here ({problem}): if the worker runs in "
            f"another session, stop it there with systemctl --user disable --now "
            f"{files.UNIT_NAME}"
        )
    else:
        for argv in plan.commands:
            said = system.run(argv)
            if said.code == 0:
                done.append("ran " + " ".join(argv))
            elif plan.system == "windows":
                raise Refused(f"schtasks /Delete failed ({said.line or f'exit {said.code}'})")
    if plan.path is not None:
        with contextlib.suppress(FileNotFoundError):
            os.remove(plan.path)
        done.append(f"removed {plan.path}")
        if plan.system == "linux" and problem is None:
            system.systemctl("daemon-reload")
    return done


@contextlib.contextmanager
def _without(names: list[str]) -> Iterator[None]:
    """The block runs without the environment variables `names` (put back after)."""
    kept = {n: os.environ.pop(n) for n in names if n in os.environ}
    try:
        yield
    finally:
        os.environ.update(kept)


def passwords_only_here(ctx: object) -> list[str]:
    """The mail passwords this shell finds only in its environment (`AFTERVIEW_SMTP_PASSWORD`,
    …): a service does not see that environment, so its worker would find none. One line
    each, with where to keep them instead."""
    from afterview.mail.secrets import ENV
    from afterview.services import worker_status
    from afterview.services.context import Context

    assert isinstance(ctx, Context)
    here = {g.what for g in worker_status.password_gaps(ctx)}
    with _without(list(ENV.values())):
        elsewhere = worker_status.password_gaps(ctx)
    lines = []
    for gap in elsewhere:
        kind = gap.what.split("_")[0]
        if gap.what in here or kind not in ENV:  # an OAuth2 sign-in needs no environment
            continue
        lines.append(
            f"the {kind.upper()} password is only in this shell's environment ({ENV[kind]}), "
            "which the service does not see: keep it where the worker finds it with "
            f"`afterview mail setup ... --{kind}-password-stdin`"
        )
    return lines
