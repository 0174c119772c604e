"""`--json` on every command, and errors as JSON when it is given.

Every command takes `--json` (after its name, or before it for all); its output is then
one JSON document, and an error is one JSON object on stderr:
`{"error": {"field": ..., "message": ..., "exit": N}}`, with the exit code unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from afterview.cli.main import load_cli, main

NOW = "2026-09-15T15:10"


def _leaves(cmd: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    if isinstance(cmd, click.Group):
        if cmd.invoke_without_command and path:
            yield path
        for name, sub in cmd.commands.items():
            yield from _leaves(sub, (*path, name))
    else:
        yield path


def test_every_command_takes_json() -> None:
    cli = load_cli()
    missing = [
        " ".join(path)
        for path in _leaves(cli)
        if "--json" not in {o for p in _command(cli, path).params for o in getattr(p, "opts", ())}
    ]
    assert missing == []


def _command(cli: click.Group, path: tuple[str, ...]) -> click.Command:
    cmd: click.Command = cli
    for name in path:
        assert isinstance(cmd, click.Group)
        cmd = cmd.commands[name]
    return cmd


class Cli:
    """The real entry point (`afterview.cli.main.main`), in-process, on one database."""

    def __init__(self, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db = str(db)
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main(["--db", self.db, "--now", NOW, *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *args: str) -> object:
        code, out, err = self(*args)
        assert code == 0, err
        return json.loads(out)


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv("AFTERVIEW_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text('timezone = "Europe/Paris"\n')
    r = Cli(tmp_path / "a.db", capsys)
    added = r.json(
        "interview", "add", "--company", "Acme", "--role", "Data Engineer",
        "--start", "2026-09-15T10:00", "--tz", "Europe/Paris",
        "--interviewer", "Ana Ruiz <ana@acme.test>", "--json",
    )  # fmt: skip
    assert added == {**added, "id": 1}  # type: ignore[comparison-overlap]
    return r


def test_the_commands_that_printed_text_print_json(run: Cli, tmp_path: Path) -> None:
    thank = "thank_you:1:1"
    assert run.json("done", thank, "--json") == {"id": thank, "state": "done"}
    assert run.json("--json", "reopen", thank)["id"] == thank  # type: ignore[index]
    skipped = run.json("skip", thank, "--why", "said thanks in person", "--json")
    assert skipped == {"id": thank, "state": "skipped"}
    assert run.json("outcome", "1", "next_round", "--json") == {
        "interview_id": 1,
        "outcome": "next_round",
    }
    assert run.json("outcome", "1", "--clear", "--json") == {"interview_id": 1, "outcome": None}
    reviewed = run.json("profile", "reviewed", "--json")
    assert reviewed == {"reviewed_at": "2026-09-15T15:10:00+02:00"}
    config = str(tmp_path / "config.toml")
    assert run.json("config", "path", "--json") == {"path": config}
    assert run.json("init", "--name", "Sam Lee", "--json") == {
        "path": config,
        "set": {"name": "Sam Lee"},
    }
    assert run.json("config", "set", "me.email", "sam@example.org", "--json") == {
        "key": "me.email",
        "value": "sam@example.org",
    }
    assert run.json("config", "get", "me.email", "--json") == {
        "key": "me.email",
        "value": "sam@example.org",
    }
    out = tmp_path / "all.json"
    assert run.json("export", "--out", str(out), "--json") == {"out": str(out)}
    assert json.loads(out.read_text())["format"]
    ics = tmp_path / "actions.ics"
    written = run.json("calendar", "export", "--out", str(ics), "--json")
    assert written == {"out": str(ics), "events": ics.read_bytes().count(b"BEGIN:VEVENT")}
    inline = run.json("calendar", "export", "--json")
    assert inline["events"] == written["events"] > 0  # type: ignore[index]
    assert inline["ics"].startswith("BEGIN:VCALENDAR")  # type: ignore[index]


@pytest.mark.parametrize(
    ("args", "field", "exit_code", "words"),
    [
        (("done", "nope:1"), "ACTION_ID", 2, "is not an action id"),
        (("interview", "add", "--company", "A", "--role", "R", "--start", "soon"), "--start", 2,
         "expected a datetime"),
        (("interview", "list", "--limit", "x"), "--limit", 2, "expected a whole number"),
        (("interview", "add", "--bogus"), "--bogus", 2, "No such option"),
        (("interview", "add", "--company", "A"), "--role", 2, "Missing option"),
        (("interview", "show", "99"), None, 1, "no such interview"),
        (("done", "thank_you:1:1"), None, 0, ""),
        (("done", "thank_you:1:1"), None, 1, "already"),
        (("config", "get", "me.nothing"), "KEY", 2, "unknown setting"),
        (("agenda", "--all"), None, 0, ""),
        (("send", "thank_you:1:1"), None, 1, ""),
    ],
)  # fmt: skip
def test_errors_are_one_json_object_on_stderr(
    run: Cli, args: tuple[str, ...], field: str | None, exit_code: int, words: str
) -> None:
    if args == ("done", "thank_you:1:1") and exit_code == 1:
        run("done", "thank_you:1:1")
    for where in ("after", "before"):
        argv = (*args, "--json") if where == "after" else ("--json", *args)
        code, out, err = run(*argv)
        assert code == exit_code, (argv, err)
        if exit_code == 0:
            json.loads(out)
            run("reopen", "thank_you:1:1") if args[0] == "done" else None
            continue
        assert out == ""
        assert err.count("\n") == 1, err
        body = json.loads(err)["error"]
        assert body["exit"] == exit_code
        assert words in body["message"]
        if field is not None:
            assert body["field"] == field


def test_without_json_errors_stay_one_plain_line(run: Cli) -> None:
    code, out, err = run("interview", "add", "--company", "A", "--role", "R", "--start", "soon")
    assert code == 2 and out == ""
    assert err.startswith("afterview: --start: expected a datetime") and err.count("\n") == 1


def test_the_agendas_quick_path_gives_json_errors_too(
    run: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    code = main(["--db", str(tmp_path / "a.db"), "--now", "someday", "agenda", "--json"])
    err = capsys.readouterr().err
    assert code == 2
    assert json.loads(err)["error"]["field"] == "--now"
