"""`afterview config edit` with a real editor process (`EDITOR` is a small Python script
that writes good or bad content): the file is created from `config show`'s template,
checked when the editor exits, and a file that no longer reads is put back (without a
terminal) or offered to the editor again (on a terminal, driven through a real pty); a file that was already broken keeps the good
`.bak` and is left as the user wrote it."""

from __future__ import annotations

import os
import pty
import select
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import IsolatedEnv

#: An editor: replaces the text given as argv[1] by argv[2] (or appends argv[2] when
#: argv[1] is empty), counting its runs in the file named by EDIT_COUNT, if set; with
#: several pairs separated by `--next`, run N uses the Nth pair.
_EDITOR = r"""
import os, sys
args = sys.argv[1:-1]
path = sys.argv[-1]
pairs = [p.split("\x00") for p in "\x00".join(args).split("\x00--next\x00")]
count_file = os.environ.get("EDIT_COUNT")
n = 0
if count_file:
    n = int(open(count_file).read() or 0) if os.path.exists(count_file) else 0
    open(count_file, "w").write(str(n + 1))
old, new = pairs[min(n, len(pairs) - 1)]
text = open(path, encoding="utf-8").read()
text = text.replace(old, new) if old else text + new
open(path, "w", encoding="utf-8").write(text)
"""


@pytest.fixture
def editor(tmp_path: Path) -> Path:
    script = tmp_path / "edit.py"
    script.write_text(_EDITOR)
    return script


def _editor_command(script: Path, *pairs: tuple[str, str]) -> str:
    words: list[str] = [sys.executable, str(script)]
    for i, (old, new) in enumerate(pairs):
        if i:
            words.append("--next")
        words += [old, new]
    return shlex.join(words)


def edit(
    script: Path, *pairs: tuple[str, str], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `afterview config edit` (no terminal) with an editor making these changes."""
    run_env = dict(os.environ, EDITOR=_editor_command(script, *pairs), **(env or {}))
    run_env.pop("VISUAL", None)
    return subprocess.run(
        [sys.executable, "-m", "afterview", "config", "edit"],
        capture_output=True,
        text=True,
        env=run_env,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )


def test_a_missing_file_starts_from_config_shows_template(
    env_isolated: IsolatedEnv, editor: Path
) -> None:
    config = env_isolated.config_file
    r = edit(editor, ('# name = ""  # not set', 'name = "Ada Lovelace"'))
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert r.stdout == f"Wrote {config} (checked: it reads)\n"
    text = config.read_text(encoding="utf-8")
    assert text.startswith("# afterview settings (afterview config edit).")
    assert 'name = "Ada Lovelace"' in text and '# email = ""  # not set' in text
    assert "\n[playbook]\n" in text and "\n[history]\n" in text
    assert "\n# timezone = " in text  # the system's zone stays a comment
    assert config.stat().st_mode & 0o777 == 0o600
    assert not config.with_name("config.toml.bak").exists()
    shown = subprocess.run(
        [sys.executable, "-m", "afterview", "config", "get", "me.name"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout == "Ada Lovelace\n"


def test_a_good_edit_keeps_the_previous_file_as_bak(
    env_isolated: IsolatedEnv, editor: Path
) -> None:
    config = env_isolated.config_file
    config.parent.mkdir(parents=True)
    before = '# mine\ntimezone = "Europe/Paris"\n\n[me]\nname = "Sam"\n'
    config.write_text(before, encoding="utf-8")
    config.chmod(0o640)
    r = edit(editor, ("", 'email = "sam@example.org"\n'))
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"Saved {config} (checked: it reads; the previous version is {config}.bak)\n"
    assert config.read_text(encoding="utf-8") == before + 'email = "sam@example.org"\n'
    assert config.with_name("config.toml.bak").read_text(encoding="utf-8") == before
    assert config.stat().st_mode & 0o777 == 0o640
    # an editor that changes nothing
    r = edit(editor, ("no such text", "x"))
    assert r.returncode == 0 and r.stdout == f"{config}: unchanged\n"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('name = "Sam"', 'name = "Sam"\nemail = "not an address"'),
            "config me.email: expected one e-mail address like name@example.org, got "
            "'not an address' (in {path}, line 6)",
        ),
        (
            ('name = "Sam"', 'name = "Sam'),
            "config: {path} is not valid TOML (Illegal character '\\n' (at line 5, column 12))",
        ),
        (
            ('timezone = "Europe/Paris"', 'timezone = "Europe/Paris"\ncountry = "ZZ"'),
            "config country: no public holidays known for 'ZZ'; use an ISO code like 'FR' "
            "(in {path}, line 3)",
        ),
        (
            ('name = "Sam"', 'name = "Sam"\n[history]\nkeep_days = "x"'),
            "config history.keep_days: expected 1 to 3650 days, got 'x' (in {path}, line 7)",
        ),
    ],
)
def test_a_file_that_no_longer_reads_is_put_back_without_a_terminal(
    env_isolated: IsolatedEnv, editor: Path, change: tuple[str, str], message: str
) -> None:
    config = env_isolated.config_file
    config.parent.mkdir(parents=True)
    before = '# mine\ntimezone = "Europe/Paris"\n\n[me]\nname = "Sam"\n'
    config.write_text(before, encoding="utf-8")
    r = edit(editor, change)
    rejected = config.with_name("config.toml.rejected")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == (
        f"afterview: {message.format(path=config)}; the previous version is back, "
        f"yours is in {rejected}\n"
    )
    assert config.read_text(encoding="utf-8") == before
    assert rejected.read_text(encoding="utf-8") == before.replace(*change)
    assert rejected.stat().st_mode & 0o777 == 0o600
    # every command still runs
    ok = subprocess.run(
        [sys.executable, "-m", "afterview", "config", "get", "me.name"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0 and ok.stdout == "Sam\n"


def test_a_new_file_that_does_not_read_is_not_left(env_isolated: IsolatedEnv, editor: Path) -> None:
    r = edit(editor, ("", "\n[me\n"))
    assert r.returncode == 2 and "no file kept" in r.stderr and r.stderr.count("\n") == 1
    assert not env_isolated.config_file.exists()
    assert env_isolated.config_file.with_name("config.toml.rejected").exists()


def test_an_editor_that_fails_is_one_line(env_isolated: IsolatedEnv, tmp_path: Path) -> None:
    run_env = dict(os.environ, EDITOR="false")
    run_env.pop("VISUAL", None)
    r = subprocess.run(
        [sys.executable, "-m", "afterview", "config", "edit"],
        capture_output=True,
        text=True,
        env=run_env,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    config = env_isolated.config_file
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr == (
        f"afterview: config edit: the editor failed (false: Editing failed; set $VISUAL or "
        f"$EDITOR); {config} still reads\n"
    )
    assert config.exists()  # the template it was to edit: it reads


def _converse(argv: list[str], env: dict[str, str], answers: dict[str, str]) -> tuple[int, str]:
    """Run `argv` on a real pseudo-terminal, answering each prompt seen (text -> reply);
    return the exit code and everything the terminal showed."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: exec the command on the terminal
        os.execvpe(argv[0], argv, env)
    shown = b""
    answered = dict.fromkeys(answers, 0)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
        text = shown.decode("utf-8", errors="replace")
        for prompt, reply in answers.items():
            if text.count(prompt) > answered[prompt]:  # a prompt not answered yet
                answered[prompt] += 1
                os.write(fd, reply.encode())
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), shown.decode("utf-8", errors="replace")


