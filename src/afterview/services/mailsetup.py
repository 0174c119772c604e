"""Setting up the mail account: checked settings in the database, passwords in the keyring."""

from __future__ import annotations

import os
from typing import Any

from afterview.errors import BadInput
from afterview.mail.secrets import ENV, in_keyring, store_password
from afterview.mail.settings import MailSettings
from afterview.services.context import Context
from afterview.store import mail as store


def setup(
    ctx: Context,
    s: MailSettings,
    *,
    smtp_password: str | None = None,
    imap_password: str | None = None,
) -> MailSettings:
    """Save checked settings (`build_settings`); keep the passwords given in the system keyring."""
    # the keyring first: a refusal there leaves the database unchanged
    if smtp_password is not None:
        store_password("smtp", s.smtp_user or s.from_address, s.smtp_host, smtp_password)
    if imap_password is not None:
        if s.imap_host is None:
            raise BadInput("imap_password_stdin", "needs --imap-host")
        store_password("imap", s.imap_user or s.from_address, s.imap_host, imap_password)
    with ctx.db.transaction():
        store.save_settings(ctx.db, ctx.account, s, ctx.now)
    return s


def _password_source(kind: str, user: str, host: str) -> str:
    if in_keyring(kind, user, host):
        return "in the system keyring"
    if os.environ.get(ENV[kind]):
        return f"from {ENV[kind]}"
    return f"missing: use --{kind}-password-stdin (keyring) or set {ENV[kind]}"


def describe(s: MailSettings) -> dict[str, Any]:
    """The settings for people and scripts; passwords only as where they come from."""
    out: dict[str, Any] = {
        "smtp": f"{s.smtp_host}:{s.smtp_port} ({s.smtp_security})",
        "smtp_user": s.smtp_user,
        "from": f"{s.from_name} <{s.from_address}>" if s.from_name else s.from_address,
        "smtp_password": (
            _password_source("smtp", s.smtp_user, s.smtp_host) if s.smtp_user else "not needed"
        ),
        "imap": f"{s.imap_host}:{s.imap_port} ({s.imap_security})" if s.imap_host else None,
    }
    if s.imap_host:
        user = s.imap_user or s.from_address
        out["imap_user"] = user
        out["imap_password"] = _password_source("imap", user, s.imap_host)
        out["sent_folder"] = s.sent_folder
    out["my_addresses"] = list(s.own_addresses() - {s.from_address.lower()}) or []
    out["allow_insecure"] = s.allow_insecure
    return out
