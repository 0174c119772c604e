"""`afterview config path|show|get|set|edit` and `afterview where`."""

from __future__ import annotations

import os
from typing import Any

import click

from afterview.cli.app import cli, emit_json, json_option, want_json


@cli.group("config")
def config_group() -> None:
    """Where the settings live and what they are."""


@config_group.command("path")
@json_option
def config_path_cmd(as_json: bool) -> None:
    """Print the config file's path."""
    from afterview.config import config_path

    if want_json(as_json):
        emit_json({"path": str(config_path())})
    else:
        click.echo(config_path())


#: the settings `config set` changes, as `config show` names them, and the key the
#: settings service takes (`services/settings_edit.save_settings`)
SETTABLE = {
    "timezone": "timezone",
    "country": "country",
    "subdivision": "subdivision",
    "me.name": "name",
    "me.email": "email",
    "notify.digest_hour": "digest_hour",
    "notify.quiet_hours": "quiet_hours",
}


def _service_key(key: str) -> str:
    from afterview.errors import BadInput
    from afterview.services.settings_edit import playbook_fields

    if key in SETTABLE:
        return SETTABLE[key]
    if key.startswith("playbook.") and key[9:] in dict(playbook_fields()):
        return key
    if key == "notify.channels":  # a URL typed here would stay in the shell's history
        raise BadInput(
            key, "not set here (an apprise URL may hold a token); afterview config edit changes it"
        )
    known = ", ".join([*SETTABLE, "playbook.<setting> (see config show)"])
    from afterview.textcheck import shown

    raise BadInput("KEY", f"unknown setting {shown(key)}; known: {known}")


class _EmptyOK(click.Argument):
    """An argument whose empty value means something (`config set KEY ""` removes)."""

    allow_empty = True


#: VALUE may start with a dash (`notify.digest_hour -1`): click passes an option it
#: does not know on as an argument instead of refusing it
_DASHED_VALUES = {"ignore_unknown_options": True}


@config_group.command("set", context_settings=_DASHED_VALUES)
@click.argument("key")
@click.argument("value", metavar="VALUE", cls=_EmptyOK)
@json_option
def config_set(key: str, value: str, as_json: bool) -> None:
    """Change one setting in config.toml (an empty VALUE removes it): the file keeps its
    comments, the value is checked as at start-up, the old file stays as .bak."""
    from afterview.cli.app import settings
    from afterview.errors import BadInput
    from afterview.services.settings_edit import save_settings

    name = _service_key(key)
    _loaded_config()  # a file that does not read: refused with how to repair it
    ctx = settings().context()
    try:
        save_settings(ctx, {name: value}, new_file_comment="afterview settings (config set)")
    except BadInput as exc:  # the service names its field; the user typed KEY
        field = exc.field if exc.field.startswith("config ") else key
        raise BadInput(field, exc.problem) from None
    if want_json(as_json):
        emit_json({"key": key, "value": value if value.strip() else None})
    else:
        click.echo(f"{key} = {value}" if value.strip() else f"{key}: removed (the default applies)")


@config_group.command("get")
@click.argument("key")
@json_option
def config_get(key: str, as_json: bool) -> None:
    """Print one setting in force (its default when the file does not set it)."""
    from afterview.errors import BadInput
    from afterview.textcheck import shown

    data = _settings_in_force(_loaded_config())
    node: object = data
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node or part in _NOT_SETTINGS:
            raise BadInput("KEY", f"unknown setting {shown(key)}; see afterview config show")
        node = node[part]
    if isinstance(node, dict):
        raise BadInput("KEY", f"{shown(key)} is a table; give one of its settings ({key}.…)")
    if want_json(as_json):
        emit_json({"key": key, "value": node})
    elif key == "notify.channels":  # labels, not values: one a line
        click.echo("\n".join(str(label) for label in node) if isinstance(node, list) else "")
    else:
        click.echo("" if node is None else node if isinstance(node, str) else _toml(node))


#: what `config show --json` says about the settings that is not a setting itself
_NOT_SETTINGS = ("path", "exists", "timezone_from")


@config_group.command("show")
@json_option
def config_show(as_json: bool) -> None:
    """Print the settings in force (defaults included), as a file that reads back:
    `afterview config show > config.toml` starts one."""
    cfg = _loaded_config()
    data = _settings_in_force(cfg)
    if want_json(as_json):
        emit_json(data)
        return
    head = f"# {data['path']}" + ("" if data["exists"] else " (not created yet: all defaults)")
    click.echo("\n".join([head, *_settings_lines(cfg, data)]))


