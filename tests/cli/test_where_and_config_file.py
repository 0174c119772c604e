"""`afterview where` says where things are without creating any; `config show` prints
a file that reads back; a bad value in the config file names the file and its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from afterview.cli.main import load_cli
from tests.conftest import IsolatedEnv

NOW = ["--now", "2026-11-27T12:00"]


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    r = CliRunner().invoke(load_cli(), list(args), env=env, catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


def test_where_names_each_place_and_creates_none(
    env_isolated: IsolatedEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AFTERVIEW_DB")
    code, out, _ = run("where")
    lines = dict(line.split(None, 1) for line in out.splitlines())
    assert code == 0 and set(lines) == {"config", "database", "cache", "log", "secrets"}
    # on Linux the worker's service writes to the user's journal
    assert lines["log"] == "journalctl --user -u afterview-worker.service"
    assert lines["config"] == f"{env_isolated.config_file}  (not created yet)"
    default_db = env_isolated.data_home / "afterview" / "afterview.db"
    assert lines["database"] == f"{default_db}  (not created yet)"
    assert lines["cache"].startswith(str(env_isolated.cache_home / "afterview"))
    secrets = env_isolated.config_file.parent / "secrets.json"
    assert lines["secrets"].startswith(f"{secrets}  (mail secrets where there is no system ")
    assert lines["secrets"].endswith("(not created yet)")
    assert not env_isolated.data_home.exists() and not env_isolated.cache_home.exists()


def test_where_says_where_the_database_comes_from_and_hides_a_password(
    env_isolated: IsolatedEnv,
) -> None:
    code, out, _ = run("where")
    assert code == 0 and f"database  {env_isolated.db_file}  (from AFTERVIEW_DB)" in out
    code, out, _ = run("--db", "postgresql://me:s3cret@db.example/jobs", "--json", "where")
    assert code == 0
    place = json.loads(out)["database"]
    assert place == {"path": "postgresql://me:***@db.example/jobs", "from": "--db", "exists": True}
    assert "s3cret" not in out


def test_config_show_reads_back(env_isolated: IsolatedEnv, tmp_path: Path) -> None:
    shown = run("config", "show")[1]
    assert '# country = ""  # not set' in shown and '# name = ""  # not set' in shown
    env_isolated.config_file.parent.mkdir(parents=True)
    env_isolated.config_file.write_text(shown, encoding="utf-8")
    again = run("config", "show")[1]
    # the first two lines say the file exists now and the zone is from it
    assert again.splitlines()[2:] == shown.splitlines()[2:]
    assert run(*NOW, "agenda")[0] == 0
    # and once the settings are set, they come back set
    text = shown.replace('# name = ""  # not set', 'name = "Sam Rivera"').replace(
        '# country = ""  # not set', 'country = "FR"'
    )
    env_isolated.config_file.write_text(text, encoding="utf-8")
    third = run("config", "show")[1]
    assert 'name = "Sam Rivera"' in third and 'country = "FR"' in third
    assert third.splitlines()[2:] == text.splitlines()[2:]


#: every section config.toml can hold, each setting away from its default
EVERY_SECTION = """timezone = "Europe/Berlin"
country = "DE"
subdivision = "BY"

[me]
name = "Sam Rivera"
email = "sam@example.org"

[assess]
rubric = ["answers", "rapport"]

[profile]
resume = "/home/sam/cv/resume.json"
linkedin = "/home/sam/cv/linkedin.zip"

[playbook]
follow_up_cap = 3
business_morning = "08:30"
workweek = ["mon", "tue", "wed", "thu"]

[notify]
digest_hour = 7
quiet_hours = "22:00-07:00"
channels = ["ntfy://sam-jobs", "tgram://123456:s3cr3t-token/98765"]

