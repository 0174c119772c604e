"""A real OAuth2 provider for the tests, served over HTTP on 127.0.0.1 in a thread.

It stands in for Google and Microsoft at `{base_url}/{google|microsoft}/…` (afterview
is pointed at it with `AFTERVIEW_OAUTH2_URL`), and answers Dovecot's and the test SMTP
server's questions about a token:

- `POST /{p}/token`: `refresh_token`, `authorization_code` (PKCE S256 checked against
  the `/authorize` request) and the device-code grant; errors as RFC 6749 5.2 says.
- `GET /{p}/authorize`: checks the request (client id, loopback redirect, S256) and
  redirects to `redirect_uri?code=…&state=…`, as a provider does once the user signs in:
  the test plays the browser by fetching the printed address.
- `POST /{p}/devicecode`: a device code; polls answer `authorization_pending`
  `pending` times (`slow_down` first when `slow_down` is set), then the tokens.
- `POST /introspect`: RFC 7662 for Dovecot's oauth2 passdb (`introspection_mode = post`):
  `{"active": true, "email": USER}` for a live access token, else `{"active": false}`.

Access tokens live until the test expires them (`expire_access_tokens`) or for
`access_lifetime` seconds of real time; refresh tokens until `revoke`d.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.server
import json
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from tests.mailservers import HOST, ME

CLIENT_ID = "test-client.apps.example"
CLIENT_SECRET = "test-client-secret-123"


@dataclass
class _Access:
    user: str
    until: float
    active: bool = True


@dataclass
class OAuthProvider:
    """The provider; `start()` it, `stop()` it. Every request is kept in `requests`."""

    users: tuple[str, ...] = (ME,)
    client_id: str = CLIENT_ID
    #: Google's desktop clients send a secret; None: none is needed (Microsoft's public ones)
    client_secret: str | None = None
    access_lifetime: int = 3600
    #: device flow: how many polls answer authorization_pending before the user is done
    pending: int = 1
    slow_down: bool = False
    device_expires_in: int = 600
    device_interval: int = 1
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    access: dict[str, _Access] = field(default_factory=dict)
    refresh: dict[str, tuple[str, bool]] = field(default_factory=dict)  # token: (user, revoked)
    introspected: list[str] = field(default_factory=list)
    _codes: dict[str, dict[str, str]] = field(default_factory=dict)
    _devices: dict[str, dict[str, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: http.server.ThreadingHTTPServer | None = None

    # life cycle ------------------------------------------------------------------------------
    def start(self) -> None:
        provider = self

        class Handler(_Handler):
            owner = provider

        self._server = http.server.ThreadingHTTPServer((HOST, 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()

    def __enter__(self) -> OAuthProvider:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://{HOST}:{self._server.server_address[1]}"

    @property
    def introspection_url(self) -> str:
        return f"{self.base_url}/introspect"

    # what a test does ------------------------------------------------------------------------
    def grant(self, user: str = ME) -> tuple[str, str]:
        """New access and refresh tokens for `user`, as after a sign-in."""
        with self._lock:
            return self._issue(user, new_refresh=True)

    def expire_access_tokens(self) -> None:
        """Every access token given so far stops working (the server rejects it)."""
        with self._lock:
            for a in self.access.values():
                a.active = False

    def revoke(self) -> None:
        """Every refresh token given so far is revoked (the user withdrew the access)."""
        with self._lock:
            self.refresh = {t: (u, True) for t, (u, _r) in self.refresh.items()}

    def user_of(self, token: str) -> str | None:
        """The user a live access token is for, else None (what introspection says)."""
        with self._lock:
            a = self.access.get(token)
            if a is None or not a.active or time.time() > a.until:
                return None
            return a.user

    def grants(self, kind: str) -> int:
        """How many token requests of grant `kind` were made (`refresh_token`, …)."""
        return sum(1 for path, form in self.requests if form.get("grant_type") == kind)

    # inside -----------------------------------------------------------------------------------
    def _issue(self, user: str, new_refresh: bool) -> tuple[str, str]:
        access = "at-" + secrets.token_urlsafe(24)
        self.access[access] = _Access(user, time.time() + self.access_lifetime)
        refresh = ""
        if new_refresh:
            refresh = "rt-" + secrets.token_urlsafe(24)
            self.refresh[refresh] = (user, False)
        return access, refresh

    def _answer(self, user: str, new_refresh: bool) -> dict[str, Any]:
        access, refresh = self._issue(user, new_refresh)
        out: dict[str, Any] = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": self.access_lifetime,
        }
        if refresh:
            out["refresh_token"] = refresh
        return out

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if form.get("client_id") != self.client_id:
            return 401, {"error": "invalid_client", "error_description": "unknown client"}
        if self.client_secret is not None and form.get("client_secret") != self.client_secret:
            return 401, {"error": "invalid_client", "error_description": "bad client secret"}
        grant = form.get("grant_type")
        with self._lock:
            if grant == "refresh_token":
                user, revoked = self.refresh.get(form.get("refresh_token", ""), ("", True))
                if revoked:
                    return 400, {"error": "invalid_grant", "error_description": "token revoked"}
                return 200, self._answer(user, new_refresh=False)
            if grant == "authorization_code":
                code = self._codes.pop(form.get("code", ""), None)
                if code is None or code["redirect_uri"] != form.get("redirect_uri"):
                    return 400, {"error": "invalid_grant", "error_description": "bad code"}
                digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
                challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
                if challenge != code["code_challenge"]:
                    return 400, {"error": "invalid_grant", "error_description": "PKCE failed"}
                return 200, self._answer(code["user"], new_refresh=True)
            if grant == "urn:ietf:params:oauth:grant-type:device_code":
                device = self._devices.get(form.get("device_code", ""))
                if device is None:
                    return 400, {"error": "invalid_grant"}
                device["polls"] += 1
                if self.slow_down and device["polls"] == 1:
                    return 400, {"error": "slow_down"}
                if device["polls"] <= self.pending + int(self.slow_down):
                    return 400, {"error": "authorization_pending"}
                self._devices.pop(form["device_code"])
                return 200, self._answer(self.users[0], new_refresh=True)
        return 400, {"error": "unsupported_grant_type"}

    def device_code(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if form.get("client_id") != self.client_id:
            return 400, {"error": "invalid_client"}
        code = secrets.token_urlsafe(16)
        with self._lock:
            self._devices[code] = {"polls": 0}
        return 200, {
            "device_code": code,
            "user_code": "ABCD-EFGH",
            "verification_uri": f"{self.base_url}/device",
            "expires_in": self.device_expires_in,
            "interval": self.device_interval,
        }

    def authorize(self, query: dict[str, str]) -> str | tuple[int, str]:
        """The redirect of a sign-in the user completes, or (status, why) for a bad request."""
        redirect = query.get("redirect_uri", "")
        parts = urllib.parse.urlsplit(redirect)
        if query.get("client_id") != self.client_id:
            return 400, "unknown client"
        if parts.scheme != "http" or parts.hostname != HOST or not parts.port:
            return 400, "the redirect must be a loopback address"
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return 400, "PKCE S256 required"
        if query.get("response_type") != "code" or not query.get("state"):
            return 400, "bad request"
        code = secrets.token_urlsafe(16)
        with self._lock:
            self._codes[code] = {
                "redirect_uri": redirect,
                "code_challenge": query["code_challenge"],
                "user": query.get("login_hint") or self.users[0],
            }
        return f"{redirect}?{urllib.parse.urlencode({'code': code, 'state': query['state']})}"


class _Handler(http.server.BaseHTTPRequestHandler):
    owner: OAuthProvider

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: dict[str, Any] | str, location: str | None = None) -> None:
        data = (json.dumps(body) if isinstance(body, dict) else body).encode()
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        ctype = "application/json" if isinstance(body, dict) else "text/plain"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode()
        form = dict(urllib.parse.parse_qsl(raw, keep_blank_values=True))
        path = urllib.parse.urlsplit(self.path).path
        self.owner.requests.append((path, form))
        if path == "/introspect":
            token = form.get("token", "")
            self.owner.introspected.append(token)
            user = self.owner.user_of(token)
            self._send(200, {"active": True, "email": user} if user else {"active": False})
        elif path.endswith("/token"):
            self._send(*self.owner.token(form))
        elif path.endswith("/devicecode"):
            self._send(*self.owner.device_code(form))
        else:
            self._send(404, {"error": "not_found"})

    def do_GET(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parts.query))
        self.owner.requests.append((parts.path, query))
        if parts.path.endswith("/authorize"):
            found = self.owner.authorize(query)
            if isinstance(found, str):
                self._send(302, "", location=found)
            else:
                self._send(*found)
        else:
            self._send(404, "not found")


@contextlib.contextmanager
def running(**kwargs: Any) -> Any:
    """An `OAuthProvider(**kwargs)` for the length of a `with`."""
    p = OAuthProvider(**kwargs)
    p.start()
    try:
        yield p
    finally:
        p.stop()
