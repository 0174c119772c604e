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
    # Assessing the first interview again kept its confidence: ten, as in the insights test.
    assert "Brier score 0.23 over 10 interviews" in html and "overconfident" in html
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


def test_devices_links_and_folders_are_not_written_over(av: Afterview, tmp_path: Path) -> None:
    history(av, count=2)
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    real = tmp_path / "real.html"
    real.write_text("mine")
    (tmp_path / "link.html").symlink_to(real)
    for target, message in (
        ("/dev/null", "'/dev/null' exists and is not a regular file"),
        (str(tmp_path / "link.html"), "is a symbolic link"),
    ):
        r = av("report", "--out", target, now=NOW)
        assert r.code == 2 and message in r.err
    assert real.read_text() == "mine"
    (tmp_path / "dir.png").mkdir()
    r = av("insights", "--plot", str(tmp_path / "dir.png"), now=NOW)
    assert r.code == 2 and "is a folder" in r.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.png", "link.html", "real.html"]
    out = av.ok("report", "--out", "-", now=NOW).out
    assert out.startswith("<!doctype html>")


def test_rubric_names_are_drawn_as_written(av: Afterview, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cfg = tmp_path / "config.toml"
    cfg.write_text('[assess]\nrubric = ["$\\\\foo$ bar", "x^2 $y$", "ok"]\n')
    monkeypatch.setenv("AFTERVIEW_CONFIG", str(cfg))
    iv = av.ok(
        "interview", "add", "--company", "A", "--role", "R", "--start", "2026-11-20T10:00", now=NOW
    ).out.strip()
    av.ok("assess", iv, "--score", "$\\foo$ bar=3", "--score", "x^2 $y$=4", now=NOW)
    av.ok("insights", "--plot", str(tmp_path / "p.png"), now=NOW)
    av.ok("report", "--out", str(tmp_path / "r.html"), now=NOW)
    assert "$\\foo$ bar" in (tmp_path / "r.html").read_text()
