"""OAuth2 end to end: `mail login`, then `mail sync` against a real Dovecot whose oauth2
passdb asks the test's token endpoint (RFC 7662 introspection), and `send` through
aiosmtpd checking the token at the same endpoint. Tokens expire and are refreshed,
are rejected and refreshed once, are revoked and `mail login` is asked for.

The provider is `tests/oauth_provider.py`: a real HTTP server on 127.0.0.1 (afterview
reaches it through `AFTERVIEW_OAUTH2_URL`), standing in for Google's and Microsoft's.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.helpers import Afterview
from tests.mailservers import ME, DovecotServer, DovecotUnavailable, SmtpServer
from tests.oauth_provider import CLIENT_ID, OAuthProvider

NOW = "2026-09-15T15:10"
LATER = "2026-09-15T18:10"  # three hours on: the access token (one hour) has expired


@pytest.fixture(scope="module")
def provider() -> Iterator[OAuthProvider]:
    p = OAuthProvider(pending=0)
    p.start()
    try:
        yield p
    finally:
        p.stop()


@pytest.fixture(scope="module", params=["xoauth2", "oauthbearer"])
def oauth_dovecot(
    request: pytest.FixtureRequest, provider: OAuthProvider
) -> Iterator[DovecotServer]:
    """A private Dovecot offering only one of the two mechanisms (afterview picks what is
    offered, OAUTHBEARER first)."""
    server = DovecotServer(oauth2=provider.introspection_url, oauth2_mechanisms=(request.param,))
    try:
        server.start()
    except DovecotUnavailable as exc:
        pytest.fail(str(exc))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def oauth_smtpd(provider: OAuthProvider) -> Iterator[SmtpServer]:
    server = SmtpServer(oauth2=provider.user_of)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def account(
    av: Afterview,
    provider: OAuthProvider,
    oauth_dovecot: DovecotServer,
    oauth_smtpd: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> Afterview:
    """An account on Microsoft (device-code flow), signed in at NOW; one interview."""
    monkeypatch.setenv("AFTERVIEW_OAUTH2_URL", provider.base_url)
    oauth_dovecot.reset(ME)
    av.ok(
        "interview", "add", "--company", "Acme", "--role", "Dev", "--start", "2026-09-15T14:00",
        "--interviewer", "Ana Lopez <ana@acme.example>", now=NOW,
    )  # fmt: skip
    r = av.ok(
        "mail", "setup", "--smtp-host", oauth_smtpd.host, "--smtp-port", str(oauth_smtpd.port),
        "--smtp-security", "none", "--from", ME, "--imap-host", oauth_dovecot.host,
        "--imap-port", str(oauth_dovecot.port), "--imap-security", "none",
        "--auth", "oauth2", "--oauth-provider", "microsoft", "--oauth-client-id", CLIENT_ID,
        now=NOW,
    )  # fmt: skip
    assert "oauth_token: missing: run `afterview mail login`" in r.out
    assert "Next: `afterview mail login`" in r.out
    r = av.ok("mail", "login", now=NOW)
    assert f"open {provider.base_url}/device and enter the code ABCD-EFGH" in r.out
    assert f"Signed in as {ME} with Microsoft; the tokens are kept in the secrets file" in r.out
    return av


def _kept(tmp_path: Path) -> dict[str, object]:
    """The tokens afterview keeps (no keyring here: the secrets file beside config.toml)."""
    secrets = json.loads((tmp_path / "secrets.json").read_text())
    return dict(json.loads(secrets[f"oauth2:{ME}@microsoft"]))


def _method(dovecot: DovecotServer) -> str:
    """The SASL method of Dovecot's last login."""
    lines = [ln for ln in dovecot.log_path.read_text().splitlines() if "Login: user=" in ln]
    return lines[-1].split("method=")[1].split(",")[0]


def test_sync_logs_in_with_the_token(
    account: Afterview, provider: OAuthProvider, oauth_dovecot: DovecotServer, tmp_path: Path
) -> None:
    refreshed = provider.grants("refresh_token")
    r = account.ok("mail", "sync", now=NOW)
    assert r.out.startswith("0 new messages read")
    assert _method(oauth_dovecot) == oauth_dovecot.oauth2_mechanisms[0].upper()
    kept = _kept(tmp_path)
    assert provider.introspected[-1] == kept["access_token"]
    assert kept["expires_at"] == "2026-09-15T14:10:00+00:00"  # NOW (Paris) + expires_in
    assert provider.grants("refresh_token") == refreshed  # the token was fresh
    shown = account.ok("mail", "show", "--json", now=NOW).json()
    assert shown["auth"] == f"oauth2 (microsoft, client id {CLIENT_ID})"
    assert shown["oauth_token"] == f"in the secrets file {tmp_path / 'secrets.json'}"
    checks = account.ok("mail", "check", now=NOW).out.splitlines()
    assert checks[0].endswith(f"ok, logged in as {ME} with an OAuth2 token")
    assert "IMAP" in checks[1] and ": ok, INBOX has" in checks[1]
    assert kept["access_token"] not in r.out + checks[0] + checks[1]


