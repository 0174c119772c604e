"""One-time links of a server, mailed through a real SMTP server (aiosmtpd): a reset link
sets a new password once, within the hour, and ends every other session; asking for an
unknown address sends nothing and says the same; an invitation sets a first password.
Real PostgreSQL as the application's role."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from afterview.server.settings import ServerMail, ServerSettings
from tests.cli.helpers import Afterview
from tests.mailservers import SmtpServer
from tests.server.conftest import Clock, ServerDb, add_account, csrf, sign_in

pytestmark = pytest.mark.postgres
NEW = "a brand new password"


@pytest.fixture
def server_settings(server_db: ServerDb, smtpd: SmtpServer, tmp_path: Path) -> ServerSettings:
    from afterview.server.secret import create

    settings = ServerSettings(
        str(tmp_path / "server.toml"), server_db.app_url, server_db.owner_url,
        "https://afterview.example.org", str(tmp_path / "secret"),
        ServerMail("127.0.0.1", smtpd.port, "none", None, "afterview@centre.example"),
    )  # fmt: skip
    create(settings.secret_file)
    return settings


def _link(smtpd: SmtpServer, to: str) -> str:
    mine = [m for m in smtpd.messages if m.rcpt_tos == [to]]
    assert mine, f"nothing was mailed to {to}"
    body = mine[-1].message.get_content()
    found = re.search(r"https://afterview\.example\.org(/(?:reset|welcome)/[A-Za-z0-9_-]+)", body)
    assert found, body
    return found.group(1)


def test_a_reset_link_sets_a_new_password_once_and_ends_other_sessions(
    server_db: ServerDb, server_app: Callable[[], TestClient], smtpd: SmtpServer, clock: Clock
) -> None:
    add_account(server_db.owner, "ana@example.org")
    phone, browser = server_app(), server_app()
    sign_in(phone, "ana@example.org")
    page = browser.post("/reset", data={"email": "ANA@example.org"}, headers=csrf(browser))
    said = page.text
    assert page.status_code == 200 and "on its way" in said
    unknown = browser.post("/reset", data={"email": "nobody@example.org"}, headers=csrf(browser))
    assert unknown.text.count("on its way") == said.count("on its way")
    assert [m.rcpt_tos for m in smtpd.messages] == [["ana@example.org"]]
    link = _link(smtpd, "ana@example.org")
    assert browser.get(link).status_code == 200
    differ = browser.post(link, data={"password": NEW, "again": NEW + "x"}, headers=csrf(browser))
    assert differ.status_code == 422 and "differ" in differ.text
    done = browser.post(link, data={"password": NEW, "again": NEW}, headers=csrf(browser))
    assert done.status_code == 303 and browser.get("/api/today").status_code == 200
    assert phone.get("/api/today").status_code == 401, "the other session survived"
    again = browser.post(link, data={"password": NEW, "again": NEW}, headers=csrf(browser))
    assert again.status_code == 404
    sign_in(phone, "ana@example.org", NEW)
    # a second link expires after an hour
    browser.post("/reset", data={"email": "ana@example.org"}, headers=csrf(browser))
    late = _link(smtpd, "ana@example.org")
    clock.at += timedelta(hours=1, seconds=1)
    assert browser.get(late).status_code == 404


def test_a_reset_link_lifts_a_lockout(
    server_db: ServerDb, server_app: Callable[[], TestClient], smtpd: SmtpServer
) -> None:
    add_account(server_db.owner, "ana@example.org")
    c = server_app()
    for _ in range(5):
        c.post("/signin", data={"email": "ana@example.org", "password": "wrong guess!"},
               headers=csrf(c))  # fmt: skip
    c.post("/reset", data={"email": "ana@example.org"}, headers=csrf(c))
    link = _link(smtpd, "ana@example.org")
    assert c.post(link, data={"password": NEW, "again": NEW}, headers=csrf(c)).status_code == 303
    sign_in(server_app(), "ana@example.org", NEW)


@pytest.fixture
def av_server(
    server_settings: ServerSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Afterview]:
    from afterview.server.settings import render

    Path(server_settings.path).write_text(render(server_settings))
    Path(server_settings.path).chmod(0o600)
    monkeypatch.setenv("AFTERVIEW_SERVER_CONFIG", server_settings.path)
    yield Afterview(str(tmp_path / "unused.db"))


def test_an_invitation_is_mailed_and_sets_the_first_password(
    server_db: ServerDb, server_app: Callable[[], TestClient], smtpd: SmtpServer,
    av_server: Afterview,
) -> None:  # fmt: skip
    r = av_server.ok("server", "user", "invite", "new@example.org", "--role", "coach")
    assert "mailed" in r.out
    link = _link(smtpd, "new@example.org")
    assert link.startswith("/welcome/")
    c = server_app()
    assert "Welcome" in c.get(link).text
    assert c.post(link, data={"password": NEW, "again": NEW}, headers=csrf(c)).status_code == 303
    assert c.get("/cohorts").status_code == 200  # a coach
    printed = av_server.ok("server", "user", "invite", "other@example.org", "--print")
    assert printed.out.startswith("https://afterview.example.org/welcome/")
    assert len(smtpd.messages) == 1
