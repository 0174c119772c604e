"""The board in Chromium against the real `afterview serve`: a card moved by its button
and by drag and drop at 1280x800 (the drop posts the card's own form), and the board
usable on a 390x844 phone: the page never scrolls sideways (the columns do, inside the
board), a column is reached from the list of columns, and its buttons work.

Screenshots go to build/screenshots/ (board-moves-desktop.png, board-moves-phone.png)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.conftest import PHONE, SCREENSHOTS, Server
from tests.web.test_browser import INTERVIEW, THANKS_TIME, WIDEST, api, flash

Start = Callable[[str], Server]
DESKTOP_800 = {"width": 1280, "height": 800}


def _page(browser: Browser, viewport: dict[str, int], mobile: bool) -> Iterator[Page]:
    context = browser.new_context(
        viewport=viewport,  # type: ignore[arg-type]
        device_scale_factor=1,
        is_mobile=mobile,
        has_touch=mobile,
        locale="en-GB",
        timezone_id="Europe/Paris",
        reduced_motion="reduce",
    )
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def laptop(browser: Browser) -> Iterator[Page]:
    """A page 1280x800."""
    yield from _page(browser, DESKTOP_800, mobile=False)


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    """A page 390x844, touch."""
    yield from _page(browser, PHONE, mobile=True)


def _add(page: Page, server: Server, company: str, day: str) -> int:
    body = {"company": company, "role": "Data Engineer", "applied_on": day}
    return int(api(page, server, "POST", "/api/applications", body)["id"])


def _stage(page: Page, server: Server, app_id: int) -> Any:
    return api(page, server, "GET", f"/api/applications/{app_id}")["stage"]


def test_cards_move_by_button_and_by_drag_and_the_board_fits_a_phone(
    start_server: Start, laptop: Page, phone_page: Page
) -> None:
    server = start_server(THANKS_TIME)
    page = laptop
    globex = _add(page, server, "Globex", "2026-09-14")
    initech = _add(page, server, "Initech International Holdings", "2026-09-10")
    umbrella = _add(page, server, "Umbrella", "2026-09-01")
    iv = api(page, server, "POST", "/api/interviews", INTERVIEW)  # ended: interviewing
    acme = int(iv["application_id"])

    page.goto(server.at("/board"))
    expect(page.get_by_role("heading", name="Board", level=1)).to_be_visible()
    columns = page.locator(".board .column h2")
    expect(columns).to_have_text([
        "Wishlist 0", "Applied 3", "Interviewing 1", "Offer 0", "Closed 0",
    ])  # fmt: skip
    expect(page.locator(f"#col-interviewing #app-{acme}")).to_be_visible()
    expect(page.get_by_text("or drag it to another column")).to_be_visible()  # script ran

    # By button: Globex on to Interviewing.
    card = page.locator(f"#app-{globex}")
    card.get_by_role("button", name="Move on to Interviewing").click()
    flash(page, "Moved on the board.")
    expect(page.locator(f"#col-interviewing #app-{globex}")).to_be_visible()
    assert _stage(page, server, globex) == "interviewing"

    # By drag and drop: Initech into the Offer column.
    page.locator(f"#app-{initech}").drag_to(page.locator("#col-offer"))
    flash(page, "Moved on the board.")
    expect(page.locator(f"#col-offer #app-{initech}")).to_be_visible()
    assert _stage(page, server, initech) == "offer"
    # dropped back where it was: nothing is posted
    page.locator(f"#app-{initech}").drag_to(page.locator("#col-offer"))
    expect(page.locator(f"#col-offer #app-{initech}")).to_be_visible()

    # "Move to…" in the card: Umbrella closed.
    card = page.locator(f"#app-{umbrella}")
    card.get_by_text("Move to…").click()
    card.get_by_label("Stage").select_option("closed")
    card.get_by_role("button", name="Move", exact=True).click()
    flash(page, "Moved on the board.")
    expect(page.locator(f"#col-closed #app-{umbrella}")).to_be_visible()
    expect(columns).to_have_text([
        "Wishlist 0", "Applied 0", "Interviewing 2", "Offer 1", "Closed 1",
    ])  # fmt: skip
    # the card leads to the application's page
    page.locator(f"#app-{initech}").get_by_role(
        "link", name="Initech International Holdings"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Initech International Holdings")
    expect(page.get_by_role("main")).to_contain_text("you moved it here")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(server.at("/board"))
    page.screenshot(path=SCREENSHOTS / "board-moves-desktop.png", full_page=True)

    # A phone: the page does not scroll sideways; the columns are reached from the list.
    phone = phone_page
    phone.goto(server.at("/board"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1, (
        phone.evaluate(WIDEST)
    )
    phone.get_by_role("navigation", name="Columns").get_by_role("link", name="Closed").click()
    closed = phone.locator("#col-closed")
    expect(closed).to_be_in_viewport()
    phone.locator(f"#app-{umbrella}").get_by_role("button", name="Move back to Offer").click()
    flash(phone, "Moved on the board.")
    expect(phone.locator(f"#col-offer #app-{umbrella}")).to_be_attached()
    assert _stage(phone, server, umbrella) == "offer"
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    # the buttons of a card are big enough to tap, and inside the screen once shown
    phone.get_by_role("navigation", name="Columns").get_by_role("link", name="Offer").click()
    button = phone.locator(f"#app-{umbrella}").get_by_role("button", name="Move on to Closed")
    expect(button).to_be_in_viewport()
    box = button.bounding_box()
    assert box is not None and box["height"] >= 32 and box["x"] + box["width"] <= PHONE["width"]
    phone.screenshot(path=SCREENSHOTS / "board-moves-phone.png")
