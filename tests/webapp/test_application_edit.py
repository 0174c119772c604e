"""Correcting and deleting an application from its page (issue 18), in-process on both
engines: the Edit form (a lead's posting with it) saves one change with Undo on its
confirmation; bad input comes back with what was typed and the field named (422),
nothing written; the delete's confirmation page counts what would go, as the delete
then says, and asks for the explicit checkbox when a message went out; an unknown id is
a 404; a missing CSRF token (403) and a foreign Host (400) are refused before anything."""

from __future__ import annotations

import html
import re
from typing import Any

from fastapi.testclient import TestClient

from afterview.services.deleting import KINDS, PRIMARY
from tests.badinput.runner import content
from tests.mailservers import SmtpServer
from tests.webapp.test_app import add_interview, api, post, token
from tests.webapp.test_edit_api import sent  # noqa: F401
from tests.webapp.test_undo_pages import latest, undo_form


def record(client: TestClient, app: int) -> dict[str, Any]:
    r = client.get(f"/api/applications/{app}")
    assert r.status_code == 200, r.text
    return dict(r.json())


def new_application(client: TestClient, **body: Any) -> int:
    r = api(
        client, "POST", "/api/applications", {"company": "Acem", "role": "Data Engineer", **body}
    )
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def form_values(page: str) -> dict[str, str]:
    """The Edit form's fields as the page fills them (text inputs, the select, notes)."""
    form = re.split(r'action="/applications/\d+/edit"', page, maxsplit=1)[1].split("</form>")[0]
    values = {
        n: html.unescape(v)
        for n, v in re.findall(r'<input id="e-[a-z_]+" name="([a-z_]+)"[^>]*?value="([^"]*)"', form)
    }
    chosen = re.search(r'<select id="e-stage".*?<option value="([a-z]+)"[^>]*selected', form, re.S)
    values["stage"] = chosen.group(1) if chosen else ""
    notes = re.search(r'<textarea id="e-notes"[^>]*>(.*?)</textarea>', form, re.S)
    values["notes"] = html.unescape(notes.group(1)) if notes else ""
    if 'name="posting"' in form:
        values["posting"] = "1"
        if re.search(r'id="e-remote"[^>]*checked', form):
            values["remote"] = "1"
    return values


def edit(client: TestClient, app: int, **changes: str) -> Any:
    """Post the page's Edit form as it is filled, with `changes` typed over it."""
    values = form_values(client.get(f"/applications/{app}").text)
    return post(client, f"/applications/{app}/edit", {**values, **changes})


# -- the Edit form --------------------------------------------------------------------------------
def test_the_edit_form_saves_one_change_with_undo(client: TestClient) -> None:
    app = new_application(client, applied_on="2026-09-10", url="https://acem.example/jobs/1")
    page = client.get(f"/applications/{app}").text
    assert "Edit or delete this application" in page and 'name="posting"' not in page
    assert form_values(page)["company"] == "Acem" and form_values(page)["stage"] == "auto"
    assert '<details class="card" id="edit-box">' in page  # folded
    assert (
        '<details class="card" id="edit-box" open>'
        in client.get(f"/applications/{app}?edit=1").text
    )
    r = edit(
        client, app, company="Acme", role="Senior Data Engineer", url="https://acme.example/j/1",
        applied_on="2026-09-08", stage="interviewing", mail_domain="acme.example",
        notes="Ask about the team.\r\nAnd the stack.",
    )  # fmt: skip
    change = latest(client)["id"]
    assert r.status_code == 303
    assert r.headers["location"] == f"/applications/{app}?msg=edited&change={change}"
    shown = record(client, app)
    assert (shown["company"], shown["role"], shown["url"], shown["applied_on"]) == (
        "Acme", "Senior Data Engineer", "https://acme.example/j/1", "2026-09-08",
    )  # fmt: skip
    assert (shown["stage"], shown["placed"], shown["mail_domain"]) == (
        "interviewing", True, "acme.example",
    )  # fmt: skip
    assert shown["notes"] == "Ask about the team.\nAnd the stack."
    assert latest(client)["source"] == "POST /applications/{application_id}/edit"
    # the confirmation carries Undo, which takes the whole form back
    page = client.get(r.headers["location"]).text
    assert "Saved." in page
    fields = undo_form(page)
    assert fields["change"] == str(change) and fields["back"] == f"/applications/{app}"
    r = client.post("/undo", data=fields, follow_redirects=False)
    assert r.status_code == 303
    shown = record(client, app)
    assert (shown["company"], shown["applied_on"], shown["placed"], shown["notes"]) == (
        "Acem", "2026-09-10", False, None,
    )  # fmt: skip
    assert shown["mail_domain"] is None


