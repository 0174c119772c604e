"""Correcting an interview from its pages (issue 18), in-process on both engines: the
"Edit the interview" form (interviewers corrected, removed and added; topics; times,
zone, decision date, notes), the outcome changed and taken back, the self-assessment
deleted, a message logged corrected and deleted, the interview deleted after its
confirmation page. Each: success with Undo on the confirmation; bad input comes back
with what was typed and the field named, nothing written; CSRF and Host as for every
write."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from afterview.cli.session import open_context
from afterview.mail.settings import build_settings
from afterview.services.mailsetup import setup
from tests.badinput.runner import content
from tests.mailservers import ME, SmtpServer
from tests.webapp.test_app import add_interview, api, post, token
from tests.webapp.test_edit_api import sent  # noqa: F401  (the fixture)
from tests.webapp.test_undo_pages import latest, undo_form


def shown(c: TestClient, iv: int) -> dict[str, Any]:
    return dict(c.get(f"/api/interviews/{iv}").json())


def edit_form(page: str) -> dict[str, Any]:
    """The fields of the page's edit form as a browser sends them untouched."""
    form = re.search(r'<form method="post" action="/interviews/\d+/edit"(.*?)</form>', page, re.S)
    assert form, page[:3000]
    body = form.group(1)
    fields: dict[str, Any] = {}
    for tag in re.findall(r"<input [^>]*>", body):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name or ('type="checkbox"' in tag and "checked" not in tag):
            continue
        fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
    for name, value in re.findall(
        r'<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', body, re.S
    ):
        fields[name] = html.unescape(value)
    return fields


def edit(c: TestClient, iv: int, **changes: Any) -> Any:
    """Send the edit form as the page fills it, with `changes` typed over it."""
    fields = {**edit_form(c.get(f"/interviews/{iv}").text), **changes}
    return c.post(f"/interviews/{iv}/edit", data=fields, follow_redirects=False)


def people(c: TestClient, iv: int) -> list[dict[str, Any]]:
    return list(shown(c, iv)["interviewers"])


def mail_on(db_url: str, smtpd: SmtpServer) -> None:
    """Mail set up (a real SMTP server), so that a draft can be approved."""
    ctx = open_context(db_url, "2026-09-15T17:00")
    try:
        setup(
            ctx,
            build_settings(
                smtp_host=smtpd.host, smtp_port=smtpd.port, smtp_security="none", smtp_user=ME,
                from_address=ME, from_name="Sam", imap_host=None, imap_port=None,
                imap_security=None, imap_user=None, sent_folder=None, my_addresses=(),
                allow_insecure=False,
            ),
        )  # fmt: skip
    finally:
        ctx.db.close()


# -- the edit form ----------------------------------------------------------------------------------
def test_the_form_is_filled_with_what_is_recorded(client: TestClient) -> None:
    iv = add_interview(client, decision_by="2026-09-25")
    page = client.get(f"/interviews/{iv}").text
    fields = edit_form(page)
    ana, ben = people(client, iv)
    assert fields["company"] == "Acme" and fields["role"] == "Data Engineer"
    assert fields["start"] == "2026-09-15T16:00" and fields["end"] == "2026-09-15T17:00"
    assert fields["tz"] == "Europe/Paris" and fields["decision_by"] == "2026-09-25"
    assert fields[f"person_{ana['id']}_name"] == "Ana Lopez"
    assert fields[f"person_{ben['id']}_email"] == "ben@acme.example"
    assert '<details class="card" id="edit-box">' in page  # folded until needed
    # sent untouched: nothing changes, nothing is journaled
    before = latest(client)["id"]
    r = edit(client, iv)
    assert r.status_code == 303 and r.headers["location"] == f"/interviews/{iv}?msg=unchanged"
    assert latest(client)["id"] == before


def test_a_typo_in_an_interviewers_name_is_fixed_and_undone(client: TestClient) -> None:
    iv = add_interview(client, interviewers=["Bbo Stone <bob@acme.example>"])
    [bob] = people(client, iv)
    r = edit(client, iv, **{f"person_{bob['id']}_name": "Bob Stone"})
    assert r.status_code == 303, r.text
    assert r.headers["location"].startswith(f"/interviews/{iv}?msg=edited&change=")
    page = client.get(r.headers["location"]).text
    assert "Saved." in page
    assert [p["name"] for p in people(client, iv)] == ["Bob Stone"]
    assert people(client, iv)[0]["id"] == bob["id"]  # the same person, corrected
    r = client.post("/undo", data=undo_form(page), follow_redirects=False)
    assert r.status_code == 303
    assert [p["name"] for p in people(client, iv)] == ["Bbo Stone"]


