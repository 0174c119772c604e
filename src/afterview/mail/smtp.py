"""Sending one message through the user's SMTP server, and telling what went wrong.

Failures are sorted for the worker:

- `temporary`: connection refused, DNS trouble, a timeout, a 4xx answer: try again later;
- `permanent`: a 5xx answer (the server's reason kept), bad credentials: give up;
- `uncertain`: the connection broke after the message data was sent, so the
  server may have accepted it: never resend without the user's word;
- `account`: the account itself cannot be used (login refused, TLS certificate not
  trusted, AUTH not offered): no message can go out until the settings are fixed.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from email.message import EmailMessage
from typing import NamedTuple

from afterview.errors import AfterviewError
from afterview.mail.settings import MailSettings

TIMEOUT = 30.0


class MailError(AfterviewError):
    """A mail server could not be used; the message says which step failed (exit 1)."""


class SendFailure(Exception):
    """Sending failed; `kind` is temporary, permanent or uncertain."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


class Outcome(NamedTuple):
    """What the server said when it accepted the message."""

    reply: str


def tls_context() -> ssl.SSLContext:
    """The system's trusted certificates, with host names checked."""
    return ssl.create_default_context()


def connect_smtp(
    settings: MailSettings, password: str | None, timeout: float = TIMEOUT
) -> smtplib.SMTP:
    """Open an SMTP session (TLS, STARTTLS or plain as configured) and log in if a user is set."""
    if settings.smtp_security == "tls":
        conn: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=timeout, context=tls_context()
        )
    else:
        conn = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
    try:
        conn.ehlo()
        if settings.smtp_security == "starttls":
            conn.starttls(context=tls_context())
            conn.ehlo()
        if settings.smtp_user:
            conn.login(settings.smtp_user, password or "")
    except BaseException:
        _close(conn)
        raise
    return conn


def _close(conn: smtplib.SMTP) -> None:
    try:
        conn.quit()
    except (smtplib.SMTPException, OSError):
        conn.close()


def describe(exc: BaseException, host: str, port: int) -> tuple[str, str]:
    """Return `(kind, one line)` for an error met while talking to an SMTP or IMAP server."""
    where = f"{host}:{port}"
    if isinstance(exc, socket.gaierror):
        return "temporary", f"DNS: cannot find {host} ({exc.strerror or exc})"
    if isinstance(exc, ConnectionRefusedError):
        return "temporary", f"refused: nothing accepts connections at {where}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return "permanent", f"TLS: the certificate of {host} is not trusted ({exc.verify_message})"
    if isinstance(exc, ssl.SSLError):
        return "temporary", f"TLS: handshake with {where} failed ({exc.reason or exc})"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return (
            "permanent",
            f"authentication: {where} refused the user name or password ({_said(exc)})",
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return "permanent", f"{where} does not offer what is needed ({exc})"
    if isinstance(exc, smtplib.SMTPResponseException):
        kind = "temporary" if 400 <= exc.smtp_code < 500 else "permanent"
        return kind, f"{where} answered {exc.smtp_code} {_said(exc)}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        kind = "temporary" if codes and all(400 <= c < 500 for c in codes) else "permanent"
        said = "; ".join(
            f"{who}: {code} {msg.decode(errors='replace')}"
            for who, (code, msg) in exc.recipients.items()
        )
        return kind, f"{where} refused the recipient ({said})"
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return "temporary", f"timeout: {where} did not answer within {TIMEOUT:g} s"
    if isinstance(exc, (smtplib.SMTPServerDisconnected, ConnectionError, OSError)):
        return "temporary", f"connection to {where} lost ({exc})"
    return "temporary", f"{where}: {exc}"


def _said(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error
    return (text.decode(errors="replace") if isinstance(text, bytes) else str(text)).strip()


def send(settings: MailSettings, password: str | None, msg: EmailMessage) -> Outcome:
    """Send `msg`; raise `SendFailure` saying whether trying again is safe."""
    try:
        conn = connect_smtp(settings, password)
    except Exception as exc:
        kind, line = describe(exc, settings.smtp_host, settings.smtp_port)
        raise SendFailure("account" if kind == "permanent" else kind, line) from None
    data_sent = False
    try:
        sender = settings.from_address
        recipients = [a.addr_spec for a in msg["To"].addresses]
        code, reply = conn.mail(sender)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        refused = {}
        for rcpt in recipients:
            code, reply = conn.rcpt(rcpt)
            if code not in (250, 251):
                refused[rcpt] = (code, reply)
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)
        # From here on the server may accept the message even if we never hear it say so.
        data_sent = True
        code, reply = conn.data(msg.as_bytes())
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)
        return Outcome(reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply))
    except smtplib.SMTPDataError as exc:
        kind, line = describe(exc, settings.smtp_host, settings.smtp_port)
        raise SendFailure(kind, line) from None
    except Exception as exc:
        kind, line = describe(exc, settings.smtp_host, settings.smtp_port)
        if data_sent:
            raise SendFailure(
                "uncertain", f"{line}, after the message was handed over: it may have been sent"
            ) from None
        raise SendFailure(kind, line) from None
    finally:
        _close(conn)
