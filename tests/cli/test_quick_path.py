"""The agenda's quick path (no click) against the click command: same output, same errors.

`main()` sends an agenda command line of the simple shape to `cli/quick.py` and
everything else to click; `run_click` forces click for the same line, so each
case below runs both ways on a real database and compares what the user sees.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from afterview.cli import quick
from afterview.cli.main import main, run_click
from afterview.cli.style import Styler, wants_colour
from tests.cli.helpers import Afterview

NOW = "2026-11-27T12:00"


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AFTERVIEW_DB", raising=False)
    monkeypatch.delenv("AFTERVIEW_NOW", raising=False)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["agenda"], quick.QuickArgs(None, None, False, False)),
        (["agenda", "--json"], quick.QuickArgs(None, None, True, False)),
        (["--json", "agenda", "--all"], quick.QuickArgs(None, None, True, True)),
        (["--db", "x.db", "--now", NOW, "agenda"], quick.QuickArgs("x.db", NOW, False, False)),
        (["--db=x.db", f"--now={NOW}", "agenda"], quick.QuickArgs("x.db", NOW, False, False)),
        (["--now", "--json", "agenda"], quick.QuickArgs(None, "--json", False, False)),
        (["--json", "agenda", "--json"], quick.QuickArgs(None, None, True, False)),
    ],
)
@pytest.mark.usefixtures("no_env")
def test_lines_the_quick_path_takes(argv: list[str], expected: quick.QuickArgs) -> None:
    assert quick.parse(argv) == expected


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--help"],
        ["agenda", "--help"],
        ["-h", "agenda"],
        ["--version"],
        ["interview", "list"],
        ["agenda", "--db", "x.db"],  # global options go before the command
        ["agenda", "--all", "--all"],
        ["--json", "--json", "agenda"],
        ["--db", "a", "--db", "b", "agenda"],
        ["--db"],
        ["--now=", "agenda"],  # click refuses an empty value
        ["--db", "", "agenda"],
        ["agenda", "extra"],
        ["agenda", "agenda"],
        ["agenda", "--al"],
        ["--now", NOW],
        ["--", "agenda"],
    ],
)
@pytest.mark.usefixtures("no_env")
def test_everything_else_goes_to_click(argv: list[str]) -> None:
    assert quick.parse(argv) is None


def test_environment_defaults_like_click(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AFTERVIEW_DB", "env.db")
    monkeypatch.setenv("AFTERVIEW_NOW", NOW)
    assert quick.parse(["agenda"]) == quick.QuickArgs("env.db", NOW, False, False)
    assert quick.parse(["--db", "x.db", "--now", "2026-01-01T00:00", "agenda"]) == (
        quick.QuickArgs("x.db", "2026-01-01T00:00", False, False)
    )
    monkeypatch.setenv("AFTERVIEW_DB", "")
    monkeypatch.setenv("AFTERVIEW_NOW", "")
    assert quick.parse(["agenda"]) == quick.QuickArgs(None, None, False, False)


def _both(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[tuple[int, str, str], ...]:
    assert quick.parse(argv) is not None, argv
    code = main(argv)
    fast = (code, *capsys.readouterr())
    code = run_click(argv)
    slow = (code, *capsys.readouterr())
    return fast, slow


@pytest.fixture
def demo_db(av: Afterview) -> str:
    av.ok("demo", now=NOW)
    return av.db_url


@pytest.mark.parametrize(
    "tail",
    [
        ["agenda"],
        ["agenda", "--json"],
        ["agenda", "--all"],
        ["agenda", "--json", "--all"],
    ],
)
@pytest.mark.parametrize("moment", [NOW, "2026-11-20T08:30", "2027-03-01T09:00+09:00"])
def test_same_agenda_both_ways(
    demo_db: str, tail: list[str], moment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    fast, slow = _both(["--db", demo_db, "--now", moment, *tail], capsys)
    assert fast == slow
    assert fast[0] == 0 and fast[1].strip()


def test_same_agenda_with_the_now_from_the_environment(
    demo_db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AFTERVIEW_NOW", NOW)
    fast, slow = _both(["--db", demo_db, "--json", "agenda"], capsys)
    assert fast == slow and '"at": "2026-11-27T12:00:00+01:00"' in fast[1]


@pytest.mark.parametrize(
    ("now", "code", "start"),
    [
        ("soon", 2, "afterview: --now: expected a datetime"),
        ("2026-03-29T02:30", 2, "afterview: --now: 2026-03-29T02:30 does not exist"),
    ],
)
def test_same_errors_both_ways(
    demo_db: str, now: str, code: int, start: str, capsys: pytest.CaptureFixture[str]
) -> None:
    fast, slow = _both(["--db", demo_db, "--now", now, "agenda"], capsys)
    assert fast == slow
    assert fast[0] == code and fast[1] == "" and fast[2].startswith(start)
    assert fast[2].count("\n") == 1


def test_same_database_errors_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AFTERVIEW_CONFIG", str(tmp_path / "none.toml"))
    missing = tmp_path / "missing" / "x.db"
    fast, slow = _both(["--db", str(missing), "agenda"], capsys)
    assert fast == slow and fast[0] == 2 and "does not exist" in fast[2]
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    fast, slow = _both(["--db", str(junk), "agenda"], capsys)
    assert fast == slow and fast[0] == 2 and fast[2].startswith("afterview: ")
    # with --json the error is one JSON object, the same both ways
    fast, slow = _both(["--db", str(junk), "agenda", "--json"], capsys)
    assert fast == slow and fast[0] == 2
    assert json.loads(fast[2])["error"]["message"].startswith("db: ")
    assert "Traceback" not in fast[2]
    assert junk.read_bytes() == b"this is not a database" * 100


def test_same_config_errors_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('timezone = "Mars/Olympus"\n')
    monkeypatch.setenv("AFTERVIEW_CONFIG", str(cfg))
    fast, slow = _both(["--db", str(tmp_path / "a.db"), "agenda"], capsys)
    assert fast == slow and fast[0] == 2 and "timezone" in fast[2]


def test_the_quick_path_does_not_load_click(demo_db: str, tmp_path: Path) -> None:
    # A fresh interpreter: after the agenda (both outputs), click is not in sys.modules.
    code = (
        "import sys\n"
        "from afterview.cli.main import main\n"
        f"assert main(['--db', {demo_db!r}, '--now', {NOW!r}, 'agenda', '--json']) == 0\n"
        f"assert main(['--db', {demo_db!r}, '--now', {NOW!r}, 'agenda']) == 0\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('click', 'rich', 'jinja2', 'holidays', 'psycopg', 'dataclasses'))\n"
        "print('LOADED', heavy, file=sys.stderr)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert r.returncode == 0, r.stderr
    loaded = r.stderr.split("LOADED", 1)[1]
    assert "click" not in loaded and "rich" not in loaded and "jinja2" not in loaded
    if not demo_db.startswith("postgresql"):
        assert "psycopg" not in loaded


def test_colour_only_on_a_terminal_and_never_with_no_color(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert wants_colour(Tty()) and not wants_colour(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not wants_colour(Tty())
    assert Styler(True)("x", fg="red", bold=True) == "\x1b[31;1mx\x1b[0m"
    assert Styler(False)("x", fg="red", bold=True) == "x"


def test_human_agenda_in_colour_on_a_terminal(
    demo_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    out, err = Tty(), io.StringIO()
    args = quick.parse(["--db", demo_db, "--now", NOW, "agenda"])
    assert args is not None
    assert quick.run(args, out, err) == 0
    text = out.getvalue()
    assert "\x1b[1mAgenda for Fri 27 Nov 2026 12:00 (Europe/Paris)" in text
    assert "\x1b[35m  [time set by --now]\x1b[0m" in text and "\x1b[36m    id: " in text
