"""One-time links by mail: an invitation to set a first password, a password reset.

Sent through the server's own SMTP settings (`[mail]` of server.toml, the password in
AFTERVIEW_SERVER_SMTP_PASSWORD). A reset asked for an address no account has sends
nothing and says the same as for one that has: the page never tells which addresses
have accounts.
"""

from __future__ import annotations

import os
from datetime import datetime

from afterview.errors import BadInput, StoreError
from afterview.mail.headers import is_loopback
from afterview.mail.message import build_message, new_message_id
from afterview.mail.settings import MailSettings
from afterview.mail.smtp import SendFailure, send
from afterview.server import signin
from afterview.server.settings import ServerSettings
from afterview.store import server_accounts
from afterview.store.db import Database

PATHS = {"reset": "/reset/", "invite": "/welcome/"}
SUBJECTS = {"reset": "Set a new afterview password", "invite": "Your afterview account"}
BODIES = {
    "reset": (
        "Someone, probably you, asked to set a new password for {email} on {site}.\n\n"
        "Open this link within the hour to choose one:\n{link}\n\n"
        "If it was not you, do nothing: your password stays as it is.\n"
    ),
    "invite": (
        "An account on {site} is ready for {email}: afterview tells you what to do after "
        "each job interview, and when.\n\n"
        "Open this link within 7 days to choose your password:\n{link}\n"
    ),
}


def link_url(settings: ServerSettings, purpose: str, token: str) -> str:
    """The address of a one-time link."""
    return settings.url + PATHS[purpose] + token


def make_link(
    db: Database, settings: ServerSettings, account: int, purpose: str, now: datetime
) -> str:
    """A new one-time link of the account (the older unused one of its purpose stops
    working); its address."""
    return link_url(settings, purpose, signin.make_link(db, account, purpose, now))


def send_link(settings: ServerSettings, email: str, purpose: str, link: str, now: datetime) -> None:
    """Mail a one-time link to `email`; raise StoreError when the server has no mail
    settings or the mail cannot go out (the line says why)."""
    mail = settings.mail
    if mail is None:
        raise StoreError(
            f"server: no [mail] in {settings.path}: the link cannot be mailed "
            "(see the README's server mode)"
        )
    smtp = MailSettings(
        smtp_host=mail.smtp_host,
        smtp_port=mail.smtp_port,
        smtp_security=mail.smtp_security,
        smtp_user=mail.smtp_user,
        from_address=mail.from_address,
        from_name="afterview",
        allow_insecure=is_loopback(mail.smtp_host),
    )
    site = settings.url.split("://", 1)[1]
    body = BODIES[purpose].format(email=email, site=site, link=link)
    message = build_message(
        smtp, to_name=None, to_email=email, subject=SUBJECTS[purpose], body=body,
        message_id=new_message_id(mail.from_address), at=now, tz="UTC",
    )  # fmt: skip
    password = os.environ.get("AFTERVIEW_SERVER_SMTP_PASSWORD") or None
    try:
        send(smtp, password, message)
    except SendFailure as exc:
        raise StoreError(f"server: the link to {email} was not sent: {exc}") from None


def reset_link(
    db: Database, settings: ServerSettings, email: str, now: datetime
) -> tuple[str, str] | None:
    """A new reset link when an account signs in with `email`: (the address, the link),
    to mail after the answer is sent (`send_quietly`); None otherwise. The caller says the
    same either way, and as fast."""
    try:
        address = signin.normal_email(email)
    except BadInput:
        return None
    account = server_accounts.account_of_email(db, address)
    if account is None:
        return None
    db.use_account(account)
    login = server_accounts.get_login(db, account)
    if login is None or login.disabled_at is not None:
        return None
    return address, make_link(db, settings, account, "reset", now)


def send_quietly(settings: ServerSettings, address: str, purpose: str, link: str,
                 now: datetime) -> None:  # fmt: skip
    """`send_link`, its failure logged for the administrator instead of shown to whoever
    asked (what they see must not tell which addresses have accounts)."""
    import logging

    try:
        send_link(settings, address, purpose, link, now)
    except Exception as exc:
        logging.getLogger("afterview").error("a %s link was not mailed: %s", purpose, exc)
