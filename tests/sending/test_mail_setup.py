"""`mail setup`, `mail show` and `mail check`: passwords kept out of every file, clear failures."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from tests.cli.helpers import Afterview
from tests.mailservers import ME, ME_PASSWORD, DovecotServer, SmtpServer, free_port

NOW = "2026-09-15T15:10"


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring: this machine has no real one (see RECIPES.md)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    try:
        yield ring
    finally:
        keyring.set_keyring(before)


def _setup(av: Afterview, smtpd: SmtpServer, *extra: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return av(
        "mail", "setup", "--smtp-host", smtpd.host, "--smtp-port", str(smtpd.port),
        "--smtp-security", "none", "--smtp-user", ME, "--from", ME, *extra,
        now=NOW, input=input,
    )  # fmt: skip


def test_passwords_go_to_the_keyring_and_nowhere_else(
    av: Afterview,
    smtpd: SmtpServer,
    mailbox: DovecotServer,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
) -> None:
    secret = "s3cret-Passw0rd"
    r = _setup(
        av, smtpd, "--imap-host", mailbox.host, "--imap-port", str(mailbox.port),
        "--imap-security", "none", "--smtp-password-stdin", input=f"{secret}\n",
    )  # fmt: skip
    assert r.code == 0, r.err
    assert memory_keyring.items == {("afterview", f"smtp:{ME}@127.0.0.1"): secret}
    shown = av.ok("mail", "show", "--json", now=NOW).json()
    assert shown["smtp_password"] == "in the system keyring"
    assert shown["imap_password"].startswith("missing")
    assert secret not in r.out + r.err
    # not in the database, the config, an export
    export = tmp_path / "export.json"
    av.ok("export", "--out", str(export), now=NOW)
    for path in (Path(av.db_url), export, *tmp_path.rglob("config.toml")):
        if path.exists():
            assert secret.encode() not in path.read_bytes(), path
    # the wrong keyring password: check says authentication
    memory_keyring.items[("afterview", f"smtp:{ME}@127.0.0.1")] = "wrong"
    r = av("mail", "check", now=NOW)
    assert r.code == 1 and "authentication" in r.out
    memory_keyring.items[("afterview", f"smtp:{ME}@127.0.0.1")] = ME_PASSWORD
    r = av("mail", "check", now=NOW)
    assert "SMTP" in r.out and "ok, logged in as me@local.test" in r.out


def test_without_a_keyring_the_password_goes_to_the_secrets_file(
    av: Afterview, smtpd: SmtpServer, tmp_path: Path
) -> None:
    """(The test environment has no keyring: `PYTHON_KEYRING_BACKEND` is the failing one.)"""
    secret = "s3cret-Passw0rd"
    r = _setup(av, smtpd, "--smtp-password-stdin", input=f"{secret}\n")
    assert r.code == 0, r.err
    path = tmp_path / "secrets.json"  # beside the test's config.toml
    assert f"smtp_password: in the secrets file {path}" in r.out
    assert f"The smtp password is kept in the secrets file {path}: readable only by you" in r.out
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == {f"smtp:{ME}@127.0.0.1": secret}
    assert secret not in r.out + r.err
    shown = av.ok("mail", "show", "--json", now=NOW).json()
    assert shown["smtp_password"] == f"in the secrets file {path}"
    export = tmp_path / "export.json"
    av.ok("export", "--out", str(export), now=NOW)
    for where in (Path(av.db_url), export, tmp_path / "config.toml"):
        if where.exists():
            assert secret.encode() not in where.read_bytes(), where
    # the server's password, replacing the first in the file: check logs in with it
    assert _setup(av, smtpd, "--smtp-password-stdin", input=f"{ME_PASSWORD}\n").code == 0
    assert json.loads(path.read_text()) == {f"smtp:{ME}@127.0.0.1": ME_PASSWORD}
    assert "ok, logged in as me@local.test" in av.ok("mail", "check", now=NOW).out


def test_check_reports_each_failure_clearly(
    av: Afterview, smtpd: SmtpServer, mailbox: DovecotServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AFTERVIEW_SMTP_PASSWORD", ME_PASSWORD)
    monkeypatch.setenv("AFTERVIEW_IMAP_PASSWORD", "not the password")
    assert _setup(
        av, smtpd, "--imap-host", mailbox.host, "--imap-port", str(mailbox.port),
        "--imap-security", "none",
    ).code == 0  # fmt: skip
    checks = av("mail", "check", "--json", now=NOW)
    assert checks.code == 1
    smtp, imap = checks.json()
    assert smtp["ok"] and not imap["ok"] and "authentication" in imap["line"]

    cases = [
        (
            ("--smtp-host", "nowhere.invalid", "--allow-insecure"),
            "DNS: cannot find nowhere.invalid",
        ),
        (("--smtp-host", "127.0.0.1", "--smtp-port", str(free_port())), "refused"),
        (
            ("--smtp-host", "127.0.0.1", "--smtp-port", str(smtpd.port), "--smtp-security", "tls"),
            "TLS",
        ),
    ]
    for args, expected in cases:
        r = av(
            "mail", "setup", "--smtp-user", ME, "--from", ME,
            *(("--smtp-security", "none") if "--smtp-security" not in args else ()), *args, now=NOW,
        )  # fmt: skip
        assert r.code == 0, r.err
        r = av("mail", "check", now=NOW)
        assert r.code == 1 and expected in r.out, r.out
        assert r.out.count("\n") == 1 and "Traceback" not in r.out + r.err


def test_plaintext_to_a_remote_host_needs_allow_insecure(av: Afterview) -> None:
    r = av(
        "mail",
        "setup",
        "--smtp-host",
        "smtp.example.org",
        "--smtp-security",
        "none",
        "--from",
        ME,
        now=NOW,
    )
    assert r.code == 2 and r.err.startswith("afterview: --smtp-security: ")
    assert av("mail", "show", now=NOW).code == 1  # nothing saved
    r = av(
        "mail",
        "setup",
        "--smtp-host",
        "smtp.example.org",
        "--from",
        "me\r\nBcc: x@y.example",
        now=NOW,
    )
    assert r.code == 2 and r.err.startswith("afterview: --from: ")


def test_hostile_interviewer_names_never_reach_a_header(
    av: Afterview, smtpd: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AFTERVIEW_SMTP_PASSWORD", ME_PASSWORD)
    r = av(
        "interview", "add", "--company", "Acme", "--role", "Dev", "--start", "2026-09-15T14:00",
        "--interviewer", "Ana\r\nBcc: victim@example.org <ana@acme.example>", now=NOW,
    )  # fmt: skip
    assert r.code == 2 and "--interviewer" in r.err


class BrokenKeyring(MemoryKeyring):
    """A keyring whose service is gone (a D-Bus failure, say)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("the keyring service is not running")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("the keyring service is not running")


