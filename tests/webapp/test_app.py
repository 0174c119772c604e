"""The web app in-process (Starlette's TestClient, a real database on both engines):
the guard (Host, cross-site, CSRF, headers), the JSON API's strict bodies, error pages,
settings written to config.toml, the calendar feed's token, and the read cache."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from afterview.web.app import create_app
from afterview.web.runtime import WebSettings
from tests.conftest import IsolatedEnv
from tests.webapp.conftest import Clock

NOW = datetime(2026, 9, 15, 15, 30, tzinfo=UTC)  # 17:30 in Paris, the interview ended 17:00


def token(c: TestClient) -> str:
    value = c.cookies.get("afterview_csrf")
    assert value
    return value


def post(c: TestClient, path: str, data: dict[str, Any]) -> Any:
    return c.post(path, data={**data, "csrf_token": token(c)}, follow_redirects=False)


def api(c: TestClient, method: str, path: str, body: Any = None) -> Any:
    return c.request(method, path, json=body, headers={"X-CSRF-Token": token(c)})


def add_interview(c: TestClient, **extra: Any) -> int:
    body = {
        "company": "Acme",
        "role": "Data Engineer",
        "start": "2026-09-15T16:00",
        "duration": 60,
        "interviewers": ["Ana Lopez <ana@acme.example>", "Ben Okafor <ben@acme.example>"],
        "topics": ["the streaming migration"],
        **extra,
    }
    r = api(c, "POST", "/api/interviews", body)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


# -- the guard --------------------------------------------------------------------------------
def test_a_foreign_host_is_refused_before_any_route(client: TestClient) -> None:
    r = client.get("/", headers={"Host": "attacker.example"})
    assert r.status_code == 400
    assert "host name" in r.text and "Traceback" not in r.text
    assert client.get("/", headers={"Host": "127.0.0.1:8765"}).status_code == 200
    assert client.get("/", headers={"Host": "[::1]:8765"}).status_code == 200
    assert client.get("/", headers={"Host": "localhost"}).status_code == 200


def test_a_forged_cross_site_post_is_refused_and_changes_nothing(client: TestClient) -> None:
    iv = add_interview(client)
    before = client.get(f"/api/interviews/{iv}").json()
    # a page on another site posting a form: the browser sends the Origin of that site
    r = client.post(
        f"/interviews/{iv}/outcome",
        data={"result": "withdrawn", "csrf_token": token(client)},
        headers={"Origin": "http://attacker.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert r.status_code == 403
    # no token at all (SameSite keeps the cookie away; here even with it)
    r = client.post(f"/interviews/{iv}/outcome", data={"result": "withdrawn"})
    assert r.status_code == 403 and "CSRF" in r.text
    # a wrong token, and the API without its header
    r = client.post(
        f"/interviews/{iv}/outcome", data={"result": "withdrawn", "csrf_token": "x" * 43}
    )
    assert r.status_code == 403
    r = client.post(f"/api/interviews/{iv}/outcome", json={"result": "withdrawn"})
    assert r.status_code == 403 and r.json()["error"].startswith("missing or wrong CSRF")
    assert client.get(f"/api/interviews/{iv}").json() == before


def test_a_same_origin_post_with_the_token_works(client: TestClient) -> None:
    iv = add_interview(client)
    r = client.post(
        f"/interviews/{iv}/outcome",
        data={"result": "offer", "csrf_token": token(client)},
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith(
        f"/interviews/{iv}?msg=outcome&change="
    )
    assert client.get(f"/api/interviews/{iv}").json()["outcome"]["result"] == "offer"


def test_every_response_carries_the_security_headers_and_a_strict_cookie(
    db_url: str, env_isolated: IsolatedEnv
) -> None:
    settings = WebSettings(db_target=db_url, allowed_hosts=("testserver",))
    with TestClient(create_app(settings)) as c:
        r = c.get("/", follow_redirects=False)  # a new user: sent to the set-up
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"
        cookie = r.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
        assert c.get("/nope").headers["x-frame-options"] == "DENY"


def test_pages_load_nothing_from_outside(client: TestClient) -> None:
    add_interview(client)
    for path in ("/", "/interviews", "/interviews/1", "/applications", "/board", "/settings"):
        html = client.get(path).text
        assert not re.search(r'(src|href)="(https?:)?//', html), path
        assert "<script>" not in html  # scripts are files of the app, never inline


def test_htmx_is_the_vendored_2_0_release() -> None:
    import hashlib

    from afterview.web.app import STATIC

    data = Path(STATIC, "htmx.min.js").read_bytes()
    assert b'version:"2.0.11"' in data
    assert hashlib.sha256(data).hexdigest() == (
        "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"
    )
    assert Path(STATIC, "htmx.LICENSE").read_text().startswith("Zero-Clause BSD")


# -- text is inert ----------------------------------------------------------------------------
PAYLOAD = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def test_user_text_is_escaped_on_every_page(client: TestClient) -> None:
    iv = add_interview(
        client,
        company=PAYLOAD,
        role=PAYLOAD,
        interviewers=['Ana" onmouseover="alert(4) <ana@acme.example>'],
        topics=[PAYLOAD, "javascript:alert(3)"],
    )
    api(client, "PATCH", f"/api/interviews/{iv}", {"notes": PAYLOAD})
    app = client.get(f"/api/interviews/{iv}").json()["application_id"]
    for path in (
        "/",
        "/interviews",
        f"/interviews/{iv}",
        f"/interviews/{iv}/assess",
        "/applications",
        "/board",
        f"/applications/{app}",
    ):
        html = client.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
        assert '" onmouseover="' not in html, path


# -- the API ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [
        {"company": "Acme", "role": "R", "start": "2026-09-15T16:00", "duration": "60"},
        {"company": "Acme", "role": "R", "start": "2026-09-15T16:00", "duration": False},
        {"company": "Acme", "role": "R", "start": "2026-09-15T16:00", "extra": 1},
        {"company": "", "role": "R", "start": "2026-09-15T16:00"},
        {"company": "Acme", "role": "R", "start": "2026-09-15T16:00", "decision_by": "soon"},
    ],
)
def test_api_bodies_are_strict(client: TestClient, body: dict[str, Any]) -> None:
    r = api(client, "POST", "/api/interviews", body)
    assert r.status_code == 422
    assert "error" in r.json()
    assert client.get("/api/interviews").json() == []


def test_api_user_errors_name_the_field(client: TestClient) -> None:
    r = api(
        client,
        "POST",
        "/api/interviews",
        {"company": "Acme", "role": "R", "start": "2026-03-29T02:30", "tz": "Europe/Paris"},
    )
    assert r.status_code == 422 and r.json()["field"] == "start"
    r = api(client, "POST", "/api/actions/thank_you:99:1/done", {})
    assert r.status_code == 404
    assert client.get("/api/interviews/12345").status_code == 404


def test_a_problem_is_worded_for_the_page() -> None:
    """The services name fields and may name other options in a problem; a page says
    them as words (`cli/` says them as options)."""
    from afterview.errors import BadInput
    from afterview.web.deps import bad_input, problem_words

    exc = BadInput("end", "give either --end or --duration, not both")
    assert bad_input(exc) == "end: give either end or duration, not both"
    assert bad_input(BadInput("topic", "give at least one --topic")) == (
        "topics: give at least one topic"
    )
    assert problem_words("a--b and --remove-interviewer") == "a--b and remove interviewer"


def test_today_and_its_json_twin_show_the_same_actions(client: TestClient) -> None:
    iv = add_interview(client)
    page = client.get("/").text
    data = client.get("/api/today").json()
    ids = [a["id"] for a in data["actions"]]
    assert f"thank_you:{iv}:1" in ids and f"thank_you:{iv}:2" in ids
    for a in data["actions"]:
        assert a["id"] in page
    assert "Ideal now" in page or "Open" in page


# -- changes from the pages ---------------------------------------------------------------------
def test_done_and_skip_from_today(client: TestClient) -> None:
    iv = add_interview(client)
    r = post(client, f"/actions/thank_you:{iv}:1/done", {})
    assert r.status_code == 303
    r = post(client, f"/actions/thank_you:{iv}:2/skip", {"why": "we spoke after"})
    assert r.status_code == 303
    states = {a["id"]: a["state"] for a in client.get(f"/api/interviews/{iv}").json()["actions"]}
    assert states[f"thank_you:{iv}:1"] == "done" and states[f"thank_you:{iv}:2"] == "skipped"
    r = post(client, f"/actions/thank_you:{iv}:1/done", {})
    assert r.status_code == 409 and "Traceback" not in r.text


def test_a_bad_form_comes_back_with_the_problem_and_writes_nothing(client: TestClient) -> None:
    r = post(
        client,
        "/interviews",
        {"company": "Acme", "role": "R", "start": "2026-03-29T02:30", "tz": "Europe/Paris"},
    )
    assert r.status_code == 422
    assert "start:" in r.text and 'value="Acme"' in r.text
    assert client.get("/api/interviews").json() == []


def test_draft_editor_saves_marks_sent_and_downloads(client: TestClient) -> None:
    iv = add_interview(client)
    page = client.get(f"/drafts/thank_you:{iv}:1")
    assert page.status_code == 200 and "Ana" in page.text and "not saved yet" in page.text
    body = "Dear Ana,\r\nThank you for the talk about the streaming migration.\r\nSam"
    r = post(client, f"/drafts/thank_you:{iv}:1", {"subject": "Thanks", "body": body, "do": "eml"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("message/rfc822")
    assert b"Subject: Thanks" in r.content and b"X-Unsent: 1" in r.content
    saved = api(client, "GET", f"/api/drafts/thank_you:{iv}:1").json()
    assert saved["saved"] and saved["subject"] == "Thanks" and "\r" not in saved["body"]
    r = post(client, f"/drafts/thank_you:{iv}:1", {"subject": "Thanks", "body": body, "do": "sent"})
    assert r.status_code == 303
    show = client.get(f"/api/interviews/{iv}").json()
    assert any(t["kind"] == "thank_you" for t in show["touches"])
    r = post(client, f"/drafts/thank_you:{iv}:2", {"subject": "A\nBcc: x@y", "body": "b"})
    assert r.status_code == 422


def test_assess_form(client: TestClient, clock: Clock) -> None:
    iv = add_interview(client)
    r = post(
        client,
        f"/interviews/{iv}/assess",
        {"score_answers": "4", "asked": "Why us?\nA hard bug?", "confidence": "70"},
    )
    assert r.status_code == 303
    a = client.get(f"/api/interviews/{iv}").json()["assessment"]
    assert a["scores"] == {"answers": 4} and a["asked"] == ["Why us?", "A hard bug?"]
    assert a["confidence"] == 70
    r = post(client, f"/interviews/{iv}/assess", {"confidence": "lots"})
    assert r.status_code == 422 and "confidence" in r.text


# -- settings, feed, cache --------------------------------------------------------------------
def test_settings_are_written_keeping_comments_and_checked_first(
    client: TestClient, env_isolated: IsolatedEnv
) -> None:
    r = post(client, "/settings", {"playbook.weekly_target": "7", "country": "FR"})
    assert r.status_code == 303
    text = env_isolated.config_file.read_text(encoding="utf-8")
    assert text.startswith("# my settings") and "weekly_target = 7" in text
    assert 'country = "FR"' in text
    assert client.get("/api/pipeline").json()["week"]["target"] == 7
    r = post(client, "/settings", {"playbook.weekly_target": "many"})
    assert r.status_code == 422 and "weekly_target" in r.text
    r = post(client, "/settings", {"timezone": "Mars/Olympus"})
    assert r.status_code == 422
    assert env_isolated.config_file.read_text(encoding="utf-8") == text


def test_a_notification_channel_is_write_only(
    client: TestClient, env_isolated: IsolatedEnv
) -> None:
    secret = "ntfys://user:hunter2@ntfy.example/topic"
    assert post(client, "/settings", {"add_channel": secret}).status_code == 303
    page = client.get("/settings").text
    assert "hunter2" not in page and "channels[0] (ntfys)" in page
    assert "hunter2" not in client.get("/api/settings").text
    assert post(client, "/settings", {"remove_channel": "0"}).status_code == 303
    assert "channels" not in env_isolated.config_file.read_text(encoding="utf-8")


def test_calendar_feed_needs_the_current_token(client: TestClient) -> None:
    add_interview(client)
    assert client.get("/calendar.ics").status_code == 404
    assert post(client, "/settings/feed", {}).status_code == 303
    page = client.get("/settings").text
    assert "calendar.ics?token=" not in client.get("/settings").text  # shown once
    url = re.search(r'value="(http://testserver/calendar\.ics\?token=[^"]+)"', page)
    assert url is not None
    r = client.get(url.group(1))
    assert r.status_code == 200 and r.text.startswith("BEGIN:VCALENDAR")
    assert "Thank-you" in r.text or "thank" in r.text.lower()
    post(client, "/settings/feed", {})  # a new link: the old one stops working
    assert client.get(url.group(1)).status_code == 404


def test_the_cache_follows_writes_from_another_process(client: TestClient, db_url: str) -> None:
    """A change made outside the app (the CLI, the worker) shows on the next request."""
    from afterview.config import load_config
    from afterview.services.context import Context, open_database
    from afterview.services.records import record_outcome

    iv = add_interview(client)
    assert client.get(f"/api/interviews/{iv}").json()["outcome"] is None
    db = open_database(db_url)
    try:
        record_outcome(Context(db, load_config(), NOW), iv, "rejected")
    finally:
        db.close()
    assert client.get(f"/api/interviews/{iv}").json()["outcome"]["result"] == "rejected"


def test_the_clock_moves_the_states(client: TestClient, clock: Clock) -> None:
    iv = add_interview(client, decision_by="2026-09-25")
    assert f"follow_up:{iv}:1" not in [a["id"] for a in client.get("/api/today").json()["actions"]]
    clock.at = datetime(2026, 9, 28, 7, 30, tzinfo=UTC)  # Mon 09:30 Paris, the business day after
    states = {a["id"]: a["state"] for a in client.get("/api/today").json()["actions"]}
    assert states[f"follow_up:{iv}:1"] == "ideal"


def test_errors_are_pages_not_tracebacks(client: TestClient) -> None:
    r = client.get("/interviews/999")
    assert r.status_code == 404 and "no such interview" in r.text and "Traceback" not in r.text
    assert client.get("/interviews/abc").status_code == 422
    assert client.get("/no/such/page").status_code == 404
    r = client.put("/", headers={"X-CSRF-Token": token(client)})
    assert r.status_code == 405
    chunked = client.post(
        "/api/interviews",
        content=iter([b"x" * 1024 * 1024] * 6),
        headers={"content-type": "application/json", "X-CSRF-Token": token(client)},
    )
    assert chunked.status_code == 413
    huge = client.post(
        "/interviews",
        content=b"x" * (5 * 1024 * 1024),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert huge.status_code == 413


def test_a_forged_csrf_cookie_is_replaced_not_echoed(client: TestClient) -> None:
    evil = "A" * 40 + '", "X-Evil": "1'
    client.cookies.clear()
    client.cookies.set("afterview_csrf", evil)
    r = client.get("/")
    assert "X-Evil" not in r.text
    assert "afterview_csrf=" in r.headers["set-cookie"]


def test_pages_are_never_cached_and_errors_keep_the_address(client: TestClient) -> None:
    assert client.get("/").headers["cache-control"] == "no-store"
    r = client.post(
        "/actions/thank_you:99:1/done",
        data={"csrf_token": token(client)},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 404 and r.headers["hx-push-url"] == "false"


def test_half_written_interviews_are_impossible(client: TestClient) -> None:
    r = api(
        client,
        "POST",
        "/api/interviews",
        {"company": "Half", "role": "R", "start": "2026-09-15T16:00", "topics": ["a\u0007b"]},
    )
    assert r.status_code == 422
    r = post(
        client,
        "/interviews",
        {"company": "Half", "role": "R", "start": "2026-09-15T16:00", "topics": "x" * 400},
    )
    assert r.status_code == 422
    assert client.get("/api/interviews").json() == []
    iv = add_interview(client)
    r = api(
        client, "PATCH", f"/api/interviews/{iv}", {"decision_by": "2026-12-20", "notes": "a\u0007"}
    )
    assert r.status_code == 422
    assert client.get(f"/api/interviews/{iv}").json()["decision_by"] is None


def test_bad_numbers_and_settings_that_would_break_the_app_are_refused(
    client: TestClient, env_isolated: IsolatedEnv
) -> None:
    iv = add_interview(client)
    before = env_isolated.config_file.read_text(encoding="utf-8")
    assert post(client, f"/interviews/{iv}/assess", {"confidence": "\u00b2"}).status_code == 422
    assert post(client, f"/interviews/{iv}/log", {"direction": "sideways"}).status_code == 422
    for bad in (
        {"country": "ZZ"},
        {"country": "FR", "subdivision": "XX"},
        {"name": "a\u0001"},
        {"email": "not-an-address"},
    ):
        r = post(client, "/settings", bad)
        assert r.status_code == 422, bad
    assert env_isolated.config_file.read_text(encoding="utf-8") == before
    assert client.get("/").status_code == 200


def test_the_config_file_keeps_its_private_mode(
    client: TestClient, env_isolated: IsolatedEnv
) -> None:
    env_isolated.config_file.chmod(0o600)
    assert post(client, "/settings", {"add_channel": "tgram://123:SECRET/9"}).status_code == 303
    assert env_isolated.config_file.stat().st_mode & 0o777 == 0o600
    bak = env_isolated.config_file.with_name("config.toml.bak")
    assert bak.stat().st_mode & 0o777 == 0o600


def test_a_refused_done_offers_to_record_it_anyway(client: TestClient) -> None:
    iv = add_interview(client, decision_by="2026-09-25")
    r = post(client, f"/actions/follow_up:{iv}:1/done", {})
    assert r.status_code == 409
    assert "--force" not in r.text and "Record it as done anyway" in r.text
    r = post(client, f"/actions/follow_up:{iv}:1/done", {"force": "1"})
    assert r.status_code == 303


def test_api_validation_names_its_field(client: TestClient) -> None:
    r = api(client, "POST", "/api/interviews", {"company": 1, "role": "R", "start": "x"})
    assert r.status_code == 422 and r.json()["field"] == "company"
    r = client.post(
        "/api/interviews",
        content=b"{not json",
        headers={"content-type": "application/json", "X-CSRF-Token": token(client)},
    )
    assert r.status_code == 422 and r.json()["error"] == "request body: not valid JSON"


def test_a_cached_page_carries_each_clients_own_token(client: TestClient, db_url: str) -> None:
    add_interview(client)
    mine = token(client)
    app = client.app
    with TestClient(app, base_url="http://testserver") as other:
        other_page = other.get("/").text
        theirs = other.cookies.get("afterview_csrf")
    page = client.get("/").text
    assert theirs and theirs != mine
    assert mine in page and theirs not in page
    assert theirs in other_page and mine not in other_page
    # and a page read again (its values kept) still works for posting: the token is theirs
    r = post(client, "/actions/self_assess:1/skip", {"why": "later"})
    assert r.status_code == 303


def test_today_shows_the_first_cards_of_a_long_group(client: TestClient, clock: Clock) -> None:
    for n in range(14):  # 2 thank-yous each: 28 overdue three days later (not yet lapsed)
        add_interview(client, company=f"Firm {n}", topics=[])
    clock.at = datetime(2026, 9, 18, 15, 30, tzinfo=UTC)
    page = client.get("/").text
    assert "Overdue (" in page and "Show all" in page
    now = sum(page.count(f'class="action state-{s}"') for s in ("overdue", "ideal", "open"))
    assert now == 10 and page.count('class="action state-overdue"') >= 7  # the first 10
    full = client.get("/?full=true").text
    assert full.count('class="action state-overdue"') > 25 and "Show all" not in full


def test_stats_page_chart_and_twins(client: TestClient) -> None:
    iv = add_interview(client)
    api(
        client,
        "POST",
        "/api/applications",
        {"company": "Globex", "role": "R", "applied_on": "2026-09-14"},
    )
    page = client.get("/stats")
    assert page.status_code == 200 and "Funnel" in page.text and "Ghosting rate" in page.text
    svg = client.get("/stats.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.startswith("<svg") and 'href="http' not in svg.text
    data = client.get("/api/stats").json()
    assert data["funnel"] == {"leads": 2, "applied": 2, "interviewed": 1, "offer": 0}
    assert client.get("/api/goal").json()["week"]["applied"] == 1
    assert client.get("/stats?since=soon").status_code == 422
    assert client.get("/api/stats?since=soon").status_code == 422
    assert iv
