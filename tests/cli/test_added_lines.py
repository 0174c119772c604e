"""On a terminal, `add` and `log` name what they recorded (`Added interview 1: …`); to a
script (a pipe, a file) they print the bare id, as the porcelain contract says."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

NOW = "2026-09-15T21:10+02:00"


def _on_terminal(db: Path, env: dict[str, str], *args: str) -> str:
    """Run `afterview ARGS` in a real process whose standard output is a pseudo-terminal."""
    main, secondary = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "afterview", "--db", str(db), "--now", NOW, *args],
        stdin=subprocess.DEVNULL, stdout=secondary, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    os.close(secondary)
    said = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the process ended and closed the terminal
                break
            if not chunk:
                break
            said += chunk
        elif proc.poll() is not None:
            break
    _, err = proc.communicate(timeout=30)
    os.close(main)
    assert proc.returncode == 0, err
    return said.decode().replace("\r\n", "\n")


def test_adds_name_the_record_on_a_terminal_and_print_the_id_to_scripts(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('timezone = "Europe/Paris"\n')
    env = {**os.environ, "AFTERVIEW_CONFIG": str(config)}
    db = tmp_path / "a.db"
    said = _on_terminal(
        db, env, "interview", "add", "--company", "Acme", "--role", "Data Engineer",
        "--start", "2026-09-15T14:00", "--tz", "America/New_York",
        "--interviewer", "Ana Ruiz <ana@acme.test>",
    )  # fmt: skip
    assert said == (
        "Added interview 1: Acme · Data Engineer, today 20:00–21:00 (14:00–15:00 New York)\n"
    )
    said = _on_terminal(db, env, "application", "add", "--company", "Beta", "--role", "ML")
    assert said == "Added application 2: Beta · ML, applied Tue 15 Sep 2026\n"
    said = _on_terminal(db, env, "log", "1", "--sent", "--kind", "thank_you")
    assert said == "Logged message 1: thank-you sent, interview 1\n"

    piped = subprocess.run(
        [sys.executable, "-m", "afterview", "--db", str(db), "--now", NOW,
         "application", "add", "--company", "Gamma", "--role", "ML"],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    assert piped.stdout == "3\n" and piped.stderr == ""
