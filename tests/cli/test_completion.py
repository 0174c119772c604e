"""Shell completion through a real `afterview` process, as a shell's script calls it:
ids of interviews, actions, applications and outbox messages from a real database (on
each engine), nothing written, nothing said when it cannot; a real bash sourcing the
script; and `completion install` writing where each shell loads it."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from afterview.services.context import open_database
from afterview.store.db import connect
from afterview.store.migrations import LATEST, current_version, migrate
from tests.cli.helpers import Afterview
from tests.conftest import IsolatedEnv

NOW = "2026-09-15T18:00"


def complete(
    words: str,
    cword: int | None = None,
    shell: str = "bash",
    env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    """Ask a real `afterview` process for completions, as the shell's script does: the
    words typed (the last one being completed; `cword` defaults to it)."""
    split = words.split(" ")
    run_env = dict(
        os.environ,
        _AFTERVIEW_COMPLETE=f"{shell}_complete",
        COMP_WORDS=words,
        COMP_CWORD=split[-1]
        if shell == "fish"
        else str(len(split) - 1 if cword is None else cword),
        AFTERVIEW_NOW=NOW,
        **(env or {}),
    )
    return subprocess.run(
        [sys.executable, "-m", "afterview", *args],
        capture_output=True,
        text=True,
        env=run_env,
        timeout=60,
        check=False,
    )


def values(words: str, **kw: object) -> list[str]:
    """The values a bash completion offers (`plain,VALUE` lines)."""
    r = complete(words, **kw)  # type: ignore[arg-type]
    assert r.returncode == 0 and r.stderr == "", r.stderr
    return [line.split(",", 1)[1] for line in r.stdout.splitlines() if line]


def silent(words: str, **kw: object) -> None:
    """The completion offers nothing and says nothing (exit 0 or 1, as click answers)."""
    r = complete(words, **kw)  # type: ignore[arg-type]
    assert (r.returncode, r.stdout, r.stderr) in ((0, "\n", ""), (0, "", ""), (1, "", "")), r


def zsh_items(words: str) -> list[tuple[str, str]]:
    """(value, help) pairs a zsh completion offers (three lines each: type, value, help)."""
    r = complete(words, shell="zsh")
    assert r.returncode == 0 and r.stderr == "", r.stderr
    lines = r.stdout.split("\n")
    return [(lines[i + 1], lines[i + 2]) for i in range(0, len(lines) - 2, 3)]


@pytest.fixture
def history(av: Afterview) -> Afterview:
    """Two interviews (Acme on Tue 15 Sep, 'Initech, Inc.' the day before), an
    application, a thank-you approved into the outbox and one skipped."""
    av.ok(
        "interview", "add", "--company", "Acme", "--role", "Data Engineer",
        "--start", "2026-09-15T14:00", "--interviewer", "Ana Smith <ana@acme.test>", now=NOW,
    )  # fmt: skip
    av.ok(
        "interview", "add", "--company", "Initech, Inc.", "--role", "ML Engineer",
        "--start", "2026-09-14T10:00", "--interviewer", "Bob Li <bob@initech.test>",
        "--interviewer", "Cy Ro <cy@initech.test>", now=NOW,
    )  # fmt: skip
    av.ok("application", "add", "--company", "Globex", "--role", "Analyst", now=NOW)
    av.ok(
        "mail", "setup", "--smtp-host", "127.0.0.1", "--smtp-security", "none",
        "--from", "sam@example.org", now=NOW,
    )  # fmt: skip
    av.ok("send", "thank_you:1:1", now=NOW)
    av.ok("skip", "thank_you:2:3", "--why", "met again", now=NOW)
    return av


def test_interview_ids_come_with_company_role_and_day(history: Afterview) -> None:
    items = zsh_items("afterview interview show ")
    assert items == [
        ("1", "Acme · Data Engineer, Tue 15 Sep"),
        ("2", "Initech, Inc. · ML Engineer, Mon 14 Sep"),
    ]
    for words in (
        "afterview log ",
        "afterview outcome ",
        "afterview assess ",
        "afterview draft thank-you ",
        "afterview interview edit ",
        "afterview interview update ",
        "afterview interview delete ",
        "afterview prep ",
        "afterview assessment edit ",
    ):
        assert values(words) == ["1", "2"], words
    assert values("afterview interview show 2") == ["2"]
    assert values("afterview interview show 3") == []
    assert values("afterview interview show x") == []


def test_open_actions_for_done_skip_and_send_ended_ones_for_reopen(history: Afterview) -> None:
    done = values("afterview done ")
    skip = values("afterview skip ")
    # the agenda's order: overdue first
    assert done[0] == "thank_you:2:2" and "thank_you:1:1" in done
    assert "keep_searching:2026-W38" in skip and "keep_searching:2026-W38" not in done
    assert set(skip) - set(done) == {"keep_searching:2026-W38"}
    assert "thank_you:2:3" not in skip  # skipped: ended
    assert set(values("afterview send ")) == {
        a for a in done if a.startswith(("thank_you", "follow"))
    }
    assert values("afterview reopen ") == ["thank_you:2:3"]
    assert values("afterview done self") == ["self_assess:1", "self_assess:2"]
    helps = dict(zsh_items("afterview done "))  # zsh's script wants the colons escaped
    assert helps["thank_you\\:2\\:2"] == (
        "Thank-you Bob Li, Initech, Inc. · ML Engineer, due Tue 15 Sep (overdue)"
    )
    assert dict(zsh_items("afterview reopen ")) == {
        "thank_you\\:2\\:3": "Thank-you Cy Ro, Initech, Inc. · ML Engineer, skipped Tue 15 Sep"
    }


def test_outbox_and_application_ids(history: Afterview) -> None:
    assert zsh_items("afterview outbox show ") == [
        ("1", "scheduled: Thank-you to Ana Smith <ana@acme.test>, Tue 15 Sep 18:00")
    ]
    for sub in ("cancel", "reschedule", "edit", "confirm"):
        assert values(f"afterview outbox {sub} ") == ["1"]
    assert zsh_items("afterview application edit ") == [
        ("3", "Globex · Analyst, applied 15 Sep 2026"),
        ("2", "Initech, Inc. · ML Engineer, not applied yet"),
        ("1", "Acme · Data Engineer, not applied yet"),
    ]
    assert values("afterview application apply ") == ["3", "2", "1"]
    assert values("afterview lead edit ") == ["2", "1"]  # not applied to yet


def test_fish_keeps_a_help_text_with_a_comma_and_the_global_options_count(
    history: Afterview, tmp_path: Path
) -> None:
    r = complete("afterview interview show ", shell="fish")
    assert r.stdout.splitlines() == [
        "plain,1\tAcme · Data Engineer, Tue 15 Sep",
        "plain,2\tInitech, Inc. · ML Engineer, Mon 14 Sep",
    ]
    # --db on the line is the database read, over AFTERVIEW_DB
    empty = tmp_path / "empty.db"
    open_database(str(empty)).close()
    assert values(f"afterview --db {empty} interview show ") == []
    assert values("afterview --db") == ["--db"]
    # and --now: by 1 Oct the thank-yous have lapsed, the follow-ups are open
    assert values("afterview --now 2026-10-01T09:00 done ") == ["follow_up:2:1", "follow_up:1:1"]


def test_commands_and_options_complete_too(history: Afterview) -> None:
    assert "interview" in values("afterview inter")
    assert values("afterview done --f") == ["--force"]
    assert "show" in values("afterview interview ")
    assert values("afterview completion show ") == ["bash", "zsh", "fish"]


def test_completion_goes_to_click_never_the_agendas_quick_path(history: Afterview) -> None:
    r = complete("afterview agenda --j", args=("agenda",))
    assert r.returncode == 0 and r.stdout == "plain,--json\n"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # its file's bytes compared
def test_completion_writes_nothing(av: Afterview, env_isolated: IsolatedEnv) -> None:
    """On SQLite (its file's bytes can be compared): the agenda's bounds, which any
    other read stores, are not stored; the file is the same, byte for byte."""
    av.ok(
        "interview", "add", "--company", "Acme", "--role", "Data Engineer",
        "--start", "2026-09-15T14:00", "--interviewer", "Ana Smith <ana@acme.test>", now=NOW,
    )  # fmt: skip
    db = Path(av.db_url)
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("DELETE FROM quiet_stamp")  # the bounds no longer hold: a read would store them
    con.commit()
    con.close()
    before = _digest(db)
    assert "thank_you:1:1" in values("afterview done ")
    assert values("afterview reopen ") == []
    assert _digest(db) == before
    wal = db.with_name(db.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_nothing_and_no_message_when_it_cannot(
    history: Afterview, tmp_path: Path, env_isolated: IsolatedEnv
) -> None:
    # a database not created yet: not created by completing
    missing = tmp_path / "new.db"
    silent(f"afterview --db {missing} done ")
    assert not missing.exists()
    # a database at an older schema: not migrated
    old = tmp_path / "old.db"
    con = connect(str(old))
    migrate(con, LATEST - 1)
    con.close()
    silent(f"afterview --db {old} interview show ")
    con = connect(str(old))
    assert current_version(con) == LATEST - 1
    con.close()
    # a file that is no database, a bad --now, an empty --db, a server that is not there
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    silent(f"afterview --db {junk} done ")
    silent("afterview --now someday done ")
    silent("afterview --db '' done ")
    silent("afterview --db postgresql://nobody@127.0.0.1:1/x done ")
    # a config that does not read
    config = Path(os.environ["AFTERVIEW_CONFIG"])
    config.write_text("timezone = 3\n")
    silent("afterview done ")
    # an unknown shell, a word count past the line
    silent("afterview done ", shell="tcsh")
    silent("afterview done ", cword=9)
    assert complete("afterview done ", cword=-3).stderr == ""


@pytest.fixture
def on_path(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH has an `afterview` that runs this code."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "afterview"
    exe.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m afterview "$@"\n')
    exe.chmod(0o755)
    return dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", AFTERVIEW_NOW=NOW)


_BASH_CALL = r"""
source "$SCRIPT" || exit 9
complete -p afterview
ask() {  # the line typed, then the words bash makes of it (COMP_WORDBREAKS splits at ':')
    COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}
    IFS=' ' read -ra COMP_WORDS <<< "$2"
    [[ $COMP_LINE == *' ' ]] && COMP_WORDS+=('')
    COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
    COMPREPLY=()
    _afterview_completion afterview
    local IFS=' '
    echo "${COMPREPLY[*]}"
}
ask 'afterview interview sh' 'afterview interview sh'
ask 'afterview interview show ' 'afterview interview show'
ask 'afterview done thank_you:2' 'afterview done thank_you : 2'
ask 'afterview done thank_you:2:' 'afterview done thank_you : 2 :'
ask 'afterview reopen t' 'afterview reopen t'
"""


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_a_real_bash_sources_the_script_and_completes_ids_with_colons(
    history: Afterview, on_path: dict[str, str], tmp_path: Path
) -> None:
    script = tmp_path / "afterview.bash"
    shown = subprocess.run(
        ["afterview", "completion", "show", "bash"],
        capture_output=True,
        text=True,
        env=on_path,
        check=True,
    ).stdout
    script.write_text(shown)
    r = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", _BASH_CALL],
        capture_output=True,
        text=True,
        env=dict(on_path, SCRIPT=str(script)),
        timeout=120,
        check=False,
    )
    assert r.returncode == 0 and r.stderr == "", r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "complete -o nosort -F _afterview_completion afterview"
    assert lines[1] == "show"
    assert lines[2] == "1 2"
    # bash replaces only what follows the last ':' it split at: each reply says the rest
    assert lines[3] == "2:2"  # thank_you:2:3 was skipped
    assert lines[4] == ":2"
    assert lines[5] == "thank_you:2:3"


def test_the_scripts_are_clicks_and_the_same_by_either_way(on_path: dict[str, str]) -> None:
    for shell in ("bash", "zsh", "fish"):
        shown = subprocess.run(
            ["afterview", "completion", "show", shell], capture_output=True, text=True,
            env=on_path, check=True,
        ).stdout  # fmt: skip
        sourced = subprocess.run(
            ["afterview"], capture_output=True, text=True, check=True,
            env=dict(on_path, _AFTERVIEW_COMPLETE=f"{shell}_source"),
        ).stdout  # fmt: skip
        assert shown == sourced and "_AFTERVIEW_COMPLETE" in shown
        assert "_afterview_completion" in shown
        if shell == "bash" and shutil.which("bash"):
            r = subprocess.run(["bash", "-n"], input=shown, capture_output=True, text=True)
            assert r.returncode == 0, r.stderr


def _install(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["afterview", "completion", "install", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_install_writes_where_each_shell_loads_it_and_again_changes_nothing(
    on_path: dict[str, str], env_isolated: IsolatedEnv
) -> None:
    home, data, config = env_isolated.home, env_isolated.data_home, env_isolated.config_home
    places = {
        "bash": data / "bash-completion" / "completions" / "afterview",
        "fish": config / "fish" / "completions" / "afterview.fish",
        "zsh": home / ".zfunc" / "_afterview",
    }
    for shell, path in places.items():
        r = _install(dict(on_path, SHELL=f"/usr/bin/{shell}"))
        assert r.returncode == 0, r.stderr
        assert r.stdout.splitlines()[0] == f"Wrote {shell} completion to {path}"
        shown = subprocess.run(
            ["afterview", "completion", "show", shell], capture_output=True, text=True,
            env=on_path, check=True,
        ).stdout  # fmt: skip
        assert path.read_text() == shown
        stamp = path.stat().st_mtime_ns
        again = _install(on_path, "--shell", shell)
        assert again.stdout.splitlines()[0] == f"{shell} completion already up to date in {path}"
        assert path.stat().st_mtime_ns == stamp
    # zsh: the line to add, until .zshrc names the folder
    r = _install(on_path, "--shell", "zsh")
    assert f"Add to {home / '.zshrc'}:" in r.stdout
    assert "  fpath=(~/.zfunc $fpath)" in r.stdout.splitlines()
    (home / ".zshrc").write_text("fpath=(~/.zfunc $fpath)\nautoload -Uz compinit && compinit\n")
    r = _install(on_path, "--shell", "zsh", "--json")
    assert r.returncode == 0 and '"lines": []' in r.stdout and '"changed": false' in r.stdout
    # nothing written outside those places, no rc file edited
    assert (home / ".zshrc").read_text().count("zfunc") == 1
    assert not (home / ".bashrc").exists()


def test_install_without_a_known_shell_says_how_to_name_one(on_path: dict[str, str]) -> None:
    r = _install(dict(on_path, SHELL="/bin/tcsh"))
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == "afterview: --shell: $SHELL is 'tcsh'; give --shell bash, zsh or fish\n"
    r = _install(on_path, "--shell", "ksh")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--shell" in r.stderr


def _script(shell: str, env: dict[str, str], folder: Path, name: str) -> Path:
    shown = subprocess.run(
        ["afterview", "completion", "show", shell], capture_output=True, text=True,
        env=env, check=True,
    )  # fmt: skip
    path = folder / name
    path.write_text(shown.stdout)
    return path


@pytest.mark.skipif(shutil.which("fish") is None, reason="needs fish (scripts/test installs it)")
def test_a_real_fish_completes_ids_with_help_holding_a_comma(
    history: Afterview, on_path: dict[str, str], tmp_path: Path
) -> None:
    """click's own fish script cuts a help text at its first comma ("Initech")."""
    script = _script("fish", on_path, tmp_path, "afterview.fish")
    r = subprocess.run(
        ["fish", "--no-config", "-c",
         f"source {script}; complete -C'afterview interview show '; echo SEP; "
         "complete -C'afterview done thank_you:2'"],
        capture_output=True, text=True, env=on_path, timeout=120, check=False,
    )  # fmt: skip
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert r.stdout.split("SEP\n") == [
        "1\tAcme · Data Engineer, Tue 15 Sep\n2\tInitech, Inc. · ML Engineer, Mon 14 Sep\n",
        "thank_you:2:2\tThank-you Bob Li, Initech, Inc. · ML Engineer, due Tue 15 Sep (overdue)\n",
    ]


