"""Correcting and deleting an application in Chromium, against the real `afterview serve`
(issue 18), at desktop and phone sizes: a typo in the company is fixed with the page's
Edit form (a bad mail domain first comes back with what was typed and the field named),
an application is deleted through its confirmation page, which counts what goes, and
Undo on the Applications page's confirmation brings it back with its interview."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import SCREENSHOTS, Server
from tests.web.test_browser import INTERVIEW, THANKS_TIME, api

Start = Callable[[str], Server]


def confirmation(page: Page, text: str) -> None:
    """The confirmation after a change says `text` and offers Undo."""
    expect(page.get_by_role("status")).to_have_text(text)
    expect(page.locator(".flash").get_by_role("button", name="Undo")).to_be_visible()


def no_sideways_scroll(page: Page, where: str) -> None:
    wider = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wider <= 0, f"{where}: {wider} px wider than the screen"


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_correct_a_typo_delete_and_undo(
    viewport: str, start_server: Start, request: pytest.FixtureRequest
) -> None:
    page: Page = request.getfixturevalue(viewport)
    server = start_server(THANKS_TIME)
    typo = api(page, server, "POST", "/api/applications", {
        "company": "Acem Analytics", "role": "Data Engineer", "applied_on": "2026-09-01",
    })["id"]  # fmt: skip
    iv = api(page, server, "POST", "/api/interviews", {**INTERVIEW, "company": "Globex"})
    other = iv["application_id"]

    # the typo: the Edit form is folded; a bad value first, then the right one
    page.goto(server.at(f"/applications/{typo}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Acem Analytics")
    company = page.get_by_label("Company", exact=True)
    expect(company).to_be_hidden()
    page.locator("summary", has_text="Edit or delete this application").click()
    expect(company).to_have_value("Acem Analytics")
    company.fill("Acme Analytics")
    page.get_by_label("The company's mail domain").fill("not a domain")
    page.get_by_role("button", name="Save the changes").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("mail_domain:")
    expect(page).to_have_url(re.compile(rf"/applications/{typo}$"))  # a reload shows the page
    expect(page.get_by_label("Company", exact=True)).to_have_value("Acme Analytics")  # as typed
    expect(page.get_by_label("The company's mail domain")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Acem Analytics")  # not saved
    no_sideways_scroll(page, "the Edit form with its error")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"application-edit-{viewport}.png", full_page=True)
    page.get_by_label("The company's mail domain").fill("acme.example")
    page.get_by_role("button", name="Save the changes").click()
    confirmation(page, "Saved.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Acme Analytics")
    assert api(page, server, "GET", f"/api/applications/{typo}")["mail_domain"] == "acme.example"
    # the Notes section leads to the form, open
    notes = page.get_by_label("Your notes on this application")
    expect(notes).to_be_hidden()
    page.get_by_role("link", name="Write or change your notes").click()
    expect(notes).to_be_visible()
    notes.fill("Ask about the on-call rota.")
    page.get_by_role("button", name="Save the changes").click()
    confirmation(page, "Saved.")
    expect(page.get_by_role("region", name="Notes")).to_contain_text("Ask about the on-call rota.")

    # delete the other one through its confirmation page
    page.goto(server.at(f"/applications/{other}"))
    page.locator("summary", has_text="Edit or delete this application").click()
    page.get_by_role("link", name="Delete this application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete this application?")
    goes = page.get_by_role("region", name="What goes with it")
    expect(goes.get_by_role("listitem").first).to_have_text("1 interview")
    expect(goes).to_contain_text(re.compile(r"\d+ actions planned for it"))
    expect(page.get_by_label("Also remove the record of what was sent")).to_have_count(0)
    no_sideways_scroll(page, "the delete's confirmation")
    page.screenshot(path=SCREENSHOTS / f"application-delete-{viewport}.png", full_page=True)
    page.get_by_role("button", name="Delete it").click()
    expect(page).to_have_url(re.compile(r"/applications\?msg=deleted&change=\d+$"))
    confirmation(page, "Deleted.")
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name="Globex")).to_have_count(0)
    expect(main.get_by_role("link", name="Acme Analytics").first).to_be_visible()

    # Undo on that confirmation: it is back, with its interview
    page.locator(".flash").get_by_role("button", name="Undo").click()
    expect(page.get_by_role("status")).to_contain_text("Undone.")
    expect(main.get_by_role("link", name="Globex").first).to_be_visible()
    assert api(page, server, "GET", f"/api/interviews/{iv['id']}")["application_id"] == other