def test_a_form_sent_as_it_is_changes_nothing(client: TestClient) -> None:
    app = new_application(client, applied_on="2026-09-10")
    api(client, "PATCH", f"/api/applications/{app}", {"stage": "offer", "notes": "n"})
    before, moved = latest(client)["id"], record(client, app)
    r = edit(client, app)
    assert r.status_code == 303 and r.headers["location"] == f"/applications/{app}?msg=edited"
    assert latest(client)["id"] == before  # nothing recorded: no Undo offered
    assert record(client, app)["timeline"] == moved["timeline"]  # the move keeps its moment
    # back to where its facts put it, then cleared values
    edit(client, app, stage="auto", url="", notes="", mail_domain="")
    shown = record(client, app)
    assert (shown["stage"], shown["placed"], shown["notes"]) == ("applied", False, None)
    # an empty applied day: a lead again, which the page then edits as one
    edit(client, app, applied_on="")
    assert record(client, app)["status"] == "lead"
    assert "Edit or delete this lead" in client.get(f"/applications/{app}").text


def test_bad_input_comes_back_typed_with_the_field_named(client: TestClient, db_url: str) -> None:
    app = new_application(client, applied_on="2026-09-10")
    for field, typed, said in (
        ("company", "   ", "company: expected"),
        ("role", "Data\x00Engineer", "role:"),
        ("applied_on", "2026-02-30", "applied_on:"),
        ("applied_on", "next blursday", "applied_on:"),
        ("url", "javascript:alert(1)", "url:"),
        ("stage", "nowhere", "stage: expected one of"),
        ("mail_domain", "not a domain", "mail_domain:"),
        ("notes", "bad\x07note", "notes:"),
        ("notes", "x" * 20001, "notes: expected at most"),
    ):
        before = content(db_url)
        r = edit(client, app, **{"role": "Typed role", field: typed})
        assert r.status_code == 422, (field, r.status_code, r.text[:500])
        assert said in html.unescape(r.text), (field, r.text[:3000])
        assert (
            'role="alert" id="edit-error"' in r.text
            and '<details class="card" id="edit-box" open>' in r.text
        )
        assert re.search(rf'id="e-{field}"[^>]*aria-invalid="true"', r.text), field
        if field != "role":  # what was typed is shown again
            assert form_values(r.text)["role"] == "Typed role"
        assert content(db_url) == before, field
    # a file instead of text: refused by name too
    r = client.post(
        f"/applications/{app}/edit",
        data={"csrf_token": token(client)},
        files={"company": ("a.txt", b"Acme", "text/plain")},
        follow_redirects=False,
    )
    assert r.status_code == 422 and "company: expected text" in r.text


def test_unknown_ids_csrf_and_host(client: TestClient, db_url: str) -> None:
    app = new_application(client)
    for path in ("/applications/999/edit", "/applications/999/delete"):
        assert post(client, path, {"company": "X"}).status_code == 404, path
    assert client.get("/applications/999/delete").status_code == 404
    for bad in ("x", "0", "١", "1.0"):
        assert post(client, f"/applications/{bad}/edit", {"company": "X"}).status_code == 422
        assert client.get(f"/applications/{bad}/delete").status_code == 422
    before = content(db_url)
    # no token, a wrong token, a cross-site form: refused, nothing written
    for data, headers in (
        ({"company": "Evil"}, {}),
        ({"company": "Evil", "csrf_token": "x" * 43}, {}),
        (
            {"company": "Evil", "csrf_token": token(client)},
            {"Origin": "http://attacker.example", "Sec-Fetch-Site": "cross-site"},
        ),
    ):
        for path in (f"/applications/{app}/edit", f"/applications/{app}/delete"):
            r = client.post(path, data=data, headers=headers, follow_redirects=False)
            assert r.status_code == 403, (path, headers)
    # a foreign Host (DNS rebinding): refused before any route
    for method, path in (
        ("GET", f"/applications/{app}/delete"),
        ("POST", f"/applications/{app}/edit"),
    ):
        r = client.request(
            method, path, data={"company": "Evil", "csrf_token": token(client)},
            headers={"Host": "attacker.example"}, follow_redirects=False,
        )  # fmt: skip
        assert r.status_code == 400 and "host name" in r.text, (method, path)
    assert content(db_url) == before