def _settings_lines(cfg: Any, data: dict[str, Any]) -> list[str]:
    """The settings in force as the lines of a config file (a setting not set is a
    comment): what `config show` prints after its first line."""
    lines = [
        f'timezone = "{data["timezone"]}"  # from {data["timezone_from"]}',
        _setting("country", cfg.country),
        _setting("subdivision", cfg.subdivision),
        "\n[me]",
        _setting("name", cfg.my_name),
        _setting("email", cfg.my_email),
        "\n[assess]",
        _setting("rubric", list(cfg.rubric)),
        "\n[profile]",
        _setting("resume", cfg.resume),
        _setting("linkedin", cfg.linkedin),
        "\n[playbook]",
    ]
    lines += [_setting(key, value) for key, value in cfg.playbook.as_dict().items()]
    notify = data["notify"]
    lines += [
        "\n[notify]",
        _setting("digest_hour", notify["digest_hour"]),
        _setting("quiet_hours", notify["quiet_hours"]),
        _channels_line(len(cfg.channels), os.path.basename(cfg.path)),
    ]
    lines += ["\n[history]", _setting("keep_days", cfg.journal_days)]
    return lines


def _channels_line(count: int, file: str) -> str:
    """`[notify] channels` as `config show` prints it: never the URLs (an apprise URL
    may hold a token), only how many the file holds, and that a copy of this output
    has none of them."""
    if not count:
        return '# channels = []  # not set (apprise URLs like "ntfy://topic")'
    return (
        f"# channels: {count} set, kept only in {file} (not shown: they may hold tokens); "
        "afterview config edit changes them"
    )


@config_group.command("edit")
@json_option
def config_edit(as_json: bool) -> None:
    """Open config.toml in $VISUAL or $EDITOR (created from what `config show` prints when
    there is none), then check it: a file that does not read is offered back to the editor
    on a terminal, else the previous version is put back (yours kept as .rejected); a file
    that did not read before is left as you wrote it, and .bak keeps the last good one."""
    import sys

    from afterview.clock import now
    from afterview.config import config_path
    from afterview.errors import AfterviewError, BadInput
    from afterview.services import config_edit as edit

    path = config_path()
    year = now().year
    before = edit.prepare(path, "" if os.path.exists(path) else _template(), year)
    if before.problem is not None:
        click.echo(
            f"afterview: {before.problem.field}: {before.problem.problem}; "
            "it does not read now: the editor opens to fix it",
            err=True,
        )
    while True:
        failed = _run_editor(path)
        try:
            edit.check(path, year)
        except BadInput as exc:
            problem = f"{exc.field}: {exc.problem}"
            if failed is None and sys.stdin.isatty() and sys.stdout.isatty():
                click.echo(f"afterview: {problem}", err=True)
                if click.confirm("Edit it again?", default=True):
                    continue
            after = f" ({failed})" if failed else ""
            if before.problem is not None:  # nothing better to put back: leave it
                raise BadInput(exc.field, f"{exc.problem}{after}; {_still_broken(path)}") from None
            rejected = edit.restore(before)
            back = "the previous version is back" if before.text is not None else "no file kept"
            raise BadInput(
                exc.field, f"{exc.problem}{after}; {back}, yours is in {rejected}"
            ) from None
        if failed is not None:
            raise AfterviewError(f"config edit: {failed}; {path} still reads")
        break
    if want_json(as_json):
        what = (
            "unchanged"
            if not edit.changed(before)
            else "created"
            if before.text is None
            else "saved"
        )
        emit_json({"path": str(path), "result": what})
    elif not edit.changed(before):
        click.echo(f"{path}: unchanged")
    elif before.text is None:
        click.echo(f"Wrote {path} (checked: it reads)")
    elif before.problem is not None:
        click.echo(f"Saved {path} (checked: it reads again; {path}.bak is as it was)")
    else:
        click.echo(f"Saved {path} (checked: it reads; the previous version is {path}.bak)")


def _still_broken(path: str) -> str:
    """What `config edit` says of a file that read neither before nor after the editor."""
    from afterview.services.config_edit import good_backup

    backup = good_backup(path)
    last = f"; the last good version is {backup}" if backup else ""
    return f"it did not read before the editor either, so your text stays in {path}{last}"


def _loaded_config() -> Any:
    """The config file read as start-up reads it; one that does not read is refused
    (`BadInput`, as start-up refuses it) with how to repair it."""
    from afterview.config import config_path, load_config
    from afterview.errors import BadInput
    from afterview.services.config_edit import good_backup

    try:
        return load_config()
    except BadInput as exc:
        error = exc

    backup = good_backup(config_path())
    fix = "fix it with afterview config edit"
    if backup:
        fix += f", or go back to the last good version, {backup}"
    raise BadInput(error.field, f"{error.problem}; {fix}") from None


