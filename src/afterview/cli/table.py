"""Lists as plain text: a table that fits the terminal's width (words wrapped whole, never
cut), or tab-separated lines when the output is piped (a header line, one record a line,
no box characters, tabs and line breaks inside a value turned to spaces).

Written by hand rather than with rich: measuring and laying out a 2,000-row table took
rich about two seconds; this takes a few milliseconds (bench/lists.py).
"""

import shutil
import sys
import textwrap
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

import click

from afterview.textcheck import printable

#: The gap between two columns on a terminal.
GAP = "  "
#: The narrowest a wrapped column gets (its longest word may still ask for more).
MIN_WRAP = 10
#: The widest a wrapped column's longest word may make it (a longer word is cut).
MAX_WORD = 24


class Column(NamedTuple):
    """A column: its header, and whether its values may wrap over several lines (text) or
    stay on one (ids, days, states)."""

    name: str
    wrap: bool = False


def width(text: str) -> int:
    """How many terminal cells `text` takes (wide East Asian characters take two,
    combining marks none)."""
    if text.isascii():
        return len(text)
    total = 0
    for c in text:
        if unicodedata.combining(c):
            continue
        total += 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
    return total


def clean(value: object) -> str:
    """A value as one line of text safe for a terminal (controls escaped, tabs and line
    breaks made spaces)."""
    text = "" if value is None else str(value)
    if text.isprintable():  # no control, format (direction) or separator character: as it is
        return text
    return printable(text.replace("\t", " ").replace("\r\n", " ").replace("\n", " "))


def on_terminal() -> bool:
    """True when the output goes to a terminal (a person reads it), not to a pipe or file."""
    isatty = getattr(sys.stdout, "isatty", None)
    return bool(isatty and isatty())


def tsv(columns: Sequence[Column], rows: Sequence[Sequence[object]]) -> str:
    """The rows as tab-separated lines, the header first."""
    lines = ["\t".join(c.name for c in columns)]
    lines += ["\t".join(clean(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


def _wrap(text: str, size: int) -> list[str]:
    if width(text) <= size:
        return [text]
    return textwrap.wrap(text, size, break_long_words=True, break_on_hyphens=False) or [""]


def _widths(columns: Sequence[Column], cells: list[list[str]], room: int) -> list[int]:
    """Each column's width: its widest value, the wrapped ones narrowed (widest first)
    until the line fits `room`, never below their longest word (up to `MAX_WORD`)."""
    natural = [max([width(c.name)] + [width(r[i]) for r in cells]) for i, c in enumerate(columns)]
    floor = [
        max(
            [MIN_WRAP, width(c.name)]
            + [min(MAX_WORD, width(w)) for r in cells for w in r[i].split()]
        )
        if c.wrap
        else n
        for i, (c, n) in enumerate(zip(columns, natural, strict=True))
    ]
    sizes = list(natural)
    over = sum(sizes) + len(GAP) * (len(columns) - 1) - room
    while over > 0:
        shrinkable = [i for i, c in enumerate(columns) if c.wrap and sizes[i] > floor[i]]
        if not shrinkable:
            break
        i = max(shrinkable, key=lambda k: sizes[k])
        sizes[i] -= 1
        over -= 1
    return sizes


def text_table(columns: Sequence[Column], rows: Sequence[Sequence[object]], room: int) -> list[str]:
    """The rows as a table `room` cells wide at most (when the fixed columns allow):
    a header, a rule, then each row, its text values wrapped at word boundaries."""
    cells = [[clean(v) for v in row] for row in rows]
    sizes = _widths(columns, cells, room)

    def line(parts: list[str]) -> str:
        padded = [p + " " * (s - width(p)) for p, s in zip(parts, sizes, strict=True)]
        return GAP.join(padded).rstrip()

    out = [line([c.name for c in columns]), line(["-" * s for s in sizes])]
    for row in cells:
        wrapped = [
            _wrap(v, s) if c.wrap else [v] for c, v, s in zip(columns, row, sizes, strict=True)
        ]
        for k in range(max(len(w) for w in wrapped)):
            out.append(line([w[k] if k < len(w) else "" for w in wrapped]))
    return out


def emit(
    columns: Sequence[Column],
    rows: Sequence[Sequence[object]],
    *,
    title: str,
    total: int,
    skipped: int,
    more_hint: str,
) -> None:
    """Print a list: on a terminal a titled table at its width with a line on what was
    left out (`total` rows in all, `skipped` before these); piped, tab-separated lines."""
    if not on_terminal():
        click.echo(tsv(columns, rows), nl=False)
        return
    room = shutil.get_terminal_size((80, 24)).columns
    lines = [title, *text_table(columns, rows, room)]
    shown = len(rows)
    if shown < total:
        first, last = skipped + 1, skipped + shown
        lines.append(f"{first}–{last} of {total} shown; {more_hint}" if shown else more_hint)
    click.echo("\n".join(lines))