def test_on_a_terminal_it_offers_the_editor_again(
    env_isolated: IsolatedEnv, editor: Path, tmp_path: Path
) -> None:
    config = env_isolated.config_file
    config.parent.mkdir(parents=True)
    before = '[me]\nname = "Sam"\n'
    config.write_text(before, encoding="utf-8")
    env = dict(
        os.environ,
        EDITOR=_editor_command(
            editor, ('name = "Sam"', "name = 3"), ("name = 3", 'name = "Sam Rivera"')
        ),
        EDIT_COUNT=str(tmp_path / "count"),
    )
    env.pop("VISUAL", None)
    code, shown = _converse(
        [sys.executable, "-m", "afterview", "config", "edit"], env, {"Edit it again?": "y\n"}
    )
    assert code == 0, shown
    assert f"afterview: config me.name: expected non-empty text (in {config}, line 2)" in shown
    assert "Edit it again? [Y/n]" in shown
    assert f"Saved {config}" in shown
    assert (tmp_path / "count").read_text() == "2"
    assert config.read_text(encoding="utf-8") == '[me]\nname = "Sam Rivera"\n'


def test_on_a_terminal_saying_no_puts_the_previous_version_back(
    env_isolated: IsolatedEnv, editor: Path
) -> None:
    config = env_isolated.config_file
    config.parent.mkdir(parents=True)
    config.write_text('[me]\nname = "Sam"\n', encoding="utf-8")
    env = dict(os.environ, EDITOR=_editor_command(editor, ('name = "Sam"', "name = 3")))
    env.pop("VISUAL", None)
    code, shown = _converse(
        [sys.executable, "-m", "afterview", "config", "edit"], env, {"Edit it again?": "n\n"}
    )
    assert code == 2, shown
    assert "the previous version is back" in shown
    assert config.read_text(encoding="utf-8") == '[me]\nname = "Sam"\n'


def _afterview(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "afterview", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )


GOOD = '# mine\ntimezone = "Europe/Paris"\n\n[me]\nname = "Sam"\n'
BROKEN = '# mine\ntimezone = "Europe/Paris"\n\n[me\nname = "Sam"\n'
NOT_TOML = (
    "is not valid TOML (Expected ']' at the end of a table declaration (at line 4, column 4))"
)