# -- a lead: its posting in the same form ---------------------------------------------------------
def test_a_lead_edits_its_posting_in_the_same_change(client: TestClient, db_url: str) -> None:
    r = api(client, "POST", "/api/leads", {"role": "DE", "company": "Hyperon", "salary_min": 50000})
    lead = int(r.json()["id"])
    page = client.get(f"/applications/{lead}").text
    assert "Edit or delete this lead" in page and "What the posting says" in page
    assert form_values(page)["salary_min"] == "50000"
    r = edit(
        client, lead, company="Hyperion", location="Berlin", remote="1", salary_max="65000.50",
        salary_currency="EUR", salary_unit="year", posted_on="2026-09-01",
        valid_through="2026-10-01", notes="Referral from Ana",
    )  # fmt: skip
    assert r.status_code == 303 and "msg=edited&change=" in r.headers["location"]
    shown = record(client, lead)
    assert shown["company"] == "Hyperion" and shown["notes"] == "Referral from Ana"
    posting = shown["lead"]
    assert (posting["location"], posting["remote"], posting["salary_max"]) == (
        "Berlin",
        True,
        65000.5,
    )
    assert (posting["salary_unit"], posting["posted_on"]) == ("YEAR", "2026-09-01")
    changes = client.get("/api/history", params={"limit": 5}).json()["changes"]
    assert changes[0]["source"] == "POST /applications/{application_id}/edit"
    assert changes[1]["source"] != changes[0]["source"]  # one change for the whole form
    # the remote box unticked clears it; the posting's bad values are named
    edit(client, lead, remote="")
    assert record(client, lead)["lead"]["remote"] is False
    for field, typed, said in (
        ("salary_min", "lots", "salary_min: expected an amount"),
        ("salary_min", "70000", "salary_max: expected at least the minimum"),
        ("posted_on", "2026-13-01", "posted_on:"),
        ("valid_through", "1900-01-01", "valid_through:"),
        ("salary_unit", "per year!", "salary_unit:"),
        ("location", "Berlin\x1b[31m", "location:"),
        ("url", "notaurl", "url:"),
    ):
        before = content(db_url)
        r = edit(client, lead, company="Typed Co", **{field: typed})
        assert r.status_code == 422 and said in html.unescape(r.text), (field, r.text[:2000])
        assert form_values(r.text)["company"] == "Typed Co"
        assert content(db_url) == before, field


def test_the_posting_fields_are_refused_for_an_application_that_is_not_a_lead(
    client: TestClient, db_url: str
) -> None:
    app = new_application(client, applied_on="2026-09-10")
    before = content(db_url)
    r = edit(client, app, posting="1", location="Berlin", company="Other")
    assert r.status_code == 409 and "is not a lead" in r.text
    assert content(db_url) == before


# -- delete ---------------------------------------------------------------------------------------
def _lines(removed: dict[str, int], record_kind: str) -> list[str]:
    """What `Deleted.line` lists, as the confirmation page's list items."""
    return [
        f"{n} {KINDS[k][0] if n == 1 else KINDS[k][1]}"
        for k in KINDS
        if (n := removed.get(k, 0)) and k != PRIMARY[record_kind]
    ]


def _goes(page: str) -> list[str]:
    part = page.split('id="goes-h"', 1)[1].split("</section>", 1)[0]
    return [
        html.unescape(re.sub(r"\s+", " ", li)).strip()
        for li in re.findall(r"<li>(.*?)</li>", part, re.S)
    ]