def _pty_shell(argv: list[str], env: dict[str, str], typed: bytes, wanted: str) -> str:
    """Start an interactive shell on a real pseudo-terminal, type `typed`, and return
    what the terminal shows once `wanted` appears (or after 60 s)."""
    import pty
    import select
    import time

    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(argv[0], argv, env)
    shown = b""
    sent = False
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and wanted not in shown.decode(errors="replace"):
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    shown += os.read(fd, 4096)
                except OSError:
                    break
            if not sent and b"READY>" in shown:
                os.write(fd, typed)
                sent = True
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(fd)
    return shown.decode(errors="replace")


@pytest.mark.skipif(shutil.which("zsh") is None, reason="needs zsh (scripts/test installs it)")
def test_a_real_zsh_loads_the_installed_script_from_fpath_and_lists_ids_with_help(
    history: Afterview, on_path: dict[str, str], env_isolated: IsolatedEnv, tmp_path: Path
) -> None:
    """The script `completion install` wrote to ~/.zfunc, autoloaded by compinit as
    the printed line says, completing on a real terminal."""
    installed = _install(dict(on_path, SHELL="/bin/zsh"))
    assert installed.returncode == 0, installed.stderr
    zdot = tmp_path / "zdot"
    zdot.mkdir()
    lines = [ln.strip() for ln in installed.stdout.splitlines() if ln.startswith("  ")]
    (zdot / ".zshrc").write_text(
        "\n".join(lines).replace("compinit", f"compinit -u -d {zdot}/.zcompdump", 1)
        + "\nPROMPT='READY> '\n"
    )
    shown = _pty_shell(
        ["zsh", "-i"], dict(on_path, ZDOTDIR=str(zdot), TERM="dumb"),
        b"afterview interview show \t", "Mon 14 Sep",
    )  # fmt: skip
    assert "1  -- Acme · Data Engineer, Tue 15 Sep" in shown, shown
    assert "2  -- Initech, Inc. · ML Engineer, Mon 14 Sep" in shown, shown


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the row written with sqlite3
def test_text_from_the_database_is_shown_on_one_printable_line(history: Afterview) -> None:
    """A company written before it was checked (an old import, another tool): its line
    break and escape sequence are shown escaped, never obeyed, and each item stays one
    line; a long one is cut."""
    con = sqlite3.connect(history.db_url)
    with con:
        con.execute(
            "UPDATE application SET company = ?, role = ? WHERE id = 1",
            ("Acme\n\x1b[31mRED", "Data Engineer " + "very " * 30 + "senior"),
        )
    con.close()
    r = complete("afterview interview show ", shell="fish")
    first = r.stdout.splitlines()[0]
    assert first.startswith("plain,1\tAcme\\x0a\\x1b[31mRED · Data Engineer very very")
    assert first.endswith("…, Tue 15 Sep")  # the day is never what is cut
    assert len(first.split("\t", 1)[1]) <= 80 and "\x1b" not in r.stdout
    assert len(r.stdout.splitlines()) == 2
