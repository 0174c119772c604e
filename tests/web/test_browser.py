"""The web app in a real browser: Debian's Chromium (Playwright) against the real
`afterview serve` in a child process, its clock fixed with `--now` and moved by
restarting it on the same database.

Worked example of shared/design/PRODUCT.md (Europe/Paris, no holidays): an interview
on Tue 2026-09-15 14:00–15:00 with two interviewers and a decision expected by Fri
2026-09-25. The thank-yous are ideal 17:00–18:00 that day; the first follow-up opens
Mon 2026-09-28 09:00 (the business day after the decision date). Far from any DST
change (Europe/Paris changes on 2026-10-25).

Screenshots of every page at 390 px and 1280 px go to build/screenshots/.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.web.conftest import DESKTOP, PHONE, SCREENSHOTS, Server

Start = Callable[[str], Server]

BEFORE = "2026-09-15T15:45"  # just after the interview: the user adds it
THANKS_TIME = "2026-09-15T17:30"  # 2.5 h after its end: the thank-yous are ideal
FOLLOW_UP_DAY = "2026-09-28T09:30"  # the first business day after the decision date

INTERVIEW = {
    "company": "Acme Analytics",
    "role": "Data Engineer",
    "start": "2026-09-15T14:00",
    "duration": 60,
    "tz": "Europe/Paris",
    "interviewers": ["Ana Lopez <ana@acme.example>", "Bo Chen <bo@acme.example>"],
    "decision_by": "2026-09-25",
    "topics": ["streaming pipelines", "data quality checks"],
}


# -- helpers ------------------------------------------------------------------------------------
def api(page: Page, server: Server, method: str, path: str, body: Any = None) -> Any:
    """Call the JSON API with the browser context's cookie and its CSRF token."""
    if not any(c["name"] == "afterview_csrf" for c in page.context.cookies()):
        page.goto(server.url)
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "afterview_csrf")
    response = page.request.fetch(
        server.at(path), method=method, data=body, headers={"X-CSRF-Token": token}
    )
    assert response.ok, f"{method} {path}: {response.status} {response.text()}"
    return response.json()


PROFILE_FIXTURES = Path(__file__).parent.parent / "sources"


def check_profile(page: Page, server: Server, tmp: Path, resume: dict[str, Any] | Path) -> None:
    """Upload a CV and the standard LinkedIn export through the Profile page's form."""
    export = tmp / "Basic_LinkedInDataExport_09-15-2026.zip"
    with zipfile.ZipFile(export, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted((PROFILE_FIXTURES / "linkedin" / "standard").glob("*.csv")):
            zf.write(p, p.name)
    if isinstance(resume, dict):
        path = tmp / "resume.json"
        path.write_text(json.dumps(resume), encoding="utf-8")
        resume = path
    page.goto(server.at("/profile"))
    page.get_by_label("Your CV as JSON Resume").set_input_files(str(resume))
    page.get_by_label("LinkedIn's data export").set_input_files(str(export))
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.locator(".flash")).to_be_visible()


def open_add(page: Page) -> None:
    """Open the Interviews page's add form (folded away once there are interviews)."""
    box = page.locator("#add-box")
    if not box.evaluate("el => el.open"):
        box.locator("summary").click()


def region(page: Page, name: str) -> Any:
    """A page section by its heading (`<section aria-labelledby>` is a region)."""
    return page.get_by_role("region", name=re.compile(rf"^{re.escape(name)}"))


def unfold(page: Page, summary: str) -> None:
    """Open the folded part of the page (`<details>`) whose summary starts with `summary`."""
    page.locator("summary").filter(has_text=re.compile(rf"^{re.escape(summary)}")).click()


def cards(scope: Any, text: str) -> Any:
    """The action cards (articles) in `scope` that say `text`."""
    return scope.get_by_role("article").filter(has_text=text)


def flash(page: Page, text: str) -> None:
    """The confirmation says `text` (beside it, after a change, its Undo button)."""
    expect(page.get_by_role("status")).to_have_text(text)


