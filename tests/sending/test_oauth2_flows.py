"""The two sign-in flows of `mail login` against the test's provider (a real HTTP server):
the device-code flow (RFC 8628: interval, slow_down, expires_in) and the loopback flow
(RFC 8252: a one-shot server on 127.0.0.1, PKCE S256, state), the test playing the user
and the browser."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

import afterview
from afterview.mail import oauth2, oauth_flows
from tests.cli.helpers import Afterview
from tests.mailservers import ME, SmtpServer
from tests.oauth_provider import CLIENT_ID, CLIENT_SECRET, OAuthProvider

NOW = "2026-09-15T15:10"
AT = datetime(2026, 9, 15, 13, 10, tzinfo=UTC)


class Waits:
    """The flow's clock and sleep: sleeping moves the clock, nothing waits for real
    (the provider is real; only time is the test's)."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> Iterator[OAuthProvider]:
    p = OAuthProvider(client_secret=CLIENT_SECRET)
    p.start()
    monkeypatch.setenv("AFTERVIEW_OAUTH2_URL", p.base_url)
    try:
        yield p
    finally:
        p.stop()


def test_the_device_flow_honours_interval_and_slow_down(provider: OAuthProvider) -> None:
    provider.slow_down, provider.pending, provider.device_interval = True, 1, 2
    waits, said = Waits(), []
    tokens = oauth_flows.device_flow(
        oauth2.provider("microsoft"), CLIENT_ID, CLIENT_SECRET, AT, said.append,
        sleep=waits.sleep, clock=waits.clock,
    )  # fmt: skip
    # first poll after the interval; slow_down adds 5 s to it from then on
    assert waits.slept == [2, 7, 7]
    polls = [f for path, f in provider.requests if path == "/microsoft/token"]
    assert len(polls) == 3 and all(f["device_code"] for f in polls)
    assert polls[0]["grant_type"] == "urn:ietf:params:oauth:grant-type:device_code"
    assert (
        said[0]
        == f"To sign in with Microsoft, open {provider.base_url}/device and enter the code ABCD-EFGH"
    )
    assert provider.user_of(tokens.access_token) == ME
    assert tokens.expires_at == datetime(2026, 9, 15, 14, 10, tzinfo=UTC)
    assert tokens.refresh_token in provider.refresh
    [(_path, asked)] = [r for r in provider.requests if r[0] == "/microsoft/devicecode"]
    assert asked["scope"] == (
        "https://outlook.office.com/IMAP.AccessAsUser.All "
        "https://outlook.office.com/SMTP.Send offline_access"
    )


def test_the_device_flow_stops_when_the_code_expires(provider: OAuthProvider) -> None:
    provider.pending, provider.device_interval, provider.device_expires_in = 1000, 3, 10
    waits = Waits()
    with pytest.raises(oauth_flows.LoginFailed) as caught:
        oauth_flows.device_flow(
            oauth2.provider("microsoft"), CLIENT_ID, CLIENT_SECRET, AT, lambda _: None,
            sleep=waits.sleep, clock=waits.clock,
        )  # fmt: skip
    assert waits.slept == [3, 3, 3]  # a fourth wait would end past the 10 s
    assert "the code ABCD-EFGH expired" in str(caught.value)
    assert "run `afterview mail login` again" in str(caught.value)
    assert caught.value.exit_code == 2


def _env() -> dict[str, str]:
    env = dict(os.environ)
    src = str(Path(afterview.__file__).resolve().parent.parent)  # this checkout's code
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    env["BROWSER"] = "true"  # never a real browser
    return env


def _lines(proc: subprocess.Popen[str]) -> queue.Queue[str]:
    """The command's output, line by line, read in a thread ("" at its end)."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put("")

    threading.Thread(target=read, daemon=True).start()
    return lines


def _line(proc: subprocess.Popen[str], lines: queue.Queue[str], starts: str) -> str:
    """The first line of the command's output that starts with `starts`."""
    while True:
        try:
            line = lines.get(timeout=60)
        except queue.Empty:
            line = ""
        if not line:
            proc.kill()
            assert proc.stderr is not None
            raise AssertionError(f"no line starting {starts!r}; stderr: {proc.stderr.read()}")
        if line.startswith(starts):
            return line.strip()


def test_the_loopback_flow_with_pkce_and_state(
    av: Afterview, provider: OAuthProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    smtpd = SmtpServer(oauth2=provider.user_of)
    smtpd.start()
    try:
        r = av(
            "mail", "setup", "--smtp-host", smtpd.host, "--smtp-port", str(smtpd.port),
            "--smtp-security", "none", "--from", ME, "--auth", "oauth2", "--oauth-provider",
            "google", "--oauth-client-id", CLIENT_ID, "--oauth-client-secret-stdin",
            now=NOW, input=f"{CLIENT_SECRET}\n",
        )  # fmt: skip
        assert r.code == 0, r.err
        assert "The oauth client secret is kept in the secrets file" in r.out
        proc = subprocess.Popen(
            [sys.executable, "-m", "afterview", "--db", av.db_url, "--now", NOW,
             "mail", "login", "--no-browser"],
            env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            lines = _lines(proc)
            url = _line(proc, lines, f"{provider.base_url}/google/authorize?")
            query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
            assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
            assert query["scope"] == "https://mail.google.com/" and query["login_hint"] == ME
            assert query["client_id"] == CLIENT_ID and query["access_type"] == "offline"
            redirect = urllib.parse.urlsplit(query["redirect_uri"])
            assert redirect.hostname == "127.0.0.1" and redirect.port and redirect.path == "/"
            # a request with another state is refused, and the sign-in still waits
            forged = f"{query['redirect_uri']}?code=stolen&state=not-{query['state']}"
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(forged, timeout=10)
            assert refused.value.code == 400
            # the browser: the provider's page redirects to the loopback with the code
            with urllib.request.urlopen(url, timeout=10) as page:
                assert page.status == 200 and b"Signed in" in page.read()
            proc.wait(timeout=30)
            out = "".join(iter(lines.get, ""))
            err = proc.stderr.read() if proc.stderr else ""
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        assert proc.returncode == 0, err
        assert f"Signed in as {ME} with Google; the tokens are kept in the secrets file" in out
        [exchange] = [
            f for path, f in provider.requests if f.get("grant_type") == "authorization_code"
        ]
        assert exchange["client_secret"] == CLIENT_SECRET and exchange["code_verifier"]
        assert exchange["redirect_uri"] == query["redirect_uri"]
        assert not any(f.get("code") == "stolen" for _p, f in provider.requests)
        # the token works: SMTP logs in with it
        r = av.ok("mail", "check", now=NOW)
        assert f"ok, logged in as {ME} with an OAuth2 token" in r.out
    finally:
        smtpd.stop()
