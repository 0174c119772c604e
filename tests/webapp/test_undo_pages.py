"""Undo in the pages (issue 18): the confirmation after a one-click change (Done, Skip,
I sent it, an outcome) carries an Undo button for that change; the History page lists
the changes, a page at a time, each with its Undo; `POST /undo` checks what it is given
and takes the change back, with the CSRF rule of every write."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from tests.webapp.test_app import add_interview, api, post, token


def state(c: TestClient, action_id: str) -> str:
    found = [a for a in c.get("/api/today", params={"all": 1}).json()["actions"]]
    return str(next(a["state"] for a in found if a["id"] == action_id))


def latest(c: TestClient) -> dict[str, Any]:
    return dict(c.get("/api/history", params={"limit": 1}).json()["changes"][0])


def undo_form(html: str) -> dict[str, str]:
    """The Undo form of the page's confirmation: its hidden fields."""
    form = re.search(
        r'<div class="flash"><p role="status">.*?<form method="post" action="/undo">(.*?)</form>',
        html,
        re.S,
    )
    assert form, html[:2000]
    return dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', form.group(1)))


def test_done_then_undo_from_the_confirmation(client: TestClient) -> None:
    iv = add_interview(client)
    action = f"thank_you:{iv}:1"
    r = post(client, f"/actions/{action}/done", {"back": "interview"})
    assert r.status_code == 303
    change = latest(client)["id"]
    assert r.headers["location"] == f"/interviews/{iv}?msg=done&change={change}"
    page = client.get(r.headers["location"])
    fields = undo_form(page.text)
    assert fields["change"] == str(change) and fields["back"] == f"/interviews/{iv}"
    assert state(client, action) == "done"
    r = client.post("/undo", data=fields, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/interviews/{iv}?msg=undone"
    assert state(client, action) != "done"
    assert latest(client)["undone"] is True
    # the confirmation of the undo has no Undo of its own
    assert (
        'action="/undo"'
        not in client.get(r.headers["location"]).text.split("<main", 1)[1].split("</div>", 1)[0]
    )


def test_skip_sent_and_outcome_offer_undo_too(client: TestClient) -> None:
    iv = add_interview(client)
    r = post(client, f"/actions/thank_you:{iv}:2/skip", {"why": "no address"})
    assert "change=" in r.headers["location"] and r.headers["location"].startswith("/?msg=skipped")
    r = post(
        client,
        f"/drafts/thank_you:{iv}:1",
        {"subject": "Thanks", "body": "Thank you.", "do": "sent"},
    )
    assert r.status_code == 303 and "msg=sent&change=" in r.headers["location"]
    r = post(client, f"/interviews/{iv}/outcome", {"result": "rejected"})
    assert r.status_code == 303 and "msg=outcome&change=" in r.headers["location"]
    fields = undo_form(client.get(r.headers["location"]).text)
    r = client.post("/undo", data=fields, follow_redirects=False)
    assert r.status_code == 303
    assert client.get(f"/api/interviews/{iv}").json()["outcome"] is None
    assert state(client, f"thank_you:{iv}:1") == "done"  # the earlier changes stay


def test_a_refusal_writes_nothing_and_no_undo_is_offered(client: TestClient) -> None:
    iv = add_interview(client)
    before = latest(client)["id"]
    r = post(client, f"/actions/follow_up:{iv}:1/done", {})  # not open yet: refused
    assert r.status_code == 409
    assert latest(client)["id"] == before
    assert 'action="/undo"' not in r.text


def test_undo_checks_what_it_is_given(client: TestClient) -> None:
    iv = add_interview(client)
    post(client, f"/actions/thank_you:{iv}:1/done", {})
    change = latest(client)["id"]
    base = {"csrf_token": token(client)}
    for data, field in (
        ({"change": "1e3"}, "change"),
        ({"change": "٣"}, "change"),
        ({"change": "-1"}, "change"),
        ({"to": "x"}, "to"),
        ({"change": str(change), "to": str(change)}, "change"),
    ):
        r = client.post("/undo", data={**base, **data}, follow_redirects=False)
        assert r.status_code == 422 and field in r.text, (data, r.status_code)
    assert latest(client)["undone"] is False
    r = client.post("/undo", data={**base, "change": "999999"}, follow_redirects=False)
    assert r.status_code == 404 and "no such change" in r.text
    # no token: refused, nothing undone
    r = client.post("/undo", data={"change": str(change)}, follow_redirects=False)
    assert r.status_code == 403 and latest(client)["undone"] is False
    # back to a path of this app only
    for back in (
        "https://evil.example/",
        "//evil.example/x",
        "/x\r\nSet-Cookie: a=b",
        "javascript:alert(1)",
    ):
        r = client.post("/undo", data={**base, "back": back}, follow_redirects=False)
        assert r.status_code in (303, 409), r.text
        if r.status_code == 303:
            assert r.headers["location"].startswith("/history?msg=undone")
        post(client, f"/actions/thank_you:{iv}:2/done", {})  # something to undo next time


def test_undo_alone_refused_names_the_later_change(client: TestClient) -> None:
    iv = add_interview(client)
    first = latest(client)["id"]
    api(client, "POST", f"/api/interviews/{iv}/outcome", {"result": "offer"})
    r = client.post(
        "/undo", data={"csrf_token": token(client), "change": str(first)}, follow_redirects=False
    )
    assert r.status_code == 409 and f"change {first}" in r.text
    assert len(client.get("/api/interviews").json()) == 1


def test_history_page_lists_pages_and_undoes(client: TestClient) -> None:
    for n in range(3):
        add_interview(client, company=f"Company {n}")
    page = client.get("/history")
    assert page.status_code == 200
    assert page.text.count('name="change"') == 3
    assert "Undo the latest change" in page.text
    assert "POST /api/interviews" in page.text
    r = post(client, "/undo", {"back": "/history"})
    assert r.headers["location"] == "/history?msg=undone"
    page = client.get("/history?msg=undone")
    assert "Undone." in page.text and page.text.count('name="change"') == 2
    assert client.get("/history?before=abc").status_code == 422
    older = client.get(f"/history?before={latest(client)['id']}")
    assert older.status_code == 200 and "Newest changes" in older.text


def test_history_pages_fifty_at_a_time(client: TestClient) -> None:
    for n in range(55):
        api(client, "POST", "/api/applications", {"company": f"Company {n}", "role": "Engineer"})
    page = client.get("/history")
    assert page.text.count('<tr id="change-') == 50
    nxt = re.search(r'href="(/history\?before=\d+)"', page.text)
    assert nxt
    assert client.get(nxt.group(1)).text.count('<tr id="change-') == 5