# -- a. the new user's journey ------------------------------------------------------------------
def test_new_user_journey(start_server: Start, desktop: Page) -> None:
    page = desktop
    server = start_server(BEFORE)

    # An empty database: Today explains the five practices, and how to start.
    page.goto(server.url)
    expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Add your first interview")).to_be_visible()

    # Interviews: add the one that just happened.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Interviews").click()
    expect(page.get_by_role("heading", name="Interviews", level=1)).to_be_visible()
    expect(page.get_by_text("No interview yet.")).to_be_visible()
    form = page.locator("#add")
    form.get_by_label("Company", exact=True).fill("Acme Analytics")
    form.get_by_label("Role", exact=True).fill("Data Engineer")
    form.get_by_label("Starts").fill("2026-09-15T14:00")
    form.get_by_label("Minutes").fill("60")
    form.get_by_label("Timezone").fill("Europe/Paris")
    form.get_by_label("Interviewers, one per line").fill(
        "Ana Lopez <ana@acme.example>\nBo Chen <bo@acme.example>"
    )
    form.get_by_label("Decision expected by").fill("2026-09-25")
    form.get_by_label("Topics you talked about").fill("streaming pipelines\ndata quality checks")
    form.get_by_role("button", name="Add the interview").click()

    # The interview's page.
    expect(page.get_by_role("heading", name="Acme Analytics", level=1)).to_be_visible()
    flash(page, "Interview added: its thank-yous and the rest of the plan are below.")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Data Engineer")
    expect(main).to_contain_text("decision expected by 2026-09-25")
    expect(main).to_contain_text("With Ana Lopez <ana@acme.example>, Bo Chen <bo@acme.example>")
    expect(cards(main, "Thank-you")).to_have_count(2)
    expect(page.locator(".tag")).to_have_text(["streaming pipelines", "data quality checks"])

    # 17:30, 2.5 h after the end: two thank-yous are ideal now.
    server.restart(THANKS_TIME)
    page.goto(server.url)
    expect(page.get_by_text("today 17:30 · Europe/Paris")).to_be_visible()
    ideal = region(page, "Ideal now")
    thanks = cards(ideal, "Thank-you")
    expect(thanks).to_have_count(2)
    expect(thanks.filter(has_text="Ana Lopez")).to_contain_text("ideal now until 18:00")
    expect(thanks.filter(has_text="Bo Chen")).to_be_visible()

    # Draft the one to Ana: a subject, a body that names her; edit it; mark it sent.
    thanks.filter(has_text="Ana Lopez").get_by_role("link", name="Draft").click()
    expect(page.get_by_role("heading", name="Thank-you to Ana Lopez")).to_be_visible()
    expect(page.get_by_text("To: Ana Lopez <ana@acme.example>")).to_be_visible()
    subject = page.get_by_label("Subject")
    body = page.get_by_label("Message")
    expect(subject).to_have_value(re.compile(r"\S"))
    expect(body).to_have_value(re.compile(r"\bAna\b"))
    assert "{{" not in body.input_value() and "{{" not in subject.input_value()
    body.fill(body.input_value() + "\n\nP.S. The pipeline demo was a highlight of my week.")
    page.get_by_role("button", name="I sent it: mark done").click()

    expect(page.get_by_role("heading", name="Acme Analytics", level=1)).to_be_visible()
    flash(page, "Marked as sent.")
    unfold(page, "Ended")
    ana = cards(page.get_by_role("main"), "Ana Lopez").filter(has_text="Thank-you")
    expect(ana).to_contain_text("Done")
    expect(ana.get_by_role("link", name="Draft")).to_have_count(0)
    bo = cards(page.get_by_role("main"), "Bo Chen").filter(has_text="Thank-you")
    expect(bo.get_by_role("link", name="Draft")).to_be_visible()
    timeline = region(page, "Timeline")
    expect(timeline).to_contain_text("You sent a thank-you (to Ana Lopez)")

    # The edit was kept.
    page.goto(server.at("/drafts/thank_you%3A1%3A1"))
    expect(page.get_by_label("Message")).to_have_value(re.compile(r"P\.S\. The pipeline demo"))

    # Mon 09-28 09:30: the first follow-up is open, on Today.
    server.restart(FOLLOW_UP_DAY)
    page.goto(server.url)
    expect(page.get_by_text("today 09:30 · Europe/Paris")).to_be_visible()
    follow_up = cards(page.get_by_role("main"), "Follow-up")
    expect(follow_up).to_have_count(1)
    expect(follow_up).to_contain_text("Acme Analytics")
    expect(follow_up).to_contain_text("Ana Lopez")  # the first interviewer
    expect(follow_up.get_by_role("link", name="Draft")).to_be_visible()

    # An offer: the outcome ends the follow-ups.
    follow_up.get_by_role("link", name="Interview").click()
    expect(page.get_by_role("heading", name="Acme Analytics", level=1)).to_be_visible()
    unfold(page, "Outcome")
    page.get_by_label("Outcome").select_option(label="Offer")
    page.get_by_role("button", name="Record the outcome").click()
    flash(page, "Outcome recorded: follow-ups for this interview have ended.")
    expect(page.get_by_role("main")).to_contain_text("Follow-ups: outcome recorded: offer")
    expect(region(page, "Timeline")).to_contain_text("Outcome: offer")
    ended = cards(region(page, "What to do"), "Follow-up")
    expect(ended.get_by_role("link", name="Draft")).to_have_count(0)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()
    expect(cards(page.get_by_role("main"), "Follow-up")).to_have_count(0)


