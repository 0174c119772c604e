"""Mail providers people use: their servers, ports and what they need before a login works.

`mail setup --provider NAME` starts from one of these; an option given as well wins.
The hosts are the providers' published settings for mail programs. Where the provider
files a copy of what is sent through SMTP by itself, `sent_folder` is None, so that
afterview does not file a second one.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from afterview.errors import BadInput
from afterview.textcheck import shown


class Provider(NamedTuple):
    """The published IMAP and SMTP settings of one provider, and what it needs."""

    name: str
    title: str
    smtp_host: str
    smtp_port: int
    smtp_security: str
    imap_host: str
    imap_port: int
    imap_security: str
    sent_folder: str | None
    needs: str


PROVIDERS: dict[str, Provider] = {
    p.name: p
    for p in (
        Provider(
            "gmail",
            "Gmail and Google Workspace",
            "smtp.gmail.com",
            587,
            "starttls",
            "imap.gmail.com",
            993,
            "tls",
            None,
            "log in with an app password (turn on 2-Step Verification, then Google Account > "
            "Security > App passwords) or with OAuth2 (--auth oauth2, README: Mail providers), "
            "and turn IMAP on in Gmail's settings (Forwarding and POP/IMAP)",
        ),
        Provider(
            "outlook",
            "Outlook.com, Hotmail and Microsoft 365",
            "smtp.office365.com",
            587,
            "starttls",
            "outlook.office365.com",
            993,
            "tls",
            None,
            "sign in with OAuth2, as Microsoft accepts no password for IMAP and SMTP on most "
            "accounts: register a client id (README, Mail providers), add --auth oauth2 "
            "--oauth-client-id ID, then run afterview mail login",
        ),
        Provider(
            "icloud",
            "iCloud Mail",
            "smtp.mail.me.com",
            587,
            "starttls",
            "imap.mail.me.com",
            993,
            "tls",
            "Sent Messages",
            "log in with an app-specific password (account.apple.com > Sign-In and Security > "
            "App-Specific Passwords)",
        ),
        Provider(
            "fastmail",
            "Fastmail",
            "smtp.fastmail.com",
            465,
            "tls",
            "imap.fastmail.com",
            993,
            "tls",
            "Sent",
            "log in with an app password that allows IMAP and SMTP (Settings > Privacy & "
            "Security > Manage app passwords)",
        ),
        Provider(
            "yahoo",
            "Yahoo Mail",
            "smtp.mail.yahoo.com",
            465,
            "tls",
            "imap.mail.yahoo.com",
            993,
            "tls",
            "Sent",
            "log in with an app password (Yahoo Account Info > Account security > Generate app "
            "password)",
        ),
        Provider(
            "proton-bridge",
            "Proton Mail through Proton Mail Bridge",
            "127.0.0.1",
            1025,
            "none",
            "127.0.0.1",
            1143,
            "none",
            None,
            "Proton Mail Bridge must run on this computer (a paid Proton plan); log in with the "
            "password Bridge shows for your mailbox, not your Proton password. The connection "
            "stays on this computer, so it is not encrypted",
        ),
    )
}


#: the OAuth2 sign-in of a provider that has one (`mail setup --auth oauth2`)
OAUTH_OF = {"gmail": "google", "outlook": "microsoft"}


def find_provider(name: str) -> Provider:
    """The provider called `name` (any case); a `BadInput` on `provider` lists the names."""
    found = PROVIDERS.get(name.strip().lower())
    if found is None:
        raise BadInput("provider", f"expected one of {', '.join(PROVIDERS)}, got {shown(name)}")
    return found


def with_provider(name: str | None, given: dict[str, Any]) -> dict[str, Any]:
    """The `build_settings` arguments `given`, with the provider's settings where nothing was
    given (a value the user typed wins); the login is the From address. Without a provider,
    `given` as it is, with SMTP security `starttls` when none was given."""
    if name is None:
        if given.get("smtp_host") is None:
            raise BadInput("smtp_host", "needed unless --provider names your provider")
        return {**given, "smtp_security": given.get("smtp_security") or "starttls"}
    p = find_provider(name)
    given = {**given, **_security_of_ports(given)}
    if given.get("auth") == "oauth2" and given.get("oauth_provider") is None:
        given = {**given, "oauth_provider": OAUTH_OF.get(p.name)}
    preset: dict[str, Any] = {
        "smtp_host": p.smtp_host,
        "smtp_port": None if given.get("smtp_security") else p.smtp_port,
        "smtp_security": p.smtp_security,
        "smtp_user": given.get("from_address"),
        "imap_host": p.imap_host,
        "imap_port": None if given.get("imap_security") else p.imap_port,
        "imap_security": p.imap_security,
        "sent_folder": p.sent_folder,
    }
    out = dict(given)
    for key, value in preset.items():
        if out.get(key) is None:
            out[key] = value
    return out


#: the security a well-known port speaks, for a port given without one
PORT_SECURITY = {("smtp", 465): "tls", ("smtp", 587): "starttls", ("imap", 993): "tls",
                 ("imap", 143): "starttls"}  # fmt: skip


def _security_of_ports(given: dict[str, Any]) -> dict[str, Any]:
    """`--smtp-port 465` alone means TLS from the first byte (not the preset's starttls)."""
    out: dict[str, Any] = {}
    for kind in ("smtp", "imap"):
        port, security = given.get(f"{kind}_port"), given.get(f"{kind}_security")
        if port is not None and security is None and (kind, port) in PORT_SECURITY:
            out[f"{kind}_security"] = PORT_SECURITY[(kind, port)]
    return out
