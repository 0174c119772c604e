"""The first run: a new user (an empty database, no config file) is sent from Today to a
short set-up; what it saves goes to config.toml through the checked path (hostile values
refused with their field named, the file untouched); "Skip" keeps the defaults; the name
given signs every draft."""

from __future__ import annotations

import html
import re
import tomllib
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from afterview.web.app import create_app
from afterview.web.runtime import LOOPBACK_HOSTS, WebSettings
from tests.conftest import IsolatedEnv
from tests.webapp.conftest import Clock
from tests.webapp.test_app import add_interview, api, post

GOOD = {
    "name": "Sam Carter",
    "email": "sam@example.org",
    "timezone": "Europe/Paris",
    "country": "FR",
    "weekly_target": "8",
}


@pytest.fixture
def fresh(
    db_url: str, env_isolated: IsolatedEnv, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    """The app on an empty database with no config file: a new user."""
    monkeypatch.setenv("TZ", "America/New_York")  # the server's zone: what the form offers
    assert not env_isolated.config_file.exists()
    settings = WebSettings(
        db_target=db_url, clock=clock, allowed_hosts=(*LOOPBACK_HOSTS, "testserver")
    )
    with TestClient(create_app(settings), base_url="http://testserver") as c:
        c.get("/setup")  # the first response sets the CSRF cookie
        yield c


def field(page: str, name: str) -> str:
    """The value of the input named `name` in a page."""
    found = re.search(rf'<input id="{name}" name="{name}"[^>]*\svalue="([^"]*)"', page)
    assert found, name
    return html.unescape(found.group(1))


# -- when the set-up is offered -----------------------------------------------------------------
def test_a_new_user_is_sent_to_the_setup(fresh: TestClient) -> None:
    r = fresh.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/setup"
    assert fresh.get("/?all=true", follow_redirects=False).status_code == 303
    page = fresh.get("/setup")
    assert page.status_code == 200 and "Welcome to afterview" in page.text
    for label in (
        "Your name",
        "Your e-mail address",
        "Your time zone",
        "Public holidays of",
        "Applications to send each week",
    ):
        assert f">{label}</label>" in page.text, label
    assert field(page.text, "timezone") == "America/New_York"  # this computer's zone
    assert "data-browser-zone" in page.text  # where scripts run, the browser's zone
    assert field(page.text, "weekly_target") == "5"
    assert '<option value="FR">France (FR)</option>' in page.text
    assert 'name="do" value="skip"' in page.text
    # the API is never redirected
    assert fresh.get("/api/today", follow_redirects=False).status_code == 200


def test_no_redirect_once_there_is_a_config_file(
    fresh: TestClient, env_isolated: IsolatedEnv
) -> None:
    env_isolated.config_file.parent.mkdir(parents=True, exist_ok=True)
    env_isolated.config_file.write_text("", encoding="utf-8")  # even an empty one
    assert fresh.get("/", follow_redirects=False).status_code == 200
    page = fresh.get("/setup").text  # still reachable, from Settings
    assert "Welcome" not in page and 'value="skip"' not in page and 'href="/settings"' in page
    assert 'href="/setup"' in fresh.get("/settings").text


def test_no_redirect_once_there_is_data(fresh: TestClient, env_isolated: IsolatedEnv) -> None:
    r = api(fresh, "POST", "/api/applications", {"company": "Globex", "role": "Analyst"})
    assert r.status_code == 201, r.text
    assert fresh.get("/", follow_redirects=False).status_code == 200
    assert not env_isolated.config_file.exists()


# -- saving and skipping ------------------------------------------------------------------------
def test_the_answers_go_to_config_toml(fresh: TestClient, env_isolated: IsolatedEnv) -> None:
    r = post(fresh, "/setup", {**GOOD, "do": "save"})
    assert r.status_code == 303 and r.headers["location"] == "/?msg=settings"
    text = env_isolated.config_file.read_text(encoding="utf-8")
    assert text.startswith("# afterview settings")
    saved = tomllib.loads(text)
    assert saved == {
        "timezone": "Europe/Paris",
        "country": "FR",
        "me": {"name": "Sam Carter", "email": "sam@example.org"},
        "playbook": {"weekly_target": 8},
    }
    today = fresh.get("/", follow_redirects=False)
    assert today.status_code == 200 and "Europe/Paris" in today.text
    page = fresh.get("/setup").text
    assert field(page, "name") == "Sam Carter" and field(page, "timezone") == "Europe/Paris"
    assert "data-browser-zone" not in page  # a zone chosen is not replaced by the browser's
    assert '<option value="FR" selected>' in page


def test_a_three_letter_country_is_shown_and_kept_as_its_two_letter_code(
    fresh: TestClient, env_isolated: IsolatedEnv
) -> None:
    env_isolated.config_file.parent.mkdir(parents=True, exist_ok=True)
    env_isolated.config_file.write_text('country = "deu"\n', encoding="utf-8")
    assert '<option value="DE" selected>' in fresh.get("/setup").text
    assert post(fresh, "/setup", {**GOOD, "country": "fra", "do": "save"}).status_code == 303
    assert tomllib.loads(env_isolated.config_file.read_text(encoding="utf-8"))["country"] == "FR"


def test_blank_answers_keep_the_defaults(fresh: TestClient, env_isolated: IsolatedEnv) -> None:
    blank = dict.fromkeys(GOOD, "")
    assert post(fresh, "/setup", {**blank, "do": "save"}).status_code == 303
    assert tomllib.loads(env_isolated.config_file.read_text(encoding="utf-8")) == {}


def test_skip_keeps_the_defaults_and_is_not_asked_again(
    fresh: TestClient, env_isolated: IsolatedEnv
) -> None:
    r = post(fresh, "/setup", {**GOOD, "do": "skip"})  # what was typed is not saved
    assert r.status_code == 303 and r.headers["location"] == "/"
    text = env_isolated.config_file.read_text(encoding="utf-8")
    assert text.startswith("#") and tomllib.loads(text) == {}
    assert fresh.get("/", follow_redirects=False).status_code == 200
    # skipping again (the page stays reachable) writes nothing
    env_isolated.config_file.write_text('timezone = "Asia/Tokyo"\n', encoding="utf-8")
    assert post(fresh, "/setup", {"do": "skip"}).status_code == 303
    assert env_isolated.config_file.read_text(encoding="utf-8") == 'timezone = "Asia/Tokyo"\n'


HOSTILE = [
    ("name", "Sam\x00Carter"),
    ("name", "Sam\nCarter"),
    ("name", "Sam Carter\r\n"),
    ("name", "x" * 10_240),
    ("name", "Sam\u2028Carter"),
    ("name", "=?utf-8?q?Sam=0ACarter?="),
    ("email", "sam@example.org\n"),
    ("email", "sam@example.org\x00"),
    ("email", "not-an-address"),
    ("email", "a" * 10_240 + "@example.org"),
    ("timezone", "Europe/Paris\n"),
    ("timezone", "Mars/Olympus_Mons"),
    ("timezone", "x" * 10_240),
    ("timezone", "posix/Europe/Paris"),
    ("timezone", "../../etc/passwd"),
    ("country", "ZZ"),
    ("country", "FR\n"),
    ("country", "F\x00"),
    ("country", "x" * 10_240),
    ("weekly_target", "0"),
    ("weekly_target", "1001"),
    ("weekly_target", "-3"),
    ("weekly_target", "\uff15"),  # a full-width 5
    ("weekly_target", "5\n"),
    ("weekly_target", "9" * 10_240),
]


@pytest.mark.parametrize(("name", "value"), HOSTILE, ids=lambda v: repr(v)[:24])
def test_hostile_values_are_refused_with_the_field_named(
    fresh: TestClient, env_isolated: IsolatedEnv, name: str, value: str
) -> None:
    r = post(fresh, "/setup", {**GOOD, name: value, "do": "save"})
    assert r.status_code == 422, (name, r.text[:300])
    problem = re.search(r'<p class="error" role="alert" id="setup-error">([^<]*)</p>', r.text)
    assert problem and html.unescape(problem.group(1)).startswith(f"{name}: "), r.text[:300]
    assert f'id="{name}" name="{name}"' in r.text and 'aria-invalid="true"' in r.text
    assert len(problem.group(1)) < 300  # a long value is quoted short in the problem
    assert not env_isolated.config_file.exists()  # nothing written
    assert fresh.get("/", follow_redirects=False).status_code == 303  # still a new user


def test_a_refusal_leaves_an_existing_config_untouched(
    fresh: TestClient, env_isolated: IsolatedEnv
) -> None:
    env_isolated.config_file.parent.mkdir(parents=True, exist_ok=True)
    before = b'# mine\ntimezone = "Asia/Tokyo"\n\n[me]\nname = "Kim"\n'
    env_isolated.config_file.write_bytes(before)
    for name, value in HOSTILE[::3]:
        r = post(fresh, "/setup", {**GOOD, name: value, "do": "save"})
        assert r.status_code == 422, (name, value[:20])
    assert post(fresh, "/setup", {**GOOD, "do": "launch"}).status_code == 422
    assert env_isolated.config_file.read_bytes() == before
    assert not env_isolated.config_file.with_name("config.toml.bak").exists()


def test_a_refused_form_keeps_what_was_typed(fresh: TestClient) -> None:
    r = post(fresh, "/setup", {**GOOD, "timezone": "Mars/Olympus_Mons", "do": "save"})
    assert r.status_code == 422
    assert field(r.text, "name") == "Sam Carter"
    assert field(r.text, "timezone") == "Mars/Olympus_Mons"
    assert "data-browser-zone" not in r.text  # the browser does not overwrite the answer


# -- drafts signed with the name ----------------------------------------------------------------
def draft_body(c: TestClient, action_id: str) -> str:
    """The message in the draft editor, as the user sees it."""
    page = c.get(f"/drafts/{action_id}").text
    found = re.search(r'<textarea id="body"[^>]*>(.*?)</textarea>', page, re.S)
    assert found, page[:500]
    return html.unescape(found.group(1))


def test_drafts_are_signed_with_the_name_given_in_setup(
    fresh: TestClient, env_isolated: IsolatedEnv, clock: Clock
) -> None:
    assert post(fresh, "/setup", {**GOOD, "name": "", "do": "save"}).status_code == 303
    iv = add_interview(fresh)  # two interviewers: two thank-yous, worded differently
    unsigned = draft_body(fresh, f"thank_you:{iv}:1")
    assert unsigned.rstrip().splitlines()[-1] in ("Best regards,", "Kind regards,")
    assert "drafts end without a name" in fresh.get(f"/drafts/thank_you:{iv}:1").text

    assert post(fresh, "/setup", {**GOOD, "do": "save"}).status_code == 303
    clock.at += timedelta(days=8)  # the follow-up has opened
    drafts = [f"thank_you:{iv}:1", f"thank_you:{iv}:2", f"follow_up:{iv}:1"]
    closings = set()
    for action_id in drafts:
        lines = draft_body(fresh, action_id).rstrip().splitlines()
        assert lines[-1] == "Sam Carter", (action_id, lines[-3:])
        closings.add(lines[-2])
        body = fresh.get(f"/api/drafts/{action_id}").json()["body"]  # the JSON twin too
        assert body.rstrip().endswith("regards,\nSam Carter"), action_id
    assert closings == {"Best regards,", "Kind regards,"}  # both wordings are signed
    assert "drafts end without a name" not in fresh.get(f"/drafts/{drafts[0]}").text