def test_everything_the_form_holds_is_changed_at_once(client: TestClient) -> None:
    iv = add_interview(client, topics=["the streaming migration", "dbt"])
    ana, ben = people(client, iv)
    r = edit(
        client,
        iv,
        company="Acme Corp",
        role="Senior Data Engineer",
        start="2026-09-15T15:30",
        decision_by="2026-09-25",
        notes="Six people.\r\nThey use Kafka.",
        topics="SQL windows\n\n",
        remove_topics="dbt",
        remove_interviewers=str(ana["id"]),
        add_interviewers="Chloé Martin <chloe@acme.example>",
        **{f"person_{ben['id']}_email": "ben.okafor@acme.example"},
    )
    assert r.status_code == 303, r.text
    d = shown(client, iv)
    assert (d["company"], d["role"]) == ("Acme Corp", "Senior Data Engineer")
    assert d["start"] == "2026-09-15T15:30:00+02:00" and d["end"] == "2026-09-15T16:30:00+02:00"
    assert d["decision_by"] == "2026-09-25" and d["notes"] == "Six people.\nThey use Kafka."
    assert d["topics"] == ["the streaming migration", "SQL windows"]
    assert [(p["name"], p["email"]) for p in d["interviewers"]] == [
        ("Ben Okafor", "ben.okafor@acme.example"),
        ("Chloé Martin", "chloe@acme.example"),
    ]
    # the whole edit is one change: one Undo takes all of it back
    page = client.get(r.headers["location"]).text
    client.post("/undo", data=undo_form(page))
    d = shown(client, iv)
    assert d["company"] == "Acme" and d["start"] == "2026-09-15T16:00:00+02:00"
    assert [p["name"] for p in d["interviewers"]] == ["Ana Lopez", "Ben Okafor"]
    # an empty decision date and empty notes remove them; a new zone alone keeps the times
    edit(client, iv, decision_by="2026-09-25", notes="x")
    r = edit(client, iv, decision_by="", notes="", tz="America/New_York")
    assert r.status_code == 303, r.text
    d = shown(client, iv)
    assert d["decision_by"] is None and d["notes"] is None
    assert d["start"] == "2026-09-15T16:00:00-04:00" and d["tz"] == "America/New_York"
    # a length instead of the end
    edit(client, iv, duration="90")
    assert shown(client, iv)["end"] == "2026-09-15T17:30:00-04:00"


def test_what_else_an_edit_did_is_said_once(
    client: TestClient, db_url: str, smtpd: SmtpServer
) -> None:
    iv = add_interview(client)
    mail_on(db_url, smtpd)
    draft = f"thank_you:{iv}:1"
    r = post(
        client, f"/drafts/{draft}", {"subject": "Thanks", "body": "Thank you.", "do": "approve"}
    )
    assert r.status_code == 303, r.text
    r = edit(client, iv, start="2026-09-15T15:00")
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    notes = page.split('<div class="notes-said" role="note">', 1)[1].split("</div>", 1)[0]
    said = re.sub(r"<details.*?</details>", "", notes, flags=re.S)
    assert "A message in the Outbox was approved for the old times" in said, notes
    assert not re.search(r"afterview [a-z]|outbox message \d", said), said
    assert "afterview outbox reschedule" in notes  # folded, for the command line
    assert "notes-said" not in client.get(f"/interviews/{iv}").text  # said once


BAD = [
    # (what is typed over the form, the field named, words of the problem)
    ({"person_{ana}_name": ""}, "person_{ana}_name", "Name of Ana Lopez: expected some text"),
    ({"person_{ana}_name": "Ana <x>"}, "person_{ana}_name", "Name of Ana Lopez"),
    ({"person_{ana}_email": "not an address"}, "person_{ana}_email", "Address of Ana Lopez"),
    ({"company": ""}, "company", "Company: expected some text"),
    ({"tz": "Mars/Olympus"}, "tz", "Time zone: unknown timezone"),
    ({"start": "2026-03-29T02:30"}, "start", "the clocks skip that hour"),
    ({"end": "2026-09-15T15:00"}, "end", "Ends: expected a time after start"),
    ({"duration": "0"}, "duration", "Length in minutes"),
    ({"decision_by": "2026-09-01"}, "decision_by", "on or after the interview"),
    ({"decision_by": "soon"}, "decision_by", "Decision expected by"),
    ({"add_interviewers": "Eve <eve@@x>"}, "add_interviewers", "Add interviewers"),
    ({"remove_topics": "never said"}, "remove_topics", "has no topic"),
    ({"remove_interviewers": "abc"}, "remove_interviewers", "Remove an interviewer"),
    ({"remove_interviewers": "99999"}, "remove_interviewers", "is not an interviewer"),
    ({"notes": "bad\x00note"}, "notes", "Notes"),
]


