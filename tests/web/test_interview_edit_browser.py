"""Correcting an interview in Chromium (issue 18), through its page's forms, on the real
`afterview serve` at a fixed `--now`: an interviewer's typo fixed in the edit form, an
outcome taken back, the interview deleted through its confirmation page (no script
needed), and Undo pressed on the confirmation that follows to see it back; at desktop
and phone sizes, nothing wider than the screen."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.web.conftest import SCREENSHOTS, Server
from tests.web.test_browser import INTERVIEW, THANKS_TIME, api, region, unfold

Start = Callable[[str], Server]

OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def no_violations(page: Page) -> None:
    """axe-core finds nothing on the page as it stands (forms open, an error shown)."""
    found = Axe().run(page).response["violations"]
    assert not found, [(v["id"], [n["html"][:120] for n in v["nodes"][:3]]) for v in found]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_fix_a_typo_take_back_an_outcome_delete_and_undo(
    viewport: str, start_server: Start, request: pytest.FixtureRequest
) -> None:
    page: Page = request.getfixturevalue(viewport)
    server = start_server(THANKS_TIME)
    body = {
        **INTERVIEW,
        "interviewers": ["Ana Lopez <ana@acme.example>", "Bbo Chen <bo@acme.example>"],
    }
    iv = api(page, server, "POST", "/api/interviews", body)["id"]
    api(page, server, "POST", f"/api/interviews/{iv}/outcome", {"result": "rejected"})

    # The typo: corrected in the edit form, where the interviewer is named.
    page.goto(server.at(f"/interviews/{iv}"))
    main = page.get_by_role("main")
    expect(main).to_contain_text("With Ana Lopez")
    expect(main).to_contain_text("Bbo Chen")
    unfold(page, "Edit the interview")
    bo = page.get_by_role("group", name="Interviewer: Bbo Chen")
    bo.get_by_label("Name").fill("Bo Chen")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_role("status")).to_contain_text("Saved.")
    expect(page.locator("header.record")).to_contain_text("Bo Chen")
    expect(page.locator("header.record")).not_to_contain_text("Bbo")

    # A bad value comes back as typed, the field named, nothing saved.
    unfold(page, "Edit the interview")
    page.get_by_label("Time zone").fill("Mars/Olympus")
    page.get_by_label("Role").fill("Staff Data Engineer")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_role("alert")).to_contain_text("Time zone: unknown timezone")
    expect(page.get_by_label("Time zone")).to_have_value("Mars/Olympus")
    expect(page.get_by_label("Time zone")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Role")).to_have_value("Staff Data Engineer")
    assert api(page, server, "GET", f"/api/interviews/{iv}")["role"] == "Data Engineer"
    no_violations(page)

    # The outcome, recorded by mistake: taken back, the follow-ups planned again.
    page.goto(server.at(f"/interviews/{iv}"))
    expect(page.get_by_role("main")).to_contain_text("Follow-ups: outcome recorded: rejected")
    unfold(page, "Outcome")
    page.get_by_role("button", name="Take back the outcome").click()
    expect(page.get_by_role("status")).to_contain_text("Outcome taken back")
    expect(page.get_by_role("main")).not_to_contain_text("outcome recorded")
    expect(region(page, "Timeline")).not_to_contain_text("Outcome: rejected")

    # Delete: the confirmation page says what goes; deleted, the list says so, with Undo.
    page.get_by_role("link", name="Delete this interview…").click()
    expect(page.get_by_role("heading", name="Delete this interview?", level=1)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Acme Analytics · Data Engineer")
    expect(page.get_by_role("main")).to_contain_text("still to do")
    assert page.evaluate(OVERFLOW) <= 0
    no_violations(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"interview-delete-{viewport}.png", full_page=True)
    page.get_by_role("button", name="Delete the interview").click()
    expect(page).to_have_url(re.compile(r"/interviews\?msg=deleted&change=\d+$"))
    expect(page.get_by_role("status")).to_contain_text("Deleted.")
    expect(page.get_by_role("main")).not_to_contain_text("Acme Analytics")
    assert page.request.get(server.at(f"/api/interviews/{iv}")).status == 404

    page.locator(".flash").get_by_role("button", name="Undo").click()
    expect(page.get_by_role("status")).to_contain_text("Undone.")
    page.get_by_role("main").get_by_role("link", name=re.compile("Acme Analytics")).first.click()
    expect(page.get_by_role("heading", name="Acme Analytics", level=1)).to_be_visible()
    expect(page.locator("header.record")).to_contain_text("Bo Chen")
    assert page.evaluate(OVERFLOW) <= 0
