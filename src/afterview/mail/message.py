"""Building the RFC 5322 message of an outbox entry (composing is separate from sending)."""

from __future__ import annotations

from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from afterview.core.timeutil import zone
from afterview.mail.headers import check_address, check_header_text, domain_of
from afterview.mail.settings import MailSettings


def new_message_id(from_address: str) -> str:
    """Return a new, globally unique Message-ID on the sender's domain (`<...@domain>`)."""
    return make_msgid(domain=domain_of(from_address))


def build_message(
    settings: MailSettings,
    *,
    to_name: str | None,
    to_email: str,
    subject: str,
    body: str,
    message_id: str,
    at: datetime,
    tz: str,
) -> EmailMessage:
    """Return the message to send; header values are checked against injection first."""
    sender = check_address(settings.from_address, "from address")
    recipient = check_address(to_email, "recipient address")
    check_header_text(subject, "subject")
    if to_name:
        check_header_text(to_name, "recipient name")
    if settings.from_name:
        check_header_text(settings.from_name, "from name")
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = formataddr((settings.from_name or "", sender))
    msg["To"] = formataddr((to_name or "", recipient))
    msg["Subject"] = subject
    msg["Date"] = format_datetime(at.astimezone(zone(tz)).replace(microsecond=0))
    msg["Message-ID"] = message_id
    ascii_only = body.isascii() and all(len(line) < 990 for line in body.splitlines())
    msg.set_content(body, cte="7bit" if ascii_only else "quoted-printable")
    return msg
