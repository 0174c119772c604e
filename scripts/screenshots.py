"""Take the screenshots of docs/screenshots/ again, from the demo's sample.

    .venv/bin/python scripts/screenshots.py            # every page, desktop and phone
    .venv/bin/python scripts/screenshots.py --out /tmp/shots

A temporary database gets `afterview demo` at a fixed moment (so the pictures do not
change from one run to the next), `afterview serve` runs on it with that `--now`, and
Debian's Chromium (Playwright, never a downloaded browser) takes each page at
1280x800 and 390x844 (full page). The first-run set-up (`setup-*.png`) is taken from
a second server on an empty database with no config file.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
NOW = "2026-11-27T17:30+01:00"
CHROMIUM = "/usr/bin/chromium"
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
URL_LINE = re.compile(r"afterview is at (http://\S+/)")
CONFIG = 'timezone = "Europe/Paris"\n[me]\nname = "Sam Carter"\nemail = "sam@example.org"\n'


def _env(folder: Path, config: bool) -> dict[str, str]:
    env = {**os.environ, "HOME": str(folder), "TZ": "Europe/Paris"}
    env["AFTERVIEW_CONFIG"] = str(folder / "config.toml")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    if config:
        (folder / "config.toml").write_text(CONFIG, encoding="utf-8")
    return env


@contextmanager
def serve(folder: Path, *, demo: bool) -> Iterator[str]:
    """`afterview serve` on a database in `folder` (with the demo's sample, or empty and
    without a config file); yields its URL."""
    folder.mkdir(parents=True, exist_ok=True)
    env = _env(folder, config=demo)
    base = [sys.executable, "-m", "afterview", "--db", str(folder / "av.db"), "--now", NOW]
    if demo:
        subprocess.run([*base, "demo"], env=env, check=True, capture_output=True)
    log = folder / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([*base, "serve", "--port", "0"], env=env, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 30
        while not (found := URL_LINE.search(log.read_text(errors="replace"))):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit(f"afterview serve did not start:\n{log.read_text()}")
            time.sleep(0.1)
        time.sleep(0.5)
        yield found.group(1).rstrip("/")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def shoot(page: Page, url: str, out: Path, name: str) -> None:
    """Load `url` and save the full page as `out/name.png`."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(out / f"{name}.png"), full_page=True)
    print(f"{name}.png")


def pages(page: Page, base: str) -> dict[str, str]:
    """Each picture's name and path on the demo's server."""
    ivs = page.request.get(f"{base}/api/interviews").json()
    iv = ivs[0]["id"]
    shown = page.request.get(f"{base}/api/interviews/{iv}").json()
    draft = next(a["id"] for a in shown["actions"] if a["kind"] == "thank_you")
    return {
        "today": "/",
        "interviews": "/interviews",
        "interview": f"/interviews/{iv}",
        "draft": "/drafts/" + draft.replace(":", "%3A"),
        "applications": "/applications",
        "board": "/board",
        "application": f"/applications/{ivs[0]['application_id']}",
        "leads": "/leads",
        "outbox": "/outbox",
        "stats": "/stats",
        "settings": "/settings",
    }


def main(argv: list[str] | None = None) -> int:
    """Take every screenshot into `--out` (default docs/screenshots)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for size, viewport in SIZES.items():
            context = browser.new_context(
                viewport=viewport,  # type: ignore[arg-type]
                device_scale_factor=1,
                is_mobile=size == "phone",
                locale="en-GB",
                timezone_id="Europe/Paris",
                reduced_motion="reduce",
            )
            page = context.new_page()
            with serve(Path(tmp) / f"demo-{size}", demo=True) as base:
                for name, path in pages(page, base).items():
                    shoot(page, base + path, args.out, f"{name}-{size}")
            with serve(Path(tmp) / f"first-{size}", demo=False) as base:
                shoot(page, base + "/", args.out, f"setup-{size}")  # `/` leads to the set-up
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
