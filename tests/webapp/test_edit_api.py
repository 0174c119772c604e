"""The API's `PATCH` and `DELETE` twins of `… edit` and `… delete`, on both engines:
each changes what it is sent and answers with the record and `edit`, or with what went;
the CSRF rule of every write; an unknown id 404, bad input 422 naming the field, a rule
409; nothing written when refused."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from afterview.cli.session import open_context
from afterview.mail.settings import build_settings
from afterview.services import approving
from afterview.services.mailsetup import setup
from afterview.services.worker import run_once
from tests.badinput.runner import content
from tests.mailservers import ME, ME_PASSWORD, SmtpServer
from tests.webapp.conftest import Clock
from tests.webapp.test_app import add_interview, api


def _ok(client: TestClient, method: str, path: str, body: Any = None) -> Any:
    r = api(client, method, path, body)
    assert r.status_code in (200, 201), (method, path, r.status_code, r.text)
    return r.json()


def refused(
    client: TestClient, db_url: str, status: int, method: str, path: str, body: Any = None,
    field: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The request is refused with `status` (and the field named), and writes nothing."""
    before = content(db_url)
    r = api(client, method, path, body)
    assert r.status_code == status, (method, path, body, r.status_code, r.text)
    out: dict[str, Any] = r.json()
    assert out["error"]
    if field is not None:
        assert out.get("field") == field, out
    assert content(db_url) == before, (method, path, body)
    return out


def _actions(client: TestClient) -> dict[str, str]:
    actions = client.get("/api/today", params={"all": "true"}).json()["actions"]
    return {a["id"]: a["state"] for a in actions}


def test_an_interview_is_corrected(client: TestClient, db_url: str) -> None:
    iv = add_interview(client)
    body = {
        "company": "Acme Corp",
        "start": "2026-09-15T15:30",
        "decision_by": "2026-09-25",
        "rename_interviewers": [{"id": 2, "to": "Ben Okafor-Diaz"}],
        "add_interviewers": ["Chloé Martin <chloe@acme.example>"],
        "remove_interviewers": [1],
        "topics": ["dbt"],
        "remove_topics": ["The Streaming Migration"],
        "notes": "Six people.",
    }
    d = _ok(client, "PATCH", f"/api/interviews/{iv}", body)
    assert d["company"] == "Acme Corp" and d["start"] == "2026-09-15T15:30:00+02:00"
    assert d["end"] == "2026-09-15T16:30:00+02:00" and d["decision_by"] == "2026-09-25"
    assert [p["name"] for p in d["interviewers"]] == ["Ben Okafor-Diaz", "Chloé Martin"]
    assert d["topics"] == ["dbt"] and d["notes"] == "Six people."
    assert d["edit"]["changed"] == [
        "company", "start", "end", "decision_by", "interviewers", "topics", "notes",
    ]  # fmt: skip
    assert f"thank_you:{iv}:1" not in _actions(client)
    # null removes the decision date and the notes; null elsewhere keeps
    d = _ok(
        client, "PATCH", f"/api/interviews/{iv}", {"decision_by": None, "notes": None, "tz": None}
    )
    assert d["decision_by"] is None and d["notes"] is None and d["tz"] == "Europe/Paris"
    d = _ok(client, "PATCH", f"/api/interviews/{iv}", {"interviewers": ["Dee <dee@acme.example>"]})
    assert [p["name"] for p in d["interviewers"]] == ["Dee"]
    path = f"/api/interviews/{iv}"
    refused(client, db_url, 422, "PATCH", path, {"tz": "Mars/Base"}, "tz")
    refused(client, db_url, 422, "PATCH", path, {"start": "2027-03-28T02:30"}, "start")
    refused(client, db_url, 422, "PATCH", path, {"company": ""}, "company")
    refused(client, db_url, 422, "PATCH", path, {"remove_interviewers": [1]}, "remove_interviewers")
    refused(client, db_url, 422, "PATCH", path, {"remove_topics": ["none"]}, "remove_topics")
    refused(
        client,
        db_url,
        422,
        "PATCH",
        path,
        {"interviewers": [], "add_interviewers": ["X"]},
        "interviewers",
    )
    refused(client, db_url, 422, "PATCH", path, {"bogus": 1})
    refused(client, db_url, 404, "PATCH", "/api/interviews/99", {"tz": "UTC"})
    # the CSRF rule of every write
    r = client.patch(path, json={"notes": "x"})
    assert r.status_code == 403


