"""The Outbox page and its JSON twin: every message approved for sending, found by state,
company, day and words, 50 at a time; cancel, send now, reschedule and settle from the
page; hostile parameters refused naming the field; the header's mail state on every page
(real app in-process, real CLI, real database on both engines; a real SMTP server where
a message must fail)."""

from __future__ import annotations

import html
import re
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from afterview.store import mail as mailstore
from afterview.store.db import connect
from tests.cli.helpers import Afterview
from tests.mailservers import SmtpServer
from tests.webapp.conftest import Clock
from tests.webapp.test_edited_drafts import api, form

# the client's clock: Tue 15 Sep 2026 17:30 in Paris


def _mail_setup(av: Afterview, port: int = 2525) -> None:
    av.ok(
        "mail", "setup", "--smtp-host", "127.0.0.1", "--smtp-port", str(port),
        "--smtp-security", "none", "--from", "sam@example.org", now="2026-09-15T09:00",
    )  # fmt: skip


def _interview(client: TestClient, company: str, start: str, who: str) -> int:
    r = api(
        client,
        "POST",
        "/api/interviews",
        {
            "company": company,
            "role": "Data Engineer",
            "start": start,
            "duration": 60,
            "interviewers": [who],
        },
    )
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def _approve(client: TestClient, iv: int) -> dict[str, Any]:
    actions = api(client, "GET", f"/api/interviews/{iv}").json()["actions"]
    [action] = [a["id"] for a in actions if a["kind"] == "thank_you"]
    r = api(client, "POST", f"/api/drafts/{action}/approve")
    assert r.status_code == 200, r.text
    [row] = r.json()
    return dict(row)


def _rows(page: str) -> list[str]:
    """The ids of the messages listed on an Outbox page, in order."""
    return re.findall(r'<tr class="state-\w+" id="message-(\d+)">', page)


def _state(db_url: str, message: int) -> str:
    db = connect(db_url)
    try:
        return str(db.one("SELECT state FROM outbox WHERE id = ?", (message,))[0])
    finally:
        db.close()


@pytest.fixture
def approved(client: TestClient, av: Afterview) -> list[dict[str, Any]]:
    """Three messages: Acme (ended 17:00: goes 19:00), Globex (ended 15:00, moved to
    Wednesday 10:00), Initech (ended 16:30: goes 18:30)."""
    _mail_setup(av)
    a = _interview(client, "Acme", "2026-09-15T16:00", "Ana Lopez <ana@acme.example>")
    g = _interview(client, "Globex", "2026-09-15T14:00", "Gil Park <gil@globex.example>")
    i = _interview(client, "Initech", "2026-09-15T15:30", "Ivy Chen <ivy@initech.example>")
    rows = [_approve(client, n) for n in (a, g, i)]
    moved = api(client, "POST", f"/api/outbox/{rows[1]['id']}/reschedule", {"at": WEDNESDAY})
    assert moved.status_code == 200, moved.text
    rows[1] = moved.json()
    return rows


WEDNESDAY = "2026-09-16T10:00"


def test_every_message_is_listed_with_whom_when_and_its_interview(
    client: TestClient, approved: list[dict[str, Any]]
) -> None:
    page = client.get("/outbox")
    assert page.status_code == 200
    text = html.unescape(page.text)
    acme, globex, initech = (m["id"] for m in approved)
    # latest scheduled first: Globex (Wed), Acme (19:00), Initech (18:30)
    assert _rows(page.text) == [str(globex), str(acme), str(initech)]
    assert "Ana Lopez" in text and "ana@acme.example" in text and approved[0]["subject"] in text
    assert "today 19:00" in text and "Waiting" in text
    assert '<a href="/interviews/1">Acme</a>' in page.text
    assert "Send now" in text and "Cancel" in text and "Reschedule…" in text
    assert "3 messages" in text
    # its JSON twin says the same
    twin = api(client, "GET", "/api/outbox").json()
    assert [m["id"] for m in twin["messages"]] == [globex, acme, initech]
    assert twin["messages"][1]["company"] == "Acme"
    assert twin["messages"][1]["send_at"] == "2026-09-15T19:00:00+02:00"
    assert twin["messages"][1]["can"] == ["cancel", "reschedule"]
    earliest = client.get("/outbox?sort=soonest").text
    assert _rows(earliest) == [str(initech), str(acme), str(globex)]


