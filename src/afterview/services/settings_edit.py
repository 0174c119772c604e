"""Reading and changing `config.toml` from the web app.

The file stays the user's: `tomlkit` keeps their comments and layout, a change is
checked by the same `parse_config` as at start-up before anything is written, the
write is atomic and the previous file is kept as `config.toml.bak`. Notification
channels are write-only: they are listed as `channels[N] (scheme)`, never as URLs.
"""

from __future__ import annotations

import os
from typing import Any

from afterview.config import Config, parse_config
from afterview.core.playbook import Playbook
from afterview.errors import BadInput
from afterview.outfile import replace_text
from afterview.services.context import Context
from afterview.services.notify import shown

_TOP = ("timezone", "country", "subdivision")
_ME = ("name", "email")
_NOTIFY = ("digest_hour", "quiet_hours")


def playbook_fields() -> list[tuple[str, Any]]:
    """Every playbook setting with its default, in the playbook's order."""
    defaults = Playbook()
    return [(name, getattr(defaults, name)) for name in Playbook._fields]


def settings_view(ctx: Context) -> dict[str, Any]:
    """The settings as the web app shows them (no secret in it)."""
    from afterview.services import feed_token
    from afterview.services.mailsetup import describe
    from afterview.store import mail as mailstore

    c = ctx.config
    mail = mailstore.get_settings(ctx.db, ctx.account)
    return {
        "config_path": c.path,
        "timezone": c.timezone,
        "effective_timezone": ctx.user_tz,
        "country": c.country,
        "subdivision": c.subdivision,
        "name": c.my_name,
        "email": c.my_email,
        "rubric": list(c.rubric),
        "playbook": [
            {"key": k, "value": _shown(getattr(c.playbook, k)), "default": _shown(d)}
            for k, d in playbook_fields()
        ],
        "notify": {
            "channels": [shown(url, i) for i, url in enumerate(c.channels)],
            "digest_hour": c.digest_hour,
            "quiet_hours": c.quiet_hours,
        },
        "mail": describe(mail) if mail else None,
        # how the account logs in, for the form to keep (never a secret)
        "mail_auth": {
            "auth": mail.auth if mail else "password",
            "oauth_provider": mail.oauth_provider if mail else None,
            "oauth_client_id": mail.oauth_client_id if mail else None,
        },
        "calendar_feed": feed_token.has_token(ctx),
    }


def _shown(value: Any) -> Any:
    return ", ".join(value) if isinstance(value, tuple) else value


def _number(text: str, default: Any, field: str) -> Any:
    if isinstance(default, tuple):
        return [p.strip().lower() for p in text.split(",") if p.strip()]
    if isinstance(default, str):
        return text.strip()
    try:
        return int(text) if isinstance(default, int) else float(text)
    except ValueError:
        kind = "a whole number" if isinstance(default, int) else "a number"
        raise BadInput(field, f"expected {kind}, got {text[:40]!r}") from None


def save_settings(
    ctx: Context,
    values: dict[str, str],
    *,
    add_channel: str | None = None,
    remove_channels: tuple[int, ...] = (),
    new_file_comment: str | None = None,
) -> Config:
    """Apply the changed values (an empty text removes the setting) and write the file.

    Keys: `timezone`, `country`, `subdivision`, `name`, `email`, `digest_hour`,
    `quiet_hours`, and `playbook.<setting>`. Unknown keys are refused.
    `new_file_comment` opens the file when there was none (one line of text).
    """
    import tomlkit

    if ctx.settings_in_db:  # a server's account: its own copy, never the shared file
        from afterview.services import account_settings

        if add_channel or remove_channels:
            raise BadInput(
                "add_channel", "on this server notifications are the career centre's to set"
            )
        original = account_settings.own_text(ctx.db, ctx.account, _read(ctx.config.path))
        doc, config = _changed(ctx, original, values, None, (), None)
        account_settings.keep(ctx.db, ctx.account, tomlkit.dumps(doc), ctx.now)
        return config
    original = _read(ctx.config.path)
    doc, config = _changed(ctx, original, values, add_channel, remove_channels, new_file_comment)
    _write(ctx.config.path, tomlkit.dumps(doc), original)
    return config


