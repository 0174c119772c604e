"""The one-click loop with the real clock: `afterview serve` started without `--now`.

Pages and changes both read the wall clock here, so a page that reads the time
rounded down (or cached for a minute) while a change is stamped to the second shows
up: the action just ended would still be on the next page load. Each step clicks
in Chromium and then loads the page again (and asks the API), at 1280x800 and at
390x844.

The interview is placed relative to the moment the test runs (it ended two hours
ago, in Europe/Paris, the config's zone): four interviewers, so four thank-yous, plus
a profile update and a self-assessment.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import Server
from tests.web.test_browser import api, cards, flash, unfold

Start = Callable[..., Server]
PARIS = ZoneInfo("Europe/Paris")
PEOPLE = ("Ana Lopez", "Bo Chen", "Cy Diaz", "Di Evans")


def _interview() -> dict[str, Any]:
    now = datetime.now(PARIS).replace(second=0, microsecond=0)
    start = now - timedelta(hours=3)
    return {
        "company": "Acme Analytics",
        "role": "Data Engineer",
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "duration": 60,
        "tz": "Europe/Paris",
        "interviewers": [f"{p} <{p.split()[0].lower()}@acme.example>" for p in PEOPLE],
        "decision_by": (now + timedelta(days=10)).date().isoformat(),
    }


def _thanks_id(iv: dict[str, Any], name: str) -> str:
    return next(
        a["id"]
        for a in iv["actions"]
        if a["kind"] == "thank_you" and (a["person"] or {}).get("name") == name
    )


def _states(page: Page, server: Server, iv_id: int) -> dict[str, str]:
    """Each action's state, as the API says right now."""
    iv = api(page, server, "GET", f"/api/interviews/{iv_id}")
    return {a["id"]: a["state"] for a in iv["actions"]}


def _open_on_today(page: Page, server: Server) -> set[str]:
    """The ids of the actions the API's Today lists as still to do."""
    today = api(page, server, "GET", "/api/today")
    return {a["id"] for a in today["actions"]}