def test_an_expired_token_is_refreshed_before_login(
    account: Afterview, provider: OAuthProvider, tmp_path: Path
) -> None:
    before = _kept(tmp_path)
    refreshed = provider.grants("refresh_token")
    provider.expire_access_tokens()  # the server agrees: the old one no longer works
    account.ok("mail", "sync", now=LATER)
    assert provider.grants("refresh_token") == refreshed + 1
    after = _kept(tmp_path)
    assert after["access_token"] != before["access_token"]
    assert after["refresh_token"] == before["refresh_token"]  # kept: none new was given
    assert after["expires_at"] == "2026-09-15T17:10:00+00:00"
    # the token was renewed before the login: the old one was never shown to the server
    assert before["access_token"] not in provider.introspected[-2:]


def test_a_token_the_server_rejects_is_refreshed_once_and_retried(
    account: Afterview, provider: OAuthProvider, tmp_path: Path
) -> None:
    before = _kept(tmp_path)
    refreshed = provider.grants("refresh_token")
    provider.expire_access_tokens()  # revoked at the server, though not expired by the clock
    r = account.ok("mail", "sync", now=NOW)
    assert r.out.startswith("0 new messages read")
    assert provider.grants("refresh_token") == refreshed + 1
    after = _kept(tmp_path)
    assert after["access_token"] != before["access_token"]
    assert provider.introspected[-2:] == [before["access_token"], after["access_token"]]


def test_a_revoked_sign_in_asks_for_mail_login_in_one_line(
    account: Afterview,
    provider: OAuthProvider,
    oauth_smtpd: SmtpServer,
    oauth_dovecot: DovecotServer,
) -> None:
    provider.expire_access_tokens()
    provider.revoke()
    r = account("mail", "sync", now=NOW)
    assert r.code == 2 and r.err.count("\n") == 1 and "Traceback" not in r.err
    assert r.err.startswith(
        f"afterview: imap 127.0.0.1:{oauth_dovecot.port}: oauth2: Microsoft refused to renew "
        "the sign-in (invalid_grant: token revoked)"
    )
    assert r.err.rstrip().endswith("run `afterview mail login` to sign in again")
    # the worker: the message waits, and run --once says the same, exit 2
    account.ok("send", "thank_you:1:1", now=NOW)
    r = account("run", "--once", now="2026-09-15T17:05")
    assert r.code == 2 and "run `afterview mail login`" in r.err and r.err.count("\n") == 1
    assert oauth_smtpd.messages == []
    r = account("mail", "check", now=NOW)
    assert r.code == 1 and r.out.count("run `afterview mail login`") == 2
    # signing in again mends it
    account.ok("mail", "login", now=NOW)
    assert account.ok("mail", "sync", now=NOW).out.startswith("0 new messages read")


def test_send_goes_out_with_a_refreshed_token(
    account: Afterview, provider: OAuthProvider, oauth_smtpd: SmtpServer
) -> None:
    account.ok("send", "thank_you:1:1", now=NOW)
    refreshed = provider.grants("refresh_token")
    provider.expire_access_tokens()
    r = account("run", "--once", now="2026-09-15T17:05")
    assert r.code == 0, r.err
    [sent] = oauth_smtpd.wait_for(1)
    assert sent.login == ME and sent.rcpt_tos == ["ana@acme.example"]
    # the token was renewed once (before the SMTP login); the IMAP read used it too
    assert provider.grants("refresh_token") == refreshed + 1


def test_smtp_rejecting_the_token_refreshes_once(
    account: Afterview, provider: OAuthProvider, oauth_smtpd: SmtpServer
) -> None:
    refreshed = provider.grants("refresh_token")
    provider.expire_access_tokens()  # the clock says fresh; the server says no
    r = account.ok("mail", "check", now=NOW)
    assert f"ok, logged in as {ME} with an OAuth2 token" in r.out
    assert provider.grants("refresh_token") == refreshed + 1


def test_oauth_options_are_checked(av: Afterview) -> None:
    base = ("mail", "setup", "--smtp-host", "smtp.example.org", "--from", ME)
    r = av(*base, "--auth", "oauth2", "--oauth-client-id", CLIENT_ID, now=NOW)
    assert r.code == 2 and r.err.startswith("afterview: --oauth-provider: expected one of")
    r = av(*base, "--auth", "oauth2", "--oauth-provider", "google", "--oauth-client-id", "a b")
    assert r.code == 2 and r.err.startswith("afterview: --oauth-client-id: ")
    r = av(*base, "--oauth-provider", "google", now=NOW)
    assert r.code == 2 and "only used with --auth oauth2" in r.err
    r = av(*base, "--auth", "kerberos", now=NOW)
    assert r.code == 2 and r.err.startswith("afterview: --auth: expected one of password, oauth2")
    r = av(
        *base, "--auth", "oauth2", "--oauth-provider", "google", "--oauth-client-id", CLIENT_ID,
        "--smtp-password-stdin", input="pw\n", now=NOW,
    )  # fmt: skip
    assert r.code == 2 and "--smtp-password-stdin: not used with --auth oauth2" in r.err
    assert av("mail", "show", now=NOW).code == 1  # nothing saved
    av.ok(*base, now=NOW)
    r = av("mail", "login", now=NOW)
    assert r.code == 1 and "logs in with a password" in r.err
