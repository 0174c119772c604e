"""The first run in Debian's Chromium, on the real clock (no `--now`): a new user opens the
app on an empty database with no config file, answers the set-up (the time zone filled in
by the browser), lands on the empty Today, adds a first interview that has just ended, and
sees its actions, the thank-you drafted and signed with the name given.

The server runs in UTC and the browser in Europe/Paris, so the zone in the form can only
have come from the browser. Screenshots of the set-up and the empty Today go to
build/screenshots/ (their first screens, `*-top.png`, are copied to docs/screenshots/
for the README).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import PHONE, SCREENSHOTS, URL_LINE, Server

BROWSER_ZONE = "Europe/Paris"  # the `desktop` and `phone` pages' zone (tests/web/conftest.py)


class RealClockServer(Server):
    """`afterview serve` on the real clock: no `--now`."""

    def start(self, now: str | None = None) -> None:
        assert self.proc is None and now is None
        log = self.log_dir / f"server-{len(self.logs) + 1}.log"
        self.logs.append(log)
        argv = [sys.executable, "-m", "afterview", "--db", str(self.db), "serve", "--port", "0"]
        with open(log, "wb") as fh:
            self.proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=fh, stderr=fh, env=os.environ.copy()
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            found = URL_LINE.search(log.read_text(errors="replace"))
            if found and self._accepts(found.group(1)):
                self.url = found.group(1)
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        text = log.read_text(errors="replace")
        self.stop()
        pytest.fail(f"afterview serve did not start:\n{text[-3000:]}")


@pytest.fixture
def new_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Server, Path]]:
    """The server on a database that does not exist yet, with no config file, in UTC."""
    config = tmp_path / "config" / "config.toml"
    monkeypatch.setenv("AFTERVIEW_CONFIG", str(config))
    monkeypatch.setenv("TZ", "UTC")  # the server's zone, unlike the browser's
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.delenv("AFTERVIEW_NOW", raising=False)
    server = RealClockServer(tmp_path / "fresh.db", tmp_path, "")
    server.start()
    try:
        yield server, config
    finally:
        server.stop()
        log = server.log_text()
        assert "Traceback (most recent call last)" not in log, log[-4000:]


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-top.png")  # the first screen (docs/)


def test_a_new_user_sets_up_and_adds_a_first_interview(
    new_user: tuple[Server, Path], desktop: Page, phone: Page
) -> None:
    server, config = new_user
    page = desktop

    # The set-up greets a new user; the browser filled in its own zone.
    page.goto(server.url)
    expect(page).to_have_url(server.at("/setup"))
    expect(page.get_by_role("heading", name="Welcome to afterview", level=1)).to_be_visible()
    zone = page.get_by_label("Your time zone")
    expect(zone).to_have_value(BROWSER_ZONE)
    expect(page.get_by_text("This browser's zone.")).to_be_visible()
    expect(page.get_by_label("Applications to send each week")).to_have_value("5")
    shoot(page, "setup-desktop")
    phone.goto(server.url)
    expect(phone.get_by_label("Your time zone")).to_have_value(BROWSER_ZONE)
    shoot(phone, "setup-phone")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the set-up scrolls sideways at 390 px: {width}"

    # A refused answer names its field and keeps the others.
    page.get_by_label("Your name").fill("Sam Carter")
    page.get_by_label("Your e-mail address").fill("sam@example.org")
    zone.fill("Mars/Olympus_Mons")
    page.get_by_role("button", name="Save and start").click()
    expect(page.get_by_role("alert")).to_contain_text("timezone: unknown timezone")
    expect(page.get_by_label("Your name")).to_have_value("Sam Carter")
    expect(page.get_by_label("Your time zone")).to_have_value("Mars/Olympus_Mons")
    assert not config.exists()

    page.get_by_label("Your time zone").fill(BROWSER_ZONE)
    page.get_by_label("Public holidays of").select_option("FR")
    page.get_by_label("Applications to send each week").fill("6")
    page.get_by_role("button", name="Save and start").click()

    # The empty Today: the five practices and the two ways to start.
    expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Settings saved.")
    main = page.get_by_role("main")
    expect(main).to_contain_text(BROWSER_ZONE)
    expect(main.locator("ol.practices > li")).to_have_count(5)
    expect(page.get_by_role("link", name="Import an invitation")).to_have_attribute(
        "href", "/interviews#import"
    )
    text = config.read_text(encoding="utf-8")
    assert (
        'name = "Sam Carter"' in text and 'country = "FR"' in text and "weekly_target = 6" in text
    )
    page.goto(server.url)  # the status message gone, as a user sees it later
    shoot(page, "today-empty-desktop")

    # Add the interview that ended half an hour ago (real clock, the user's zone).
    page.get_by_role("link", name="Add your first interview").click()
    expect(page.get_by_role("heading", name="Interviews", level=1)).to_be_visible()
    form = page.locator("#add")
    start = (datetime.now(UTC) - timedelta(minutes=90)).astimezone(ZoneInfo(BROWSER_ZONE))
    form.get_by_label("Company", exact=True).fill("Acme Analytics")
    form.get_by_label("Role", exact=True).fill("Data Engineer")
    form.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("Minutes").fill("60")
    expect(form.get_by_label("Timezone")).to_have_value(BROWSER_ZONE)  # from the set-up
    form.get_by_label("Interviewers, one per line").fill("Ana Lopez <ana@acme.example>")
    form.get_by_label("Topics you talked about").fill("streaming pipelines")
    form.get_by_role("button", name="Add the interview").click()
    expect(page.get_by_role("heading", name="Acme Analytics", level=1)).to_be_visible()

    # Today now leads with what to do now: the thank-you, the self-assessment...
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()
    now = page.get_by_role("region", name=re.compile(r"^Now \("))
    thanks = now.get_by_role("article").filter(has_text="Thank-you")
    expect(thanks).to_have_count(1)
    expect(thanks).to_contain_text("Ana Lopez")
    expect(now.get_by_role("article").filter(has_text="Self-assessment")).to_have_count(1)
    # (the follow-up opens in a week, or on the next business day after it: not always
    # within the coming days, so it is not counted on here)
    expect(page.get_by_text("Add your first interview")).to_have_count(0)

    # ...and the thank-you is drafted for Ana and signed with the name from the set-up.
    thanks.get_by_role("link", name="Draft").click()
    expect(page.get_by_role("heading", name="Thank-you to Ana Lopez")).to_be_visible()
    body = page.get_by_label("Message")
    expect(body).to_have_value(re.compile(r"\bAna\b"))
    expect(body).to_have_value(re.compile(r"regards,\nSam Carter\s*$"))
