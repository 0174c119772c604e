"""Fixtures for the browser tests: the real `afterview serve` in a child process, and
Debian's Chromium driven by Playwright.

- `config_file`: a config in `tmp_path` (Europe/Paris, Sam Carter), set as
  `AFTERVIEW_CONFIG`, so every time on the pages is deterministic.
- `start_server(now, *args)`: `afterview --db FILE --now NOW serve --port 0 ARGS`
  (no `--now` when `now` is None: the real clock), its URL read
  from the line it prints on stderr (then waited for: it prints it a little before it
  accepts connections). `server.restart(now)` stops it and starts it again with another
  `--now` on the same database file: that is how a test moves the server's clock.
  Its log is checked for tracebacks when the test ends.
- `browser` (session): `/usr/bin/chromium` launched by Playwright (never a downloaded
  browser). Missing or broken, it skips the tests, except under CI (`CI=true`), where
  they fail.
- `phone` (390x844) and `desktop` (1280x800): a page in a fresh browser context each.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

from tests.conftest import ON_CI

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
CONFIG = 'timezone = "Europe/Paris"\n[me]\nname = "Sam Carter"\nemail = "sam@example.org"\n'
URL_LINE = re.compile(r"afterview is at (http://\S+/)")


# -- the server ---------------------------------------------------------------------------------
class Server:
    """`afterview serve` on one database file, with its clock fixed by `--now` (the real
    clock when `now` is None); `args` go after `serve` (`--no-worker`)."""

    def __init__(
        self, db: Path, log_dir: Path, now: str | None, args: tuple[str, ...] = ()
    ) -> None:
        self.db = db
        self.log_dir = log_dir
        self.now = now
        self.args = args
        self.url = ""
        self.proc: subprocess.Popen[bytes] | None = None
        self.logs: list[Path] = []

    def start(self, now: str | None = None) -> None:
        """Start the server (at `now`, else at the last moment given)."""
        assert self.proc is None, "the server is already running"
        if now is not None:
            self.now = now
        log = self.log_dir / f"server-{len(self.logs) + 1}.log"
        self.logs.append(log)
        argv = [sys.executable, "-m", "afterview", "--db", str(self.db)]
        if self.now is not None:
            argv += ["--now", self.now]
        with open(log, "wb") as fh:
            self.proc = subprocess.Popen(
                [*argv, "serve", "--port", "0", *self.args],
                stdin=subprocess.DEVNULL,
                stdout=fh,
                stderr=fh,
                env=os.environ.copy(),
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
        pytest.fail(f"afterview serve did not start (at {self.now}):\n{text[-3000:]}")

    @staticmethod
    def _accepts(url: str) -> bool:
        """True once the server accepts connections (it prints its URL a little before)."""
        host, port = url.removeprefix("http://").rstrip("/").rsplit(":", 1)
        try:
            with socket.create_connection((host, int(port)), timeout=1):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL if it lingers)."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)

    def restart(self, now: str) -> str:
        """Move the server's clock: stop it and start it again at `now`, same database."""
        self.stop()
        self.start(now)
        return self.url

    def at(self, path: str) -> str:
        """The full URL of `path` (`/interviews/1`)."""
        return self.url.rstrip("/") + path

    def log_text(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in self.logs if p.exists())


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's config: Europe/Paris, Sam Carter; set as `AFTERVIEW_CONFIG`."""
    cfg = tmp_path / "config.toml"
    cfg.write_text(CONFIG)
    monkeypatch.setenv("AFTERVIEW_CONFIG", str(cfg))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.delenv("AFTERVIEW_NOW", raising=False)
    return cfg


@pytest.fixture
def start_server(tmp_path: Path, config_file: Path) -> Iterator[Callable[..., Server]]:
    """Start a server at `--now NOW` (None: the real clock) on this test's database file,
    with more `serve` options if given (stopped at teardown)."""
    made: list[Server] = []

    def make(now: str | None, *args: str) -> Server:
        s = Server(tmp_path / "web.db", tmp_path, now, args)
        made.append(s)
        s.start()
        return s

    yield make
    for s in made:
        s.stop()
    crashed = [s for s in made if "Traceback (most recent call last)" in s.log_text()]
    if crashed:
        pytest.fail("the server logged a traceback:\n" + crashed[0].log_text()[-4000:])


# -- the browser --------------------------------------------------------------------------------
def _unavailable(reason: str) -> NoReturn:
    if ON_CI:
        pytest.fail(f"{reason}\n(CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, for the whole run."""
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium; scripts/test does)")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as exc:  # a dev dependency: only a broken venv lacks it
        _unavailable(f"playwright is not installed: {exc}")
    with sync_playwright() as pw:
        try:
            launched = pw.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
        except Error as exc:
            _unavailable(f"{CHROMIUM} did not start: {exc}")
        try:
            yield launched
        finally:
            with contextlib.suppress(Error):
                launched.close()


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
def phone(browser: Browser) -> Iterator[Page]:
    """A page 390x844 (a phone)."""
    yield from _page(browser, PHONE, mobile=True)


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Page]:
    """A page 1280x800 (a desktop)."""
    yield from _page(browser, DESKTOP, mobile=False)
