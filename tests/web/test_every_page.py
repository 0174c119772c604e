"""Every page in Chromium, with the real clock, at 1280x800 and at 390x844.

The demo's sample (dated around the moment the test runs) in a fresh database, then
each page of the app (every link of the main navigation, and the record pages they
lead to): it answers 200, nothing overflows the width of the screen, no script error
or blocked content shows in the console, and axe-core (the copy bundled by the
`axe-playwright-python` package, installed from the package registry: nothing is
downloaded at run time) finds no accessibility violation at all.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.web.conftest import Server

Start = Callable[..., Server]

OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def _demo(db: Path) -> None:
    """`afterview demo` into the server's database file, at the real clock."""
    done = subprocess.run(
        [sys.executable, "-m", "afterview", "--db", str(db), "demo"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    assert done.returncode == 0, done.stderr


def _paths(page: Page, server: Server) -> list[str]:
    """The navigation's pages, then one record page of each kind the demo has."""
    page.goto(server.url)
    nav = page.get_by_role("navigation", name="Main").get_by_role("link")
    paths = [h for h in nav.evaluate_all("els => els.map(e => e.getAttribute('href'))")]
    ivs = page.request.get(server.at("/api/interviews")).json()
    iv = ivs[0]["id"]
    shown = page.request.get(server.at(f"/api/interviews/{iv}")).json()
    draft = next(a["id"] for a in shown["actions"] if a["kind"] in ("thank_you", "follow_up"))
    leads = page.request.get(server.at("/api/applications?stage=lead")).json()["applications"]
    paths += [
        f"/applications/{ivs[0]['application_id']}",
        f"/applications/{ivs[0]['application_id']}/delete",
        f"/applications/{leads[0]['id']}?edit=1",  # a lead's Edit form open, with its posting
        "/leads/new?url=https%3A%2F%2Fjobs.example%2F42&title=Data%20Engineer",
        "/setup",
        f"/interviews/{iv}",
        f"/interviews/{iv}/assess",
        f"/interviews/{iv}/prep",
        "/drafts/" + draft.replace(":", "%3A"),
        "/?all=1",
        "/history",
        f"/interviews/{iv}/delete",
    ]
    # the pages that correct records: a message logged, a self-assessment
    records = [page.request.get(server.at(f"/api/interviews/{i['id']}")).json() for i in ivs]
    touch = next(t["id"] for r in records for t in r["touches"])
    assessed = next(r["id"] for r in records if r["assessment"])
    paths += [
        f"/messages/{touch}/edit",
        f"/messages/{touch}/delete",
        f"/interviews/{assessed}/assessment/delete",
    ]
    assert "/outbox" in paths and len(paths) >= 21, paths
    return paths


def _violations(result: Any) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["html"][:120] for n in v["nodes"][:3])
        for v in result.response["violations"]
    ]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_every_page_reads_well(
    viewport: str, start_server: Start, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    _demo(tmp_path / "web.db")
    page: Page = request.getfixturevalue(viewport)
    server = start_server(None)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: console.append(f"page error: {exc}"))
    axe = Axe()

    problems: list[str] = []
    for path in _paths(page, server):
        response = page.goto(server.at(path))
        assert response is not None
        if response.status != 200:
            problems.append(f"{path}: answered {response.status}")
            continue
        wider = page.evaluate(OVERFLOW)
        if wider > 0:
            problems.append(f"{path}: {wider} px wider than the {viewport} screen")
        problems += [f"{path}: {v}" for v in _violations(axe.run(page))]
        problems += [f"{path}: console: {text}" for text in console]
        console.clear()
    assert not problems, "\n".join(problems)