def test_the_confirmation_counts_what_the_delete_removes(client: TestClient, db_url: str) -> None:
    iv = add_interview(client)
    second = add_interview(client, start="2026-09-14T10:00")
    app = client.get(f"/api/interviews/{iv}").json()["application_id"]
    assert client.get(f"/api/interviews/{second}").json()["application_id"] == app
    api(client, "POST", f"/api/interviews/{iv}/touches", {
        "direction": "sent", "kind": "thank_you", "to": "Ana Lopez <ana@acme.example>",
    })  # fmt: skip
    api(
        client,
        "PUT",
        f"/api/interviews/{iv}/assessment",
        {"scores": {"rapport": 4}, "asked": ["Why us?"]},
    )
    post(
        client,
        f"/drafts/thank_you:{iv}:2",
        {"subject": "Thanks", "body": "Thank you, Ben.", "do": "save"},
    )
    post(client, f"/actions/self_assess:{second}/skip", {"why": "no time"})
    before = content(db_url)
    page = client.get(f"/applications/{app}/delete")
    assert page.status_code == 200
    assert "Delete this application?" in page.text and "Acme" in page.text
    assert 'name="force"' not in page.text  # nothing went out
    goes = _goes(page.text)
    assert content(db_url) == before  # the page wrote nothing
    actions = len(record(client, app)["actions"])
    r = api(client, "DELETE", f"/api/applications/{app}")
    removed = r.json()["removed"]
    expected = _lines(removed, "application")
    assert [g for g in goes if "action" not in g.split()[1]] == expected, (goes, removed)
    assert (
        goes[1]
        == f"{actions} actions planned for them (thank-yous, follow-ups, the self-assessment)"
    )
    assert removed["interviews"] == 2 and removed["drafts"] == 1 and removed["marks"] == 1


def test_delete_from_the_page_then_undo(client: TestClient, db_url: str) -> None:
    iv = add_interview(client)
    app = client.get(f"/api/interviews/{iv}").json()["application_id"]
    page = client.get(f"/applications/{app}").text
    assert f'href="/applications/{app}/delete">Delete this application</a>' in page
    r = post(client, f"/applications/{app}/delete", {})
    change = latest(client)["id"]
    assert (
        r.status_code == 303
        and r.headers["location"] == f"/applications?msg=deleted&change={change}"
    )
    assert client.get(f"/applications/{app}").status_code == 404
    assert client.get(f"/api/interviews/{iv}").status_code == 404
    assert post(client, f"/applications/{app}/delete", {}).status_code == 404
    listing = client.get(r.headers["location"]).text
    assert "Deleted." in listing
    fields = undo_form(listing)
    assert fields["back"] == "/applications"
    r = client.post("/undo", data=fields, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/applications?msg=undone"
    assert record(client, app)["company"] == "Acme"
    assert client.get(f"/api/interviews/{iv}").status_code == 200


def test_a_lead_is_deleted_as_a_lead(client: TestClient) -> None:
    lead = int(
        api(client, "POST", "/api/leads", {"role": "DE", "company": "Hyperion"}).json()["id"]
    )
    page = client.get(f"/applications/{lead}/delete").text
    assert "Delete this lead?" in page and "1 posting&#39;s details" in page
    r = post(client, f"/applications/{lead}/delete", {})
    assert r.status_code == 303 and r.headers["location"].startswith("/applications?msg=deleted")
    assert client.get(f"/applications/{lead}").status_code == 404


def test_what_went_out_needs_the_checkbox(
    client: TestClient,
    db_url: str,
    smtpd: SmtpServer,
    sent: int,  # noqa: F811
) -> None:
    app = client.get(f"/api/interviews/{sent}").json()["application_id"]
    page = client.get(f"/applications/{app}/delete").text
    assert "What went out stays in your mailbox" in page
    assert "what afterview sent (from Tue 15 Sep 2026 19:05)" in page
    assert re.search(r'<input type="checkbox" id="force" name="force" value="1" required', page)
    assert "1 outbox record of a message sent" in _goes(page)
    before = content(db_url)
    for data in ({}, {"force": "yes"}, {"force": ""}):
        r = post(client, f"/applications/{app}/delete", data)
        assert r.status_code == 409, data
        assert 'role="alert"' in r.text and "tick" in r.text and "Nothing was deleted" in r.text
        assert content(db_url) == before
    r = post(client, f"/applications/{app}/delete", {"force": "1"})
    assert r.status_code == 303 and "msg=deleted&change=" in r.headers["location"]
    assert client.get(f"/applications/{app}").status_code == 404
    assert len(smtpd.messages) == 1  # what went out stays sent
