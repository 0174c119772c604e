"""The user's mail account: where to send from and which mailbox to read.

Stored per account in the database (`mail_settings`); passwords and OAuth2 tokens
never are (see `secrets.py`). The account logs in with a password, or with OAuth2
(`auth = oauth2`: a token from Google or Microsoft for the client id the user
registered, see `oauth2.py`). Encryption is required for every host that is not loopback,
unless the user turns that off explicitly (`allow_insecure`).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from afterview.errors import BadInput
from afterview.mail.headers import check_address, check_header_text, check_host, is_loopback
from afterview.textcheck import shown

SECURITY = ("starttls", "tls", "none")
AUTH = ("password", "oauth2")
#: The OAuth2 providers afterview knows the endpoints and scopes of (`oauth2.py`).
OAUTH_PROVIDERS = ("google", "microsoft")
#: The characters a client id may hold (Google's end in `.apps.googleusercontent.com`,
#: Microsoft's are GUIDs).
_CLIENT_ID = re.compile(r"[A-Za-z0-9._~+/=-]{1,200}")
DEFAULT_PORTS = {
    ("smtp", "starttls"): 587,
    ("smtp", "tls"): 465,
    ("smtp", "none"): 25,
    ("imap", "starttls"): 143,
    ("imap", "tls"): 993,
    ("imap", "none"): 143,
}


class MailSettings(NamedTuple):
    """SMTP (required) and IMAP (optional) settings of one account."""

    smtp_host: str
    smtp_port: int
    smtp_security: str
    smtp_user: str | None
    from_address: str
    from_name: str | None = None
    imap_host: str | None = None
    imap_port: int | None = None
    imap_security: str | None = None
    imap_user: str | None = None
    sent_folder: str | None = None
    my_addresses: tuple[str, ...] = ()
    allow_insecure: bool = False
    auth: str = "password"  # or "oauth2"
    oauth_provider: str | None = None  # google or microsoft, with auth = oauth2
    oauth_client_id: str | None = None

    @property
    def oauth2(self) -> bool:
        """True when the account logs in with an OAuth2 token, not a password."""
        return self.auth == "oauth2"

    @property
    def login_user(self) -> str:
        """Whom an OAuth2 token is for: the SMTP user, else the From address."""
        return self.smtp_user or self.from_address

    @property
    def has_imap(self) -> bool:
        """True when a mailbox to read is configured."""
        return self.imap_host is not None

    def own_addresses(self) -> frozenset[str]:
        """The user's own addresses, lower case (the From address included)."""
        return frozenset(a.lower() for a in (self.from_address, *self.my_addresses))


def _security(value: str, field: str) -> str:
    v = value.strip().lower()
    if v not in SECURITY:
        raise BadInput(field, f"expected one of {', '.join(SECURITY)}, got {value!r}")
    return v


def _port(value: int | None, field: str, default: int) -> int:
    if value is None:
        return default
    if not 1 <= value <= 65535:
        raise BadInput(field, f"expected a port from 1 to 65535, got {value}")
    return value


def build_settings(
    *,
    smtp_host: str,
    smtp_port: int | None,
    smtp_security: str,
    smtp_user: str | None,
    from_address: str,
    from_name: str | None,
    imap_host: str | None,
    imap_port: int | None,
    imap_security: str | None,
    imap_user: str | None,
    sent_folder: str | None,
    my_addresses: tuple[str, ...],
    allow_insecure: bool,
    auth: str = "password",
    oauth_provider: str | None = None,
    oauth_client_id: str | None = None,
) -> MailSettings:
    """Check what the user typed and return the settings; a `BadInput` names the option."""
    host = check_host(smtp_host, "smtp_host")
    security = _security(smtp_security, "smtp_security")
    port = _port(smtp_port, "smtp_port", DEFAULT_PORTS[("smtp", security)])
    if security == "none" and not is_loopback(host) and not allow_insecure:
        raise BadInput(
            "smtp_security",
            f"'none' sends your password and mail unencrypted to {host}; use starttls or tls, "
            "or add --allow-insecure if you really mean it",
        )
    # the address first: a provider's preset logs in with it (`providers.with_provider`)
    sender = check_address(from_address, "from_address")
    user = check_header_text(smtp_user.strip(), "smtp_user") if smtp_user else None
    name = check_header_text(from_name.strip(), "from_name") if from_name else None
    imap = None
    i_port = i_security = i_user = None
    folder = None
    if imap_host:
        imap = check_host(imap_host, "imap_host")
        i_security = _security(imap_security or "tls", "imap_security")
        i_port = _port(imap_port, "imap_port", DEFAULT_PORTS[("imap", i_security)])
        if i_security == "none" and not is_loopback(imap) and not allow_insecure:
            raise BadInput(
                "imap_security",
                f"'none' sends your password and mail unencrypted to {imap}; use tls or "
                "starttls, or add --allow-insecure if you really mean it",
            )
        i_user = check_header_text((imap_user or user or sender).strip(), "imap_user")
        folder = check_header_text(sent_folder.strip(), "sent_folder") if sent_folder else None
    elif imap_port or imap_security or imap_user or sent_folder:
        raise BadInput("imap_host", "needed when other IMAP settings are given")
    mine = tuple(dict.fromkeys(check_address(a, "my_addresses").lower() for a in my_addresses))
    how, provider, client = _oauth(auth, oauth_provider, oauth_client_id)
    return MailSettings(
        smtp_host=host,
        smtp_port=port,
        smtp_security=security,
        smtp_user=user,
        from_address=sender,
        from_name=name,
        imap_host=imap,
        imap_port=i_port,
        imap_security=i_security,
        imap_user=i_user,
        sent_folder=folder,
        my_addresses=mine,
        allow_insecure=allow_insecure,
        auth=how,
        oauth_provider=provider,
        oauth_client_id=client,
    )


def _oauth(
    auth: str, provider: str | None, client_id: str | None
) -> tuple[str, str | None, str | None]:
    """The login method, and the OAuth2 provider and client id it needs (checked)."""
    how = (auth or "").strip().lower()
    if how not in AUTH:
        raise BadInput("auth", f"expected one of {', '.join(AUTH)}, got {shown(auth)}")
    if how == "password":
        if provider or client_id:
            field = "oauth_provider" if provider else "oauth_client_id"
            raise BadInput(field, "only used with --auth oauth2")
        return how, None, None
    name = (provider or "").strip().lower()
    if name not in OAUTH_PROVIDERS:
        raise BadInput(
            "oauth_provider",
            f"expected one of {', '.join(OAUTH_PROVIDERS)} with --auth oauth2, got {shown(provider or '')}",
        )
    client = (client_id or "").strip()
    if not _CLIENT_ID.fullmatch(client):
        raise BadInput(
            "oauth_client_id",
            "expected the client id of the app you registered with "
            f"{name} (letters, digits and . _ ~ + / = -, at most 200), got {shown(client_id or '')}",
        )
    return how, name, client
