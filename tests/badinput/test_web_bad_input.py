"""The web app and the API refuse what the CLI refuses: a 4xx naming the field, no write.

Each case sends one hostile value to a real route of the app (in-process, through
the ASGI test client, with the CSRF token) on a database holding the demo (the
bad-input suite's seeded database, shared by the cases of a run), then checks that
the answer is a 4xx (never a 500) and that nothing was written: no row, and no byte
of config.toml.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from afterview.web.app import create_app
from afterview.web.runtime import LOOPBACK_HOSTS, WebSettings
from tests.badinput.conftest import Seeded
from tests.badinput.runner import check_unchanged

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
ENCODED = "=?utf-8?q?Engineer=0D=0AReply-To:_x@evil.example?="
ICS_9999 = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:x-9999@t\r\n"
    "DTSTAMP:20261101T000000Z\r\nDTSTART:99991231T100000Z\r\nDTEND:99991231T110000Z\r\n"
    "SUMMARY:Interview with Acme\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
START = "2026-12-01T10:00"

# (label, method, path, JSON body or form, is_form)
CASES: list[tuple[str, str, str, dict[str, Any], bool]] = [
    ("api start 9999", "POST", "/api/interviews", {"company": "A", "role": "B", "start": "9999-12-31T10:00"}, False),
    ("api start 0001", "POST", "/api/interviews", {"company": "A", "role": "B", "start": "0001-01-01T00:00"}, False),
    ("api long zone", "POST", "/api/interviews", {"company": "A", "role": "B", "start": START, "tz": "x" * 300}, False),
    ("api folder zone", "POST", "/api/interviews", {"company": "A", "role": "B", "start": START, "tz": "Europe"}, False),
    ("api nul company", "POST", "/api/interviews", {"company": "A\x00", "role": "B", "start": START}, False),
    ("api encoded role", "POST", "/api/interviews", {"company": "A", "role": ENCODED, "start": START}, False),
    ("api interviewer lf", "POST", "/api/interviews", {"company": "A", "role": "B", "start": START, "interviewers": ["Bob\nBcc: x@evil.example"]}, False),
    ("api decision 9999", "POST", "/api/interviews", {"company": "A", "role": "B", "start": START, "decision_by": "9999-12-31"}, False),
    ("api week date", "POST", "/api/interviews", {"company": "A", "role": "B", "start": "2026-W49-2T10:00"}, False),
    ("api patch decision", "PATCH", "/api/interviews/1", {"decision_by": "9999-12-31"}, False),
    ("api patch notes nul", "PATCH", "/api/interviews/1", {"notes": "a\x00b"}, False),
    ("api patch topic esc", "PATCH", "/api/interviews/1", {"topics": ["x\x1b[2J"]}, False),
    ("api outcome year 1", "POST", "/api/interviews/1/outcome", {"result": "offer", "at": "0001-01-01T00:00"}, False),
    ("api touch year 1", "POST", "/api/interviews/1/touches", {"direction": "received", "at": "0001-01-01T00:00"}, False),
    ("api touch note nul", "POST", "/api/interviews/1/touches", {"direction": "received", "note": "a\x00"}, False),
    ("api touch to encoded", "POST", "/api/interviews/1/touches", {"direction": "sent", "to": f"{ENCODED} <a@b.example>"}, False),
    ("api assessment nul", "PUT", "/api/interviews/1/assessment", {"asked": ["q\x00"]}, False),
    ("api draft encoded subject", "PUT", "/api/drafts/thank_you:1:1", {"subject": ENCODED, "body": "Thanks"}, False),
    ("api draft lf subject", "PUT", "/api/drafts/thank_you:1:1", {"subject": "a\nBcc: x@evil.example", "body": "Thanks"}, False),
    ("api skip why lf", "POST", "/api/actions/self_assess:1/skip", {"why": "a\nb"}, False),
    ("api application 9999", "POST", "/api/applications", {"company": "A", "role": "B", "applied_on": "9999-12-31"}, False),
    ("api application bidi", "POST", "/api/applications", {"company": "\u202eA", "role": "B"}, False),
    ("api application arabic digits", "POST", "/api/applications", {"company": "A", "role": "B", "applied_on": "٢٠٢٦-١١-٠٢"}, False),
    ("api application notes nul", "PATCH", "/api/applications/1", {"notes": "a\x00b"}, False),
    ("api application move and nul notes", "PATCH", "/api/applications/1", {"stage": "offer", "notes": "a\x1b[2J"}, False),
    ("api application stage", "PATCH", "/api/applications/1", {"stage": "hired"}, False),
    ("api invitation 9999", "POST", "/api/invitations", {"ics": ICS_9999}, False),
    ("api question nul", "PUT", "/api/questions/1", {"answer": "a\x00"}, False),
    # correcting records (issue 18)
    ("api edit interview zone", "PATCH", "/api/interviews/6", {"tz": "Europe"}, False),
    ("api edit interview spring gap", "PATCH", "/api/interviews/6", {"start": "2027-03-28T02:30"}, False),
    ("api edit interview empty company", "PATCH", "/api/interviews/6", {"company": ""}, False),
    ("api edit interview encoded company", "PATCH", "/api/interviews/6", {"company": ENCODED}, False),
    ("api edit interview rename lf", "PATCH", "/api/interviews/6", {"rename_interviewers": [{"id": 7, "to": "Gus\nBcc: x@evil.example"}]}, False),
    ("api edit interview remove stranger", "PATCH", "/api/interviews/6", {"remove_interviewers": [1]}, False),
    ("api edit interview add bad address", "PATCH", "/api/interviews/6", {"add_interviewers": ["Eve <not-an-address>"]}, False),
    ("api edit interview unknown", "PATCH", "/api/interviews/99999", {"tz": "UTC"}, False),
    ("api edit application domain", "PATCH", "/api/applications/1", {"mail_domain": "a b"}, False),
    ("api edit application company nul", "PATCH", "/api/applications/1", {"company": "A\x00"}, False),
    ("api edit application url", "PATCH", "/api/applications/1", {"url": "javascript:alert(1)"}, False),
    ("api edit person empty name", "PATCH", "/api/people/7", {"name": ""}, False),
    ("api edit person bidi", "PATCH", "/api/people/7", {"name": "\u202eGus"}, False),
    ("api edit person address", "PATCH", "/api/people/7", {"email": "gus@x.example\nBcc: y@z.example"}, False),
    ("api edit person unknown", "PATCH", "/api/people/99999", {"name": "X"}, False),
    ("api edit touch note nul", "PATCH", "/api/touches/4", {"note": "a\x00"}, False),
    ("api edit touch year 1", "PATCH", "/api/touches/4", {"at": "0001-01-01T00:00"}, False),
    ("api edit touch spring gap", "PATCH", "/api/touches/4", {"at": "2026-03-29T02:30"}, False),
    ("api edit assessment esc", "PATCH", "/api/interviews/2/assessment", {"went_well": "a\x1b[2J"}, False),
    ("api edit assessment unknown score", "PATCH", "/api/interviews/2/assessment", {"scores": {"charm": 3}}, False),
    ("api edit lead location nul", "PATCH", "/api/leads/34", {"location": "Berlin\x00"}, False),
    ("api edit lead salary order", "PATCH", "/api/leads/34", {"salary_min": 9.0, "salary_max": 1.0}, False),
    ("api delete unknown interview", "DELETE", "/api/interviews/99999", {}, False),
    ("api delete unknown touch", "DELETE", "/api/touches/99999", {}, False),
    ("api delete no outcome", "DELETE", "/api/interviews/1/outcome", {}, False),
    ("form interview 9999", "POST", "/interviews", {"company": "A", "role": "B", "start": "9999-12-31T10:00"}, True),
    ("form interview long zone", "POST", "/interviews", {"company": "A", "role": "B", "start": START, "tz": "x" * 300}, True),
    ("form interview encoded", "POST", "/interviews", {"company": ENCODED, "role": "B", "start": START}, True),
    ("form log year 1", "POST", "/interviews/1/log", {"direction": "received", "at": "0001-01-01T00:00"}, True),
    ("form decision 9999", "POST", "/interviews/1/decision", {"decision_by": "9999-12-31"}, True),
    ("form application 9999", "POST", "/applications", {"company": "A", "role": "B", "applied_on": "9999-12-31"}, True),
    ("form application notes nul", "POST", "/applications/1/notes", {"notes": "a\x00b"}, True),
    ("form application notes esc", "POST", "/applications/1/notes", {"notes": "a\x1b[2J"}, True),
    ("form application stage", "POST", "/applications/1/stage", {"to": "hired"}, True),
    ("form application stage nul", "POST", "/applications/1/stage", {"stage": "offer\x00"}, True),
    ("form settings long zone", "POST", "/settings", {"timezone": "x" * 300}, True),
    ("form settings folder zone", "POST", "/settings", {"timezone": "Europe"}, True),
    ("form settings nul name", "POST", "/settings", {"name": "Sam\x00Rivera"}, True),
    ("form settings esc name", "POST", "/settings", {"name": "Sam\x1b[2J"}, True),
    ("form settings encoded name", "POST", "/settings", {"name": ENCODED}, True),
]  # fmt: skip


class Clock:
    def __call__(self) -> datetime:
        return NOW


@pytest.fixture(scope="module")
def app_client(seeded: Seeded) -> Iterator[TestClient]:
    """The app on the seeded database of one engine, for the cases of this module."""
    settings = WebSettings(
        db_target=seeded.url,
        clock=Clock(),
        allowed_hosts=(*LOOPBACK_HOSTS, "testserver"),
        config_path=str(seeded.config),
    )
    with TestClient(
        create_app(settings), base_url="http://testserver", raise_server_exceptions=False
    ) as c:
        c.get("/")
        yield c


@pytest.mark.parametrize(
    ("label", "method", "path", "body", "form"), CASES, ids=[c[0] for c in CASES]
)
def test_a_hostile_value_gets_a_4xx_and_writes_nothing(
    app_client: TestClient,
    user_env: Seeded,
    label: str,
    method: str,
    path: str,
    body: dict[str, Any],
    form: bool,
) -> None:
    config_before = user_env.config.read_bytes()
    token = app_client.cookies.get("afterview_csrf") or ""
    try:
        if form:
            r = app_client.request(
                method, path, data={**body, "csrf_token": token}, follow_redirects=False
            )
        else:
            r = app_client.request(method, path, json=body, headers={"X-CSRF-Token": token})
        assert 400 <= r.status_code < 500, f"{label}: {r.status_code} {r.text[:300]}"
        if not form:
            assert r.headers["content-type"].startswith("application/json")
            assert r.json().get("error")
    finally:
        check_unchanged(user_env)
        config_after = user_env.config.read_bytes()
        user_env.config.write_bytes(config_before)  # the next case reads the same settings
    assert config_after == config_before, label
