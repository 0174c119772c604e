"""The web app's guard: host names, cross-site requests, the CSRF token, security headers.

- **Host check** (against DNS rebinding): a request whose `Host` is not one of the
  names the app was started for is refused before any route runs.
- **Cross-site refusal:** a state-changing request that the browser marks as coming
  from another site (`Sec-Fetch-Site: cross-site`, or an `Origin` that is not this
  app) is refused.
- **CSRF token** (double submit): the first response sets a random token in a
  `SameSite=Strict`, `HttpOnly` cookie; every page carries it in its forms and in
  `hx-headers`, and every POST, PUT, PATCH or DELETE must send it back, as the
  `X-CSRF-Token` header or the `csrf_token` form field (`require_csrf`).
- **Headers:** a strict Content-Security-Policy (scripts and styles from this app
  only, nothing inline, no frames), no referrer to other sites, no MIME sniffing.
"""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any

from fastapi import HTTPException, Request

CSRF_COOKIE = "afterview_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Content types that show the current state (pages, the API, the charts): never cached.
_CURRENT = (b"text/html", b"application/json", b"image/svg+xml")
MAX_BODY = 4 * 1024 * 1024
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # nothing leaves; forms keep their Origin
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def host_name(host_header: str) -> str:
    """The name part of a Host header: `[::1]:8080` -> `::1`, `localhost:80` -> `localhost`."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _cookie(headers: dict[str, str], name: str) -> str | None:
    raw = headers.get("cookie")
    if not raw:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # a malformed Cookie header is no token
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


class Guard:
    """ASGI middleware: refuses foreign hosts and cross-site writes, issues the CSRF
    cookie, adds the security headers to every response."""

    def __init__(self, app: ASGIApp, allowed_hosts: tuple[str, ...], https: bool) -> None:
        self.app = app
        self.allowed = {h.lower().strip("[]") for h in allowed_hosts}
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        host = headers.get("host", "")
        if host_name(host) not in self.allowed:
            await _refuse(send, 400, "Host not allowed", _host_text(host))
            return
        method = scope["method"]
        if method in UNSAFE:
            why = _cross_site(headers, host, self.https)
            if why:
                await _refuse(send, 403, "Cross-site request refused", why)
                return
            length = headers.get("content-length", "0")
            if length.isdigit() and int(length) > MAX_BODY:
                await _refuse(
                    send, 413, "Too large", f"requests are limited to {MAX_BODY // 1048576} MB"
                )
                return
        given = _cookie(headers, CSRF_COOKIE)
        issue = given is None or not _TOKEN.fullmatch(given)
        token = secrets.token_urlsafe(32) if issue or given is None else given
        scope.setdefault("state", {})["csrf"] = token

        if method in UNSAFE:
            receive = _limited(receive)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = list(HEADERS)
                kind = dict(message.get("headers", [])).get(b"content-type", b"")
                given = dict(message.get("headers", []))
                if kind.startswith(_CURRENT) and b"cache-control" not in given:
                    # pages, the API and the charts show the current state (and once, a
                    # secret): never from a cache
                    extra.append((b"cache-control", b"no-store"))
                if (
                    kind.startswith(b"text/html")
                    and message["status"] >= 400
                    and "hx-request" in headers
                ):
                    extra.append((b"hx-push-url", b"false"))  # reload shows the page before
                if issue:
                    extra.append((b"set-cookie", self._cookie_header(token).encode("latin-1")))
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except TooLarge:
            await _refuse(
                send, 413, "Too large", f"requests are limited to {MAX_BODY // 1048576} MB"
            )

    def _cookie_header(self, token: str) -> str:
        secure = "; Secure" if self.https else ""
        return f"{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}"


class TooLarge(HTTPException):
    """A request body over `MAX_BODY` (sent without a Content-Length)."""

    def __init__(self) -> None:
        super().__init__(413, f"requests are limited to {MAX_BODY // 1048576} MB")


def _limited(receive: Receive) -> Receive:
    """`receive` that stops a body (chunked, say) once it passes `MAX_BODY`."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > MAX_BODY:
                raise TooLarge()
        return message

    return wrapped


def _host_text(host: str) -> str:
    shown = host.encode("ascii", "replace").decode()[:100]
    return (
        f"this server does not answer to the host name {shown!r}; open it at "
        "http://127.0.0.1 (or start it with --allow-host)"
    )


def _cross_site(headers: dict[str, str], host: str, https: bool) -> str | None:
    site = headers.get("sec-fetch-site")
    if site == "cross-site":
        return "the browser says this request comes from another site"
    origin = headers.get("origin")
    if origin and origin != "null":
        own = {f"http://{host}", f"https://{host}"} if not https else {f"https://{host}"}
        if origin.lower() not in {o.lower() for o in own}:
            return "the request comes from another origin"
    elif origin == "null" and site != "same-origin":
        return "the request comes from an opaque origin"
    return None


async def _refuse(send: Send, status: int, title: str, text: str) -> None:
    from html import escape

    body = (
        "<!doctype html><html lang=en><meta charset=utf-8><title>afterview: "
        f"{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(text)}</p></html>"
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def require_csrf(request: Request) -> None:
    """Refuse a state-changing request that does not carry the page's CSRF token (403)."""
    if request.method not in UNSAFE:
        return
    expected = request.cookies.get(CSRF_COOKIE)
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form(max_part_size=MAX_BODY, max_files=2, max_fields=400)
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not expected or not given or not hmac.compare_digest(expected, given):
        raise HTTPException(
            403,
            "missing or wrong CSRF token: reload the page and try again "
            "(scripts: send the afterview_csrf cookie's value as X-CSRF-Token)",
        )


def csrf_token(request: Request) -> str:
    """The CSRF token of this request's client (for forms and htmx headers)."""
    return str(request.scope.get("state", {}).get("csrf", ""))
