"""The interview's own page, the record a job seeker lives on: a header that says where
things stand, what to do now first, then what comes, then what ended (folded); one
timeline newest first; the forms folded last; no ids or commands in sight; unknown and
hostile ids refused; light and fast on the five-year history of bench/generate.py."""

from __future__ import annotations

import html
import importlib.util
import re
import sqlite3
import statistics
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from afterview.services.timeline import plain, timeline
from afterview.web.app import create_app
from afterview.web.runtime import LOOPBACK_HOSTS, WebSettings
from tests.cli.helpers import Afterview
from tests.conftest import IsolatedEnv
from tests.webapp.conftest import Clock
from tests.webapp.test_app import NOW, add_interview, api, post
from tests.webapp.test_contrast import CSS, contrast

ROOT = Path(__file__).resolve().parents[2]
HISTORY_NOW = "2026-11-27T12:00:00+01:00"
IDS = re.compile(r"\b(?:thank_you|follow_up|self_assess|refresh_profile|keep_searching):\S")
COMMAND = re.compile(r"\bafterview [a-z]")


def main_of(page: str) -> str:
    return page.split('<main id="main">', 1)[1].split("</main>", 1)[0]


def visible(page: str) -> str:
    """The text of `main` a reader sees unfolded: the power users' details dropped, tags
    dropped, entities read, spaces squeezed."""
    inner = re.sub(r'<details class="id">.*?</details>', " ", main_of(page), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inner)))


def section(page: str, heading_id: str) -> str:
    """The HTML of the `<section aria-labelledby=heading_id>`."""
    return page.split(f'<section aria-labelledby="{heading_id}"', 1)[1].split("</section>", 1)[0]


def events(page: str) -> list[dict[str, str]]:
    """The timeline's cards in page order: kind, label, time (ISO), words."""
    found = []
    for m in re.finditer(
        r'<li class="ev ev-([a-z]+)[^"]*">(.*?)</li>', section(page, "tl-h"), re.S
    ):
        body = m.group(2)
        label = re.search(r'<span class="ev-label">([^<]*)</span>', body)
        at = re.search(r'<time class="at" datetime="([^"]+)">([^<]*)</time>', body)
        assert label and at, body
        text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip()
        found.append(
            {"kind": m.group(1), "label": label.group(1), "at": at.group(1), "when": at.group(2),
             "text": text}
        )  # fmt: skip
    return found


