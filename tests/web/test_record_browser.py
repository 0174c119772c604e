"""The interview's own page in Chromium on a phone (390x844): it reads top-down (where it
stands, what to do now, what comes, the timeline, the forms folded), the timeline's
events are labelled cards, nothing scrolls sideways, and a click is seen on the next
load. The real `afterview serve` runs at a fixed `--now` (see tests/web/conftest.py)."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.web.conftest import PHONE, SCREENSHOTS, Server
from tests.web.test_browser import THANKS_TIME, api, cards, flash, region

Start = Callable[[str], Server]

LONG_LINK = "https://meet.example.com/" + "a1b2c3d4e5" * 12
INVITATION = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//afterview tests//EN",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        "UID:record-page@afterview.test",
        "DTSTAMP:20260901T080000Z",
        "DTSTART;TZID=Europe/Paris:20260915T140000",
        "DTEND;TZID=Europe/Paris:20260915T150000",
        "SUMMARY:Interview: Data Engineer",
        "ORGANIZER;CN=Ana Lopez:mailto:ana@acme.example",
        "ATTENDEE;CN=Bo Chen:mailto:bo@acme.example",
        f"URL:{LONG_LINK}",
        "LOCATION:Acme Analytics HQ\\, 12 rue de la Paix\\, Paris (reception on the 4th floor)",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
)

CARD = """els => els.map(el => {
  const s = getComputedStyle(el), r = el.getBoundingClientRect();
  const label = el.querySelector('.ev-label'), at = el.querySelector('time');
  const ls = label ? getComputedStyle(label) : null;
  return {label: label ? label.textContent.trim() : '', at: at ? at.textContent.trim() : '',
          labelShown: !!label && label.getBoundingClientRect().width > 0 && ls.visibility === 'visible',
          background: s.backgroundColor, border: parseFloat(s.borderTopWidth),
          left: r.left, right: r.right};
})"""


def test_the_interview_record_on_a_phone(start_server: Start, phone: Page) -> None:
    page = phone
    server = start_server(THANKS_TIME)
    [imported] = api(
        page,
        server,
        "POST",
        "/api/invitations",
        {"ics": INVITATION, "company": "Acme Analytics", "role": "Data Engineer"},
    )
    iv_id = imported["interview_id"]
    people = {
        p["name"]: p for p in api(page, server, "GET", f"/api/interviews/{iv_id}")["interviewers"]
    }
    assert set(people) >= {"Ana Lopez", "Bo Chen"}, people
    api(page, server, "PATCH", f"/api/interviews/{iv_id}", {
        "decision_by": "2026-09-25",
        "notes": "They run Kafka and dbt; the team is six people.\n" + "x" * 120,
    })  # fmt: skip
    api(page, server, "POST", f"/api/interviews/{iv_id}/touches", {
        "direction": "received", "kind": "other", "note": "Thanks for today, we will be in touch",
    })  # fmt: skip
    api(page, server, "PUT", f"/api/interviews/{iv_id}/assessment", {
        "scores": {"answers": 3, "rapport": 5}, "asked": ["How would you test a pipeline?"],
        "went_well": "rapport", "improve": "numbers ready", "confidence": 60,
    })  # fmt: skip

    page.goto(server.at(f"/interviews/{iv_id}"))
    expect(page.get_by_role("heading", name="Acme Analytics", level=1)).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("today 14:00–15:00 · status awaiting")
    expect(main.get_by_role("link", name="The application: Acme Analytics")).to_have_attribute(
        "href", re.compile(r"^/applications/\d+$")
    )
    # top-down: the header, what to do, the timeline, the forms
    tops = [
        main.locator(sel).first.bounding_box()["y"]  # type: ignore[index]
        for sel in ("h1", "#actions-h", "#tl-h", "#edit-h")
    ]
    assert tops == sorted(tops), tops
    todo = region(page, "What to do")
    expect(todo.get_by_role("heading", name="Now", exact=True)).to_be_visible()
    thanks = cards(todo, "Thank-you")
    expect(thanks).to_have_count(2)
    # the forms are folded: a tap opens one
    expect(page.get_by_label("Notes")).to_be_hidden()
    page.locator("summary", has_text="Edit the interview").click()
    expect(page.get_by_label("Notes")).to_be_visible()
    # no id, no command in sight
    shown = main.inner_text()
    assert not re.search(r"thank_you:|follow_up:|self_assess:|afterview [a-z]", shown), shown

    # the timeline: labelled cards, newest first, inside the screen
    timeline = region(page, "Timeline")
    found = timeline.locator("li.ev").evaluate_all(CARD)
    assert [c["label"] for c in found] == ["Self-assessment", "Received", "Interview"], found
    for c in found:
        assert c["labelShown"] and c["at"], c
        assert c["background"] not in ("rgba(0, 0, 0, 0)", "transparent") and c["border"] > 0, c
        assert c["left"] >= 0 and c["right"] <= PHONE["width"], c
    expect(timeline).to_contain_text("They wrote a message (from Ana Lopez)")
    expect(timeline).to_contain_text("Thanks for today, we will be in touch")
    expect(timeline).to_contain_text("Went well: rapport")

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the page scrolls sideways: {width}px"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "interview-record-phone.png", full_page=True)

    # one tap: Done on Bo's thank-you; the next load has it under Ended, and on the timeline
    cards(todo, "Bo Chen").get_by_role("button", name="Done").click()
    flash(page, "Marked done.")
    todo = region(page, "What to do")
    expect(cards(todo, "Thank-you")).to_have_count(1)  # Ana's; Bo's has ended, folded away
    expect(cards(todo, "Thank-you")).to_contain_text("Ana Lopez")
    ended = page.locator("details.ended")
    # Bo's thank-you, the self-assessment (written), the follow-up (they wrote first)
    expect(ended.locator("summary")).to_have_text(re.compile(r"^Ended \(3\)"))
    expect(ended.locator("article").first).to_be_hidden()
    ended.locator("summary").click()
    expect(cards(ended, "Bo Chen")).to_contain_text("Done")
    expect(region(page, "Timeline")).to_contain_text("You sent a thank-you (to Bo Chen)")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the page scrolls sideways: {width}px"
