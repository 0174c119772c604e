"""The mail worker inside the app (`web/sender.py`), in-process with its thread running:
with the clock fixed (`--now`) every pass runs at that moment, so what is due by then goes
out once and what is due later waits; a pass that fails (no password) is said in the
header and the loop goes on; the next change wakes it (real app, real database on both
engines, a real SMTP server)."""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Iterator
from email.utils import parsedate_to_datetime

import pytest
from fastapi.testclient import TestClient

from afterview.web.app import create_app
from afterview.web.runtime import LOOPBACK_HOSTS, WebSettings
from tests.cli.helpers import Afterview
from tests.conftest import IsolatedEnv
from tests.mailservers import ME, ME_PASSWORD, SmtpServer
from tests.webapp.conftest import Clock
from tests.webapp.test_edited_drafts import api
from tests.webapp.test_outbox_page import _approve, _interview


@pytest.fixture
def serving(db_url: str, env_isolated: IsolatedEnv, clock: Clock) -> Iterator[TestClient]:
    """The app with its worker on, its clock fixed as `--now` fixes it (17:30 in Paris)."""
    env_isolated.config_file.parent.mkdir(parents=True, exist_ok=True)
    env_isolated.config_file.write_text(
        'timezone = "Europe/Paris"\n[me]\nname = "Sam Carter"\nemail = "sam@example.org"\n'
    )
    settings = WebSettings(
        db_target=db_url,
        clock=clock,
        now_given=True,
        allowed_hosts=(*LOOPBACK_HOSTS, "testserver"),
        worker=True,
    )
    with TestClient(create_app(settings), base_url="http://testserver") as c:
        c.get("/")
        yield c


def _until(check: Callable[[], bool], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"not within {seconds} s"
        time.sleep(0.05)


def _header(client: TestClient) -> str:
    page = html.unescape(client.get("/outbox").text)
    return page.split('class="mailstate-text">')[1].split("</span>")[0]


def test_with_a_fixed_moment_what_is_due_then_goes_once(
    serving: TestClient, av: Afterview, smtpd: SmtpServer
) -> None:
    av.ok(
        "mail", "setup", "--smtp-host", smtpd.host, "--smtp-port", str(smtpd.port),
        "--smtp-security", "none", "--from", ME, now="2026-09-15T09:00",
    )  # fmt: skip
    due = _interview(serving, "Acme", "2026-09-15T14:00", "Ana Lopez <ana@acme.example>")
    later = _interview(serving, "Globex", "2026-09-15T16:00", "Gil Park <gil@globex.example>")
    first = _approve(serving, due)  # in its window at 17:30: now
    second = _approve(serving, later)  # its window opens at 19:00
    [delivered] = smtpd.wait_for(1)
    assert delivered.message["Subject"] == first["subject"]
    date = parsedate_to_datetime(delivered.message["Date"])
    assert date.isoformat() == "2026-09-15T17:30:00+02:00"  # stamped with the fixed moment
    _until(lambda: "Sending works · checked today 17:30" in _header(serving))
    for _ in range(3):  # more passes at the same moment: nothing twice, nothing early
        api(serving, "POST", f"/api/outbox/{second['id']}/reschedule", {"at": "2026-09-15T19:00"})
        time.sleep(0.3)
    assert len(smtpd.messages) == 1
    states = {m["id"]: m["state"] for m in api(serving, "GET", "/api/outbox").json()["messages"]}
    assert states == {first["id"]: "sent", second["id"]: "scheduled"}
    assert "next today 19:00" in _header(serving)


def test_a_pass_that_fails_is_said_and_the_next_change_wakes_the_worker(
    serving: TestClient, av: Afterview, smtpd: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    av.ok(
        "mail", "setup", "--smtp-host", smtpd.host, "--smtp-port", str(smtpd.port),
        "--smtp-security", "none", "--smtp-user", ME, "--from", ME, now="2026-09-15T09:00",
    )  # fmt: skip
    iv = _interview(serving, "Acme", "2026-09-15T14:00", "Ana Lopez <ana@acme.example>")
    row = _approve(serving, iv)
    _until(lambda: "Sending failing" in _header(serving))
    line = _header(serving)
    assert "smtp password: none found for me@local.test" in line, line
    assert smtpd.messages == []
    monkeypatch.setenv("AFTERVIEW_SMTP_PASSWORD", ME_PASSWORD)
    r = api(serving, "POST", f"/api/outbox/{row['id']}/reschedule", {})  # send now
    assert r.status_code == 200, r.text
    [delivered] = smtpd.wait_for(1)
    assert delivered.login == ME
    _until(lambda: "Sending works" in _header(serving))
    assert ME_PASSWORD not in html.unescape(serving.get("/").text)