def test_a_failing_keyring_is_one_line_everywhere(
    av: Afterview, smtpd: SmtpServer, tmp_path: Path
) -> None:
    """A keyring that raises (set with `keyring.set_keyring`: a fake only because no real
    system keyring runs here): the password goes to the secrets file instead, and the
    user is told why; reading it later names the keyring's failure in one line."""
    before = keyring.get_keyring()
    keyring.set_keyring(BrokenKeyring())
    try:
        r = _setup(av, smtpd, "--smtp-password-stdin", input=f"{ME_PASSWORD}\n")
        assert r.code == 0, r.err
        path = tmp_path / "secrets.json"
        assert (
            f"The smtp password is kept in the secrets file {path} (the system keyring "
            "refused it: the keyring service is not running): readable only by you" in r.out
        )
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        shown = av.ok("mail", "show", "--json", now=NOW).json()
        assert shown["smtp_password"] == f"in the secrets file {path}"
        r = av("mail", "check", now=NOW)
        assert r.code == 0 and "ok, logged in as me@local.test" in r.out
        # without the file, the keyring's failure is said in one line
        path.unlink()
        r = av("mail", "check", now=NOW)
        assert r.code == 1 and "no password" in r.out and "Traceback" not in r.out + r.err
        av.ok(
            "interview", "add", "--company", "Acme", "--role", "Dev", "--start", "2026-09-15T14:00",
            "--interviewer", "Ana <ana@acme.example>", now=NOW,
        )  # fmt: skip
        av.ok("send", "thank_you:1:1", now=NOW)
        r = av("run", "--once", now="2026-09-15T17:05")
        assert r.code == 2 and "keyring failed" in r.err and r.err.count("\n") == 1
    finally:
        keyring.set_keyring(before)


def test_send_says_a_worker_sends_it_and_warns_of_a_missing_password(
    av: Afterview, smtpd: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(The test environment has no keyring: `PYTHON_KEYRING_BACKEND` is the failing one.)"""
    assert _setup(av, smtpd).code == 0  # a login, and no password anywhere
    av.ok(
        "interview", "add", "--company", "Acme", "--role", "Dev", "--start", "2026-09-15T14:00",
        "--interviewer", "Ana <ana@acme.example>", "--interviewer", "Ben <ben@acme.example>",
        now=NOW,
    )  # fmt: skip
    r = av.ok("send", "thank_you:1:1", now=NOW)
    warning, worker = r.err.splitlines()
    assert warning.startswith(f"afterview: warning: no SMTP password for {ME} at {smtpd.host}")
    assert "AFTERVIEW_SMTP_PASSWORD" in warning
    assert worker.startswith("afterview: warning: no worker has run on this database yet")
    assert worker.endswith("`afterview service install` keeps one running, or leave "
                           "`afterview run` open in a terminal")  # fmt: skip
    monkeypatch.setenv("AFTERVIEW_SMTP_PASSWORD", "pw")
    r = av.ok("send", "thank_you:1:2", "--json", now=NOW)
    assert r.err.splitlines() == [worker] and r.json()[0]["state"] == "scheduled"