# -- what to do: now, coming up, ended ----------------------------------------------------------
def test_actions_are_grouped_now_then_coming_up_then_ended_folded(
    client: TestClient, clock: Clock
) -> None:
    iv = add_interview(client, decision_by="2026-09-25")  # 16:00-17:00 Paris; now 17:30
    page = client.get(f"/interviews/{iv}").text
    todo = section(page, "actions-h")
    now_at, later_at = todo.index(">Now</h3>"), todo.index(">Coming up</h3>")
    for action in (f"thank_you%3A{iv}%3A1", f"thank_you%3A{iv}%3A2", f"self_assess%3A{iv}"):
        assert now_at < todo.index(f'id="action-{action}"') < later_at, action
    assert later_at < todo.index(f'id="action-follow_up%3A{iv}%3A1"')
    assert '<details class="ended">' not in todo

    # the one-click loop from this page: Done, Skip; seen on the next load, to the second
    r = post(client, f"/actions/thank_you:{iv}:1/done", {"back": "interview"})
    assert r.status_code == 303 and r.headers["location"].startswith(
        f"/interviews/{iv}?msg=done&change="
    )
    r = post(
        client, f"/actions/thank_you:{iv}:2/skip", {"why": "we spoke after", "back": "interview"}
    )
    assert r.status_code == 303 and r.headers["location"].startswith(
        f"/interviews/{iv}?msg=skipped&change="
    )
    clock.at = NOW + timedelta(seconds=5)
    page = client.get(f"/interviews/{iv}").text
    todo = section(page, "actions-h")
    live, _, ended = todo.partition('<details class="ended">')
    assert f"thank_you%3A{iv}" not in live and f"self_assess%3A{iv}" in live
    assert "Ended (2): done, skipped, cancelled or lapsed" in ended
    assert ended.index(f"action-thank_you%3A{iv}%3A2") < ended.index(f"action-thank_you%3A{iv}%3A1")
    assert "/done" not in ended and "/skip" not in ended  # no buttons on what has ended
    assert "Skipped" in ended and "Done" in ended and "we spoke after" in ended
    said = [e["text"] for e in events(page)]
    assert any("You sent a thank-you (to Ana Lopez)" in t for t in said), said
    assert any("You skipped the thank-you to Ben Okafor we spoke after" in t for t in said)

    # the assessment and the outcome: the self-assessment ends, the follow-ups too
    r = post(client, f"/interviews/{iv}/assess", {"score_answers": "4", "score_rapport": "3"})
    assert r.status_code == 303, r.text
    clock.at = NOW + timedelta(seconds=9)
    assert post(client, f"/interviews/{iv}/outcome", {"result": "rejected"}).status_code == 303
    clock.at = NOW + timedelta(seconds=12)
    page = client.get(f"/interviews/{iv}").text
    todo = section(page, "actions-h")
    live, _, ended = todo.partition('<details class="ended">')
    # a rejection: only the profile's refresh is left to do
    assert re.findall(r'id="action-([^"]+)"', live) == [f"refresh_profile%3A{iv}"]
    assert "Ended (4)" in ended
    assert "status rejected" in visible(page)
    assert "Follow-ups: outcome recorded: rejected" in visible(page)
    kinds = [e["kind"] for e in events(page)]
    assert kinds[:2] == ["outcome", "assessment"], kinds


def test_the_header_says_where_it_stands_and_links_the_application(client: TestClient) -> None:
    iv = add_interview(client, decision_by="2026-09-25")
    page = client.get(f"/interviews/{iv}").text
    head = main_of(page).split("</header>", 1)[0]
    text = visible(page)
    assert "today 16:00–17:00 · status awaiting · decision expected by 2026-09-25" in text
    assert "With Ana Lopez <ana@acme.example> , Ben Okafor <ben@acme.example>" in text
    app_id = client.get(f"/api/interviews/{iv}").json()["application_id"]
    assert f'<a href="/applications/{app_id}">The application: Acme, Data Engineer</a>' in head
    assert f'href="/interviews/{iv}/prep"' in head
    # top-down: the header, what to do, the timeline, then the forms, folded
    order = [page.index(s) for s in ("</header>", 'id="actions-h"', 'id="tl-h"', 'id="edit-h"')]
    assert order == sorted(order)
    forms = section(page, "edit-h")
    assert forms.count('<details class="card"') == 3
    for action in ("edit", "log", "outcome"):
        form_at = forms.index(f'action="/interviews/{iv}/{action}"')
        assert forms.rfind('<details class="card"', 0, form_at) > forms.rfind(
            "</details>", 0, form_at
        )
    assert not IDS.search(text) and not COMMAND.search(text), text
    assert f"afterview interview show {iv}" in main_of(page)  # folded, for the command line