def _template() -> str:
    """A new file: what `config show` prints, under a header; the zone stays a comment
    when it is the system's, so the file follows the computer when it moves."""
    from afterview.config import load_config

    cfg = load_config()
    lines = _settings_lines(cfg, _settings_in_force(cfg))
    if not cfg.timezone:
        lines[0] = f"# {lines[0]}"
    return _TEMPLATE_HEAD + "\n".join(lines) + "\n"


_TEMPLATE_HEAD = (
    "# afterview settings (afterview config edit). Lines starting with # are comments;\n"
    "# `afterview config show` prints the settings in force. Checked when the editor closes.\n"
)


def _run_editor(path: str) -> str | None:
    """Open `path` in $VISUAL, $EDITOR, else sensible-editor, vim, nano or vi (notepad on
    Windows), as click does; what went wrong when the editor cannot start or fails."""
    try:
        click.edit(filename=path, require_save=False)
    except click.ClickException as exc:
        return f"the editor failed ({' '.join(exc.message.split())}; set $VISUAL or $EDITOR)"
    return None


def _setting(key: str, value: object) -> str:
    """One line of the file `config show` prints; a setting not set is a comment, so the
    whole output reads back as a config file."""
    if value is None:
        return f'# {key} = ""  # not set'
    return f"{key} = {_toml(value)}"


def _toml(value: object) -> str:
    import json

    if isinstance(value, float) and value.is_integer():
        return f"{value:.1f}"
    return json.dumps(value)


@cli.command("where")
@json_option
def where_cmd(as_json: bool) -> None:
    """Where afterview keeps things: the config file, the database, the cache, the secrets
    file (mail secrets where there is no system keyring), the worker's log (when it runs as
    a service)."""
    import os

    from click.core import ParameterSource

    from afterview import paths
    from afterview.autostart import system
    from afterview.cli.app import settings
    from afterview.config import config_path
    from afterview.mail.secret_file import secrets_path
    from afterview.redact import redacted_url

    given = settings().db
    typed = click.get_current_context().find_root().get_parameter_source("db")
    database = given or os.path.join(paths.user_data_dir(), "afterview.db")
    source = (
        "default"
        if not given
        else "--db"
        if typed == ParameterSource.COMMANDLINE
        else "AFTERVIEW_DB"
    )
    server = "://" in database
    config = config_path()
    places = {
        "config": {"path": config, "exists": os.path.exists(config)},
        "database": {
            "path": redacted_url(database) if server else database,  # never a password
            "from": source,
            "exists": server or os.path.exists(database),
        },
        "cache": {"path": paths.user_cache_dir(), "exists": os.path.isdir(paths.user_cache_dir())},
        "secrets": {"path": secrets_path(), "exists": os.path.exists(secrets_path())},
    }
    log, is_file = system.worker_log(system.platform())
    places["log"] = {"path": log, "exists": os.path.exists(log) if is_file else True}
    if want_json(as_json):
        emit_json(places)
        return
    for name, place in places.items():
        shown = place["path"]
        note = "" if place["exists"] else "  (not created yet)"
        if name == "secrets":  # the keyring's stand-in: say so
            note = "  (mail secrets where there is no system keyring; readable only by you)"
            note += "" if place["exists"] else "  (not created yet)"
        origin = f"  (from {place['from']})" if place.get("from", "default") != "default" else ""
        click.echo(f"{name:9} {shown}{origin}{note}")


def _settings_in_force(cfg: Any = None) -> dict[str, Any]:
    """Every setting in force, defaults included, as `config show --json` prints them."""
    import os

    from afterview.clock import system_zone
    from afterview.config import load_config
    from afterview.services.notify import shown

    cfg = cfg or load_config()
    return {
        "path": cfg.path,
        "exists": os.path.exists(cfg.path),
        "timezone": cfg.timezone or system_zone(),
        "timezone_from": "config" if cfg.timezone else "system",
        "country": cfg.country,
        "subdivision": cfg.subdivision,
        "me": {"name": cfg.my_name, "email": cfg.my_email},
        "assess": {"rubric": list(cfg.rubric)},
        "profile": {"resume": cfg.resume, "linkedin": cfg.linkedin},
        "playbook": cfg.playbook.as_dict(),
        "notify": {
            "digest_hour": -1 if cfg.digest_hour is None else cfg.digest_hour,  # -1: none
            "quiet_hours": cfg.quiet_hours,
            # write-only: each channel's place and kind, never its URL (tokens)
            "channels": [shown(url, i) for i, url in enumerate(cfg.channels)],
        },
        "history": {"keep_days": cfg.journal_days},
    }