def test_applications_people_and_outcomes(client: TestClient, db_url: str) -> None:
    iv = add_interview(client)
    app = client.get(f"/api/interviews/{iv}").json()["application_id"]
    body = {
        "company": "Acme Corp", "url": "https://acme.example/j/1", "applied_on": "2026-09-01",
        "mail_domain": "acme.example", "stage": "offer", "notes": "Ask Ana",
    }  # fmt: skip
    d = _ok(client, "PATCH", f"/api/applications/{app}", body)
    assert (d["company"], d["url"], d["applied_on"], d["stage"], d["notes"]) == (
        "Acme Corp", "https://acme.example/j/1", "2026-09-01", "offer", "Ask Ana",
    )  # fmt: skip
    assert d["edit"]["changed"] == ["company", "url", "applied_on", "mail_domain", "stage", "notes"]
    d = _ok(client, "PATCH", f"/api/applications/{app}", {"url": None, "company": None})
    assert d["url"] is None and d["company"] == "Acme Corp"
    path = f"/api/applications/{app}"
    refused(client, db_url, 422, "PATCH", path, {"mail_domain": "not a domain"}, "mail_domain")
    refused(client, db_url, 422, "PATCH", path, {"applied_on": "2026-02-30"}, "applied_on")
    refused(client, db_url, 422, "PATCH", path, {"url": "ftp://x"}, "url")
    refused(client, db_url, 404, "PATCH", "/api/applications/99", {"role": "R"})

    d = _ok(client, "PATCH", "/api/people/2", {"name": "Ben O.", "email": "ben.o@acme.example"})
    assert (d["name"], d["email"], d["interviews"]) == ("Ben O.", "ben.o@acme.example", [iv])
    refused(client, db_url, 409, "PATCH", "/api/people/2", {"email": "ana@acme.example"})
    refused(client, db_url, 422, "PATCH", "/api/people/2", {"email": "nope"}, "email")
    refused(client, db_url, 422, "PATCH", "/api/people/2", {"name": "A <a@b.example>"}, "name")
    refused(client, db_url, 404, "PATCH", "/api/people/99", {"name": "X"})
    assert _ok(client, "PATCH", "/api/people/2", {"email": None})["email"] is None

    _ok(client, "POST", f"/api/interviews/{iv}/outcome", {"result": "offer"})
    assert _actions(client)[f"follow_up:{iv}:1"] == "cancelled"
    d = _ok(client, "DELETE", f"/api/interviews/{iv}/outcome")
    assert d["outcome"] is None and d["edit"]["changed"] == ["outcome"]
    assert _actions(client)[f"follow_up:{iv}:1"] == "upcoming"
    refused(client, db_url, 409, "DELETE", f"/api/interviews/{iv}/outcome")


def test_messages_and_assessments(client: TestClient, db_url: str) -> None:
    iv = add_interview(client)
    shown = _ok(client, "POST", f"/api/interviews/{iv}/touches", {
        "direction": "sent", "kind": "thank_you", "to": "Ana Lopez <ana@acme.example>",
    })  # fmt: skip
    touch = shown["touches"][0]["id"]
    d = _ok(
        client,
        "PATCH",
        f"/api/touches/{touch}",
        {"to": "Ben Okafor <ben@acme.example>", "note": "by mail"},
    )
    assert d["person"]["name"] == "Ben Okafor" and d["note"] == "by mail"
    assert d["edit"]["changed"] == ["note", "to"]
    states = _actions(client)
    assert states[f"thank_you:{iv}:1"] == "open" and states[f"thank_you:{iv}:2"] == "done"
    path = f"/api/touches/{touch}"
    refused(client, db_url, 422, "PATCH", path, {"direction": "received"}, "received")
    refused(client, db_url, 422, "PATCH", path, {"at": "2030-01-01T10:00"}, "at")
    refused(client, db_url, 404, "PATCH", "/api/touches/99", {"note": "x"})
    out = _ok(client, "DELETE", path)
    assert out["deleted"] == "message" and out["removed"]["messages"] == 1
    assert _actions(client)[f"thank_you:{iv}:2"] == "open"
    refused(client, db_url, 404, "DELETE", path)

    apath = f"/api/interviews/{iv}/assessment"
    refused(client, db_url, 404, "PATCH", apath, {"confidence": 50})
    _ok(
        client,
        "PUT",
        apath,
        {"scores": {"rapport": 4, "answers": 2}, "asked": ["Why us?"], "confidence": 60},
    )
    d = _ok(
        client,
        "PATCH",
        apath,
        {"scores": {"rapport": 5, "answers": None}, "add_asked": ["Team?"], "confidence": None},
    )
    assert d["scores"] == {"rapport": 5} and d["asked"] == ["Why us?", "Team?"]
    assert d["confidence"] is None and d["interview_id"] == iv
    refused(client, db_url, 422, "PATCH", apath, {"scores": {"charm": 3}}, "scores")
    refused(client, db_url, 422, "PATCH", apath, {"remove_asked": ["nope"]}, "remove_asked")
    out = _ok(client, "DELETE", apath)
    assert out["removed"]["questions"] == 2 and out["removed"]["scores"] == 1
    refused(client, db_url, 404, "DELETE", apath)