# -- one timeline ---------------------------------------------------------------------------------
def test_one_timeline_newest_first_each_time_on_the_users_clock(
    client: TestClient, clock: Clock
) -> None:
    iv = add_interview(client, decision_by="2026-09-25")
    api(client, "PATCH", f"/api/interviews/{iv}", {"notes": "Kafka and dbt\nsix people"})
    clock.at = NOW + timedelta(minutes=5)  # 17:35
    assert post(client, f"/actions/thank_you:{iv}:1/done", {}).status_code == 303
    clock.at = NOW + timedelta(minutes=10)  # 17:40
    r = api(client, "PUT", f"/api/drafts/thank_you:{iv}:2", {"subject": "Thanks, Ben", "body": "B"})
    assert r.status_code == 200, r.text
    clock.at = NOW + timedelta(minutes=20)  # 17:50
    r = post(client, f"/interviews/{iv}/log", {"direction": "received", "note": "next steps soon"})
    assert r.status_code == 303, r.text
    clock.at = NOW + timedelta(minutes=30)  # 18:00
    r = api(client, "PUT", f"/api/interviews/{iv}/assessment", {
        "scores": {"answers": 4, "rapport": 5}, "asked": ["Why us?", "A hard bug?"],
        "went_well": "the demo", "improve": "numbers", "confidence": 70,
    })  # fmt: skip
    assert r.status_code == 200, r.text
    clock.at = datetime.fromisoformat("2026-09-16T10:00+02:00")
    assert post(client, f"/interviews/{iv}/outcome", {"result": "next_round"}).status_code == 303

    page = client.get(f"/interviews/{iv}").text
    found = events(page)
    moments = [datetime.fromisoformat(e["at"]) for e in found]
    assert moments == sorted(moments, reverse=True), moments
    assert [(e["kind"], e["label"], e["when"]) for e in found] == [
        ("outcome", "Outcome", "today 10:00"),
        ("assessment", "Self-assessment", "yesterday 18:00"),
        ("message", "Received", "yesterday 17:50"),
        ("draft", "Draft", "yesterday 17:40"),
        ("message", "Sent", "yesterday 17:35"),
        ("interview", "Interview", "yesterday 16:00"),
    ], found
    text = {e["kind"] + ":" + e["label"]: e["text"] for e in found}
    assert "Outcome: next round" in text["outcome:Outcome"]
    assessed = text["assessment:Self-assessment"]
    assert "answers 4/5, rapport 5/5" in assessed and "Went well: the demo" in assessed
    assert "They asked: Why us? · A hard bug?" in assessed and "70%" in assessed
    assert "They wrote a message (from Ana Lopez) next steps soon" in text["message:Received"]
    assert "Draft thank-you to Ben Okafor Thanks, Ben" in text["draft:Draft"]
    assert "You sent a thank-you (to Ana Lopez)" in text["message:Sent"]
    assert "with Ana Lopez, Ben Okafor" in text["interview:Interview"]
    assert "Kafka and dbt six people" in text["interview:Interview"]  # the notes, with it
    # the draft's action id waits in its folded details, not in its words
    assert f"<code>thank_you:{iv}:2</code>" in section(page, "tl-h")
    assert not IDS.search(visible(page)) and not COMMAND.search(visible(page))

    # the JSON twin: the same events in the same order, the groups by id
    twin = api(client, "GET", f"/api/interviews/{iv}/timeline").json()
    assert twin["order"] == "newest first" and twin["id"] == iv
    assert [e["kind"] for e in twin["timeline"]] == [e["kind"] for e in found]
    assert [e["at"] for e in twin["timeline"]] == [e["at"] for e in found]
    assert f"thank_you:{iv}:2" in twin["groups"]["now"]  # Ben's is still to send
    assert f"thank_you:{iv}:1" in twin["groups"]["ended"]


def test_a_skip_and_a_mark_are_the_users_decisions_on_the_timeline(
    client: TestClient, clock: Clock
) -> None:
    iv = add_interview(client)
    assert post(client, f"/actions/self_assess:{iv}/done", {}).status_code == 303
    assert post(client, f"/actions/thank_you:{iv}:2/skip", {"why": "no address"}).status_code == 303
    clock.at = NOW + timedelta(seconds=1)
    said = {
        e["text"] for e in events(client.get(f"/interviews/{iv}").text) if e["kind"] == "decision"
    }
    assert said == {
        "today 17:30 Done You marked the self-assessment done",
        "today 17:30 Skipped You skipped the thank-you to Ben Okafor no address",
    }, said