[history]
keep_days = 30
"""

CHANNELS_LINE = (
    "# channels: 2 set, kept only in config.toml (not shown: they may hold tokens); "
    "afterview config edit changes them"
)
NO_CHANNELS_LINE = '# channels = []  # not set (apprise URLs like "ntfy://topic")'


def _settings(data: dict[str, object]) -> dict[str, object]:
    """`config show --json` without what describes the file rather than a setting."""
    return {k: v for k, v in data.items() if k not in ("path", "exists", "timezone_from")}


def test_config_show_reads_back_every_section(env_isolated: IsolatedEnv) -> None:
    config = env_isolated.config_file
    config.parent.mkdir(parents=True)
    config.write_text(EVERY_SECTION, encoding="utf-8")
    code, shown, err = run("config", "show")
    assert code == 0 and err == ""
    assert 'timezone = "Europe/Berlin"  # from config' in shown.splitlines()
    for line in EVERY_SECTION.splitlines()[1:]:
        if line.startswith("channels"):
            continue
        assert line in shown.splitlines(), line  # every setting set, as the file has it
    # the channels are counted, never printed: apprise URLs hold tokens
    assert CHANNELS_LINE in shown.splitlines()
    assert "s3cr3t" not in shown and "sam-jobs" not in shown
    data = json.loads(run("config", "show", "--json")[1])
    assert data["notify"] == {
        "digest_hour": 7,
        "quiet_hours": "22:00-07:00",
        "channels": ["channels[0] (ntfy)", "channels[1] (tgram)"],
    }
    assert data["history"] == {"keep_days": 30} and data["assess"] == {
        "rubric": ["answers", "rapport"]
    }
    assert data["profile"] == {
        "resume": "/home/sam/cv/resume.json",
        "linkedin": "/home/sam/cv/linkedin.zip",
    }
    # every setting reads back one by one with config get, as show prints it
    for section, values in _settings(data).items():
        for key, value in values.items() if isinstance(values, dict) else [("", values)]:
            name = f"{section}.{key}" if key else section
            got = run("config", "get", name, "--json")
            assert got[0] == 0 and json.loads(got[1]) == {"key": name, "value": value}, name
    # what `config show` printed is a config file: everything but the channels comes back
    config.write_text(shown, encoding="utf-8")
    again = run("config", "show")[1]
    assert again.splitlines()[1:] == [
        NO_CHANNELS_LINE if line == CHANNELS_LINE else line for line in shown.splitlines()[1:]
    ]
    copied = json.loads(run("config", "show", "--json")[1])
    assert copied["notify"]["channels"] == [] and "s3cr3t" not in config.read_text()
    data["notify"]["channels"] = []
    assert _settings(copied) == _settings(data)


def test_config_show_names_every_setting_the_file_can_hold(env_isolated: IsolatedEnv) -> None:
    """Each table's keys as `config show --json` names them are the ones the file's
    reader knows (it lists them when it refuses an unknown one): a setting added to
    config.py and not to `config show` fails here."""
    from afterview.config import _TOP_KEYS, parse_config
    from afterview.errors import BadInput

    data = _settings(json.loads(run("config", "show", "--json")[1]))
    assert set(data) == _TOP_KEYS
    for section, values in data.items():
        if not isinstance(values, dict):
            continue
        with pytest.raises(BadInput) as refused:
            parse_config({section: {"no_such_setting": 1}}, str(env_isolated.config_file))
        known = refused.value.problem.partition("known: ")[2].split(", ")
        assert sorted(values) == sorted(known), section
    shown = run("config", "show")[1].splitlines()
    assert "[notify]" in shown and "digest_hour = 8" in shown and NO_CHANNELS_LINE in shown


def test_notify_settings_set_get_and_a_value_with_a_dash(env_isolated: IsolatedEnv) -> None:
    db = ["--db", str(env_isolated.db_file)]
    assert run(*db, "config", "set", "notify.digest_hour", "7")[0] == 0
    assert run("config", "get", "notify.digest_hour")[1] == "7\n"
    # -1 (no digest) is a value, not an option
    code, out, err = run(*db, "config", "set", "notify.digest_hour", "-1")
    assert (code, out, err) == (0, "notify.digest_hour = -1\n", "")
    assert run("config", "get", "notify.digest_hour")[1] == "-1\n"
    assert "digest_hour = -1" in env_isolated.config_file.read_text(encoding="utf-8")
    assert "digest_hour = -1" in run("config", "show")[1].splitlines()
    run(*db, "config", "set", "notify.quiet_hours", "22:00-07:00")
    assert run("config", "get", "notify.quiet_hours")[1] == "22:00-07:00\n"
    # a dashed value the setting refuses: refused by its check, naming it, in one line
    before = env_isolated.config_file.read_text(encoding="utf-8")
    code, out, err = run(*db, "config", "set", "playbook.follow_up_cap", "-5")
    assert code == 2 and out == ""
    assert err == "afterview: config playbook.follow_up_cap: expected 0 to 10, got -5\n"
    code, _, err = run(*db, "config", "set", "notify.digest_hour", "-2")
    assert code == 2 and err.startswith("afterview: config notify.digest_hour: expected 0 to 23")
    assert env_isolated.config_file.read_text(encoding="utf-8") == before


def test_channels_are_read_as_labels_and_not_set_on_the_command_line(
    env_isolated: IsolatedEnv,
) -> None:
    env_isolated.config_file.parent.mkdir(parents=True)
    env_isolated.config_file.write_text(EVERY_SECTION, encoding="utf-8")
    code, out, _ = run("config", "get", "notify.channels")
    assert code == 0 and out == "channels[0] (ntfy)\nchannels[1] (tgram)\n"
    code, out, err = run("--db", str(env_isolated.db_file), "config", "set", "notify.channels", "x")
    assert code == 2 and out == ""
    assert err == (
        "afterview: notify.channels: not set here (an apprise URL may hold a token); "
        "afterview config edit changes it\n"
    )
    code, _, err = run("config", "get", "timezone_from")  # says where, is not a setting
    assert code == 2 and "unknown setting 'timezone_from'" in err


@pytest.mark.parametrize(
    ("table", "line"),
    [("me", 'mail = "sam@example.org"'), ("assess", 'rubrics = ["answers"]')],
)
def test_an_unknown_key_in_me_or_assess_is_named(
    env_isolated: IsolatedEnv, table: str, line: str
) -> None:
    env_isolated.config_file.parent.mkdir(parents=True)
    env_isolated.config_file.write_text(f"[{table}]\n{line}\n", encoding="utf-8")
    code, out, err = run(*NOW, "agenda")
    key = line.split(" ")[0]
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"afterview: config {table}.{key}: unknown setting; known: ")
    assert f"(in {env_isolated.config_file}, line 2)" in err


def test_a_bad_value_names_the_file_and_its_line(env_isolated: IsolatedEnv) -> None:
    env_isolated.config_file.parent.mkdir(parents=True)
    env_isolated.config_file.write_text(
        '# mine\ntimezone = "Europe/Paris"\n\n[me]\nname = "Sam"\nemail = 42\n', encoding="utf-8"
    )
    code, out, err = run(*NOW, "agenda")
    assert code == 2 and out == ""
    assert err == (
        f"afterview: config me.email: expected non-empty text "
        f"(in {env_isolated.config_file}, line 6)\n"
    )


def test_config_set_and_get_round_trip(env_isolated: IsolatedEnv) -> None:
    db = ["--db", str(env_isolated.db_file)]
    assert run(*db, "config", "set", "me.name", "Sam Rivera")[1] == "me.name = Sam Rivera\n"
    run(*db, "config", "set", "me.email", "sam@example.org")
    run(*db, "config", "set", "playbook.follow_up_cap", "3")
    run(*db, "config", "set", "country", "FR")
    assert run("config", "get", "me.name")[1] == "Sam Rivera\n"
    assert run("config", "get", "playbook.follow_up_cap")[1] == "3\n"
    assert run("config", "get", "playbook.follow_up_min_days")[1] == "7\n"  # a default
    shown = run("config", "show")[1]
    assert 'name = "Sam Rivera"' in shown and "follow_up_cap = 3" in shown
    assert 'country = "FR"' in shown
    # an empty value removes the setting; the previous file is kept as .bak
    assert run(*db, "config", "set", "country", "")[0] == 0
    assert run("config", "get", "country")[1] == "\n"
    bak = env_isolated.config_file.with_name("config.toml.bak")
    assert 'country = "FR"' in bak.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("key", "value", "line"),
    [
        ("me.email", "not-an-address", "afterview: me.email: expected one e-mail address"),
        ("timezone", "Mars/Base", "afterview: config timezone: unknown timezone 'Mars/Base'"),
        ("playbook.follow_up_cap", "lots", "afterview: playbook.follow_up_cap: expected a whole"),
        ("wat", "1", "afterview: KEY: unknown setting 'wat'; known: timezone"),
        ("me.name", "Sam\nBcc: x@y.example", "afterview: config me.name: expected one line"),
    ],
)
def test_config_set_refuses_and_writes_nothing(
    env_isolated: IsolatedEnv, key: str, value: str, line: str
) -> None:
    env_isolated.config_file.parent.mkdir(parents=True)
    env_isolated.config_file.write_text('# mine\n[me]\nname = "Sam"\n', encoding="utf-8")
    code, out, err = run("--db", str(env_isolated.db_file), "config", "set", key, value)
    assert code == 2 and out == "" and err.startswith(line) and err.count("\n") == 1
    assert env_isolated.config_file.read_text(encoding="utf-8") == '# mine\n[me]\nname = "Sam"\n'
