"""`afterview report --out FILE`: one self-contained HTML file — nothing loaded from
outside, the charts inline, user text escaped — on both engines."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from tests.cli.helpers import Afterview
from tests.cli.test_insights_cmds import NOW, history

HOSTILE = '<script>alert(1)</script><img src="https://evil.example/x.png">'


class Refs(HTMLParser):
    """Every tag and every attribute value that could load something."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.refs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if (
                name in ("src", "href", "xlink:href", "action", "data", "poster", "srcset")
                and value
            ):
                self.refs.append((tag, name, value))


def outside_references(html: str) -> list[str]:
    """What in the document would reach outside it."""
    p = Refs()
    p.feed(html)
    found = [f"<{t} {n}={v}>" for t, n, v in p.refs if not v.startswith("#")]
    found += [
        f"<{t}>"
        for t in p.tags
        if t in ("script", "link", "iframe", "object", "embed", "img", "image", "base")
    ]
    found += re.findall(r"url\((?!['\"]?#)[^)]*\)|@import[^;]*", html)
    return found


def test_the_report_is_self_contained(av: Afterview, tmp_path: Path) -> None:
    ids = history(av)
    av.ok(
        "assess", ids[0], "--score", "answers=4", "--asked", HOSTILE, "--improve", HOSTILE, now=NOW
    )
    out = tmp_path / "report.html"
    r = av.ok("report", "--out", str(out), now=NOW)
    assert r.out.strip() == f"Report written to {out}."
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    assert outside_references(html) == []
    assert html.count("<svg") == 2  # the trends and the reliability charts
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    # The first interview re-assessed without a confidence: 3 × 0.2² + 6 × 0.6² = 2.28, / 9
    assert (
        "Brier score 0.25 over 9 interviews" in html
        and "Too few to judge: 9 of the 10 needed" in html
    )
    assert "@media print" in html
    assert "Write your best answer to" in html and "<code>afterview questions answer" in html


def test_an_empty_report_still_reads(av: Afterview, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    av.ok("report", "--out", str(out), now=NOW)
    html = out.read_text(encoding="utf-8")
    assert "No scores yet." in html and "<svg" not in html
    assert outside_references(html) == []


def test_bad_destinations(av: Afterview, tmp_path: Path) -> None:
    r = av("report", "--out", str(tmp_path), now=NOW)
    assert r.code == 2 and "--out: " in r.err and "is a folder" in r.err
    r = av("report", "--out", str(tmp_path / "no" / "r.html"), now=NOW)
    assert r.code == 2 and "does not exist" in r.err
    r = av("report", now=NOW)
    assert r.code == 2 and "--out" in r.err