def test_outbox_messages_show_their_state_without_their_ids(
    client: TestClient, av: Afterview, clock: Clock
) -> None:
    iv = add_interview(client)
    av.ok(
        "mail", "setup", "--smtp-host", "127.0.0.1", "--smtp-port", "2525",
        "--smtp-security", "none", "--from", "sam@example.org", now="2026-09-15T17:30",
    )  # fmt: skip
    r = api(client, "POST", f"/api/drafts/thank_you:{iv}:2/approve")
    assert r.status_code == 200, r.text
    [message] = r.json()
    clock.at = NOW + timedelta(seconds=2)
    page = client.get(f"/interviews/{iv}").text
    [out] = [e for e in events(page) if e["kind"] == "outbox"]
    assert out["label"] == "Outbox"
    assert "Thank-you to Ben Okafor: scheduled to send" in out["text"]
    assert f"afterview outbox show {message['id']}" not in visible(page)
    assert f"<code>afterview outbox show {message['id']}</code>" in section(page, "tl-h")
    assert 'class="ev ev-outbox out-scheduled"' in page


def test_a_message_sent_by_the_outbox_is_one_event_and_a_held_one_says_why() -> None:
    at = "2026-09-15T19:30:00+02:00"
    iv: dict[str, Any] = {
        "start": "2026-09-15T16:00:00+02:00", "interviewers": [], "notes": None,
        "touches": [{"direction": "sent", "kind": "thank_you", "at": at, "note": "sent by afterview: Hi",
                     "person": {"name": "Ana Lopez", "email": None}}],
        "drafts": [], "actions": [], "assessment": None, "outcome": None,
    }  # fmt: skip
    outbox = [
        {"id": 1, "state": "sent", "action_id": "thank_you:1:1", "subject": "Hi",
         "send_at": at, "sent_at": "2026-09-15T17:30:00+00:00", "to": "Ana Lopez", "reason": None},
        {"id": 2, "state": "held", "action_id": "thank_you:1:2", "subject": "Hello",
         "send_at": "2026-09-15T19:45:00+02:00", "sent_at": None, "to": "Ben Okafor",
         "reason": "not sent yet: no password (set it, then `afterview mail check`)"},
    ]  # fmt: skip
    found = timeline(iv, outbox)
    assert [(e["kind"], e["label"]) for e in found] == [
        ("outbox", "Outbox"), ("message", "Sent"), ("interview", "Interview"),
    ]  # fmt: skip
    held = found[0]
    assert held["what"] == "Thank-you to Ben Okafor: held, not sent"
    assert held["detail"] == "Hello — not sent yet: no password"
    assert held["state"] == "held" and held["ref"] == "afterview outbox show 2"
    assert found[1]["what"] == "You sent a thank-you (to Ana Lopez)"


def test_plain_words_drop_ids_and_commands() -> None:
    assert plain("not sent yet: login refused (fix it, then `afterview mail check`)") == (
        "not sent yet: login refused"
    )
    assert plain("timed out; once that is fixed, `afterview outbox reschedule 3` sends it") == (
        "timed out"
    )
    assert plain("not sent (you confirmed): `afterview outbox reschedule` sends it") == (
        "not sent (you confirmed)"
    )
    assert plain("follow_up:3:1 lapsed: not sent within 7 days") == (
        "the follow-up lapsed: not sent within 7 days"
    )
    assert plain("outcome recorded: offer") == "outcome recorded: offer"


# -- ids ------------------------------------------------------------------------------------------
def test_an_unknown_interview_is_a_404_page(client: TestClient) -> None:
    r = client.get("/interviews/12345")
    assert r.status_code == 404 and "no such interview" in r.text and "Traceback" not in r.text
    assert client.get("/api/interviews/12345/timeline").status_code == 404