# -- b. stored XSS ------------------------------------------------------------------------------
SCRIPT = "<script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=1">'
SVG = '"><svg onload=window.__xss=1>'
JS_URL = "javascript:window.__xss=1"
ALERT = "<img src=x onerror=alert(1)>"
TEXTAREA = "</textarea><script>alert(1)</script>"
HOSTILE_COMPANY = f"Evil {SCRIPT} Corp"
HOSTILE_ROLE = f"Role {IMG} {SVG}"
# names cannot hold < or >: they try to break out of attributes and into the draft template
HOSTILE_NAME = 'Eve" autofocus onfocus="window.__xss=1" x="y'
JINJA_NAME = "Mal {{ 7*7 }} {% raw %}"
HOSTILE_NOTES = f"{TEXTAREA} {ALERT} {SVG}"
INVITATION = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//afterview tests//EN",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        "UID:xss-invitation@afterview.test",
        "DTSTAMP:20260901T080000Z",
        "DTSTART;TZID=Europe/Paris:20260915T110000",
        "DTEND;TZID=Europe/Paris:20260915T120000",
        f"SUMMARY:Interview {SVG}",
        "ORGANIZER;CN=Org:mailto:org@evil.example",
        f"URL:{JS_URL}",
        f"LOCATION:{ALERT}",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
)


class Watch:
    """What a page does that it must not: dialogs, CSP violations, script errors."""

    def __init__(self, page: Page) -> None:
        self.events: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.events.append(f"page error: {exc}"))

    def _dialog(self, dialog: Any) -> None:
        self.events.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def _console(self, msg: Any) -> None:
        if msg.type == "error" and "Content Security Policy" in msg.text:
            self.events.append(f"CSP violation (so markup got in): {msg.text}")


def assert_inert(page: Page, watch: Watch, where: str) -> None:
    """No payload ran, none was parsed into markup, nothing was blocked by the CSP."""
    page.wait_for_load_state("load")
    assert page.evaluate("window.__xss") is None, f"{where}: a payload ran"
    injected = page.evaluate(
        "document.querySelectorAll('main script, main img:not(.chart), main svg, main iframe, "
        "main [onerror], main [onload], main [onfocus], main [autofocus]').length"
    )
    assert injected == 0, f"{where}: a payload became markup"
    links = page.evaluate(
        "[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"
    )
    assert not [h for h in links if h.strip().lower().startswith("javascript:")], where
    assert watch.events == [], f"{where}: {watch.events}"


