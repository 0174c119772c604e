"""The "Save to afterview" bookmarklet in a real browser: Debian's Chromium (Playwright)
against the real `afterview serve`, and a job page served by a real HTTP server on
another port of this computer (nothing reaches the internet).

The bookmarklet is taken from the Settings page as the user would drag it, then run on
the job page the way a click on it runs it: as a `javascript:` link clicked in that
page. It opens afterview's lead form in a new tab; the user reads the posting, checks
it and saves it; the lead is then in the API and on the Leads page. A form the job
page posts to afterview itself is refused (the job page is on the same host, so the
browser even sends afterview's cookie: the Origin check refuses it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import SCREENSHOTS, Server
from tests.webapp.jobsite import POSTING, JobSite, job_page, serve_job_site

NOW = "2026-09-15T17:30"
TITLE = "Senior Data Engineer - Acme careers"


@pytest.fixture
def site() -> Iterator[JobSite]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with serve_job_site() as s:
        s.pages["/jobs/42"] = (200, job_page(POSTING, title=TITLE))
        yield s


def leads(page: Page, server: Server) -> list[dict[str, Any]]:
    r = page.request.get(server.at("/api/leads"))
    assert r.ok, r.text()
    found: list[dict[str, Any]] = r.json()["leads"]
    return found


def test_the_bookmarklet_opens_the_form_and_the_lead_is_kept_once_confirmed(
    start_server: Callable[[str], Server], desktop: Page, site: JobSite
) -> None:
    server = start_server(NOW)
    page = desktop
    page.goto(server.at("/settings"))
    link = page.get_by_role("link", name="Save to afterview", exact=True)
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert href is not None and href.startswith("javascript:")
    assert server.url.rstrip("/") + "/leads/new" in href

    # on the job page, the user clicks the bookmarklet
    job = site.at("/jobs/42")
    page.goto(job)
    page.evaluate(
        """href => { const a = document.createElement("a"); a.id = "bookmarklet";
                     a.href = href; a.textContent = "Save to afterview";
                     document.body.append(a); }""",
        href,
    )
    with page.context.expect_page() as opened:
        page.click("#bookmarklet")
    form = opened.value
    form.wait_for_load_state()
    assert form.url.startswith(server.at("/leads/new?url="))
    # (the same fields sit folded away in "Or type the details yourself": not these)
    expect(form.get_by_role("textbox", name="Address of the posting")).to_have_value(job)
    expect(form.get_by_role("textbox", name="Role (if the page does not say)")).to_have_value(TITLE)
    assert site.hits["/jobs/42"] == 1  # the browser's visit: opening the form fetched nothing
    assert leads(form, server) == []

    # read the posting: the app fetches it and shows what it found
    form.get_by_role("button", name="Read the posting").click()
    expect(form.get_by_role("heading", name="What the posting says")).to_be_visible()
    assert site.hits["/jobs/42"] == 2
    expect(form.get_by_label("Role", exact=True)).to_have_value("Senior Data Engineer")
    expect(form.get_by_label("Company", exact=True)).to_have_value("Acme Analytics")
    expect(form.get_by_label("Place")).to_have_value("Berlin, DE")
    expect(form.get_by_label("Salary from")).to_have_value("70000")
    expect(form.get_by_label("Salary up to")).to_have_value("85000")
    assert leads(form, server) == []  # read, not kept
    form.screenshot(path=str(SCREENSHOTS / "lead-confirm-1280.png"), full_page=True)

    # the user confirms: the lead is kept and listed
    form.get_by_role("button", name="Save the lead").click()
    expect(form.locator(".flash")).to_have_text("Lead saved.")
    assert form.url == server.at("/leads?msg=lead_added")
    expect(form.get_by_role("link", name="Acme Analytics")).to_have_attribute(
        "href", "/applications/1"
    )
    (lead,) = leads(form, server)
    assert (lead["company"], lead["role"], lead["url"], lead["source"]) == (
        "Acme Analytics",
        "Senior Data Engineer",
        job,
        "url",
    )
    assert lead["salary_min"] == 70000 and lead["posted_on"] == "2026-09-01"
    form.screenshot(path=str(SCREENSHOTS / "leads-1280.png"), full_page=True)

    # a form the job page posts to afterview is refused, even with a guessed token
    page.bring_to_front()
    page.evaluate(
        """([action, token]) => {
             const f = document.createElement("form");
             f.method = "post"; f.action = action;
             for (const [k, v] of Object.entries({role: "Planted", company: "Evil Corp",
                                                  csrf_token: token})) {
               const i = document.createElement("input");
               i.type = "hidden"; i.name = k; i.value = v; f.append(i);
             }
             document.body.append(f); f.id = "planted"; }""",
        [server.at("/leads"), "x" * 43],
    )
    with page.expect_navigation() as nav:
        page.evaluate("document.getElementById('planted').submit()")
    response = nav.value
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="Cross-site request refused")).to_be_visible()
    # and a script of the job page posting with fetch gets nothing through either
    status = page.evaluate(
        """async url => {
             try {
               const r = await fetch(url, {method: "POST", credentials: "include",
                 headers: {"content-type": "application/json", "x-csrf-token": "x"},
                 body: JSON.stringify({role: "Planted", company: "Evil Corp"})});
               return r.status;
             } catch (e) { return "blocked"; }
           }""",
        server.at("/api/leads"),
    )
    assert status in ("blocked", 403)
    assert [x["company"] for x in leads(form, server)] == ["Acme Analytics"]


def test_the_leads_page_on_a_phone_is_cards_without_sideways_scroll(
    start_server: Callable[[str], Server], phone: Page
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    server = start_server(NOW)
    page = phone
    page.goto(server.at("/leads"))
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "afterview_csrf")
    for n in range(3):
        r = page.request.post(
            server.at("/api/leads"),
            data={
                "role": f"Data Engineer {n}",
                "company": f"Firm {n}",
                "location": "Berlin, DE",
                "salary_min": 70000,
                "salary_max": 85000,
                "salary_currency": "EUR",
                "salary_unit": "YEAR",
                "posted_on": f"2026-09-0{n + 1}",
                "url": f"https://jobs.firm{n}.example/postings/4{n}",
            },
            headers={"X-CSRF-Token": token},
        )
        assert r.status == 201, r.text()
    page.goto(server.at("/leads"))
    expect(page.get_by_role("heading", name="Leads")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.locator("td[data-label='Company']").first).to_contain_text("Firm 2")
    page.get_by_role("button", name="Mark applied: Firm 2, Data Engineer 2").click()
    expect(page.locator(".flash")).to_contain_text("Marked applied today")
    expect(page.locator("tr").filter(has_text="Firm 2")).to_contain_text("2026-09-15")
    page.screenshot(path=str(SCREENSHOTS / "leads-390.png"), full_page=True)