@pytest.mark.parametrize(
    "raw",
    ["abc", "0", "-1", "1.5", "1e3", "+1", "01x", "%C2%B9", "%D9%A1", "%00", "1%20",
     "99999999999999999999999", str(2**62 + 1), "%F0%9F%98%80", "1;2", "..%2F1"],
)  # fmt: skip
def test_hostile_ids_are_refused_with_a_4xx(client: TestClient, raw: str) -> None:
    add_interview(client)
    for path in (f"/interviews/{raw}", f"/api/interviews/{raw}/timeline"):
        r = client.get(path)
        assert 400 <= r.status_code < 500, (path, r.status_code)
        assert "Traceback" not in r.text


# -- the look: labelled cards that pass the contrast rules -----------------------------------------
def test_timeline_labels_are_readable() -> None:
    chips = re.findall(
        r"\.(ev-[a-z]+|out-[a-z]+) \.ev-label[^{]*\{ background: (#[0-9a-fA-F]{6}); color: ([^;]+); \}",
        CSS,
    )
    assert {c for c, _, _ in chips} >= {"ev-message", "ev-outbox", "ev-outcome", "ev-decision"}
    base = re.search(r"\.ev-label \{[^}]*background: (#[0-9a-fA-F]{6}); color: ([^;]+);", CSS)
    assert base is not None
    for name, background, colour in [*chips, ("ev-label", base.group(1), base.group(2))]:
        assert contrast(colour, background) >= 4.5, name


# -- the five-year history ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, int]:
    """bench/generate.py's history in a SQLite file, and its interview with most touches."""
    spec = importlib.util.spec_from_file_location(
        "afterview_bench_generate", ROOT / "bench" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    path = str(tmp_path_factory.mktemp("history") / "heavy.db")
    module.generate(path, seed=3, now_text=HISTORY_NOW)
    con = sqlite3.connect(path)
    try:
        [(busiest, touches)] = con.execute(
            "SELECT interview_id, COUNT(*) FROM touch GROUP BY interview_id "
            "ORDER BY COUNT(*) DESC, interview_id LIMIT 1"
        ).fetchall()
    finally:
        con.close()
    assert touches >= 20
    return path, int(busiest)


@pytest.fixture
def heavy(history: tuple[str, int], env_isolated: IsolatedEnv) -> Iterator[tuple[Any, Clock, int]]:
    env_isolated.config_file.parent.mkdir(parents=True, exist_ok=True)
    env_isolated.config_file.write_text('timezone = "Europe/Paris"\n', encoding="utf-8")
    clock = Clock(datetime.fromisoformat(HISTORY_NOW))
    settings = WebSettings(
        db_target=history[0], clock=clock, allowed_hosts=(*LOOPBACK_HOSTS, "testserver")
    )
    with TestClient(create_app(settings), base_url="http://testserver") as c:
        yield c, clock, history[1]


def test_the_busiest_interview_of_five_years_is_light_and_fast(
    heavy: tuple[TestClient, Clock, int],
) -> None:
    c, clock, iv = heavy
    start = clock.at
    first = c.get(f"/interviews/{iv}")  # the history loaded and planned once, as for Today
    assert first.status_code == 200
    rebuilt, cached = [], []
    for n in range(1, 16):
        clock.at = start + timedelta(minutes=n)  # the real clock: a new minute, the page anew
        began = time.perf_counter()
        r = c.get(f"/interviews/{iv}")
        rebuilt.append(time.perf_counter() - began)
        assert r.status_code == 200
        began = time.perf_counter()
        c.get(f"/interviews/{iv}")
        cached.append(time.perf_counter() - began)
    weight = len(r.content)
    found = events(r.text)
    touches = sum(1 for e in found if e["kind"] == "message")
    print(
        f"\ninterview {iv}: {touches} messages, {len(found)} events, {weight / 1000:.1f} kB; "
        f"new minute median {statistics.median(rebuilt) * 1000:.1f} ms, "
        f"max {max(rebuilt) * 1000:.1f} ms; cached median {statistics.median(cached) * 1000:.1f} ms"
    )
    assert touches >= 20
    assert weight < 200_000
    assert statistics.median(rebuilt) < 0.100
    assert statistics.median(cached) < 0.100