def check_settings(ctx: Context, values: dict[str, str]) -> Config:
    """Check `values` as `save_settings` would (on the file as it is, with the same checks
    as at start-up) and write nothing: the settings they would give, or `BadInput` naming
    the setting refused. Lets a caller check each answer as it is given."""
    _doc, config = _changed(ctx, _read(ctx.config.path), values, None, (), None)
    return config


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput("config", f"cannot read {path}: {exc}") from None


def _changed(
    ctx: Context,
    original: str | None,
    values: dict[str, str],
    add_channel: str | None,
    remove_channels: tuple[int, ...],
    new_file_comment: str | None,
) -> tuple[Any, Config]:
    """The document with `values` applied, and the settings it gives (checked)."""
    import tomlkit

    path = ctx.config.path
    doc = tomlkit.parse(original) if original else tomlkit.document()
    if original is None and new_file_comment:
        from afterview.textcheck import check_line

        doc.add(tomlkit.comment(check_line(new_file_comment, "comment")))
    defaults = dict(playbook_fields())
    for key, text in values.items():
        text = text.strip()
        if key in _TOP:
            _put(doc, key, text or None)
        elif key in _ME:
            _put(_table(doc, "me"), key, text or None)
        elif key == "digest_hour":
            _put(_table(doc, "notify"), key, _number(text, 0, key) if text else None)
        elif key == "quiet_hours":
            _put(_table(doc, "notify"), key, text or None)
        elif key.startswith("playbook.") and key[9:] in defaults:
            name = key[9:]
            value = _number(text, defaults[name], key) if text else None
            table = _table(doc, "playbook")
            if value is None or (value == _plain(defaults[name]) and name not in table):
                _put(table, name, None)
            else:
                _put(table, name, value)
        else:
            raise BadInput(key, "unknown setting")
    channels = list(ctx.config.channels)
    if remove_channels or add_channel:
        for i in sorted(set(remove_channels), reverse=True):
            if not 0 <= i < len(channels):
                raise BadInput("remove_channel", f"there is no channels[{i}]")
            del channels[i]
        if add_channel:
            channels.append(add_channel.strip())
        _put(_table(doc, "notify"), "channels", channels or None)
    _drop_empty(doc)
    config = parse_config(doc.unwrap(), path)  # the same checks as at start-up
    check_values(config, ctx.now.year)
    return doc, config


def check_values(config: Config, year: int) -> None:
    """What start-up would only find later: a holidays country or region that is not
    known (for `year`), a name that cannot sign a draft, an address that is not one."""
    from afterview.mail.headers import check_address
    from afterview.parsing import check_line
    from afterview.services.holidays import holiday_dates

    if config.my_name is not None:
        check_line(config.my_name, "name", limit=200)
    if config.my_email is not None:
        check_address(config.my_email, "email")
    if config.country:
        holiday_dates(config.country, config.subdivision, [year])


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _table(doc: Any, name: str) -> Any:
    import tomlkit

    if name not in doc:
        doc[name] = tomlkit.table()
    table = doc[name]
    if not isinstance(table, dict):
        raise BadInput(f"config {name}", "expected a table")
    return table


def _put(table: Any, key: str, value: Any) -> None:
    if value is None:
        if key in table:
            del table[key]
    else:
        table[key] = value


def _drop_empty(doc: Any) -> None:
    for name in ("me", "notify", "playbook"):
        if name in doc and isinstance(doc[name], dict) and not doc[name]:
            del doc[name]


def _write(path: str, text: str, original: str | None) -> None:
    """Write atomically, keeping the file's mode (0600 for a new one: it may hold
    channel secrets); the previous text goes to `.bak` with the same mode."""
    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, exist_ok=True)
        try:
            mode = os.stat(path).st_mode & 0o777
        except FileNotFoundError:
            mode = 0o600
        if original is not None:
            replace_text(f"{path}.bak", original, mode)
        replace_text(path, text, mode)
    except OSError as exc:
        raise BadInput("config", f"cannot write {path}: {exc.strerror}") from None


def atomic_write(path: str, text: str, mode: int) -> None:
    """Write `text` to `path` atomically with `mode` (its folder created);
    `BadInput("config")` when it cannot be written."""
    try:
        replace_text(path, text, mode)
    except OSError as exc:
        raise BadInput("config", f"cannot write {path}: {exc.strerror}") from None
