"""Signing in with the provider, the two ways a command-line program can (`mail login`).

- The device-code flow (RFC 8628, Microsoft): afterview asks for a code, the user opens
  the address shown on any device and types the code; afterview asks the token endpoint
  every `interval` seconds (5 more after each `slow_down`) until the user is done, and
  gives up when the code expires (`expires_in`).
- The loopback flow (RFC 8252, Google): afterview listens once on 127.0.0.1 and a random
  port, opens the provider's sign-in page in the browser (and prints its address), and
  takes the code the browser brings back. PKCE (S256) ties the code to this process,
  and `state` to this request: a request with another state is answered 400 and ignored.

The waiting is measured with a monotonic clock and `sleep`, both given by the caller
(tests pass a recording pair); the tokens' lifetime counts from the caller's `now`, the
moment the sign-in began (so a token is renewed a little early, never late).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import http.server
import secrets
import time
import urllib.parse
from collections.abc import Callable
from datetime import datetime
from typing import Any

from afterview.mail import oauth2
from afterview.mail.oauth2 import OAuthRefused, Provider, Tokens
from afterview.redact import remember
from afterview.textcheck import clean_line

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
#: How long the loopback flow waits for the browser, in seconds.
BROWSER_WAIT = 300.0

Say = Callable[[str], None]


class LoginFailed(oauth2.LoginNeeded):
    """The sign-in did not complete: declined, expired, or the provider refused (exit 2)."""


def _link(value: object, what: str) -> str:
    """An address from the provider, to print: https (or http to this machine), one line."""
    if not isinstance(value, str):
        raise oauth2.OAuthUnavailable(f"oauth2: the device-code answer has no {what}")
    url = clean_line(value, 500)
    try:
        return oauth2.check_url(url, what)
    except Exception:
        raise oauth2.OAuthUnavailable(
            f"oauth2: the device-code answer's {what} is not https"
        ) from None


# -- device code (RFC 8628) ------------------------------------------------------------------------
def device_flow(
    p: Provider,
    client_id: str,
    client_secret: str | None,
    now: datetime,
    say: Say,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Tokens:
    """Sign in with a code the user types at the provider's address; return the tokens."""
    start = clock()
    asked = oauth2.post_form(p.device_url, {"client_id": client_id, "scope": p.scope})
    device_code = oauth2.token_text(asked.get("device_code"), "device_code")
    user_code = clean_line(str(asked.get("user_code") or ""), 40)
    if not user_code:
        raise oauth2.OAuthUnavailable("oauth2: the device-code answer has no user_code")
    link = _link(asked.get("verification_uri") or asked.get("verification_url"), "verification_uri")
    life = oauth2.seconds(asked.get("expires_in"), "expires_in", 900, 1, 86400)
    interval = oauth2.seconds(asked.get("interval"), "interval", 5, 1, 600)
    say(f"To sign in with {p.title}, open {link} and enter the code {user_code}")
    say(f"(waiting up to {life // 60 or 1} min; Ctrl-C stops)")
    deadline = start + life
    form = {"grant_type": DEVICE_GRANT, "client_id": client_id, "device_code": device_code}
    if client_secret:
        form["client_secret"] = client_secret
    while True:
        if clock() + interval > deadline:
            raise LoginFailed(
                f"oauth2: the code {user_code} expired before the sign-in was done; "
                "run `afterview mail login` again"
            )
        sleep(interval)
        try:
            answer = oauth2.post_form(p.token_url, form)
        except OAuthRefused as exc:
            if exc.error == "authorization_pending":
                continue
            if exc.error == "slow_down":
                interval += 5
                continue
            if exc.error == "access_denied":
                raise LoginFailed(f"oauth2: the sign-in with {p.title} was declined") from None
            if exc.error == "expired_token":
                raise LoginFailed(
                    f"oauth2: the code {user_code} expired; run `afterview mail login` again"
                ) from None
            raise LoginFailed(f"oauth2: {p.title} refused the sign-in ({exc})") from None
        return oauth2.tokens_from(answer, now)


# -- loopback (RFC 8252) with PKCE (RFC 7636) ------------------------------------------------------
def pkce_pair() -> tuple[str, str]:
    """A code verifier and its S256 challenge."""
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


_PAGE = (
    "<!doctype html><meta charset=utf-8><title>afterview</title>"
    "<p style='font:16px sans-serif;margin:3em'>{}</p>"
)


class _Catcher(http.server.BaseHTTPRequestHandler):
    """Takes the browser's one request back: `?code=…&state=…` (or `?error=…`)."""

    server: _OneShot

    def do_GET(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(parts.query)
        state = query.get("state", [""])[0]
        if parts.path != "/" or not secrets.compare_digest(state, self.server.state):
            self._answer(400, "This is not the sign-in afterview is waiting for.")
            return
        if "error" in query:
            self.server.result = ("error", clean_line(query["error"][0], 100))
            self._answer(200, "The sign-in was not completed; see the terminal.")
            return
        code = query.get("code", [""])[0]
        if not code:
            self._answer(400, "No code in this request.")
            return
        remember(code)
        self.server.result = ("code", code)
        self._answer(200, "Signed in. You can close this tab and go back to the terminal.")

    def _answer(self, status: int, text: str) -> None:
        body = _PAGE.format(html.escape(text)).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the request holds the code."""


class _OneShot(http.server.HTTPServer):
    def __init__(self, state: str) -> None:
        super().__init__(("127.0.0.1", 0), _Catcher)
        self.state = state
        self.result: tuple[str, str] | None = None


def loopback_flow(
    p: Provider,
    client_id: str,
    client_secret: str | None,
    now: datetime,
    say: Say,
    open_url: Callable[[str], object] | None,
    *,
    login_hint: str | None = None,
    wait: float = BROWSER_WAIT,
    clock: Callable[[], float] = time.monotonic,
) -> Tokens:
    """Sign in in the browser and catch its redirect on 127.0.0.1; return the tokens."""
    start = clock()
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(24)
    with _OneShot(state) as server:
        redirect = f"http://127.0.0.1:{server.server_address[1]}/"
        query = {
            "client_id": client_id,
            "redirect_uri": redirect,
            "response_type": "code",
            "scope": p.scope,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "state": state,
            "access_type": "offline",  # Google: a refresh token
            "prompt": "consent",
        }
        if login_hint:
            query["login_hint"] = login_hint
        url = f"{p.authorize_url}?{urllib.parse.urlencode(query)}"
        say(f"To sign in with {p.title}, open this address in a browser on this computer:")
        say(url)
        if open_url is not None:
            with contextlib.suppress(Exception):  # no browser: the address is printed
                open_url(url)
        say(f"(waiting up to {int(wait // 60) or 1} min for the browser; Ctrl-C stops)")
        server.timeout = 0.5
        while server.result is None:
            if clock() - start > wait:
                raise LoginFailed(
                    "oauth2: no answer from the browser in time; run `afterview mail login` again"
                )
            server.handle_request()
        kind, value = server.result
    if kind == "error":
        raise LoginFailed(f"oauth2: the sign-in with {p.title} was not completed ({value})")
    form = {
        "grant_type": "authorization_code",
        "code": value,
        "redirect_uri": redirect,
        "client_id": client_id,
        "code_verifier": verifier,
    }
    if client_secret:
        form["client_secret"] = client_secret
    try:
        answer = oauth2.post_form(p.token_url, form)
    except OAuthRefused as exc:
        raise LoginFailed(f"oauth2: {p.title} refused the sign-in ({exc})") from None
    return oauth2.tokens_from(answer, now)
