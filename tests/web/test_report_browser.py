"""The report file in a real browser (Debian's Chromium): it makes no request beyond the
file itself, shows both charts, and prints to PDF pages."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.cli.helpers import Afterview
from tests.cli.test_insights_cmds import NOW, history


def test_the_report_opens_offline_and_prints(desktop: Page, tmp_path: Path) -> None:
    av = Afterview(str(tmp_path / "db.sqlite"))
    history(av)
    out = tmp_path / "report.html"
    av.ok("report", "--out", str(out), now=NOW)
    requests: list[str] = []
    desktop.on("request", lambda r: requests.append(r.url))
    desktop.goto(out.as_uri())
    assert requests == [out.as_uri()]
    assert desktop.locator("svg").count() == 2
    assert desktop.get_by_role("heading", name="Next steps").is_visible()
    pdf = desktop.pdf(format="A4")
    assert (
        pdf.startswith(b"%PDF")
        and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page/") + pdf.count(b"/Type/Page") >= 1
    )