def _thank_you_card(page: Page, name: str) -> Any:
    return cards(page.get_by_role("main"), "Thank-you").filter(has_text=name)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_one_click_loop_with_the_real_clock(
    viewport: str, start_server: Start, request: pytest.FixtureRequest
) -> None:
    page: Page = request.getfixturevalue(viewport)
    # no sending in this test (the approved message must wait to be seen and cancelled)
    server = start_server(None, "--no-worker")
    iv = api(page, server, "POST", "/api/interviews", _interview())
    iv_path = f"/interviews/{iv['id']}"
    ana, bo, cy, di = (_thanks_id(iv, p) for p in PEOPLE)

    # Done: the card leaves Today on the page the button leads to, and on the next load.
    page.goto(server.url)
    _thank_you_card(page, "Ana Lopez").get_by_role("button", name="Done").click()
    flash(page, "Marked done.")
    expect(_thank_you_card(page, "Ana Lopez")).to_have_count(0)
    page.reload()
    expect(_thank_you_card(page, "Ana Lopez")).to_have_count(0)
    assert _states(page, server, iv["id"])[ana] == "done"
    assert ana not in _open_on_today(page, server)

    # Undo from the confirmation (still there after the reload): the card is back at
    # once; then Done again.
    page.get_by_role("main").locator(".flash").get_by_role("button", name="Undo").click()
    flash(page, "Undone.")
    expect(_thank_you_card(page, "Ana Lopez")).to_have_count(1)
    assert ana in _open_on_today(page, server)
    _thank_you_card(page, "Ana Lopez").get_by_role("button", name="Done").click()
    flash(page, "Marked done.")
    assert _states(page, server, iv["id"])[ana] == "done"

    # Skip (inside its <details>).
    bo_card = _thank_you_card(page, "Bo Chen")
    bo_card.get_by_text("Skip…").click()
    bo_card.get_by_label("Why skip it?").fill("thanked in person")
    bo_card.get_by_role("button", name="Skip", exact=True).click()
    flash(page, "Skipped.")
    page.reload()
    expect(_thank_you_card(page, "Bo Chen")).to_have_count(0)
    assert _states(page, server, iv["id"])[bo] == "skipped"

    # I sent it, from the draft page: the interview page shows it done at once.
    page.goto(server.url)
    _thank_you_card(page, "Cy Diaz").get_by_role("link", name="Draft").click()
    page.get_by_role("button", name="I sent it: mark done").click()
    flash(page, "Marked as sent.")
    assert page.url.split("?")[0].endswith(iv_path)
    expect(_thank_you_card(page, "Cy Diaz").get_by_role("link", name="Draft")).to_have_count(0)
    unfold(page, "Ended")
    expect(_thank_you_card(page, "Cy Diaz")).to_contain_text("Done")
    page.goto(server.url)
    expect(_thank_you_card(page, "Cy Diaz")).to_have_count(0)
    assert _states(page, server, iv["id"])[cy] == "done"

    # Approve an edited draft: a mail account first (nothing is sent in this test).
    page.goto(server.at("/settings"))
    page.get_by_label("SMTP server").fill("127.0.0.1")
    page.get_by_label("Port", exact=True).first.fill("9")
    page.get_by_label("Security").first.select_option("tls")
    page.get_by_label("From address").fill("sam@example.org")
    page.locator("#mail").get_by_role("button").first.click()
    flash(page, "Mail settings saved.")  # saved before the next page is asked for
    page.goto(server.at(f"/drafts/{di.replace(':', '%3A')}"))
    body = page.get_by_label("Message")
    body.fill(body.input_value() + "\n\nP.S. Thank you for the tour of the office.")
    page.get_by_role("button", name=re.compile("^Approve")).click()
    expect(page.get_by_role("heading", name=re.compile("^Approved"))).to_be_visible()
    page.goto(server.url)
    di_card = _thank_you_card(page, "Di Evans")
    expect(di_card).to_contain_text("Approved: goes out")
    expect(di_card.get_by_role("link", name="Draft")).to_have_count(0)
    queued = next(a for a in api(page, server, "GET", "/api/today")["actions"] if a["id"] == di)
    assert queued["queued"]["state"] == "scheduled", queued
    draft = api(page, server, "GET", f"/api/drafts/{di.replace(':', '%3A')}")
    assert "tour of the office" in draft["body"]

    # ...and cancelled: the draft is offered again at once.
    di_card.get_by_role("link", name="See or cancel the message").click()
    page.get_by_role("button", name="Cancel the send (keep the draft)").click()
    flash(page, "The send is cancelled: nothing went out, and the draft is kept.")
    page.goto(server.url)
    expect(_thank_you_card(page, "Di Evans").get_by_role("link", name="Draft")).to_be_visible()

    # The self-assessment: the card goes once it is saved.
    page.goto(server.at(f"{iv_path}/assess"))
    page.get_by_label("What went well").fill("The system design part")
    page.get_by_label("Questions you were asked, one per line").fill("How would you shard it?")
    page.get_by_role("button", name="Save the self-assessment").click()
    flash(page, "Self-assessment saved.")
    page.goto(server.url)
    expect(cards(page.get_by_role("main"), "Self-assessment")).to_have_count(0)
    assessed = api(page, server, "GET", f"/api/interviews/{iv['id']}/assessment")
    assert assessed

    # The outcome: the follow-ups end on the next load.
    page.goto(server.at(iv_path))
    unfold(page, "Outcome")
    page.get_by_label("Outcome").select_option(label="Offer")
    page.get_by_role("button", name="Record the outcome").click()
    flash(page, "Outcome recorded: follow-ups for this interview have ended.")
    page.reload()
    expect(page.get_by_role("main")).to_contain_text("Follow-ups: outcome recorded: offer")
    states = _states(page, server, iv["id"])
    follow_ups = {k: v for k, v in states.items() if k.startswith("follow_up")}
    assert follow_ups and set(follow_ups.values()) <= {"cancelled"}, follow_ups
    page.goto(server.url)
    expect(cards(page.get_by_role("main"), "Follow-up")).to_have_count(0)