def test_leads_interviews_and_applications_are_deleted(client: TestClient, db_url: str) -> None:
    lead = api(client, "POST", "/api/leads", {"role": "DE", "company": "Hyperion"}).json()["id"]
    d = _ok(
        client,
        "PATCH",
        f"/api/leads/{lead}",
        {"location": "Berlin", "remote": True, "salary_min": 50000.0},
    )
    assert d["lead"]["location"] == "Berlin" and d["lead"]["remote"] is True
    refused(client, db_url, 422, "PATCH", f"/api/leads/{lead}", {"salary_max": 10.0}, "salary_max")
    refused(client, db_url, 422, "PATCH", f"/api/leads/{lead}", {"url": "nope"}, "url")
    iv = add_interview(client)
    app = client.get(f"/api/interviews/{iv}").json()["application_id"]
    _ok(client, "PATCH", f"/api/applications/{app}", {"applied_on": "2026-09-01"})  # not a lead
    refused(client, db_url, 409, "PATCH", f"/api/leads/{app}", {"location": "X"})
    refused(client, db_url, 409, "DELETE", f"/api/leads/{app}")
    out = _ok(client, "DELETE", f"/api/leads/{lead}")
    assert (out["deleted"], out["removed"]["lead_details"]) == ("lead", 1)

    second = add_interview(client, start="2026-09-15T10:00")
    out = _ok(client, "DELETE", f"/api/interviews/{second}")
    assert out["removed"]["interviews"] == 1 and out["removed"]["topics"] == 1
    assert client.get(f"/api/interviews/{second}").status_code == 404
    r = client.delete(f"/api/interviews/{iv}")  # no CSRF token
    assert r.status_code == 403
    out = _ok(client, "DELETE", f"/api/applications/{app}")
    assert out["removed"]["applications"] == 1 and out["removed"]["interviews"] == 1
    refused(client, db_url, 404, "DELETE", f"/api/applications/{app}")
    refused(client, db_url, 404, "DELETE", "/api/interviews/99")
    refused(client, db_url, 422, "DELETE", "/api/interviews/x")


@pytest.fixture
def sent(client: TestClient, db_url: str, smtpd: SmtpServer, clock: Clock) -> int:
    """An interview whose thank-you to Ana went out through a real SMTP server (at 19:05
    in Paris; the app's clock is moved to 19:10)."""
    iv = add_interview(client)
    ctx = open_context(db_url, "2026-09-15T19:05")
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
        approving.approve_action(ctx, f"thank_you:{iv}:1")
        assert len(run_once(ctx, password=ME_PASSWORD).sent) == 1
    finally:
        ctx.db.close()
    clock.at = datetime(2026, 9, 15, 17, 10, tzinfo=UTC)
    return iv


def test_what_went_out_goes_only_with_force(
    client: TestClient, db_url: str, smtpd: SmtpServer, sent: int
) -> None:
    iv = sent
    said = refused(client, db_url, 409, "DELETE", f"/api/interviews/{iv}")
    assert "stays in your mailbox" in said["error"] and "--force" not in said["error"]
    assert said["override"] == "delete the record of it too"  # what ?force=true does
    touch = client.get(f"/api/interviews/{iv}").json()["touches"][0]["id"]
    refused(client, db_url, 409, "DELETE", f"/api/touches/{touch}")
    refused(client, db_url, 409, "PATCH", f"/api/touches/{touch}", {"at": "2026-09-15T19:00"})
    out = _ok(client, "DELETE", f"/api/interviews/{iv}?force=true")
    assert out["removed"]["outbox_sent"] == 1 and out["removed"]["messages"] == 1
    assert len(smtpd.messages) == 1


def test_openapi_documents_every_edit_and_delete(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for method, path in (
        ("patch", "/api/applications/{application_id}"),
        ("delete", "/api/applications/{application_id}"),
        ("patch", "/api/interviews/{interview_id}"),
        ("delete", "/api/interviews/{interview_id}"),
        ("delete", "/api/interviews/{interview_id}/outcome"),
        ("patch", "/api/interviews/{interview_id}/assessment"),
        ("delete", "/api/interviews/{interview_id}/assessment"),
        ("patch", "/api/people/{person_id}"),
        ("patch", "/api/touches/{touch_id}"),
        ("delete", "/api/touches/{touch_id}"),
        ("patch", "/api/leads/{application_id}"),
        ("delete", "/api/leads/{application_id}"),
    ):
        operation = paths[path][method]
        assert operation["description"] and {"404", "409", "422"} <= set(operation["responses"])
