"""Logging in to IMAP and SMTP with an OAuth2 access token: OAUTHBEARER (RFC 7628) when
the server offers it, else XOAUTH2 (Google's and Microsoft's older mechanism).

A token the server refuses is renewed once (`Bearer.renew`: the token endpoint is asked
for a new one, `oauth_tokens.py`) and the login tried again on the same connection; a
second refusal says in one line to run `afterview mail login`.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from typing import Any

from afterview.mail.smtp import MailSetupError

PREFERRED = ("OAUTHBEARER", "XOAUTH2")


class Bearer:
    """An access token for `user`, and how to get a new one (None: it cannot be renewed).

    `renew()` returns the new token; the object keeps it, so the next login of the same
    pass (the worker sends several messages) uses it."""

    def __init__(self, user: str, token: str, renew: Callable[[], str] | None = None) -> None:
        self.user = user
        self.token = token
        self.renew = renew
        self.renewed = False

    def again(self) -> bool:
        """Take a new token once; False when that was done already or cannot be."""
        if self.renewed or self.renew is None:
            return False
        self.token = self.renew()
        self.renewed = True
        return True

    def __repr__(self) -> str:  # never the token
        return f"Bearer(user={self.user!r})"


class TokenRefused(MailSetupError):
    """The server refused the access token even after it was renewed (exit 2)."""


def initial_response(mechanism: str, user: str, token: str, host: str, port: int) -> str:
    """The client's first message for `mechanism` (XOAUTH2 or OAUTHBEARER)."""
    if mechanism == "XOAUTH2":
        return f"user={user}\x01auth=Bearer {token}\x01\x01"
    authzid = user.replace("=", "=3D").replace(",", "=2C")
    return f"n,a={authzid},\x01host={host}\x01port={port}\x01auth=Bearer {token}\x01\x01"


def pick(offered: set[str], host: str, port: int) -> str:
    """The mechanism to use among those the server offers (upper case)."""
    for mechanism in PREFERRED:
        if mechanism in offered:
            return mechanism
    raise MailSetupError(
        f"authentication: {host}:{port} offers neither OAUTHBEARER nor XOAUTH2 "
        f"(it offers {', '.join(sorted(offered)) or 'no AUTH'}); use --auth password"
    )


def _refused(host: str, port: int, said: str) -> TokenRefused:
    return TokenRefused(
        f"authentication: {host}:{port} refused the OAuth2 token ({said}); "
        "run `afterview mail login` to sign in again"
    )


def _exchange(first: str, mechanism: str) -> Callable[..., str]:
    """The client's side of the exchange: `first` to the first call (no challenge, or the
    server's empty one), then to an error challenge an empty answer (XOAUTH2) or ^A
    (OAUTHBEARER, RFC 7628 3.2.3), so that the server ends it with its refusal."""
    calls: list[object] = []

    def respond(challenge: bytes | None = None) -> str:
        calls.append(challenge)
        if len(calls) == 1:
            return first
        return "" if mechanism == "XOAUTH2" else "\x01"

    return respond


# -- SMTP ------------------------------------------------------------------------------------------
def smtp_login(conn: smtplib.SMTP, bearer: Bearer, host: str, port: int) -> None:
    """AUTH with the token on an open SMTP session (after EHLO and STARTTLS)."""
    offered = set(str(conn.esmtp_features.get("auth", "")).upper().split())
    mechanism = pick(offered, host, port)
    while True:
        first = initial_response(mechanism, bearer.user, bearer.token, host, port)
        try:
            conn.auth(mechanism, _exchange(first, mechanism), initial_response_ok=True)
            return
        except smtplib.SMTPAuthenticationError as exc:
            said = _said(exc.smtp_error)
            if not bearer.again():
                raise _refused(host, port, f"{exc.smtp_code} {said}") from None


def _said(text: Any) -> str:
    return (text.decode(errors="replace") if isinstance(text, bytes) else str(text)).strip()


# -- IMAP ------------------------------------------------------------------------------------------
def imap_login(client: Any, bearer: Bearer, host: str, port: int) -> None:
    """AUTHENTICATE with the token on an open imapclient session (after STARTTLS)."""
    offered = {
        c.decode("ascii", "replace").upper()[5:]
        for c in client.capabilities()
        if c.upper().startswith(b"AUTH=")
    }
    mechanism = pick(offered, host, port)
    imap = client._imap  # imaplib's session: imapclient answers a challenge with the token again
    while True:
        first = initial_response(mechanism, bearer.user, bearer.token, host, port)
        try:
            imap.authenticate(mechanism, _exchange(first, mechanism))
            return
        except imap.error as exc:
            said = str(exc)
            if not bearer.again():
                raise _refused(host, port, said) from None