@pytest.mark.parametrize(
    ("typed", "field", "words"), BAD, ids=[b[1] + ":" + str(i) for i, b in enumerate(BAD)]
)
def test_bad_input_comes_back_as_typed_with_the_field_named(
    client: TestClient, db_url: str, typed: dict[str, str], field: str, words: str
) -> None:
    iv = add_interview(client)
    ana = people(client, iv)[0]["id"]
    typed = {k.format(ana=ana): v for k, v in typed.items()}
    field = field.format(ana=ana)
    # another change typed too: it is not written either
    typed = {"role": "Typed Role", **typed}
    before = content(db_url)
    r = edit(client, iv, **typed)
    assert r.status_code == 422, (typed, r.status_code, r.text[:500])
    alert = re.search(
        r'<p class="error" role="alert" id="edit-error" data-field="([^"]+)">([^<]*)</p>', r.text
    )
    assert alert, r.text[:3000]
    assert alert.group(1) == field and words in html.unescape(alert.group(2)), alert.groups()
    assert '<details class="card" id="edit-box" open>' in r.text
    assert 'value="Typed Role"' in r.text  # what was typed comes back
    marked = re.search(rf'<[^>]*name="{field}"[^>]*aria-invalid="true"', r.text)
    assert marked or field in ("remove_topics",), field
    assert content(db_url) == before


def test_an_address_another_person_has_is_refused_on_the_form(
    client: TestClient, db_url: str
) -> None:
    iv = add_interview(client)
    add_interview(client, company="Other", interviewers=["Zoe <zoe@acme.example>"])
    ana = people(client, iv)[0]["id"]
    before = content(db_url)
    r = edit(client, iv, **{f"person_{ana}_email": "zoe@acme.example"})
    assert r.status_code == 409
    assert "already the address of another person" in html.unescape(r.text)
    assert not re.search(r"person \d", r.text.split('id="edit-error"', 1)[1].split("</p>", 1)[0])
    assert content(db_url) == before


def test_the_edit_form_needs_the_token_a_known_interview_and_this_host(
    client: TestClient, db_url: str
) -> None:
    iv = add_interview(client)
    fields = edit_form(client.get(f"/interviews/{iv}").text)
    before = content(db_url)
    no_token = {k: v for k, v in fields.items() if k != "csrf_token"}
    r = client.post(f"/interviews/{iv}/edit", data={**no_token, "company": "X"})
    assert r.status_code == 403
    r = client.post(
        f"/interviews/{iv}/edit",
        data={**fields, "company": "X"},
        headers={"Host": "attacker.example"},
    )
    assert r.status_code == 400
    assert content(db_url) == before
    r = post(client, "/interviews/99999/edit", {"company": "X"})
    assert r.status_code == 404 and "no such interview" in r.text
    assert post(client, "/interviews/abc/edit", {"company": "X"}).status_code == 422
    assert content(db_url) == before


# -- the outcome ------------------------------------------------------------------------------------
def test_the_outcome_is_changed_and_taken_back(client: TestClient, db_url: str) -> None:
    iv = add_interview(client)
    post(client, f"/interviews/{iv}/outcome", {"result": "next_round"})
    page = client.get(f"/interviews/{iv}").text
    assert '<option value="next_round" selected>' in page and "Change the outcome" in page
    post(client, f"/interviews/{iv}/outcome", {"result": "offer"})
    assert shown(client, iv)["outcome"]["result"] == "offer"
    r = post(client, f"/interviews/{iv}/outcome/clear", {})
    assert r.status_code == 303
    assert r.headers["location"].startswith(f"/interviews/{iv}?msg=outcome_cleared&change=")
    page = client.get(r.headers["location"]).text
    assert "Outcome taken back" in page and shown(client, iv)["outcome"] is None
    assert "Take back the outcome" not in page
    # Undo brings it back
    client.post("/undo", data=undo_form(page))
    assert shown(client, iv)["outcome"]["result"] == "offer"
    # none to take back: refused, nothing written; the token is needed
    assert post(client, f"/interviews/{iv}/outcome/clear", {}).status_code == 303
    before = content(db_url)
    assert post(client, f"/interviews/{iv}/outcome/clear", {}).status_code == 409
    r = client.post(f"/interviews/{iv}/outcome/clear", data={})
    assert r.status_code == 403
    assert post(client, "/interviews/99999/outcome/clear", {}).status_code == 404
    assert content(db_url) == before


