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
