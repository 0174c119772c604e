"""A security setting that does not fit the port is told at once, naming the setting to use,
and `run --once` exits 2 (the settings are wrong: retrying cannot help).

Real peers: aiosmtpd speaking plain SMTP, plain SMTP with STARTTLS, and SMTPS (TLS from
the first byte); a Dovecot with STARTTLS on its IMAP port and an IMAPS port. The
certificate is a throwaway self-signed one made with `openssl` for 127.0.0.1.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from afterview.mail import check, smtp
from tests.cli.helpers import Afterview
from tests.mailservers import ME, DovecotServer, SmtpServer

NOW = "2026-09-15T17:05"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate and key for 127.0.0.1 (PEM files)."""
    if shutil.which("openssl") is None:
        pytest.skip("no openssl to make a certificate")
    folder = tmp_path_factory.mktemp("tls")
    folder.chmod(0o755)
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    key.chmod(0o644)
    return cert, key


def _server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture
def smtps(certificate: tuple[Path, Path]) -> Iterator[SmtpServer]:
    """SMTP over TLS from the first byte (what port 465 speaks)."""
    server = SmtpServer(implicit_tls=_server_context(certificate))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp_starttls(certificate: tuple[Path, Path]) -> Iterator[SmtpServer]:
    """Plain SMTP that offers STARTTLS (what port 587 speaks)."""
    server = SmtpServer(starttls=_server_context(certificate))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def dovecot_tls(certificate: tuple[Path, Path]) -> Iterator[DovecotServer]:
    """A Dovecot with STARTTLS on `port` and IMAPS on `tls_port`."""
    from tests.mailservers import DovecotUnavailable

    server = DovecotServer(tls=certificate)
    try:
        server.start()
    except DovecotUnavailable as exc:
        pytest.skip(f"Dovecot could not be started: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def short_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seconds, not the real 10 s of silence before probing and 15 s IMAP greeting wait."""
    monkeypatch.setattr(smtp, "PROBE", 0.5)
    monkeypatch.setattr(check, "TIMEOUT", 2.0)


def _queue(av: Afterview, host: str, port: int, security: str) -> int:
    av.ok(
        "interview", "add", "--company", "Acme", "--role", "Data Engineer",
        "--start", "2026-09-15T14:00", "--interviewer", "Ana Lopez <ana@acme.example>",
        now="2026-09-15T15:10",
    )  # fmt: skip
    av.ok(
        "mail", "setup", "--smtp-host", host, "--smtp-port", str(port),
        "--smtp-security", security, "--from", ME, now="2026-09-15T15:10",
    )  # fmt: skip
    return int(av.ok("send", "thank_you:1:1", "--json", now="2026-09-15T15:10").json()[0]["id"])


@pytest.mark.parametrize(
    ("server", "security", "says"),
    [
        ("smtpd", "tls", "answers in plain text, not TLS; set --smtp-security none"),
        ("smtp_starttls", "tls", "answers in plain text, not TLS; set --smtp-security starttls"),
        ("smtps", "starttls", "expects TLS from the first byte; set --smtp-security tls"),
        ("smtps", "none", "expects TLS from the first byte; set --smtp-security tls"),
    ],
)
def test_an_smtp_security_that_does_not_fit_the_port(
    av: Afterview, request: pytest.FixtureRequest, server: str, security: str, says: str
) -> None:
    peer: SmtpServer = request.getfixturevalue(server)
    message = _queue(av, peer.host, peer.port, security)
    started = time.monotonic()
    run = av("run", "--once", "--json", now=NOW)
    took = time.monotonic() - started
    assert run.code == 2 and run.err.count("\n") == 1 and "Traceback" not in run.err
    assert says in run.err and "`afterview mail setup`" in run.err
    assert took < 4, took  # told at once, not after a long wait
    row = av.ok("outbox", "show", str(message), "--json", now=NOW).json()
    # waiting in the outbox with the reason, not put off by a retry backoff
    assert row["state"] == "scheduled" and row["retry_at"] is None and says in row["reason"]
    assert peer.messages == []
    checked = av("mail", "check", now=NOW)
    assert checked.code == 1 and says in checked.out
    # fixed: it goes
    right = {"smtpd": "none", "smtp_starttls": "none", "smtps": "tls"}[server]
    if right == "tls":
        return  # the certificate is self-signed: the next test is about that
    av.ok(
        "mail", "setup", "--smtp-host", peer.host, "--smtp-port", str(peer.port),
        "--smtp-security", right, "--from", ME, now=NOW,
    )  # fmt: skip
    assert av.ok("run", "--once", "--json", now=NOW).json()["sent"] == [message]
    assert len(peer.messages) == 1


def test_an_untrusted_certificate_is_not_taken_for_a_mismatch(
    av: Afterview, smtps: SmtpServer
) -> None:
    _queue(av, smtps.host, smtps.port, "tls")
    run = av("run", "--once", now=NOW)
    assert run.code == 2 and "certificate" in run.err and "not trusted" in run.err
    assert "set --smtp-security" not in run.err
    # the pass, for people: which message, why, when it is tried again; the problem on stderr
    summary, line = run.out.splitlines()
    assert summary == "1 not sent yet"
    assert line.startswith("  message 1, thank-you to Ana Lopez <ana@acme.example>: not sent yet: ")
    assert "certificate" in line and "tried again once the mail settings are fixed" in line


def test_an_imap_security_that_does_not_fit_the_port(
    av: Afterview, dovecot_tls: DovecotServer, smtpd: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AFTERVIEW_IMAP_PASSWORD", dovecot_tls.password)

    def setup(port: int, security: str) -> None:
        av.ok(
            "mail", "setup", "--smtp-host", smtpd.host, "--smtp-port", str(smtpd.port),
            "--smtp-security", "none", "--from", ME, "--imap-host", dovecot_tls.host,
            "--imap-port", str(port), "--imap-security", security, now=NOW,
        )  # fmt: skip

    setup(dovecot_tls.port, "tls")
    r = av("mail", "sync", now=NOW)
    assert r.code == 2 and r.err.count("\n") == 1
    assert "answers in plain text, not TLS; set --imap-security starttls" in r.err

    setup(dovecot_tls.tls_port, "none")
    started = time.monotonic()
    run = av("run", "--once", "--json", now=NOW)
    assert time.monotonic() - started < 10
    assert run.code == 2 and run.err.count("\n") == 1
    assert "expects TLS from the first byte; set --imap-security tls" in run.err
    assert run.json()["sync_error"] is not None

    setup(dovecot_tls.port, "none")  # plaintext allowed on this machine: it reads
    assert av.ok("mail", "sync", "--json", now=NOW).json()["seen"] == 0
