"""ANSI colour for human output, and JSON for programs, without loading click or rich.

Colour is used only on a terminal, and never when `NO_COLOR` is set (no-color.org).
"""

from __future__ import annotations

import os
from typing import TextIO

_FG = {
    "red": 31,
    "green": 32,
    "yellow": 33,
    "blue": 34,
    "magenta": 35,
    "cyan": 36,
    "white": 37,
}


def wants_colour(stream: TextIO) -> bool:
    """True when `stream` is a terminal and the user has not asked for no colour."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def dump_json(value: object, stream: TextIO) -> None:
    """Write a JSON document: indented on a terminal, one compact line for programs."""
    import json

    pretty = bool(getattr(stream, "isatty", None) and stream.isatty())
    stream.write(json.dumps(value, ensure_ascii=False, indent=2 if pretty else None))
    stream.write("\n")
    stream.flush()


class Styler:
    """Wraps text in ANSI codes, or leaves it plain when colour is off."""

    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def __call__(
        self, text: str, fg: str | None = None, bold: bool = False, dim: bool = False
    ) -> str:
        """Return `text` styled (foreground colour, bold, dim), reset at the end."""
        if not self.colour:
            return text
        codes = []
        if fg is not None:
            codes.append(str(_FG[fg]))
        if bold:
            codes.append("1")
        if dim:
            codes.append("2")
        if not codes:
            return text
        return f"\x1b[{';'.join(codes)}m{text}\x1b[0m"
