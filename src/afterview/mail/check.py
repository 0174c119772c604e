"""`afterview mail check`: log in to both servers and say exactly what failed.

Each check answers with one line: ok, or the step that failed (DNS, refused,
TLS, authentication, timeout) and what the server said.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
from datetime import datetime
from typing import NamedTuple

from afterview.errors import AfterviewError
from afterview.mail import credentials, smtp
from afterview.mail.credentials import Secret
from afterview.mail.sasl import Bearer, imap_login
from afterview.mail.settings import MailSettings
from afterview.timewords import counted

TIMEOUT = 15.0


class CheckResult(NamedTuple):
    """The answer for one server."""

    server: str  # "smtp" or "imap"
    ok: bool
    line: str


def check_smtp(settings: MailSettings, now: datetime) -> CheckResult:
    """Connect, secure the session as configured, and log in (an OAuth2 token that expires
    before `now` is renewed first)."""
    where = f"{settings.smtp_host}:{settings.smtp_port} ({settings.smtp_security})"
    password = None
    if settings.smtp_user or settings.oauth2:
        try:
            password = credentials.login(settings, "smtp", now)
        except smtp.MailError as exc:  # an OAuth2 sign-in to renew
            return CheckResult("smtp", False, f"SMTP {where}: {exc}")
        if password is None:
            return CheckResult(
                "smtp",
                False,
                f"SMTP {where}: no password (keyring, secrets file or AFTERVIEW_SMTP_PASSWORD)",
            )
    try:
        conn = smtp.connect_smtp(settings, password, timeout=TIMEOUT)
    except Exception as exc:
        _, line = smtp.describe(exc, settings.smtp_host, settings.smtp_port)
        return CheckResult("smtp", False, f"SMTP {where}: {line}")
    try:
        conn.noop()
    except Exception as exc:
        _, line = smtp.describe(exc, settings.smtp_host, settings.smtp_port)
        return CheckResult("smtp", False, f"SMTP {where}: {line}")
    finally:
        with contextlib.suppress(Exception):
            conn.quit()
        with contextlib.suppress(Exception):
            conn.close()
    who = "ok (no login)"
    if settings.oauth2:
        who = f"ok, logged in as {settings.login_user} with an OAuth2 token"
    elif settings.smtp_user:
        who = f"ok, logged in as {settings.smtp_user}"
    return CheckResult("smtp", True, f"SMTP {where}: {who}")


def connect_imap(settings: MailSettings, password: Secret, timeout: float | None = None):  # type: ignore[no-untyped-def]
    """Open and log in an IMAP session (imapclient) as configured: with the password, or an
    OAuth2 token (`sasl.Bearer`, renewed once if the server refuses it).

    A security setting that does not fit the port raises `smtp.TlsMismatch` naming the
    setting to use (see `imap_mismatch`).
    """
    from imapclient import IMAPClient

    assert settings.imap_host is not None and settings.imap_port is not None
    tls = settings.imap_security == "tls"
    try:
        client = IMAPClient(
            settings.imap_host,
            port=settings.imap_port,
            ssl=tls,
            ssl_context=ssl.create_default_context() if tls else None,
            timeout=TIMEOUT if timeout is None else timeout,
        )
    except Exception as exc:
        mismatch = imap_mismatch(settings, exc)
        if mismatch is not None:
            raise mismatch from None
        raise
    client.normalise_times = False  # INTERNALDATE with its own offset, not local time
    try:
        if settings.imap_security == "starttls":
            client.starttls(ssl.create_default_context())
        if isinstance(password, Bearer):
            imap_login(client, password, settings.imap_host, settings.imap_port)
        else:
            client.login(settings.imap_user or settings.from_address, password)
    except BaseException:
        with contextlib.suppress(Exception):
            client.shutdown()
        raise
    return client


def imap_mismatch(settings: MailSettings, exc: BaseException) -> smtp.TlsMismatch | None:
    """The mismatch to report when connecting failed because the security setting does not
    fit the port (TLS against a port that greets in plain text, or the reverse), else None."""
    host, port = settings.imap_host or "", settings.imap_port or 0
    if settings.imap_security == "tls":
        if not isinstance(exc, ssl.SSLError) or isinstance(exc, ssl.SSLCertVerificationError):
            return None
        said = smtp.plain_greeting(host, port)
        if not said.startswith(b"* OK"):
            return None
        use = "starttls" if b"STARTTLS" in said.upper() else "none"
        return smtp.TlsMismatch(
            f"TLS: {host}:{port} answers in plain text, not TLS; "
            f"set --imap-security {use} with `afterview mail setup`"
        )
    if isinstance(exc, (socket.gaierror, ConnectionRefusedError, ssl.SSLCertVerificationError)):
        return None
    if smtp.speaks_tls(host, port):
        return smtp.TlsMismatch(
            f"TLS: {host}:{port} expects TLS from the first byte; "
            "set --imap-security tls with `afterview mail setup`"
        )
    return None


def setup_problem(exc: BaseException) -> bool:
    """True when an IMAP failure means the settings are wrong (login refused, TLS not as the
    port speaks it, a certificate not trusted), not that the server is away for now."""
    from imapclient.exceptions import LoginError

    return isinstance(
        exc, (LoginError, smtp.TlsMismatch, smtp.MailSetupError, ssl.SSLCertVerificationError)
    )


def describe_imap(exc: BaseException, host: str, port: int) -> str:
    """One line for an IMAP failure."""
    from imapclient.exceptions import LoginError

    if isinstance(exc, (smtp.TlsMismatch, AfterviewError)):  # AfterviewError: OAuth2's
        return str(exc)
    if isinstance(exc, LoginError):
        return f"authentication: {host}:{port} refused the user name or password ({exc})"
    if isinstance(
        exc, (socket.gaierror, ConnectionRefusedError, ssl.SSLError, TimeoutError, OSError)
    ):
        return smtp.describe(exc, host, port)[1]
    return f"{host}:{port}: {type(exc).__name__}: {exc}"


def check_imap(settings: MailSettings, now: datetime) -> CheckResult | None:
    """Log in to the mailbox and open INBOX read-only; None when no IMAP is configured."""
    if not settings.has_imap:
        return None
    assert settings.imap_host is not None and settings.imap_port is not None
    where = f"{settings.imap_host}:{settings.imap_port} ({settings.imap_security})"
    try:
        password = credentials.login(settings, "imap", now)
    except smtp.MailError as exc:  # an OAuth2 sign-in to renew
        return CheckResult("imap", False, f"IMAP {where}: {exc}")
    if password is None:
        return CheckResult(
            "imap",
            False,
            f"IMAP {where}: no password (keyring, secrets file or AFTERVIEW_IMAP_PASSWORD)",
        )
    try:
        client = connect_imap(settings, password)
    except Exception as exc:
        return CheckResult(
            "imap",
            False,
            f"IMAP {where}: {describe_imap(exc, settings.imap_host, settings.imap_port)}",
        )
    try:
        info = client.select_folder("INBOX", readonly=True)
        count = int(info.get(b"EXISTS", 0))
        extra = ""
        if settings.sent_folder and not client.folder_exists(settings.sent_folder):
            extra = f"; the Sent folder {settings.sent_folder!r} does not exist"
    except Exception as exc:
        line = describe_imap(exc, settings.imap_host, settings.imap_port)
        return CheckResult("imap", False, f"IMAP {where}: logged in, then {line}")
    finally:
        with contextlib.suppress(Exception):
            client.logout()
    ok = not extra
    state = "ok" if ok else "logged in"
    return CheckResult(
        "imap", ok, f"IMAP {where}: {state}, INBOX has {counted(count, 'message')}{extra}"
    )


def check_all(settings: MailSettings, now: datetime) -> list[CheckResult]:
    """Check SMTP, then IMAP when configured (`now`: when an OAuth2 token is due renewal)."""
    results = [check_smtp(settings, now)]
    imap = check_imap(settings, now)
    if imap is not None:
        results.append(imap)
    return results
