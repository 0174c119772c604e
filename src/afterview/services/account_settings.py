"""A server account's settings: its own copy when it made one, else the centre's file.

The copy starts as the centre's file (comments and all) without its notification
channels: on a server the channels are the centre's own and never an account's (they
would send one seeker's alerts to the centre's channel, or the reverse).
"""

from __future__ import annotations

from afterview.config import Config, parse_config
from afterview.errors import BadInput
from afterview.store import account_config
from afterview.store.db import Database


def config_for(db: Database, account: int, base: Config) -> tuple[Config, str | None]:
    """The settings of `account` on a server (`base`: the centre's file, read), and the
    text they come from (None: the centre's)."""
    db.use_account(account)  # row-level security shows the account's own row only
    text = account_config.get(db, account)
    if text is None:
        return base._replace(channels=()), None
    import tomllib

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return base._replace(channels=()), None  # written checked: never, but not fatal
    try:
        return parse_config(raw, base.path)._replace(channels=()), text
    except BadInput:
        return base._replace(channels=()), None


def own_text(db: Database, account: int, centre_text: str | None) -> str | None:
    """The text an account's change starts from: its copy, else the centre's file without
    its notification channels."""
    text = account_config.get(db, account)
    if text is not None:
        return text
    if centre_text is None:
        return None
    import tomlkit

    doc = tomlkit.parse(centre_text)
    notify = doc.get("notify")
    if notify is not None and "channels" in notify:
        del notify["channels"]
    return tomlkit.dumps(doc)


def keep(db: Database, account: int, text: str, now: object) -> None:
    """Keep the account's own settings (checked by the caller)."""
    from datetime import datetime

    assert isinstance(now, datetime)
    with db.unrecorded(), db.transaction():
        account_config.put(db, account, text, now)
