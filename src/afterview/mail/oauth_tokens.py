"""The account's OAuth2 tokens, kept with the other secrets (keyring, else the secrets
file), and a fresh access token when one is needed to log in.

Kept under `oauth2:{user}@{provider}` as one JSON text: the access token, when it
expires, the refresh token. The client secret (Google's desktop clients have one; it
is not much of a secret, but it is kept like one) under `oauth2-client:{id}@{provider}`.
The moment the token is compared with is the caller's `now` (the context's): nothing
here reads the clock.
"""

from __future__ import annotations

from datetime import datetime

from afterview.mail import oauth2
from afterview.mail.sasl import Bearer
from afterview.mail.secrets import delete_secret, get_secret, put_secret
from afterview.mail.settings import MailSettings


def _token_key(s: MailSettings) -> str:
    return f"oauth2:{s.login_user}@{s.oauth_provider}"


def _client_key(s: MailSettings) -> str:
    return f"oauth2-client:{s.oauth_client_id}@{s.oauth_provider}"


def store_client_secret(s: MailSettings, secret: str) -> str:
    """Keep the client secret of the account's client id; return where it went."""
    return put_secret(_client_key(s), secret)


def client_secret(s: MailSettings) -> str | None:
    """The client secret kept for the account's client id, or None."""
    return get_secret(_client_key(s)).value


def store_tokens(s: MailSettings, tokens: oauth2.Tokens) -> str:
    """Keep the account's tokens; return where they went."""
    return put_secret(_token_key(s), tokens.to_json())


def forget_tokens(s: MailSettings) -> None:
    """Forget the account's tokens (keyring and secrets file)."""
    delete_secret(_token_key(s))


def kept_tokens(s: MailSettings) -> oauth2.Tokens | None:
    """The account's tokens, or None when there are none (or they cannot be read)."""
    found = get_secret(_token_key(s))
    return oauth2.Tokens.from_json(found.value) if found.value else None


def token_place(s: MailSettings) -> str | None:
    """Where the account's tokens are kept (`mail show`), None when nowhere."""
    return get_secret(_token_key(s)).where


def _login_needed(s: MailSettings, why: str) -> oauth2.LoginNeeded:
    return oauth2.LoginNeeded(
        f"oauth2: {why} for {s.login_user} at {s.oauth_provider}; "
        "run `afterview mail login` to sign in"
    )


def renewed(s: MailSettings, now: datetime) -> oauth2.Tokens:
    """Ask the token endpoint for a new access token now, and keep it."""
    assert s.oauth_provider is not None and s.oauth_client_id is not None
    kept = kept_tokens(s)
    if kept is None or not kept.refresh_token:
        raise _login_needed(s, "no sign-in kept")
    p = oauth2.provider(s.oauth_provider)
    tokens = oauth2.refresh(p, s.oauth_client_id, client_secret(s), kept.refresh_token, now)
    store_tokens(s, tokens)
    return tokens


def bearer(s: MailSettings, now: datetime) -> Bearer:
    """A token to log in with at `now`: the one kept while it has a few minutes left,
    else a renewed one; a refusal of the server renews it once more (`Bearer.again`)."""
    kept = kept_tokens(s)
    if kept is None:
        raise _login_needed(s, "no sign-in kept")
    if not kept.fresh(now):
        kept = renewed(s, now)
    return Bearer(s.login_user, kept.access_token, lambda: renewed(s, now).access_token)
