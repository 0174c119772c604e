"""OAuth2 with Google and Microsoft: endpoints, scopes, and the token endpoint's answers.

The user registers a client id (README, "Mail providers"); afterview asks the provider
for a token that lets it log in to IMAP and SMTP (XOAUTH2 / OAUTHBEARER, `sasl.py`).
The endpoints are constants; `AFTERVIEW_OAUTH2_URL` points every provider at one base
URL instead (`{base}/{provider}/token`, `/authorize`, `/devicecode`): the tests serve
their own token endpoint there. Every endpoint is HTTPS, but on this machine
(127.0.0.1, ::1, localhost) plain HTTP is accepted.

Everything the token endpoint answers is checked before use (a JSON object; tokens of
printable ASCII and bounded length; a lifetime in seconds); tokens and the client
secret are handed to `afterview.redact` at once. The HTTP client is the standard
library's (four POSTs of a form, not worth a dependency).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from afterview.mail.headers import is_loopback
from afterview.mail.smtp import MailError, MailSetupError
from afterview.redact import remember
from afterview.textcheck import shown

TIMEOUT = 30.0
#: The most the token endpoint may answer (a token answer is a few kilobytes).
MAX_ANSWER = 256_000
#: An access token is renewed when it has less than this left (a login takes seconds).
MARGIN = timedelta(minutes=2)
_TOKEN = re.compile(r"[\x21-\x7e]{1,16000}")


class Provider(NamedTuple):
    """One provider's endpoints and the scopes afterview asks for."""

    name: str
    title: str
    authorize_url: str
    token_url: str
    device_url: str
    scope: str
    flow: str  # "loopback" (RFC 8252) or "device" (RFC 8628)


PROVIDERS = {
    "google": Provider(
        "google",
        "Google",
        "https://accounts.google.com/o/oauth2/v2/auth",
        "https://oauth2.googleapis.com/token",
        "https://oauth2.googleapis.com/device/code",
        "https://mail.google.com/",
        "loopback",
    ),
    "microsoft": Provider(
        "microsoft",
        "Microsoft",
        "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
        "https://login.microsoftonline.com/common/oauth2/v2.0/token",
        "https://login.microsoftonline.com/common/oauth2/v2.0/devicecode",
        "https://outlook.office.com/IMAP.AccessAsUser.All "
        "https://outlook.office.com/SMTP.Send offline_access",
        "device",
    ),
}
ENDPOINTS_ENV = "AFTERVIEW_OAUTH2_URL"


class OAuthUnavailable(MailError):
    """The token endpoint could not be reached or answered oddly: try again later (exit 1)."""


class LoginNeeded(MailSetupError):
    """No token, or the provider refused the refresh token (revoked, expired, the password
    changed): only `afterview mail login` can help (exit 2)."""


class OAuthRefused(MailError):
    """The provider answered a token request with an OAuth2 error (`error`, RFC 6749 5.2)."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(f"{error}: {description}" if description else error)
        self.error = error
        self.description = description


def provider(name: str) -> Provider:
    """The provider's endpoints, after `AFTERVIEW_OAUTH2_URL` when it is set."""
    from afterview.paths import env_setting

    found = PROVIDERS[name]
    base = env_setting(ENDPOINTS_ENV)
    if base is None:
        return found
    base = check_url(base.rstrip("/"), ENDPOINTS_ENV)
    return found._replace(
        authorize_url=f"{base}/{name}/authorize",
        token_url=f"{base}/{name}/token",
        device_url=f"{base}/{name}/devicecode",
    )


def check_url(url: str, field: str) -> str:
    """`url` when it is HTTPS, or HTTP to this machine; else a `BadInput` naming `field`."""
    from afterview.errors import BadInput

    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        return url
    if parts.scheme == "http" and host and is_loopback(host):
        return url
    raise BadInput(
        field, f"expected an https:// address (http:// only to this machine), got {shown(url)}"
    )


