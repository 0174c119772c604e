"""`afterview service install|status|uninstall`: the files it writes, checked by the tools
that read them (`systemd-analyze verify` for the unit, plistlib for the launchd agent, the
Windows argument rules for the task's command line), and the commands run for real on
Linux in a process of their own, with XDG_CONFIG_HOME in a temporary folder.

This container has no user session bus, so `systemctl --user` cannot be used: the test
then checks the one-line refusal (exit 1) and that the unit was written all the same.
Where `systemctl --user` works, the real install would start a service for the user
running the tests: that part is skipped there (the dry run is still checked).
"""

from __future__ import annotations

import os
import plistlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from afterview.autostart import files, system
from tests.cli.helpers import Afterview

ANALYZE = shutil.which("systemd-analyze")
ODD = "dir with space, 100%h and $HOME"  # %h: a specifier (the home folder) if not escaped


def _odd_python(tmp_path: Path) -> str:
    """This interpreter, reached through a folder whose name needs every escape."""
    folder = tmp_path / ODD
    folder.mkdir()
    link = folder / "python"
    link.symlink_to(sys.executable)
    return str(link)


def _verify(unit_text: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """`systemd-analyze verify` on the unit written into `folder` (system mode: the user
    mode needs a user manager this container does not have; the unit's syntax is one)."""
    assert ANALYZE is not None
    path = folder / files.UNIT_NAME
    path.write_text(unit_text, encoding="utf-8")
    return subprocess.run(
        [ANALYZE, "verify", str(path)], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed")
def test_the_unit_passes_systemd_analyze_verify_with_every_escape(tmp_path: Path) -> None:
    python = _odd_python(tmp_path)
    launch = files.Launch(
        (python, "-m", "afterview", "run"),
        (("AFTERVIEW_DB", f'/data/{ODD}/"quoted" \\ a.db'), ("AFTERVIEW_CONFIG", "/c/50%.toml")),
    )
    text = files.systemd_unit(launch)
    assert 'Environment="AFTERVIEW_CONFIG=/c/50%%.toml"' in text
    assert (
        'Environment="AFTERVIEW_DB=/data/dir with space, 100%%h and $HOME/\\"quoted\\" \\\\ a.db"'
        in text
    )
    assert "Restart=on-failure" in text and "WantedBy=default.target" in text
    units = tmp_path / "units"
    units.mkdir()
    done = _verify(text, units)
    assert done.returncode == 0, done.stderr
    # the check is real: the same unit with the program's path written bare does not pass
    quoted = '"' + text.split('ExecStart="', 1)[1].split('"', 1)[0] + '"'
    raw = text.replace(quoted, python)  # unquoted: the space splits it
    failed = _verify(raw, units)
    assert failed.returncode != 0 and "not executable" in failed.stderr
    # and with `%` not doubled, systemd reads `%h` as the home folder
    failed = _verify(text.replace("100%%h", "100%h"), units)
    assert failed.returncode != 0 and "not executable" in failed.stderr


def test_a_line_break_cannot_be_written_into_a_unit() -> None:
    launch = files.Launch(("/usr/bin/python3", "-m", "afterview", "run"),
                          (("AFTERVIEW_DB", "/x\n[Service]\nExecStartPre=/bin/rm"),))  # fmt: skip
    with pytest.raises(ValueError, match="AFTERVIEW_DB: a control character"):
        files.systemd_unit(launch)


def test_the_launchd_agent_reads_back(tmp_path: Path) -> None:
    launch = files.Launch(
        (f"/Users/sam/{ODD}/bin/python3", "-m", "afterview", "run"),
        (("AFTERVIEW_DB", "/Users/sam/<a & b>.db"), ("AFTERVIEW_CONFIG", "/c/50%.toml")),
    )
    agent = plistlib.loads(files.launchd_plist(launch, "/Users/sam/Library/Logs/w.log"))
    assert agent["Label"] == "org.afterview.worker"
    assert agent["ProgramArguments"] == list(launch.argv)
    assert agent["EnvironmentVariables"] == dict(launch.env)
    assert agent["KeepAlive"] is True and agent["RunAtLoad"] is True
    assert agent["StandardErrorPath"] == "/Users/sam/Library/Logs/w.log"


def _windows_argv(line: str) -> list[str]:
    """How a Windows program reads its command line (the C runtime's rules: quotes group,
    2n backslashes before a quote are n and the quote counts, 2n+1 give n and a quote)."""
    out: list[str] = []
    word, quoted, i, started = "", False, 0, False
    while i < len(line):
        c = line[i]
        if c == "\\":
            n = len(line[i:]) - len(line[i:].lstrip("\\"))
            if i + n < len(line) and line[i + n] == '"':
                word += "\\" * (n // 2)
                if n % 2:
                    word += '"'
                    i += n + 1
                else:
                    i += n
                started = True
                continue
            word += "\\" * n
            i += n
            started = True
            continue
        if c == '"':
            quoted = not quoted
            started = True
        elif c in " \t" and not quoted:
            if started:
                out.append(word)
            word, started = "", False
        else:
            word += c
            started = True
        i += 1
    if started:
        out.append(word)
    return out


@pytest.mark.parametrize(
    "python",
    [
        "C:\\Program Files\\Python313\\pythonw.exe",
        "C:\\Users\\Sam O'Neil\\AppData\\Local\\pipx\\venvs\\afterview\\Scripts\\pythonw.exe",
        "C:\\Tools\\py\\pythonw.exe",
    ],
)
def test_the_scheduled_task_quotes_its_command_line(python: str) -> None:
    db = "C:\\Users\\Sam\\My Data 100%\\trailing\\"
    launch = files.Launch((python, "-m", "afterview", "run"), (("AFTERVIEW_DB", db),))
    create = files.schtasks_create(launch)
    assert create[:7] == ["schtasks", "/Create", "/TN", "afterview-worker", "/SC", "ONLOGON", "/TR"]
    assert create[-1] == "/F"
    # the task's program reads back the very arguments, the database before `run`
    assert _windows_argv(create[7]) == [python, "-m", "afterview", f"--db={db}", "run"]
    with pytest.raises(ValueError, match='a " cannot'):
        files.windows_command(files.Launch(('C:\\a"b\\python.exe', "run"), ()))


# -- the commands, in a process of their own ---------------------------------------------------------
def _afterview(tmp_path: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "afterview", *args], capture_output=True, text=True,
        env=env, cwd=tmp_path, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.skipif(system.platform() != "linux", reason="the Linux service (systemd)")
def test_install_status_uninstall_on_linux(av: Afterview, db_url: str, tmp_path: Path) -> None:
    config_home = tmp_path / "config home with space"
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(config_home),
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
    }
    unit = config_home / "systemd" / "user" / files.UNIT_NAME
    dry = _afterview(tmp_path, "service", "install", "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith(f"would write {unit}:\n")
    assert f'ExecStart="{sys.executable}" "-m" "afterview" "run"' in dry.stdout
    assert "would run: systemctl --user enable --now afterview-worker.service" in dry.stdout
    assert not unit.exists()

    usable = system.user_manager_problem() is None
    if usable:
        pytest.skip("systemctl --user works here: installing would start a real service")
    done = _afterview(tmp_path, "service", "install", env=env)
    assert done.returncode == 1 and done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith(f"afterview: wrote {unit}, but systemctl --user cannot be used here (")
    assert "systemctl --user daemon-reload && systemctl --user enable --now " in line
    shown_before = dry.stdout.split(":\n", 1)[1].split("\nwould run: ", 1)[0]
    assert unit.read_text(encoding="utf-8").rstrip("\n") == shown_before  # as the dry run said
    assert unit.stat().st_mode & 0o777 == 0o600  # it may name a database URL's password
    assert f'Environment="AFTERVIEW_DB={db_url.replace("%", "%%")}"' in unit.read_text()
    if ANALYZE is not None:
        checked = subprocess.run([ANALYZE, "verify", str(unit)], capture_output=True, text=True,
                                 timeout=60, check=False)  # fmt: skip
        assert checked.returncode == 0, checked.stderr

    av.ok("run", "--once", now="2026-09-15T17:05")
    shown = _afterview(tmp_path, "--now", "2026-09-15T17:09", "service", "status", env=env)
    assert shown.returncode == 0, shown.stderr
    head = shown.stdout.splitlines()
    assert head[0] == f"service    installed: {unit}"
    assert head[1].startswith("state      unknown: systemctl --user cannot be used here (")
    assert "last pass  today 17:05 (4 min ago): ok" in shown.stdout
    assert "worker     running" in shown.stdout

    gone = _afterview(tmp_path, "service", "uninstall", env=env)
    assert gone.returncode == 0, gone.stderr
    assert gone.stdout.splitlines()[-1] == f"removed {unit}" and not unit.exists()
    again = _afterview(
        tmp_path, "--now", "2026-09-15T17:30", "service", "status", "--json", env=env
    )
    assert '"installed": false' in again.stdout and '"worker_running": false' in again.stdout


@pytest.mark.parametrize("where", ["macos", "windows"])
def test_the_plan_on_the_other_systems(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What install would write and run on macOS and Windows, planned here: the system's
    name is the one thing replaced (no launchctl or schtasks can run in this container)."""
    from afterview.services import worker_service

    monkeypatch.setattr(system, "platform", lambda: where)
    config = tmp_path / "elsewhere" / "config.toml"
    plan = worker_service.install_plan(str(tmp_path / "a.db"), str(config))
    if where == "macos":
        home = os.environ["HOME"]
        assert plan.path == f"{home}/Library/LaunchAgents/org.afterview.worker.plist"
        agent = plistlib.loads(plan.content.encode())
        assert agent["ProgramArguments"][1:] == ["-m", "afterview", "run"]
        assert agent["EnvironmentVariables"]["AFTERVIEW_CONFIG"] == str(config)
        assert plan.commands[-1] == ["launchctl", "bootstrap", f"gui/{os.getuid()}", plan.path]
        assert plan.notes == []
    else:
        assert plan.path is None and plan.commands[0][:2] == ["schtasks", "/Create"]
        assert _windows_argv(plan.content)[-2:] == [f"--db={tmp_path / 'a.db'}", "run"]
        [note] = plan.notes  # a task has no environment: the config's place is set once
        assert note.endswith(f'setx AFTERVIEW_CONFIG "{config}"')


def test_the_dry_run_warns_of_a_password_only_in_this_shell(
    av: Afterview, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service does not see this shell's environment: the dry run says so too, before
    anything is installed."""
    av.ok(
        "mail", "setup", "--smtp-host", "127.0.0.1", "--smtp-security", "none",
        "--smtp-user", "sam@example.org", "--from", "sam@example.org", now="2026-09-15T17:00",
    )  # fmt: skip
    monkeypatch.setenv("AFTERVIEW_SMTP_PASSWORD", "only-here")
    r = av.ok("service", "install", "--dry-run", now="2026-09-15T17:00")
    assert (
        "the SMTP password is only in this shell's environment (AFTERVIEW_SMTP_PASSWORD), "
        "which the service does not see"
    ) in r.err
    assert "only-here" not in r.out + r.err