def _broken_by_hand(config: Path, editor: Path) -> Path:
    """A file edited well once (so `.bak` holds a version that reads), then broken by
    hand; return the `.bak`."""
    config.parent.mkdir(parents=True)
    config.write_text(GOOD, encoding="utf-8")
    assert edit(editor, ("", 'email = "sam@example.org"\n')).returncode == 0
    backup = config.with_name("config.toml.bak")
    assert backup.read_text(encoding="utf-8") == GOOD
    config.write_text(BROKEN, encoding="utf-8")
    return backup


def test_a_file_broken_by_hand_keeps_the_good_backup_and_the_users_text(
    env_isolated: IsolatedEnv, editor: Path
) -> None:
    config = env_isolated.config_file
    backup = _broken_by_hand(config, editor)
    r = edit(editor, ("no such text", "x"))  # the editor closes without a change
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.splitlines() == [
        f"afterview: config: {config} {NOT_TOML}; it does not read now: the editor opens to fix it",
        f"afterview: config: {config} {NOT_TOML}; it did not read before the editor either, "
        f"so your text stays in {config}; the last good version is {backup}",
    ]
    assert config.read_text(encoding="utf-8") == BROKEN  # nothing "put back"
    assert backup.read_text(encoding="utf-8") == GOOD  # the good backup is still there
    assert not config.with_name("config.toml.rejected").exists()


def test_a_file_broken_by_hand_and_fixed_in_the_editor_is_saved(
    env_isolated: IsolatedEnv, editor: Path
) -> None:
    config = env_isolated.config_file
    backup = _broken_by_hand(config, editor)
    r = edit(editor, ("[me\n", "[me]\n"))
    assert r.returncode == 0
    assert r.stderr == (
        f"afterview: config: {config} {NOT_TOML}; it does not read now: the editor opens "
        "to fix it\n"
    )
    assert r.stdout == f"Saved {config} (checked: it reads again; {backup} is as it was)\n"
    assert config.read_text(encoding="utf-8") == GOOD
    assert backup.read_text(encoding="utf-8") == GOOD


def test_a_bad_value_before_editing_names_its_line_and_no_backup_is_made(
    env_isolated: IsolatedEnv, editor: Path
) -> None:
    config = env_isolated.config_file
    config.parent.mkdir(parents=True)
    config.write_text("[me]\nname = 3\n", encoding="utf-8")
    r = edit(editor, ("name = 3", "name = 4"))
    problem = f"config me.name: expected non-empty text (in {config}, line 2)"
    assert r.returncode == 2 and r.stderr.splitlines() == [
        f"afterview: {problem}; it does not read now: the editor opens to fix it",
        f"afterview: {problem}; it did not read before the editor either, so your text "
        f"stays in {config}",
    ]
    assert config.read_text(encoding="utf-8") == "[me]\nname = 4\n"
    assert not config.with_name("config.toml.bak").exists()
    assert not config.with_name("config.toml.rejected").exists()


def test_set_show_and_get_refuse_a_broken_file_saying_how_to_repair_it(
    env_isolated: IsolatedEnv, editor: Path
) -> None:
    config = env_isolated.config_file
    backup = _broken_by_hand(config, editor)
    line = (
        f"afterview: config: {config} {NOT_TOML}; fix it with afterview config edit, or go "
        f"back to the last good version, {backup}\n"
    )
    for args in (
        ("config", "set", "me.name", "Sam Rivera"),
        ("config", "show"),
        ("config", "get", "me.name"),
    ):
        r = _afterview(*args)
        assert (r.returncode, r.stdout, r.stderr) == (2, "", line), args
    assert config.read_text(encoding="utf-8") == BROKEN
    assert backup.read_text(encoding="utf-8") == GOOD
    # a backup that does not read either is not offered
    backup.write_text(BROKEN, encoding="utf-8")
    r = _afterview("config", "show")
    assert r.returncode == 2
    assert (
        r.stderr == f"afterview: config: {config} {NOT_TOML}; fix it with afterview config edit\n"
    )


def test_on_a_terminal_a_broken_file_is_left_when_you_say_no(
    env_isolated: IsolatedEnv, editor: Path
) -> None:
    config = env_isolated.config_file
    backup = _broken_by_hand(config, editor)
    env = dict(os.environ, EDITOR=_editor_command(editor, ("no such text", "x")))
    env.pop("VISUAL", None)
    code, shown = _converse(
        [sys.executable, "-m", "afterview", "config", "edit"], env, {"Edit it again?": "n\n"}
    )
    assert code == 2, shown
    assert "it does not read now: the editor opens to fix it" in shown
    assert f"so your text stays in {config}; the last good version is {backup}" in shown
    assert config.read_text(encoding="utf-8") == BROKEN
    assert backup.read_text(encoding="utf-8") == GOOD