# -- the self-assessment ----------------------------------------------------------------------------
def test_the_self_assessment_is_edited_and_deleted_after_its_confirmation(
    client: TestClient, db_url: str
) -> None:
    iv = add_interview(client)
    assert "/assessment/delete" not in client.get(f"/interviews/{iv}/assess").text
    r = client.get(f"/interviews/{iv}/assessment/delete", follow_redirects=False)
    assert r.status_code == 303  # none yet: to the form that writes one
    post(client, f"/interviews/{iv}/assess",
         {"score_answers": "4", "score_rapport": "3", "asked": "Why us?\nA bug you fixed"})  # fmt: skip
    # editing is assessing again: the form is filled, and what it sends replaces
    page = client.get(f"/interviews/{iv}/assess").text
    assert 'value="4" checked' in page and "Why us?" in page
    r = post(client, f"/interviews/{iv}/assess", {"score_answers": "5", "asked": "Why us?"})
    assert r.status_code == 303 and "change=" in r.headers["location"]
    a = api(client, "GET", f"/api/interviews/{iv}/assessment").json()["assessment"]
    assert a["scores"] == {"answers": 5} and a["asked"] == ["Why us?"]

    page = client.get(f"/interviews/{iv}/assess").text
    assert f'href="/interviews/{iv}/assessment/delete"' in page
    confirm = client.get(f"/interviews/{iv}/assessment/delete")
    assert confirm.status_code == 200
    text = html.unescape(re.sub(r"<[^>]+>", " ", confirm.text))
    assert "Delete your self-assessment?" in text and "1 score" in text and "1 question" in text
    assert f'action="/interviews/{iv}/assessment/delete"' in confirm.text
    before = content(db_url)
    assert client.post(f"/interviews/{iv}/assessment/delete").status_code == 403
    assert content(db_url) == before
    r = post(client, f"/interviews/{iv}/assessment/delete", {})
    assert r.status_code == 303
    assert r.headers["location"].startswith(f"/interviews/{iv}?msg=deleted&change=")
    assert api(client, "GET", f"/api/interviews/{iv}/assessment").json()["assessment"] is None
    before = content(db_url)
    assert post(client, f"/interviews/{iv}/assessment/delete", {}).status_code == 404
    assert post(client, "/interviews/99999/assessment/delete", {}).status_code == 404
    assert client.get("/interviews/99999/assessment/delete").status_code == 404
    assert content(db_url) == before


# -- messages logged --------------------------------------------------------------------------------
def message_form(page: str) -> dict[str, str]:
    form = re.search(r'<form method="post" action="/messages/\d+/edit"(.*?)</form>', page, re.S)
    assert form, page[:3000]
    body = form.group(1)
    fields = {}
    for tag in re.findall(r"<input [^>]*>", body):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and " disabled" not in tag and ('type="radio"' not in tag or "checked" in tag):
            fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
    kind = re.search(
        r'<select id="kind" name="kind"[^>]*>.*?<option value="([^"]+)" selected', body, re.S
    )
    if kind and "disabled" not in body.split('name="kind"', 1)[1].split(">", 1)[0]:
        fields["kind"] = kind.group(1)
    note = re.search(r'<textarea id="note" name="note"[^>]*>(.*?)</textarea>', body, re.S)
    assert note
    fields["note"] = html.unescape(note.group(1))
    return fields


def log(c: TestClient, iv: int, **body: Any) -> int:
    touches = api(c, "POST", f"/api/interviews/{iv}/touches", body).json()["touches"]
    return int(max(t["id"] for t in touches))