class Tokens(NamedTuple):
    """What the token endpoint gave: the access token, when it expires (from `expires_in`
    and the moment it was asked), and the refresh token (None: keep the old one)."""

    access_token: str
    expires_at: datetime
    refresh_token: str | None

    def fresh(self, now: datetime) -> bool:
        """True when the access token still has `MARGIN` to live at `now`."""
        return now + MARGIN < self.expires_at

    def to_json(self) -> str:
        """The form kept with the other secrets."""
        return json.dumps(
            {
                "access_token": self.access_token,
                "expires_at": self.expires_at.astimezone(UTC).replace(microsecond=0).isoformat(),
                "refresh_token": self.refresh_token,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Tokens | None:
        """The tokens kept by `to_json`; None when the text is not such (then log in again)."""
        try:
            data = json.loads(text)
            at = datetime.fromisoformat(data["expires_at"])
            access, refresh = data["access_token"], data.get("refresh_token")
        except (ValueError, KeyError, TypeError):
            return None
        if not isinstance(access, str) or at.tzinfo is None:
            return None
        if refresh is not None and not isinstance(refresh, str):
            return None
        remember(access)
        remember(refresh)
        return cls(access, at, refresh)


def post_form(url: str, form: dict[str, str]) -> dict[str, Any]:
    """POST `form` to `url` and return its JSON object; an OAuth2 error answer raises
    `OAuthRefused`, anything else that goes wrong `OAuthUnavailable`."""
    body = urllib.parse.urlencode(form).encode("ascii")
    request = urllib.request.Request(
        url,
        data=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            "User-Agent": "afterview",
        },
        method="POST",
    )
    where = urllib.parse.urlsplit(url).netloc
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            raw = answer.read(MAX_ANSWER + 1)
    except urllib.error.HTTPError as exc:
        raw = exc.read(MAX_ANSWER + 1) if exc.fp is not None else b""
        data = _json(raw)
        if data is not None and isinstance(data.get("error"), str):
            raise OAuthRefused(
                _word(data["error"]), _words(data.get("error_description"))
            ) from None
        raise OAuthUnavailable(f"oauth2: {where} answered HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise OAuthUnavailable(f"oauth2: cannot reach {where} ({reason})") from None
    data = _json(raw)
    if data is None:
        raise OAuthUnavailable(f"oauth2: {where} did not answer with a JSON object")
    if isinstance(data.get("error"), str):  # some answer errors with 200
        raise OAuthRefused(_word(data["error"]), _words(data.get("error_description")))
    return data


def _json(raw: bytes) -> dict[str, Any] | None:
    if len(raw) > MAX_ANSWER:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _word(value: str) -> str:
    """An OAuth2 error code, as the RFC spells them (anything else is cut to that)."""
    return re.sub(r"[^a-z0-9_]", "", value.lower())[:60] or "error"


def _words(value: object) -> str:
    """The provider's description of an error, on one line and short."""
    from afterview.textcheck import clean_line

    return clean_line(value, 300) if isinstance(value, str) else ""


def token_text(value: object, what: str) -> str:
    """A token from an answer: printable ASCII without spaces, of a sane length."""
    if not isinstance(value, str) or not _TOKEN.fullmatch(value):
        raise OAuthUnavailable(f"oauth2: the token endpoint's {what} is not a usable token")
    remember(value)
    return value


def seconds(value: object, what: str, default: int, lowest: int, highest: int) -> int:
    """A number of seconds from an answer (a JSON number, or digits in a string)."""
    if value is None:
        return default
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not lowest <= value <= highest:
        raise OAuthUnavailable(f"oauth2: the token endpoint's {what} is not a number of seconds")
    return value


def tokens_from(data: dict[str, Any], now: datetime) -> Tokens:
    """The tokens of a successful token answer asked at `now` (RFC 6749 5.1)."""
    kind = data.get("token_type", "Bearer")
    if not isinstance(kind, str) or kind.lower() != "bearer":
        raise OAuthUnavailable("oauth2: the token endpoint did not give a Bearer token")
    access = token_text(data.get("access_token"), "access_token")
    life = seconds(data.get("expires_in"), "expires_in", 3600, 1, 366 * 86400)
    refresh = data.get("refresh_token")
    return Tokens(
        access,
        now + timedelta(seconds=life),
        token_text(refresh, "refresh_token") if refresh is not None else None,
    )


def refresh(
    p: Provider, client_id: str, client_secret: str | None, refresh_token: str, now: datetime
) -> Tokens:
    """A new access token for `refresh_token` (RFC 6749 6). A refusal by the provider
    (`invalid_grant`: revoked or expired) raises `LoginNeeded`."""
    form = {
        "grant_type": "refresh_token",
        "client_id": client_id,
        "refresh_token": refresh_token,
        "scope": p.scope,
    }
    if client_secret:
        form["client_secret"] = client_secret
    try:
        got = tokens_from(post_form(p.token_url, form), now)
    except OAuthRefused as exc:
        raise LoginNeeded(
            f"oauth2: {p.title} refused to renew the sign-in ({exc}); "
            "run `afterview mail login` to sign in again"
        ) from None
    return got if got.refresh_token else got._replace(refresh_token=refresh_token)
