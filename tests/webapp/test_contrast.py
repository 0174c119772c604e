"""Contrast of the app's colours, read from its stylesheet (WCAG 2 relative luminance):
badge text at least 4.5:1 on its background, the focus ring at least 3:1 on the page."""

from __future__ import annotations

import re
from pathlib import Path

import afterview

CSS = (Path(afterview.__file__).parent / "web" / "static" / "app.css").read_text(encoding="utf-8")
VARS = {
    name: value if len(value) == 7 else "#" + "".join(c * 2 for c in value[1:])
    for name, value in re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b", CSS)
}


def _colour(value: str) -> str:
    value = value.strip()
    m = re.fullmatch(r"var\(--([\w-]+)\)", value)
    return VARS[m.group(1)] if m else value


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    rgb = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(_colour(a)), _luminance(_colour(b))), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_every_state_badge_is_readable() -> None:
    badges = re.findall(
        r"\.state-([\w-]+) \.badge \{ background: (#[0-9a-fA-F]{6}); color: ([^;]+); \}", CSS
    )
    assert {s for s, _, _ in badges} >= {"overdue", "ideal"}
    for state, background, colour in badges:
        assert contrast(colour, background) >= 4.5, state


def test_the_focus_ring_stands_out_from_the_page() -> None:
    ring = re.search(r":focus-visible \{ outline: \d+px solid (#[0-9a-fA-F]{6})", CSS)
    assert ring is not None
    for page in (VARS["bg"], VARS["card"], "#ffffff"):
        assert contrast(ring.group(1), page) >= 3.0, page


def test_text_colours_on_the_page_and_cards() -> None:
    for name in ("fg", "muted", "overdue", "ideal", "open", "upcoming", "accent"):
        for page in (VARS["bg"], VARS["card"]):
            assert contrast(VARS[name], page) >= 4.5, name
