"""The text of a CSV file as spreadsheets write it, one line at a time (memory stays flat).

- **Encoding.** A byte-order mark says it (UTF-8, UTF-16 as Excel's "Unicode text" writes
  it, UTF-32); else UTF-8 when every byte is; else Windows-1252, with a note (Latin-1
  would read its quotes, dashes and euro sign as control characters). `--encoding`
  names another: any text encoding Python knows that writes ASCII as ASCII, or UTF-16/32.
- **Line ends.** CR LF, LF, and CR alone (Excel for Mac) all end a line.
- **`sep=`.** Excel writes (and reads) a first line `sep=;` naming the delimiter: it is
  taken as the delimiter and the header is the next line.
- **Cells.** Python's `csv` stops at 128 KB a cell ("field larger than field limit"),
  which read as an unclosed quote and lost the next row: the limit is raised to
  `MAX_CELL` for the whole process (harmless to other readers), and the reader checks
  each field's own length.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from typing import BinaryIO, NamedTuple

from afterview.errors import BadInput
from afterview.textcheck import shown

MAX_CELL = 16 * 1024 * 1024
EXAMPLES = "utf-8, utf-8-sig, utf-16, cp1252, latin-1, mac-roman"
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDE = ("utf-16", "utf-32")
_LONE_CR = re.compile(rb"(?<=\r)(?!\n)")
_SEP = re.compile(r'\ufeff?"?sep=(.)"?[,;\t|]*\r?\n?', re.IGNORECASE)
DELIMITERS = (",", ";", "\t", "|")


def raise_cell_limit() -> None:
    """Let `csv` read cells up to `MAX_CELL` (its default is 128 KB)."""
    if csv.field_size_limit() < MAX_CELL:
        csv.field_size_limit(MAX_CELL)


def check_encoding(name: str) -> str:
    """The codec's own name for `--encoding NAME`, or one line saying what is accepted."""
    accepted = f"expected a text encoding such as {EXAMPLES}"
    if not name.strip():
        raise BadInput("encoding", f"{accepted}, got nothing")
    try:
        info = codecs.lookup(name.strip())
    except (LookupError, ValueError):
        raise BadInput("encoding", f"unknown encoding {shown(name)}; {accepted}") from None
    if not getattr(info, "_is_text_encoding", True):
        raise BadInput("encoding", f"{shown(name)} is not a text encoding; {accepted}")
    if not info.name.startswith(_WIDE):
        try:
            ascii_safe = 'a,;\t|"\r\n'.encode(info.name) == b'a,;\t|"\r\n'
        except (UnicodeError, LookupError):
            ascii_safe = False
        if not ascii_safe:
            raise BadInput("encoding", f"{shown(name)} does not write ASCII as ASCII; {accepted}")
    return info.name


def detect_encoding(fh: BinaryIO, encoding: str | None) -> tuple[str, str | None]:
    """The encoding to read the file with, and a note when it had to be guessed. The file
    is checked in chunks (nothing kept), then rewound."""
    if encoding is not None:
        return check_encoding(encoding), None
    fh.seek(0)
    head = fh.read(4)
    fh.seek(0)
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec, None
    check = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := fh.read(1 << 20):
            check.decode(chunk)
        check.decode(b"", final=True)
    except UnicodeDecodeError:
        fh.seek(0)
        return "cp1252", "not UTF-8; read as Windows-1252 (choose with --encoding)"
    fh.seek(0)
    return "utf-8", None


def lines(fh: BinaryIO, encoding: str, strict: bool) -> Iterator[str]:
    """The file's lines, each with its end, decoded one by one (a line that does not
    decode raises `UnicodeDecodeError` there, when `strict`)."""
    fh.seek(0)
    errors = "strict" if strict else "replace"
    if codecs.lookup(encoding).name.startswith(_WIDE):  # "\n" is not one byte
        wrapper = io.TextIOWrapper(fh, encoding=encoding, errors=errors, newline="")
        try:
            yield from wrapper
        finally:
            wrapper.detach()  # the caller's file stays open
        return
    if encoding == "utf-8-sig":
        if fh.read(3) != codecs.BOM_UTF8:
            fh.seek(0)
        encoding = "utf-8"
    start = fh.tell()
    sample = fh.read(1 << 16)
    fh.seek(start)
    raws = _cr_lines(fh) if b"\r" in sample and b"\n" not in sample else fh
    for raw in raws:  # split at LF by the file object; a lone CR (Excel for Mac) here
        for piece in _LONE_CR.split(raw) if b"\r" in raw else (raw,):
            if piece:
                yield piece.decode(encoding, errors)


def _cr_lines(fh: BinaryIO) -> Iterator[bytes]:
    """The lines of a file whose lines end with CR alone (no LF in its first 64 KB), read
    in chunks: the file object would see one line of the whole file."""
    parts: list[bytes] = []
    while chunk := fh.read(1 << 16):
        if b"\r" not in chunk:
            parts.append(chunk)
            continue
        pieces = chunk.split(b"\r")
        parts.append(pieces[0])
        yield from _lf_split(b"".join(parts) + b"\r")
        for piece in pieces[1:-1]:
            yield from _lf_split(piece + b"\r")
        parts = [pieces[-1]]
    rest = b"".join(parts)
    if rest:
        yield from _lf_split(rest)


def _lf_split(raw: bytes) -> Iterator[bytes]:
    """`raw` cut after each LF (a CR-only file with an LF after all)."""
    if b"\n" not in raw:
        yield raw
        return
    yield from (piece for piece in re.split(rb"(?<=\n)", raw) if piece)


class Head(NamedTuple):
    """Where the data starts: the header line, its number, and the delimiter."""

    header: str
    line: int  # 1, or 2 after a `sep=` line
    delimiter: str


def head(text: Iterator[str]) -> Head:
    """The header (after a `sep=` line, if any) and the delimiter: the `sep=` one, else
    the one of `,` `;` tab `|` the header uses most."""
    first = next(text, None)
    if first is None:
        raise BadInput("FILE", "the file is empty")
    sep = _SEP.fullmatch(first)
    if sep:
        delimiter = sep.group(1)
        if delimiter not in DELIMITERS:
            raise BadInput("FILE", f"line 1: sep= names {shown(delimiter)}; expected , ; tab or |")
        header = next(text, None)
        if header is None:
            raise BadInput("FILE", "the file has no header after its sep= line")
        return Head(header, 2, delimiter)
    counts = {d: first.count(d) for d in DELIMITERS[:3]}  # "|" only when sep= names it
    return Head(first, 1, max(counts, key=lambda d: counts[d]) if any(counts.values()) else ",")
