"""The Outbox page in Chromium against the real `afterview serve` (clock fixed at 17:30 on
the day of the interviews, its worker on) and a real SMTP server: the worker sends what
is due, a refused message shows why, the header says sending works, a message is
cancelled with its button; on a phone the table becomes labelled cards that fit."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.cli.helpers import Afterview
from tests.mailservers import ME, SmtpServer
from tests.web.conftest import PHONE, SCREENSHOTS, Server
from tests.web.test_browser import WIDEST, api

NOW = "2026-09-15T17:30"  # the thank-yous of a 14:00 interview are ideal now
Start = Callable[..., Server]


def _interview(page: Page, server: Server, company: str, start: str, who: str) -> str:
    iv = api(
        page,
        server,
        "POST",
        "/api/interviews",
        {"company": company, "role": "Data Engineer", "start": start, "duration": 60,
         "tz": "Europe/Paris", "interviewers": [who]},
    )  # fmt: skip
    actions = api(page, server, "GET", f"/api/interviews/{iv['id']}")["actions"]
    [action] = [a["id"] for a in actions if a["kind"] == "thank_you"]
    return str(action)


def test_the_outbox_in_a_browser(
    start_server: Start, desktop: Page, phone: Page, smtpd: SmtpServer, tmp_path: Path
) -> None:
    Afterview(str(tmp_path / "web.db")).ok(
        "mail", "setup", "--smtp-host", smtpd.host, "--smtp-port", str(smtpd.port),
        "--smtp-security", "none", "--from", ME, now=NOW,
    )  # fmt: skip
    server = start_server(NOW)
    sent = _interview(
        desktop, server, "Acme Analytics", "2026-09-15T14:00", "Ana <ana@acme.example>"
    )
    refused = _interview(desktop, server, "Globex", "2026-09-15T14:30", "Gil <gil@globex.example>")
    later = _interview(desktop, server, "Initech", "2026-09-15T16:00", "Ivy <ivy@initech.example>")
    api(desktop, server, "POST", f"/api/drafts/{sent}/approve")
    smtpd.wait_for(1, timeout=20)  # the approval woke the worker
    smtpd.fail_next(550, "5.1.1 no such user here")
    api(desktop, server, "POST", f"/api/drafts/{refused}/approve")
    api(desktop, server, "POST", f"/api/drafts/{later}/approve")

    # the worker's pass that meets the refusal may come after the page is read: reload
    # until it did (a loaded machine is slow to get there)
    deadline = time.monotonic() + 30
    while True:
        desktop.goto(server.at("/outbox?state=failed"))
        if desktop.locator("tbody tr").count() or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    expect(desktop.locator("tbody tr")).to_have_count(1, timeout=20_000)
    row = desktop.locator("tbody tr")
    expect(row).to_contain_text("550 5.1.1 no such user here")
    expect(row).to_contain_text("Globex")
    expect(desktop.locator("#mail-state")).to_contain_text("1 needs you")

    desktop.goto(server.at("/outbox"))
    expect(desktop.locator("#mail-state")).to_contain_text("Sending works · checked today 17:30")
    expect(desktop.locator("#mail-state")).to_contain_text("next today 19:00")
    expect(desktop.locator("tbody tr")).to_have_count(3)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    desktop.screenshot(path=SCREENSHOTS / "outbox-desktop.png", full_page=True)

    # cancel the Initech one with its button: the page comes back saying so
    waiting = desktop.locator("tbody tr", has_text="Initech")
    waiting.get_by_role("button", name="Cancel").click()
    expect(desktop.locator(".flash")).to_have_text("Cancelled: it will not be sent.")
    expect(desktop.locator("tbody tr", has_text="Initech")).to_contain_text("Cancelled")
    assert len(smtpd.messages) == 1

    # filters from the form
    desktop.get_by_label("State").select_option("sent")
    desktop.get_by_role("button", name="Show").click()
    expect(desktop.locator("tbody tr")).to_have_count(1)
    expect(desktop.locator("tbody tr")).to_contain_text("Acme Analytics")

    phone.goto(server.at("/outbox"))
    said = phone.evaluate(
        "getComputedStyle(document.querySelector('tbody td'), '::before').content"
    )
    assert said == '"Scheduled: "', said
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, phone.evaluate(WIDEST)
    expect(phone.locator("#mail-state")).to_be_visible()
    phone.screenshot(path=SCREENSHOTS / "outbox-phone.png", full_page=True)
