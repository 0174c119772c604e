"""Setting up the mail account: checked settings in the database, secrets in the keyring
(or, where there is none, the secrets file readable by the user only)."""

from __future__ import annotations

import os
from typing import Any, NamedTuple

from afterview.errors import BadInput
from afterview.mail import oauth_tokens, secret_store
from afterview.mail.secrets import ENV, password_place, store_password
from afterview.mail.settings import MailSettings
from afterview.services.context import Context
from afterview.store import mail as store


class Setup(NamedTuple):
    """The settings saved, and where each secret given went (`smtp_password` -> "in the
    system keyring", or "in the secrets file FILE")."""

    settings: MailSettings
    kept: dict[str, str]


def setup(
    ctx: Context,
    s: MailSettings,
    *,
    smtp_password: str | None = None,
    imap_password: str | None = None,
    client_secret: str | None = None,
) -> Setup:
    """Save checked settings (`build_settings`); keep the secrets given (keyring, else the
    secrets file). A secret that cannot be kept leaves the database unchanged."""
    if s.oauth2 and (smtp_password is not None or imap_password is not None):
        field = "smtp_password_stdin" if smtp_password is not None else "imap_password_stdin"
        raise BadInput(field, "not used with --auth oauth2 (run `afterview mail login`)")
    if client_secret is not None and not s.oauth2:
        raise BadInput("oauth_client_secret_stdin", "only used with --auth oauth2")
    if imap_password is not None and s.imap_host is None:
        raise BadInput("imap_password_stdin", "needs --imap-host")
    kept: dict[str, str] = {}
    # the secrets first: a refusal there leaves the database unchanged
    if smtp_password is not None:
        kept["smtp_password"] = store_password(
            "smtp", s.smtp_user or s.from_address, s.smtp_host, smtp_password
        )
    if imap_password is not None:
        assert s.imap_host is not None
        kept["imap_password"] = store_password(
            "imap", s.imap_user or s.from_address, s.imap_host, imap_password
        )
    if client_secret is not None:
        kept["oauth_client_secret"] = oauth_tokens.store_client_secret(s, client_secret)
    with ctx.db.transaction():
        store.save_settings(ctx.db, ctx.account, s, ctx.now)
    return Setup(s, kept)


def _password_source(kind: str, user: str, host: str) -> str:
    place = password_place(kind, user, host)
    if place is not None:
        return place
    if secret_store.bound() is not None:  # a server: the mail form's, nothing else
        return "missing: give it in the mail settings"
    if os.environ.get(ENV[kind]):
        return f"from {ENV[kind]}"
    return f"missing: use --{kind}-password-stdin (keyring or secrets file) or set {ENV[kind]}"


def describe(s: MailSettings) -> dict[str, Any]:
    """The settings for people and scripts; secrets only as where they are kept."""
    out: dict[str, Any] = {
        "smtp": f"{s.smtp_host}:{s.smtp_port} ({s.smtp_security})",
        "smtp_user": s.smtp_user,
        "from": f"{s.from_name} <{s.from_address}>" if s.from_name else s.from_address,
    }
    if s.oauth2:
        out["auth"] = f"oauth2 ({s.oauth_provider}, client id {s.oauth_client_id})"
        out["oauth_token"] = oauth_tokens.token_place(s) or ("missing: run `afterview mail login`")
    else:
        out["smtp_password"] = (
            _password_source("smtp", s.smtp_user, s.smtp_host) if s.smtp_user else "not needed"
        )
    out["imap"] = f"{s.imap_host}:{s.imap_port} ({s.imap_security})" if s.imap_host else None
    if s.imap_host:
        user = s.imap_user or s.from_address
        out["imap_user"] = user
        if not s.oauth2:
            out["imap_password"] = _password_source("imap", user, s.imap_host)
        out["sent_folder"] = s.sent_folder
    out["my_addresses"] = list(s.own_addresses() - {s.from_address.lower()}) or []
    out["allow_insecure"] = s.allow_insecure
    return out
