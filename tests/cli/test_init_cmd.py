"""`afterview init`: the first settings, given as options or asked on a real terminal
(a pseudo-terminal here), checked before anything is written."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from afterview.cli.main import load_cli
from tests.conftest import IsolatedEnv


def run(env: IsolatedEnv, *args: str) -> tuple[int, str, str]:
    argv = ["--db", str(env.db_file), "init", *args]
    r = CliRunner().invoke(load_cli(), argv, catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


def test_options_write_the_settings_and_a_second_run_changes_only_its_own(
    env_isolated: IsolatedEnv,
) -> None:
    code, out, _ = run(
        env_isolated, "--name", "Sam Rivera", "--email", "sam@example.org",
        "--timezone", "Europe/Paris", "--country", "FR", "--weekly-target", "8",
    )  # fmt: skip
    assert code == 0 and out.startswith(f"Settings written to {env_isolated.config_file}:")
    text = env_isolated.config_file.read_text(encoding="utf-8")
    assert text.startswith("# afterview settings")
    for line in ('name = "Sam Rivera"', 'email = "sam@example.org"', 'country = "FR"',
                 'timezone = "Europe/Paris"', "weekly_target = 8"):  # fmt: skip
        assert line in text
    with env_isolated.config_file.open("a", encoding="utf-8") as fh:
        fh.write("# my own note\n")
    assert run(env_isolated, "--weekly-target", "3")[0] == 0
    again = env_isolated.config_file.read_text(encoding="utf-8")
    assert "weekly_target = 3" in again and 'name = "Sam Rivera"' in again
    assert "# my own note" in again


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("--email", "bad"), "afterview: --email: expected one e-mail address"),
        (("--weekly-target", "0"), "afterview: --weekly-target: expected 1 to 1000, got 0"),
        (("--country", "ZZ"), "afterview: --country: no public holidays known for 'ZZ'"),
        (("--timezone", "Mars/X"), "afterview: --timezone: unknown timezone 'Mars/X'"),
        (("--name", "Sam\u202eevil"), "afterview: --name: "),
        (("--name", "Sam", "--email", "bad"), "afterview: --email: "),
    ],
)
def test_a_bad_value_writes_nothing(
    env_isolated: IsolatedEnv, args: tuple[str, ...], line: str
) -> None:
    code, out, err = run(env_isolated, *args)
    assert code == 2 and out == "" and err.startswith(line) and err.count("\n") == 1
    assert not env_isolated.config_file.exists()


def test_without_options_and_no_terminal_it_says_what_to_give(env_isolated: IsolatedEnv) -> None:
    code, _, err = run(env_isolated)
    assert code == 2 and "give at least one of --name" in err
    assert not env_isolated.config_file.exists()


def test_on_a_terminal_it_asks_each_question(env_isolated: IsolatedEnv, tmp_path: Path) -> None:
    """Through a real process whose standard input and output are a pseudo-terminal."""
    main, secondary = pty.openpty()
    env = {**os.environ, "TZ": "Asia/Tokyo"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "afterview", "--db", str(env_isolated.db_file), "init"],
        stdin=secondary, stdout=secondary, stderr=secondary, env=env, close_fds=True,
    )  # fmt: skip
    os.close(secondary)
    # the answers, one per question; the empty ones keep the default shown
    os.write(main, b"Sam Rivera\nsam@example.org\n\nFR\n\n")
    said = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.5)
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
    proc.wait(timeout=30)
    os.close(main)
    text = said.decode("utf-8", "replace")
    assert proc.returncode == 0, text
    assert "Your name" in text and "Your time zone [Asia/Tokyo]" in text
    assert "Applications you aim to send each week [5]" in text
    written = env_isolated.config_file.read_text(encoding="utf-8")
    assert 'timezone = "Asia/Tokyo"' in written and 'country = "FR"' in written
    assert 'name = "Sam Rivera"' in written and "weekly_target" not in written
