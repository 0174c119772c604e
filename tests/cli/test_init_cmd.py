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


class Terminal:
    """`afterview init` in a real process whose standard input and output are a
    pseudo-terminal: answers are typed into it, what it says is read back."""

    def __init__(self, env_isolated: IsolatedEnv) -> None:
        self.main, secondary = pty.openpty()
        env = {**os.environ, "TZ": "Asia/Tokyo"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "afterview", "--db", str(env_isolated.db_file), "init"],
            stdin=secondary, stdout=secondary, stderr=secondary, env=env, close_fds=True,
        )  # fmt: skip
        os.close(secondary)
        self.said = b""

    def type(self, answers: str) -> None:
        os.write(self.main, answers.encode("utf-8"))

    def read_until(self, text: str | None, seconds: float = 60) -> str:
        """Read what it says until `text` appears (None: until it ends)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if text is not None and text.encode("utf-8") in self.said:
                break
            ready, _, _ = select.select([self.main], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(self.main, 4096)
                except OSError:  # the process ended and closed the terminal
                    break
                if not chunk:
                    break
                self.said += chunk
            elif self.proc.poll() is not None:
                break
        return self.said.decode("utf-8", "replace")

    def end(self) -> tuple[int, str]:
        text = self.read_until(None)
        self.proc.wait(timeout=30)
        os.close(self.main)
        return self.proc.returncode, text


def test_on_a_terminal_it_asks_each_question(env_isolated: IsolatedEnv, tmp_path: Path) -> None:
    term = Terminal(env_isolated)
    # the answers, one per question; the empty ones keep the default shown
    term.type("Sam Rivera\nsam@example.org\n\nFR\n\n")
    code, text = term.end()
    assert code == 0, text
    assert "Your name" in text and "Your time zone [Asia/Tokyo]" in text
    assert "Applications you aim to send each week [5]" in text
    written = env_isolated.config_file.read_text(encoding="utf-8")
    assert 'timezone = "Asia/Tokyo"' in written and 'country = "FR"' in written
    assert 'name = "Sam Rivera"' in written and "weekly_target" not in written


def test_on_a_terminal_a_bad_answer_is_said_and_asked_again(env_isolated: IsolatedEnv) -> None:
    """Each answer is checked as it is given, nothing written until the last one."""
    term = Terminal(env_isolated)
    term.type("Sam Rivera\nbad\nsam@example.org\nMars/X\n")
    text = term.read_until("That is not a time zone afterview knows: 'Mars/X'")
    # still asking: the refused zone is said, and nothing is written meanwhile
    term.read_until("Your time zone [Asia/Tokyo]", seconds=10)
    assert not env_isolated.config_file.exists(), text
    term.type("paris\nEurope/Paris\nZZ\nFR\n0\n8\n")
    code, text = term.end()
    assert code == 0, text
    # each refusal is one line of its own (the terminal ends lines with CR LF)
    for said in (
        "That is not an e-mail address afterview can use: expected one e-mail address",
        "That is not a time zone afterview knows: 'Mars/X'; give one like Europe/Paris "
        "or America/New_York.\r\n",
        "That is not a time zone afterview knows: 'paris'; did you mean Europe/Paris?\r\n",
        "That is not a country afterview knows public holidays for: ",
        "That is not a weekly target afterview can use: expected 1 to 1000, got 0.\r\n",
    ):
        assert said in text, text
    assert text.count("Your e-mail address") == 2 and text.count("Your time zone") == 3
    assert text.count("Your country") == 2 and text.count("Applications you aim") == 2
    asked = text.split("Settings written to")[0]
    assert "Settings written to" in text and "--" not in asked  # no option named
    written = env_isolated.config_file.read_text(encoding="utf-8")
    for line in ('name = "Sam Rivera"', 'email = "sam@example.org"', 'country = "FR"',
                 'timezone = "Europe/Paris"', "weekly_target = 8"):  # fmt: skip
        assert line in written
    assert "Mars" not in written and "ZZ" not in written
    # written once: a second write would have kept the first file as .bak
    assert not env_isolated.config_file.with_name("config.toml.bak").exists()