def test_filters_by_state_company_days_and_words(
    client: TestClient, approved: list[dict[str, Any]]
) -> None:
    acme, globex, initech = (str(m["id"]) for m in approved)
    r = form(client, f"/outbox/{acme}/cancel", {"back": ""})
    assert r.status_code == 303
    assert _rows(client.get("/outbox?state=cancelled").text) == [acme]
    assert _rows(client.get("/outbox?state=scheduled").text) == [globex, initech]
    assert "No message matches" in client.get("/outbox?state=sent").text
    assert _rows(client.get("/outbox?company=globex").text) == [globex]
    assert _rows(client.get("/outbox?company=Nobody").text) == []
    assert _rows(client.get("/outbox?from=2026-09-16").text) == [globex]
    assert _rows(client.get("/outbox?to=2026-09-15").text) == [acme, initech]
    assert _rows(client.get("/outbox?from=2026-09-15&to=2026-09-15").text) == [acme, initech]
    assert _rows(client.get("/outbox?q=ivy").text) == [initech]  # the recipient
    assert _rows(client.get("/outbox?q=initech.example").text) == [initech]
    subject_word = approved[1]["subject"].split()[-1]
    assert globex in _rows(client.get(f"/outbox?q={subject_word}").text)
    twin = api(client, "GET", "/api/outbox?state=scheduled&company=Initech").json()
    assert [str(m["id"]) for m in twin["messages"]] == [initech] and twin["total"] == 3
    # the form keeps what was asked
    page = client.get("/outbox?state=cancelled&company=Acme&from=2026-09-01&sort=soonest").text
    assert '<option value="cancelled" selected>' in page
    assert "<option selected>Acme</option>" in page
    assert 'value="2026-09-01"' in page and '<option value="soonest" selected>' in page


def test_a_long_outbox_comes_50_at_a_time(client: TestClient, av: Afterview) -> None:
    _mail_setup(av)
    ids = []
    for n in range(53):
        iv = _interview(client, f"Firm {n:02d}", "2026-09-15T15:00", f"P{n} <p{n}@firm.example>")
        ids.append(_approve(client, iv)["id"])
    first = client.get("/outbox").text
    assert len(_rows(first)) == 50 and "1–50 of 53" in first and "page 1 of 2" in first
    second = client.get("/outbox?page=2").text
    assert len(_rows(second)) == 3 and "51–53 of 53" in second
    assert set(_rows(first)) | set(_rows(second)) == {str(i) for i in ids}
    assert _rows(client.get("/outbox?page=99").text) == _rows(second)  # the last page
    assert 'href="?q=&amp;state=&amp;company=&amp;from=&amp;to=&amp;sort=latest&amp;page=2"' in (
        first
    )
    twin = api(client, "GET", "/api/outbox?page=2").json()
    assert (twin["found"], twin["page"], twin["pages"], len(twin["messages"])) == (53, 2, 2, 3)
    assert len(first.encode()) < 200_000


HOSTILE = [
    ("state=nope", "state"),
    ("state=%00", "state"),
    ("page=0", "page"),
    ("page=-1", "page"),
    ("page=x", "page"),
    ("page=١", "page"),
    ("page=9999999", "page"),
    ("from=2026-13-01", "from"),
    ("from=9999-01-01", "from"),
    ("from=0001-01-01", "from"),
    ("to=yesterday", "to"),
    ("from=2026-09-16&to=2026-09-15", "to"),
    ("sort=random", "sort"),
    ("q=a%0Ab", "q"),
    ("q=" + "x" * 300, "q"),
    ("company=a%00b", "company"),
]


@pytest.mark.parametrize(("query", "field"), HOSTILE, ids=[q[:30] for q, _ in HOSTILE])
def test_hostile_parameters_are_refused_naming_the_field(
    client: TestClient, query: str, field: str
) -> None:
    page = client.get(f"/outbox?{query}")
    assert page.status_code == 422, (query, page.status_code)
    assert f"{field}:" in html.unescape(page.text)
    r = api(client, "GET", f"/api/outbox?{query}")
    assert r.status_code == 422, (query, r.text)
    assert r.json()["field"] == field


