"""Building RFC 5322 messages: an outbox entry to send, or a draft to open in a mail program.

Composing is separate from sending. Every header value is checked twice: as given
(`check_header_text`: no line break or control character, raw or hidden in an
RFC 2047 encoded word) and once more as the mail library understood it, after the
message is built: each header must read back as one line, and the serialised
header block must hold exactly the headers set here, each once. A header the
library would split out of an encoded word (Python before 3.13 writes a decoded
CR LF as it is) never leaves this module.

This module imports only the standard library and afterview (it runs on every
supported Python without the third-party packages).
"""

from __future__ import annotations

from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.utils import format_datetime, make_msgid

from afterview.core.timeutil import zone
from afterview.errors import BadInput
from afterview.mail.headers import check_address, check_header_text, domain_of
from afterview.mail.settings import MailSettings
from afterview.textcheck import decoded_words

#: The headers afterview writes; nothing else may appear in a message it builds.
SENT_HEADERS = ("From", "To", "Subject", "Date", "Message-ID")
DRAFT_HEADERS = ("From", "To", "Subject", "Date", "X-Unsent")
_BODY_HEADERS = ("Content-Type", "Content-Transfer-Encoding", "MIME-Version")


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
    check_header_text(message_id, "message id")
    msg = _message(
        from_name=settings.from_name,
        from_address=settings.from_address,
        to_name=to_name,
        to_email=to_email,
        subject=subject,
        extra=(("Message-ID", message_id),),
        at=at,
        tz=tz,
    )
    _set_body(msg, body)
    _verify(msg, SENT_HEADERS, (settings.from_name, settings.from_address), (to_name, to_email))
    return msg


def build_draft(
    *,
    from_name: str | None,
    from_address: str,
    to_name: str | None,
    to_email: str | None,
    subject: str,
    body: str,
    at: datetime,
    tz: str,
) -> bytes:
    """Return a draft as an `.eml` file's bytes, marked unsent so mail programs open it to
    edit (no To line when the recipient has no address); checked as `build_message` is."""
    msg = _message(
        from_name=from_name,
        from_address=from_address,
        to_name=to_name,
        to_email=to_email,
        subject=subject,
        extra=(("X-Unsent", "1"),),
        at=at,
        tz=tz,
    )
    _set_body(msg, body)
    headers = DRAFT_HEADERS if to_email else tuple(h for h in DRAFT_HEADERS if h != "To")
    _verify(msg, headers, (from_name, from_address), (to_name, to_email))
    return msg.as_bytes()


def _message(
    *,
    from_name: str | None,
    from_address: str,
    to_name: str | None,
    to_email: str | None,
    subject: str,
    extra: tuple[tuple[str, str], ...],
    at: datetime,
    tz: str,
) -> EmailMessage:
    sender = check_address(from_address, "from address")
    recipient = check_address(to_email, "recipient address") if to_email else None
    check_header_text(subject, "subject")
    if to_name:
        check_header_text(to_name, "recipient name")
    if from_name:
        check_header_text(from_name, "from name")
    msg = EmailMessage(policy=policy.SMTP)
    try:
        # Address objects quote what needs quoting: a name holding '(' or ',' stays a name
        msg["From"] = Address(display_name=from_name or "", addr_spec=sender)
        if recipient:
            msg["To"] = Address(display_name=to_name or "", addr_spec=recipient)
        msg["Subject"] = subject
        msg["Date"] = format_datetime(at.astimezone(zone(tz)).replace(microsecond=0))
        for name, value in extra:
            msg[name] = value
    except ValueError as exc:  # the library's own refusal (a line break in an address part)
        raise BadInput("message header", f"cannot be written safely ({exc})") from None
    return msg


def _set_body(msg: EmailMessage, body: str) -> None:
    ascii_only = body.isascii() and all(len(line) < 990 for line in body.splitlines())
    msg.set_content(body, cte="7bit" if ascii_only else "quoted-printable")


def _verify(
    msg: EmailMessage,
    expected: tuple[str, ...],
    sender: tuple[str | None, str],
    recipient: tuple[str | None, str | None],
) -> None:
    """Check the message as it will be written and as a mail program will read it: exactly
    the expected headers, each once; each one line once decoded; From and To naming the
    intended address alone, with the intended name."""
    try:
        _read_back(msg, expected, sender, recipient)
    except BadInput:
        raise
    except Exception as exc:  # the library cannot read its own header (a CR LF in a name)
        raise BadInput("message header", f"would not be read back as written ({exc})") from None


def _read_back(
    msg: EmailMessage,
    expected: tuple[str, ...],
    sender: tuple[str | None, str],
    recipient: tuple[str | None, str | None],
) -> None:
    data = msg.as_bytes()
    head = data.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
    read = BytesHeaderParser(policy=policy.default).parsebytes(head)
    written = sorted(k.lower() for k in read)
    wanted = sorted(h.lower() for h in (*expected, *_BODY_HEADERS))
    if written != wanted:
        extra = sorted(set(written) - set(wanted)) or written
        raise BadInput("message header", f"would not be written as given ({', '.join(extra)})")
    for header, value in read.items():
        check_header_text(str(value), f"{header} header")
    for field, (name, address) in (("From", sender), ("To", recipient)):
        if address is None:
            continue
        found = [
            ("".join(a.display_name.split()), a.addr_spec.lower()) for a in read[field].addresses
        ]
        if found != [(_shown_name(name), address.strip().lower())]:
            raise BadInput("message header", f"{field} would not name {address} alone")


def _shown_name(name: str | None) -> str:
    """A display name as a mail program shows it, encoded words decoded, without its spaces
    (a long name is read back with a space between the encoded words it was cut into)."""
    try:
        return "".join(decoded_words(name or "").split())
    except ValueError:
        return "".join((name or "").split())
