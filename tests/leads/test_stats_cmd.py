"""`afterview stats` through the CLI: the numbers on the demo, a chart as PNG and SVG."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import Afterview

NOW = "2026-09-15T17:30"


def test_stats_on_the_demo_and_its_charts(av: Afterview, tmp_path: Path) -> None:
    av.ok("demo", now=NOW)
    s = av.ok("stats", "--json", now=NOW).json()
    f = s["funnel"]
    assert f["leads"] >= f["applied"] >= f["interviewed"] >= f["offer"]
    assert 0 <= s["response_rate"] <= 1
    assert (
        s["responses"]["applied"] == f["applied"] - 0 or s["responses"]["applied"] <= f["applied"]
    )
    png = tmp_path / "funnel.png"
    r = av.ok("stats", "--plot", str(png), now=NOW)
    assert r.err == f"Chart written to {png}.\n" and r.out.startswith("Funnel: ")
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5000
    svg = tmp_path / "funnel.svg"
    av.ok("stats", "--plot", str(svg), now=NOW)
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and 'href="http' not in text  # nothing loaded from outside
    out = av.ok("stats", now=NOW).out
    assert out.startswith("Funnel: ") and "Response rate:" in out and "Ghosting rate:" in out


def test_stats_refuses_what_it_cannot_draw_or_read(av: Afterview, tmp_path: Path) -> None:
    r = av("stats", "--plot", str(tmp_path / "chart.gif"), now=NOW)
    assert r.code == 2 and r.err.startswith("afterview: --plot: expected a file ending in .png")
    r = av("stats", "--plot", str(tmp_path / "no" / "chart.png"), now=NOW)
    assert r.code == 2 and "does not exist" in r.err
    r = av("stats", "--since", "last week", now=NOW)
    assert r.code == 2 and r.err.startswith("afterview: --since:")
    s = av.ok("stats", "--since", "2026-09-01", "--json", now=NOW).json()
    assert s["since"] == "2026-09-01" and s["funnel"]["leads"] == 0
