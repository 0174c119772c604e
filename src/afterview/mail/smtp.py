"""Sending one message through the user's SMTP server, and telling what went wrong.

Failures are sorted for the worker:

- `temporary`: connection refused, DNS trouble, a timeout, a 4xx answer: try again later;
- `permanent`: a 5xx answer (the server's reason kept), bad credentials: give up;
- `uncertain`: the connection broke after the message data was sent, so the
  server may have accepted it: never resend without the user's word;
- `account`: the account itself cannot be used (login refused, TLS certificate not
  trusted, AUTH not offered, or the security setting does not fit the port: TLS from
  the first byte against a server that greets in plain text, or the reverse): no
  message can go out until the settings are fixed.

A security setting that does not fit the port is told at once, naming the setting to
use: `tls` against a plain port fails its handshake on the plain greeting, which a
second, plain connection then reads; `starttls` or `none` against a TLS port waits
for a greeting that never comes, so after `PROBE` seconds of silence a TLS handshake on
a second connection tells.
"""

from __future__ import annotations

import select
import smtplib
import socket
import ssl
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any, NamedTuple

from afterview.errors import AfterviewError
from afterview.mail.settings import MailSettings

if TYPE_CHECKING:
    from afterview.mail.sasl import Bearer

TIMEOUT = 30.0
#: Seconds of silence after connecting before a plain session checks whether the port
#: speaks TLS instead (a server greets within seconds, a TLS port waits for the client).
#: Longer than the 6 s a mail server may hold its greeting back to catch clients that talk
#: first (Postfix's postscreen): a probe must never be taken for such a client.
PROBE = 10.0


class MailError(AfterviewError):
    """A mail server could not be used; the message says which step failed (exit 1)."""


class MailSetupError(MailError):
    """The mail settings are wrong (login refused, TLS not as the port speaks it, a
    certificate not trusted): nothing works until `afterview mail setup` fixes them (exit 2)."""

    exit_code = 2


class TlsMismatch(OSError):
    """The security setting does not fit the port; the message names the setting to use."""


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


def _readable(sock: socket.socket, seconds: float) -> bool:
    return bool(select.select([sock], [], [], seconds)[0])


def speaks_tls(host: str, port: int, seconds: float = 5.0) -> bool:
    """True when a TLS handshake succeeds at `host:port` (the certificate is not checked:
    this only asks which protocol the port speaks)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with (
            socket.create_connection((host, port), timeout=seconds) as raw,
            context.wrap_socket(raw, server_hostname=host),
        ):
            return True
    except (OSError, ValueError):
        return False


def plain_greeting(host: str, port: int, ehlo: bytes | None = None, seconds: float = 5.0) -> bytes:
    """What `host:port` says in plain text right after connecting (and to `ehlo`, if given);
    empty when it says nothing within `seconds`."""
    said = b""
    try:
        with socket.create_connection((host, port), timeout=seconds) as sock:
            if not _readable(sock, seconds):
                return b""
            said = sock.recv(4096)
            if ehlo is not None and said.startswith(b"220"):
                sock.sendall(ehlo)
                while not _last_line_said(said) and _readable(sock, seconds):
                    chunk = sock.recv(4096)
                    if not chunk:
                        break
                    said += chunk
    except OSError:
        pass
    return said


def _last_line_said(said: bytes) -> bool:
    lines = said.split(b"\r\n")
    return len(lines) > 2 and lines[-1] == b"" and lines[-2][3:4] == b" "


class _PlainSMTP(smtplib.SMTP):
    """smtplib.SMTP that tells a TLS port apart from a slow greeting (see the module)."""

    def _get_socket(self, host: str, port: int, timeout: Any) -> socket.socket:
        sock: socket.socket = super()._get_socket(host, port, timeout)  # type: ignore[misc]
        if not _readable(sock, PROBE) and speaks_tls(host, port):
            sock.close()
            raise TlsMismatch(
                f"TLS: {host}:{port} expects TLS from the first byte; "
                "set --smtp-security tls with `afterview mail setup`"
            )
        return sock


def _plain_port(host: str, port: int) -> TlsMismatch | None:
    """The mismatch to report when `host:port` greets in plain text, else None."""
    said = plain_greeting(host, port, ehlo=b"EHLO afterview.invalid\r\n")
    if not said.startswith(b"220"):
        return None
    use = "starttls" if b"STARTTLS" in said.upper() else "none"
    return TlsMismatch(
        f"TLS: {host}:{port} answers in plain text, not TLS; "
        f"set --smtp-security {use} with `afterview mail setup`"
    )


def connect_smtp(
    settings: MailSettings, password: str | Bearer | None, timeout: float | None = None
) -> smtplib.SMTP:
    """Open an SMTP session (TLS, STARTTLS or plain as configured) and log in if a user is
    set: with the password, or with an OAuth2 token (`sasl.Bearer`, renewed once if the
    server refuses it)."""
    from afterview.mail.sasl import Bearer, smtp_login  # sasl words its errors with ours

    seconds = TIMEOUT if timeout is None else timeout
    host, port = settings.smtp_host, settings.smtp_port
    if settings.smtp_security == "tls":
        try:
            conn: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=seconds, context=tls_context()
            )
        except ssl.SSLError as exc:
            mismatch = None
            if not isinstance(exc, ssl.SSLCertVerificationError):
                mismatch = _plain_port(host, port)
            if mismatch is not None:
                raise mismatch from None
            raise
    else:
        conn = _PlainSMTP(host, port, timeout=seconds)
    try:
        conn.ehlo()
        if settings.smtp_security == "starttls":
            conn.starttls(context=tls_context())
            conn.ehlo()
        if isinstance(password, Bearer):
            smtp_login(conn, password, host, port)
        elif settings.smtp_user:
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
    if isinstance(exc, (TlsMismatch, MailSetupError)):  # MailSetupError: an OAuth2 sign-in
        return "permanent", str(exc)
    if isinstance(exc, MailError):  # the token endpoint is away for now
        return "temporary", str(exc)
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


def send(settings: MailSettings, password: str | Bearer | None, msg: EmailMessage) -> Outcome:
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