def test_stored_xss_stays_text(start_server: Start, desktop: Page, tmp_path: Path) -> None:
    page = desktop
    watch = Watch(page)
    server = start_server(THANKS_TIME)

    # Through the add form: every field hostile (the interviewers in their accepted shapes).
    page.goto(server.at("/interviews"))
    open_add(page)
    form = page.locator("#add")
    form.get_by_label("Company", exact=True).fill(HOSTILE_COMPANY)
    form.get_by_label("Role", exact=True).fill(HOSTILE_ROLE)
    form.get_by_label("Starts").fill("2026-09-15T14:00")
    form.get_by_label("Interviewers, one per line").fill(
        f"{HOSTILE_NAME} <eve@evil.example>\n{JINJA_NAME} <mal@evil.example>"
    )
    form.get_by_label("Decision expected by").fill("2026-09-25")
    form.get_by_label("Topics you talked about").fill(f"{JS_URL}\n{SVG}\n{SCRIPT}")
    form.get_by_role("button", name="Add the interview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{HOSTILE_COMPANY} {HOSTILE_ROLE}")
    assert_inert(page, watch, "interview page after the add")
    iv_path = page.url.split(server.url.rstrip("/"), 1)[1].split("?")[0]
    assert re.fullmatch(r"/interviews/\d+", iv_path), page.url

    # Notes that try to close the textarea, through the edit form.
    unfold(page, "Edit the interview")
    page.get_by_label("Notes").fill(HOSTILE_NOTES)
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_role("status")).to_contain_text("Saved.")
    expect(page.get_by_label("Notes")).to_have_value(HOSTILE_NOTES)
    assert_inert(page, watch, "interview page after the notes")

    # Through the API: an application, and an invitation with a javascript: meeting link.
    api(page, server, "POST", "/api/applications", {"company": ALERT, "role": SVG})
    api(
        page,
        server,
        "POST",
        "/api/invitations",
        {"ics": INVITATION, "company": f"Invite {IMG}", "role": SCRIPT},
    )
    # A refused interviewer: the form comes back with the problem, the payload as text.
    page.goto(server.at("/interviews"))
    open_add(page)
    form = page.locator("#add")
    form.get_by_label("Company", exact=True).fill(HOSTILE_COMPANY)
    form.get_by_label("Role", exact=True).fill(SVG)
    form.get_by_label("Starts").fill("2026-09-16T10:00")
    form.get_by_label("Interviewers, one per line").fill(f"{ALERT} <x@evil.example>")
    form.get_by_role("button", name="Add the interview").click()
    expect(page.get_by_role("alert")).to_contain_text(ALERT)
    expect(form.get_by_label("Role", exact=True)).to_have_value(SVG)
    assert_inert(page, watch, "the add form sent back with a problem")

    iv = page.request.get(server.at("/api" + iv_path)).json()
    thank_eve = next(a["id"] for a in iv["actions"] if a["kind"] == "thank_you")
    invited = next(
        r for r in page.request.get(server.at("/api/interviews")).json() if r["id"] != iv["id"]
    )
    # A CV whose employers, titles and skills are payloads: they come back in the findings.
    check_profile(
        page,
        server,
        tmp_path,
        {
            "basics": {"label": SCRIPT, "summary": HOSTILE_NOTES},
            "work": [{"name": HOSTILE_COMPANY, "position": SVG, "startDate": "2024-01"}],
            "skills": [{"name": ALERT}],
            "languages": [{"language": IMG}],
        },
    )
    expect(page.get_by_role("main")).to_contain_text(HOSTILE_COMPANY)
    # Questions, an improvement and a better answer that are payloads: the question bank,
    # Insights and Prep show them as text.
    api(page, server, "PUT", f"/api{iv_path}/assessment", {
        "scores": {"answers": 2, "rapport": 4},
        "asked": [SCRIPT, SVG, f"Why {HOSTILE_COMPANY}?"],
        "improve": HOSTILE_NOTES,
        "confidence": 60,
    })  # fmt: skip
    first_q = api(page, server, "GET", "/api/questions")["questions"][0]["id"]
    api(page, server, "PUT", f"/api/questions/{first_q}", {"answer": IMG, "tag": "other"})

    pages = {
        "Today": "/",
        "Today, everything": "/?all=true",
        "Interviews": "/interviews",
        "the interview page": iv_path,
        "the invitation's interview": f"/interviews/{invited['id']}",
        "the draft editor": f"/drafts/{thank_eve.replace(':', '%3A')}",
        "the assess page": f"{iv_path}/assess",
        "Applications": "/applications",
        "Board": "/board",
        "the application page": f"/applications/{iv['application_id']}",
        "the invitation's application": f"/applications/{invited['application_id']}",
        "Stats": "/stats",
        "Profile": "/profile",
        "Insights": "/insights",
        "Questions": "/questions",
        "Prep": f"{iv_path}/prep",
    }
    for where, path in pages.items():
        page.goto(server.at(path))
        assert_inert(page, watch, where)

    # The payloads are there, as text.
    page.goto(server.url)
    main = page.get_by_role("main")
    expect(main).to_contain_text(HOSTILE_COMPANY)
    expect(main).to_contain_text(HOSTILE_NAME)
    page.goto(server.at("/interviews"))
    expect(page.get_by_role("link", name=HOSTILE_COMPANY)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(HOSTILE_ROLE)
    page.goto(server.at(iv_path))
    main = page.get_by_role("main")
    expect(main).to_contain_text(f"With {HOSTILE_NAME} <eve@evil.example>, {JINJA_NAME}")
    expect(page.locator(".tag")).to_have_text([JS_URL, SVG, SCRIPT])
    page.goto(server.at(f"/interviews/{invited['id']}"))
    # (the importer keeps no javascript: meeting link; assert_inert checks every href)
    expect(page.get_by_role("main")).to_contain_text(f"Place: {ALERT}")
    page.goto(server.at(f"/drafts/{thank_eve.replace(':', '%3A')}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Thank-you to {HOSTILE_NAME}")
    body = page.get_by_label("Message").input_value()
    subject = page.get_by_label("Subject").input_value()
    assert HOSTILE_NAME.split('"')[0] in body
    assert "49" not in body + subject, "a name was run as a template"
    for path in ("/applications", "/board"):
        page.goto(server.at(path))
        expect(page.get_by_role("main")).to_contain_text(ALERT)
        assert_inert(page, watch, f"{path}, again")

    # The draft with a hostile subject and body, saved and shown again.
    page.goto(server.at(f"/drafts/{thank_eve.replace(':', '%3A')}"))
    page.get_by_label("Subject").fill(SVG)
    page.get_by_label("Message").fill(f"{TEXTAREA}\n{IMG}")
    page.get_by_role("button", name="Save", exact=True).click()
    flash(page, "Saved.")
    expect(page.get_by_label("Subject")).to_have_value(SVG)
    expect(page.get_by_label("Message")).to_have_value(f"{TEXTAREA}\n{IMG}")
    assert_inert(page, watch, "the saved draft")
    page.goto(server.at(iv_path))
    expect(region(page, "Timeline")).to_contain_text(SVG)
    assert_inert(page, watch, "the timeline with the draft's subject")


# -- c. without JavaScript ----------------------------------------------------------------------
def test_works_without_javascript(start_server: Start, browser: Browser, desktop: Page) -> None:
    server = start_server(THANKS_TIME)
    iv = api(desktop, server, "POST", "/api/interviews", INTERVIEW)

    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto(server.url)
        expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()
        thanks = cards(region(page, "Ideal now"), "Thank-you")
        expect(thanks).to_have_count(2)
        expect(thanks.first).to_contain_text("ideal now until 18:00")

        page.goto(server.at(f"/interviews/{iv['id']}"))
        expect(page.get_by_role("heading", name="Acme Analytics", level=1)).to_be_visible()
        expect(region(page, "Timeline")).to_contain_text("with Ana Lopez, Bo Chen")

        page.goto(server.at("/drafts/thank_you%3A1%3A2"))
        expect(page.get_by_role("heading", name="Thank-you to Bo Chen")).to_be_visible()
        expect(page.get_by_label("Message")).to_have_value(re.compile(r"\bBo\b"))
        expect(page.get_by_role("link", name="Open in my mail program")).to_be_visible()
        # the copy button needs a script: without one it stays hidden
        expect(page.get_by_role("button", name="Copy the message")).to_be_hidden()

        # A plain form POST (the CSRF token is a hidden field): Done on Bo's thank-you.
        page.goto(server.url)
        bo = cards(region(page, "Ideal now"), "Bo Chen")
        bo.get_by_role("button", name="Done").click()
        flash(page, "Marked done.")
        expect(cards(region(page, "Ideal now"), "Thank-you")).to_have_count(1)

        # Skip, inside <details>, opens and posts without a script too.
        assess = cards(page.get_by_role("main"), "Self-assessment")
        assess.get_by_text("Skip…").click()
        assess.get_by_label("Why skip it?").fill("did it on paper")
        assess.get_by_role("button", name="Skip", exact=True).click()
        flash(page, "Skipped.")
        expect(cards(page.get_by_role("main"), "Self-assessment")).to_have_count(0)

        page.goto(server.at(f"/interviews/{iv['id']}"))
        expect(region(page, "Timeline")).to_contain_text("You sent a thank-you (to Bo Chen)")
    finally:
        context.close()


# -- d. the keyboard ----------------------------------------------------------------------------
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {text: el.textContent.trim(), tag: el.tagName, outline: style.outlineStyle,
          width: parseFloat(style.outlineWidth)};
}"""


def test_keyboard_reaches_skip_link_then_nav(start_server: Start, desktop: Page) -> None:
    page = desktop
    server = start_server(THANKS_TIME)
    api(page, server, "POST", "/api/interviews", INTERVIEW)
    page.goto(server.url)

    nav = page.get_by_role("navigation", name="Main").get_by_role("link").all_inner_texts()
    assert nav[:4] == ["Today", "Interviews", "Applications", "Board"] and nav[-1] == "Settings"
    seen = []
    for _ in range(len(nav) + 2):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["outline"] != "none" and focused["width"] > 0, focused
        seen.append(focused["text"])
        if len(seen) == 1:  # the skip link shows itself while it has the focus
            assert seen[0] == "Skip to content"
            expect(page.get_by_role("link", name="Skip to content")).to_be_in_viewport()
    assert seen[1:] == ["afterview", *nav]  # every link of the navigation, in its order

    # The skip link lands in the main content: the next Tab is the first card's link.
    page.goto(server.url)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert page.evaluate("document.activeElement.closest('main') !== null"), focused
    assert focused["outline"] != "none", focused


# -- e. screenshots, and no sideways scrolling on a phone ---------------------------------------
def _seed_everything(page: Page, server: Server) -> Any:
    iv = api(page, server, "POST", "/api/interviews", INTERVIEW)
    api(
        page,
        server,
        "POST",
        "/api/applications",
        {"company": "Globex", "role": "Analytics Engineer", "applied_on": "2026-09-14"},
    )
    api(
        page,
        server,
        "POST",
        "/api/applications",
        {
            "company": "Initech International Holdings",
            "role": "Senior Platform Data Engineer (Streaming)",
            "applied_on": "2026-09-15",
            "url": "https://jobs.initech.example/postings/2026/senior-platform-data-engineer-streaming",
        },
    )
    api(
        page,
        server,
        "PATCH",
        f"/api/interviews/{iv['id']}",
        {"notes": "They run Kafka and dbt; the team is six people; the manager is Ana."},
    )
    api(page, server, "PUT", f"/api/interviews/{iv['id']}/assessment", {
        "scores": {"preparation": 4, "answers": 3, "questions_asked": 4, "rapport": 5, "technical": 3},
        "asked": [
            "Tell me about a time you disagreed with your team about a design.",
            "How would you move a nightly batch job to streaming?",
            "What are your salary expectations?",
            "Why do you want to work at Acme?",
        ],
        "went_well": "The streaming story landed well.",
        "improve": "Have numbers ready for the salary question.",
        "confidence": 65,
    })  # fmt: skip
    return iv


def test_screenshots_and_no_horizontal_scroll(
    start_server: Start, desktop: Page, phone: Page, tmp_path: Path
) -> None:
    server = start_server(THANKS_TIME)
    iv = _seed_everything(desktop, server)
    check_profile(
        desktop,
        server,
        tmp_path,
        PROFILE_FIXTURES / "resume" / "valid" / "differs-from-standard.json",
    )
    pages = {
        "today": "/",
        "interviews": "/interviews",
        "interview": f"/interviews/{iv['id']}",
        "draft": "/drafts/thank_you%3A1%3A1",
        "assess": f"/interviews/{iv['id']}/assess",
        "applications": "/applications",
        "board": "/board",
        "application": f"/applications/{iv['application_id']}",
        "stats": "/stats",
        "profile": "/profile",
        "insights": "/insights",
        "questions": "/questions",
        "prep": f"/interviews/{iv['id']}/prep",
        "settings": "/settings",
    }
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    too_wide = []
    for label, page in (("desktop", desktop), ("phone", phone)):
        for name, path in pages.items():
            page.goto(server.at(path))
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            assert page.title().endswith("· afterview"), page.title()
            page.screenshot(path=SCREENSHOTS / f"{name}-{label}.png", full_page=True)
            page.screenshot(path=SCREENSHOTS / f"{name}-{label}-top.png")
            if page is phone and name == "interviews":
                # a table becomes labelled cards: each cell says which column it is
                said = page.evaluate(
                    "getComputedStyle(document.querySelector('tbody td'), '::before').content"
                )
                assert said == '"When: "', said
            if page is phone:
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE["width"] + 1:
                    wide = page.evaluate(WIDEST)
                    too_wide.append(f"{name}: scrollWidth {width} ({wide})")
    assert too_wide == [], "pages scroll sideways at 390 px:\n" + "\n".join(too_wide)


WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 5)
  .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
       (el.className ? '.' + el.className : '') + ' right=' +
       Math.round(el.getBoundingClientRect().right))
  .join(', ')"""
