"""`afterview server run` as real processes (two web workers, the real clock) on a real
PostgreSQL, driven by a real Chromium: sign in, see your own Today, never another
seeker's, sign out; a stolen cookie dies at "sign out everywhere"."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from afterview.server import secret
from afterview.server.settings import ServerSettings, render
from afterview.services import records
from tests.conftest import _free_port
from tests.server.conftest import PASSWORD, ServerDb, add_account, context
from tests.server.conftest import server_db as server_db

pytestmark = pytest.mark.postgres


@pytest.fixture
def running(server_db: ServerDb, tmp_path: Path) -> Iterator[str]:
    """Two seekers, server.toml, and `afterview server run --workers 2` (real clock)."""
    ana = add_account(server_db.owner, "ana@example.org", demo=True)
    ben = add_account(server_db.owner, "ben@example.org")
    records.add_interview(context(server_db.owner, ben), "Zebra Analytics", "Engineer",
                          "2026-09-14T10:00", duration=60)  # fmt: skip
    assert ana != ben
    port = _free_port()
    url = f"http://localhost:{port}"
    path = tmp_path / "server.toml"
    secret.create(str(tmp_path / "server-secret"))
    settings = ServerSettings(
        str(path), server_db.app_url, server_db.owner_url, url, str(tmp_path / "server-secret")
    )
    path.write_text(render(settings))
    path.chmod(0o600)
    (tmp_path / "config.toml").write_text('timezone = "Europe/Paris"\n')
    env = {**os.environ, "AFTERVIEW_SERVER_CONFIG": str(path),
           "AFTERVIEW_CONFIG": str(tmp_path / "config.toml")}  # fmt: skip
    env.pop("AFTERVIEW_NOW", None)
    log = tmp_path / "server.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "afterview", "server", "run", "--port", str(port),
             "--workers", "2"],
            stdin=subprocess.DEVNULL, stdout=fh, stderr=fh, env=env,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.1)
        else:
            pytest.fail("server run did not listen:\n" + log.read_text(errors="replace"))
        if proc.poll() is not None:
            pytest.fail("server run stopped:\n" + log.read_text(errors="replace"))
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    text = log.read_text(errors="replace")
    assert "Traceback" not in text, text[-3000:]


def test_sign_in_see_your_own_today_and_sign_out(browser: Browser, running: str) -> None:
    ctx = browser.new_context(locale="en-GB", timezone_id="Europe/Paris")
    ctx.set_default_timeout(15_000)
    page = ctx.new_page()
    try:
        page.goto(running + "/interviews")
        expect(page).to_have_url(running + "/signin?next=%2Finterviews")
        page.fill("input[name=email]", "ana@example.org")
        page.fill("input[name=password]", "not the password")
        page.click("button[type=submit]")
        expect(page.get_by_role("alert")).to_contain_text("wrong email or password")
        page.fill("input[name=email]", "ana@example.org")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        expect(page).to_have_url(running + "/interviews")
        expect(page.locator("footer")).to_contain_text("Signed in as ana@example.org")
        for path in ("/", "/interviews", "/applications"):  # each worker, any page
            page.goto(running + path)
            expect(page.locator("footer")).to_contain_text("ana@example.org")
            assert "Zebra Analytics" not in page.content()
        page.get_by_role("button", name="Sign out", exact=True).click()
        expect(page).to_have_url(running + "/signin")
        page.goto(running + "/")
        expect(page).to_have_url(running + "/signin?next=%2F")
    finally:
        ctx.close()


def test_a_stolen_cookie_dies_at_sign_out_everywhere(browser: Browser, running: str) -> None:
    ctx = browser.new_context()
    ctx.set_default_timeout(15_000)
    page = ctx.new_page()
    try:
        page.goto(running + "/signin")
        page.fill("input[name=email]", "ben@example.org")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        expect(page.locator("footer")).to_contain_text("Signed in as ben@example.org")
        stolen = next(c["value"] for c in ctx.cookies() if c["name"] == "afterview_session")
        with httpx.Client(base_url=running, cookies={"afterview_session": stolen}) as thief:
            seen = thief.get("/api/interviews")
            assert seen.status_code == 200 and "Zebra Analytics" in seen.text
            page.get_by_role("button", name="Sign out everywhere").click()
            expect(page).to_have_url(running + "/signin")
            assert thief.get("/api/interviews").status_code == 401
    finally:
        ctx.close()
