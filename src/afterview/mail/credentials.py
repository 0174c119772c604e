"""What the account logs in with: a password (keyring, secrets file or environment), or an
OAuth2 access token renewed when it is about to expire (`oauth_tokens.py`).

`connect_smtp` and `connect_imap` take either: a text is a password, a `sasl.Bearer` a
token for OAUTHBEARER / XOAUTH2.
"""

from __future__ import annotations

from datetime import datetime

from afterview.mail import oauth_tokens
from afterview.mail.sasl import Bearer
from afterview.mail.secrets import find_password, require_password
from afterview.mail.settings import MailSettings

Secret = str | Bearer


def _user(s: MailSettings, kind: str) -> tuple[str, str]:
    if kind == "smtp":
        return s.smtp_user or s.from_address, s.smtp_host
    assert s.imap_host is not None
    return s.imap_user or s.from_address, s.imap_host


def login(s: MailSettings, kind: str, now: datetime) -> Secret | None:
    """What to log in to `kind` (smtp or imap) with at `now`; None when no password is
    found. An OAuth2 account without a sign-in raises `oauth2.LoginNeeded`; a token that
    cannot be renewed now, `oauth2.OAuthUnavailable`."""
    if s.oauth2:
        return oauth_tokens.bearer(s, now)
    return find_password(kind, *_user(s, kind))


def require(s: MailSettings, kind: str, now: datetime) -> Secret:
    """As `login`, but a missing password says where to put it (`BadInput`)."""
    if s.oauth2:
        return oauth_tokens.bearer(s, now)
    return require_password(kind, *_user(s, kind))


def has_login(s: MailSettings, kind: str) -> bool:
    """True when something to log in with is kept (no network: a token is not renewed)."""
    if s.oauth2:
        return oauth_tokens.kept_tokens(s) is not None
    return find_password(kind, *_user(s, kind)) is not None