def test_cancel_from_the_page_goes_back_to_the_listing(
    client: TestClient, approved: list[dict[str, Any]], db_url: str
) -> None:
    acme = approved[0]["id"]
    back = "state=scheduled&company=Acme&page=1&evil=1&msg=x"
    r = form(client, f"/outbox/{acme}/cancel", {"back": back})
    assert r.status_code == 303
    target = urlsplit(r.headers["location"])
    assert target.path == "/outbox"
    assert parse_qs(target.query) == {
        "state": ["scheduled"],
        "company": ["Acme"],
        "page": ["1"],
        "msg": ["cancelled"],
    }
    assert _state(db_url, acme) == "cancelled"
    page = html.unescape(client.get(r.headers["location"]).text)
    assert "Cancelled: it will not be sent." in page
    # the page offers nothing more for it, and the service refuses a second time
    cancelled = client.get("/outbox?state=cancelled").text
    assert f"/outbox/{acme}/cancel" not in cancelled and "Cancelled" in cancelled
    again = form(client, f"/outbox/{acme}/cancel", {"back": ""})
    assert again.status_code == 409
    assert "only a scheduled, held or failed message can be cancelled" in html.unescape(again.text)
    # without the token nothing changes
    other = approved[1]["id"]
    forged = client.post(f"/outbox/{other}/cancel", data={"back": ""}, follow_redirects=False)
    assert forged.status_code == 403 and _state(db_url, other) == "scheduled"
    assert form(client, "/outbox/999/cancel", {}).status_code == 404
    assert form(client, "/outbox/x/cancel", {}).status_code == 422
    # the JSON twin
    r = api(client, "POST", f"/api/outbox/{other}/cancel")
    assert r.status_code == 200 and r.json()["state"] == "cancelled", r.text


def test_send_now_and_reschedule(
    client: TestClient, approved: list[dict[str, Any]], clock: Clock
) -> None:
    acme, globex = approved[0]["id"], approved[1]["id"]
    r = form(client, f"/outbox/{acme}/send", {"back": "sort=soonest"})
    assert r.status_code == 303 and "msg=now" in r.headers["location"]
    twin = {m["id"]: m for m in api(client, "GET", "/api/outbox").json()["messages"]}
    assert twin[acme]["send_at"] == "2026-09-15T17:30:00+02:00"  # now
    r = form(client, f"/outbox/{globex}/reschedule", {"at": "2026-09-16T11:15", "back": ""})
    assert r.status_code == 303, r.text
    twin = {m["id"]: m for m in api(client, "GET", "/api/outbox").json()["messages"]}
    assert twin[globex]["send_at"] == "2026-09-16T11:15:00+02:00"
    for bad in ("", "tomorrow", "2026-09-15T10:00", "9999-01-01T10:00", "2026-02-30T10:00"):
        r = form(client, f"/outbox/{globex}/reschedule", {"at": bad, "back": ""})
        assert r.status_code == 422, (bad, r.status_code)
        assert "at:" in html.unescape(r.text)
    # past its due time: refused, with a button to send it anyway
    late = form(client, f"/outbox/{globex}/reschedule", {"at": "2026-09-25T10:00", "back": ""})
    assert late.status_code == 409
    page = html.unescape(late.text)
    assert "Send it anyway" in page and "--force" not in page
    assert 'name="at" value="2026-09-25T10:00"' in page
    forced = form(
        client,
        f"/outbox/{globex}/reschedule",
        {"at": "2026-09-25T10:00", "back": "", "force": "1"},
    )
    assert forced.status_code == 303
    r = api(client, "POST", f"/api/outbox/{globex}/reschedule", {"at": "2026-09-15T20:00"})
    assert r.status_code == 200 and r.json()["send_at"] == "2026-09-15T20:00:00+02:00"
    assert api(client, "POST", f"/api/outbox/{globex}/reschedule", {"at": 5}).status_code == 422


def test_a_failed_message_shows_its_reason_and_goes_again(
    client: TestClient, av: Afterview, smtpd: SmtpServer, db_url: str, clock: Clock
) -> None:
    _mail_setup(av, smtpd.port)
    iv = _interview(client, "Acme", "2026-09-15T14:00", "Ana Lopez <ana@acme.example>")
    row = _approve(client, iv)  # ended 15:00: in its ideal window now
    smtpd.fail_next(550, "5.1.1 no such user here")
    report = av("run", "--once", "--json", now="2026-09-15T17:31")
    assert report.code == 1 and report.json()["failed"] == [row["id"]], report.out
    page = html.unescape(client.get("/outbox?state=failed").text)
    assert _rows(page) == [str(row["id"])]
    assert "Failed" in page and "550 5.1.1 no such user here" in page
    shown = page.split('class="reason">')[1].split("</span>")[0]
    assert "`" not in shown and "afterview outbox" not in shown  # the command waits below
    assert f"afterview outbox reschedule {row['id']}" in page.split('class="id"')[1]
    assert "1 needs you" in page  # the header
    r = form(client, f"/outbox/{row['id']}/send", {"back": "state=failed"})
    assert r.status_code == 303 and _state(db_url, row["id"]) == "scheduled"
    av.ok("run", "--once", now="2026-09-15T17:32")
    assert len(smtpd.wait_for(1)) == 1 and _state(db_url, row["id"]) == "sent"
    sent = html.unescape(client.get("/outbox?state=sent").text)
    assert "Sent" in sent and "sent today 17:32" in sent