def test_a_message_logged_is_corrected_from_the_timeline(client: TestClient, db_url: str) -> None:
    iv = add_interview(client)
    touch = log(client, iv, direction="received", kind="other", note="We will call you")
    page = client.get(f"/interviews/{iv}").text
    assert f'href="/messages/{touch}/edit"' in page and f'href="/messages/{touch}/delete"' in page
    form = client.get(f"/messages/{touch}/edit")
    assert form.status_code == 200
    fields = message_form(form.text)
    assert fields["direction"] == "received" and fields["note"] == "We will call you"
    typed = {"direction": "sent", "kind": "thank_you", "to": "Ana Lopez",
             "at": "2026-09-15T17:10", "note": "Thanked Ana"}  # fmt: skip
    r = client.post(f"/messages/{touch}/edit", data={**fields, **typed}, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert r.headers["location"].startswith(f"/interviews/{iv}?msg=edited&change=")
    [t] = shown(client, iv)["touches"]
    assert (t["direction"], t["kind"], t["person"]["name"], t["note"]) == (
        "sent", "thank_you", "Ana Lopez", "Thanked Ana",
    )  # fmt: skip
    assert t["at"] == "2026-09-15T17:10:00+02:00"
    # sent as the form shows it: nothing to save
    fields = message_form(client.get(f"/messages/{touch}/edit").text)
    r = client.post(f"/messages/{touch}/edit", data=fields, follow_redirects=False)
    assert r.headers["location"] == f"/interviews/{iv}?msg=unchanged"


@pytest.mark.parametrize(
    ("typed", "field", "status"),
    [
        ({"direction": "sideways"}, "direction", 422),
        ({"kind": "thank_you"}, "kind", 422),  # they wrote: of kind other
        ({"at": "2026-03-29T02:30"}, "at", 422),  # the clocks skip it
        ({"at": "2027-01-01T10:00"}, "at", 422),  # later than now
        ({"at": "yesterday"}, "at", 422),
        ({"to": "Eve <eve@@x>"}, "to", 422),
        ({"note": "a\x1b[2Jb"}, "note", 422),
    ],
)
def test_a_bad_correction_comes_back_as_typed(
    client: TestClient, db_url: str, typed: dict[str, str], field: str, status: int
) -> None:
    iv = add_interview(client)
    touch = log(client, iv, direction="received", kind="other", note="We will call you")
    fields = message_form(client.get(f"/messages/{touch}/edit").text)
    before = content(db_url)
    r = client.post(f"/messages/{touch}/edit", data={**fields, **typed}, follow_redirects=False)
    assert r.status_code == status, r.text[:800]
    assert f'data-field="{field}"' in r.text
    for value in typed.values():
        if "\x1b" not in value:
            assert html.escape(value) in r.text or value in r.text
    assert content(db_url) == before


def test_a_follow_up_against_the_rules_offers_to_record_it_anyway(client: TestClient) -> None:
    iv = add_interview(client)
    touch = log(client, iv, direction="sent", kind="thank_you", to="Ana Lopez")
    fields = message_form(client.get(f"/messages/{touch}/edit").text)
    r = client.post(f"/messages/{touch}/edit", data={**fields, "kind": "follow_up"})
    assert r.status_code == 409 and 'name="force"' in r.text
    assert "--force" not in r.text.split('id="form-error"', 1)[1].split("</p>", 1)[0]
    r = client.post(
        f"/messages/{touch}/edit", data={**fields, "kind": "follow_up", "force": "1"},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303
    assert shown(client, iv)["touches"][0]["kind"] == "follow_up"


def test_a_message_is_deleted_after_its_confirmation(client: TestClient, db_url: str) -> None:
    iv = add_interview(client)
    touch = log(client, iv, direction="received", kind="other", note="We will call you")
    page = client.get(f"/messages/{touch}/delete")
    assert page.status_code == 200
    words = html.unescape(re.sub(r"<[^>]+>", " ", page.text))
    assert "Delete this message?" in words and "They wrote a message" in words
    assert "— Acme · Data Engineer" in words and "We will call you" in words
    assert 'name="force"' not in page.text  # logged by hand: no mailbox involved
    before = content(db_url)
    assert client.post(f"/messages/{touch}/delete").status_code == 403
    r = client.post(
        f"/messages/{touch}/delete", data={"csrf_token": token(client)},
        headers={"Host": "attacker.example"},
    )  # fmt: skip
    assert r.status_code == 400
    assert content(db_url) == before
    r = post(client, f"/messages/{touch}/delete", {})
    assert r.status_code == 303
    assert r.headers["location"].startswith(f"/interviews/{iv}?msg=deleted&change=")
    assert shown(client, iv)["touches"] == []
    client.post("/undo", data=undo_form(client.get(r.headers["location"]).text))
    assert len(shown(client, iv)["touches"]) == 1
    for method, path in (("GET", "edit"), ("POST", "edit"), ("GET", "delete"), ("POST", "delete")):
        r = client.request(method, f"/messages/99999/{path}", data={"csrf_token": token(client)})
        assert r.status_code == 404, (method, path)
        r = client.request(method, f"/messages/1x/{path}", data={"csrf_token": token(client)})
        assert r.status_code == 422, (method, path)


# -- deleting the interview -------------------------------------------------------------------------
def test_the_interview_is_deleted_after_its_confirmation_and_comes_back_with_undo(
    client: TestClient, db_url: str, smtpd: SmtpServer
) -> None:
    iv = add_interview(client)
    mail_on(db_url, smtpd)
    post(client, f"/drafts/thank_you:{iv}:1", {"subject": "Thanks", "body": "Hi.", "do": "approve"})
    post(client, f"/drafts/thank_you:{iv}:2", {"subject": "Thanks", "body": "Hi.", "do": "save"})
    log(client, iv, direction="received", kind="other", note="We will call you")
    post(client, f"/interviews/{iv}/assess", {"score_answers": "4", "asked": "Why us?"})
    page = client.get(f"/interviews/{iv}").text
    assert f'href="/interviews/{iv}/delete"' in page
    confirm = client.get(f"/interviews/{iv}/delete")
    assert confirm.status_code == 200
    words = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", confirm.text)))
    assert "Delete this interview?" in words and "Acme · Data Engineer" in words
    for line in ("its plan:", "still to do", "1 message", "2 drafts", "1 outbox message not sent",
                 "1 topic", "1 self-assessment", "1 score", "1 question"):  # fmt: skip
        assert line in words, (line, words)
    assert "never sent afterwards" in words and "Stays: its application" in words
    assert 'name="force"' not in confirm.text  # nothing went out
    before = content(db_url)
    assert client.post(f"/interviews/{iv}/delete").status_code == 403
    assert post(client, "/interviews/99999/delete", {}).status_code == 404
    assert client.get("/interviews/99999/delete").status_code == 404
    assert content(db_url) == before
    r = post(client, f"/interviews/{iv}/delete", {})
    assert r.status_code == 303 and r.headers["location"].startswith(
        "/interviews?msg=deleted&change="
    )
    assert client.get(f"/interviews/{iv}").status_code == 404
    listing = client.get(r.headers["location"]).text
    assert "Deleted." in listing
    fields = undo_form(listing)
    assert fields["back"] == "/interviews"
    client.post("/undo", data=fields)
    back = shown(client, iv)
    assert back["company"] == "Acme" and len(back["touches"]) == 1 and back["assessment"]


def test_a_sent_message_stays_and_its_record_goes_only_when_ticked(
    client: TestClient, db_url: str, smtpd: SmtpServer, request: pytest.FixtureRequest
) -> None:
    iv = request.getfixturevalue("sent")  # a thank-you that went out (test_edit_api)
    confirm = client.get(f"/interviews/{iv}/delete")
    assert 'name="force"' in confirm.text and "stays in your mailbox" in confirm.text
    before = content(db_url)
    r = post(client, f"/interviews/{iv}/delete", {})
    assert r.status_code == 409 and 'name="force"' in r.text
    alert = r.text.split('<p class="error" role="alert">', 1)[1].split("</p>", 1)[0]
    assert "stays in your mailbox" in alert and "--force" not in alert
    assert not re.search(r"interview \d", alert), alert
    touch = shown(client, iv)["touches"][0]["id"]
    page = client.get(f"/messages/{touch}/delete")
    assert 'name="force"' in page.text and "afterview sent it" in page.text
    assert post(client, f"/messages/{touch}/delete", {}).status_code == 409
    edit_page = client.get(f"/messages/{touch}/edit").text
    assert edit_page.count(" disabled") >= 4 and "Only your note can change" in edit_page
    assert content(db_url) == before
    r = post(client, f"/interviews/{iv}/delete", {"force": "1"})
    assert r.status_code == 303
    assert client.get(f"/interviews/{iv}").status_code == 404
    assert len(smtpd.messages) == 1  # what went out stayed out; nothing more was sent