def test_an_uncertain_message_is_settled_from_the_page(
    client: TestClient, approved: list[dict[str, Any]], db_url: str
) -> None:
    acme, globex = approved[0]["id"], approved[1]["id"]
    db = connect(db_url)
    try:  # as a worker that died while sending them leaves them (see tests/sending)
        with db.transaction():
            at = datetime(2026, 9, 15, 15, 0, tzinfo=UTC)
            for message in (acme, globex):
                assert mailstore.move(db, 1, message, ("scheduled",), "uncertain", at, reason="x")
    finally:
        db.close()
    page = html.unescape(client.get("/outbox?state=uncertain").text)
    assert "It went out" in page and "It did not" in page and "Send now" not in page
    assert form(client, f"/outbox/{acme}/confirm", {"sent": "maybe"}).status_code == 422
    r = form(client, f"/outbox/{acme}/confirm", {"sent": "yes", "back": ""})
    assert r.status_code == 303 and _state(db_url, acme) == "sent"
    r = api(client, "POST", f"/api/outbox/{globex}/confirm", {"sent": False})
    assert r.status_code == 200 and r.json()["state"] == "held"


def test_the_header_says_the_mail_state_on_every_page(client: TestClient, av: Afterview) -> None:
    today = client.get("/").text
    assert "Mail not set up" in today and 'href="/settings#mail"' in today
    assert "Mail not set up" in client.get("/settings").text
    _mail_setup(av)
    text = html.unescape(client.get("/interviews").text)
    assert "Sending off in this app" in text  # the in-process app runs no worker
    iv = _interview(client, "Acme", "2026-09-15T16:00", "Ana Lopez <ana@acme.example>")
    _approve(client, iv)
    for path in ("/", "/interviews", "/outbox", "/pipeline", "/settings", f"/interviews/{iv}"):
        page = html.unescape(client.get(path).text)
        assert "next today 19:00" in page, path
    # an error page too (its connection gone back: the state last read)
    missing = client.get("/interviews/999")
    assert missing.status_code == 404 and "next today 19:00" in html.unescape(missing.text)


def test_the_header_costs_little(client: TestClient, av: Afterview) -> None:
    _mail_setup(av)
    iv = _interview(client, "Acme", "2026-09-15T16:00", "Ana Lopez <ana@acme.example>")
    _approve(client, iv)
    client.get("/")  # the templates loaded, the state read once
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    db = runtime.acquire()
    try:
        spent = 0.0
        runs = 200
        for _ in range(runs):
            ctx = runtime.context(db)  # a page's own context, which read its views
            runtime.view(ctx, "a page", (), lambda: None)
            started = time.perf_counter()
            header = runtime.sender.header(ctx, ctx.now)
            spent += time.perf_counter() - started
        assert header is not None and header["state"] == "off"
        per_page = spent / runs
    finally:
        runtime.release(db)
    assert per_page < 0.002, f"{per_page * 1000:.2f} ms per page"


def test_the_reason_words_drop_the_commands() -> None:
    from afterview.web.templating import plain_reason

    cases = {
        "smtp answered 550 no such user; once that is fixed, `afterview outbox reschedule 3` "
        "sends it again (for another address: fix it, then `afterview outbox cancel 3`)": (
            "smtp answered 550 no such user"
        ),
        "not sent yet: login refused (fix it with `afterview mail setup`, then "
        "`afterview mail check`)": "not sent yet: login refused",
        "not sent (you confirmed): `afterview outbox reschedule` sends it": (
            "not sent (you confirmed)"
        ),
        "will try again: 127.0.0.1:25 refused the connection (is it running?)": (
            "will try again: 127.0.0.1:25 refused the connection (is it running?)"
        ),
        "": "",
    }
    for reason, shown in cases.items():
        assert plain_reason(reason) == shown
