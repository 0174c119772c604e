"""Reading a JSON document of any size a record at a time.

An export holds one object whose values are mostly long lists of small records.
`top_level` walks that object key by key and hands each list over an item at a
time, so that memory holds one record and a read buffer, never the whole file.
Each record is parsed by the given `json.JSONDecoder` (its hooks apply as they
would to the whole text), and every problem says where it is in the whole
document, line and column, as `json.loads` would.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

CHUNK = 1 << 20
#: The most one value read whole may take (a record of a list, or a value that is not one).
MAX_RECORD = 64 << 20
_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER_GOES_ON = re.compile(r"[0-9.eE+-]*")


class NotJson(Exception):
    """The text is not valid JSON: what was expected, and where (1-based line and column)."""

    def __init__(self, msg: str, line: int, column: int) -> None:
        super().__init__(f"{msg} (line {line}, column {column})")
        self.msg, self.line, self.column = msg, line, column


class TooLarge(Exception):
    """One value of the document is over `MAX_RECORD` characters."""


class Reader:
    """Text decoded from `read` (UTF-8, a leading byte order mark dropped) in a buffer
    that keeps only what has not been read yet, with the line and column of its start.

    A `UnicodeDecodeError` from the decoder goes to the caller as it is."""

    def __init__(self, read: Callable[[int], bytes], decoder: json.JSONDecoder) -> None:
        self._read = read
        self._utf8 = codecs.getincrementaldecoder("utf-8-sig")()
        self._decoder = decoder
        self.text = ""
        self.pos = 0
        self.eof = False
        self._line = 1  # line of text[0]
        self._column = 0  # column of text[0] on its line, from 0
        self.taken = 0  # characters read so far, the buffer included

    def _more(self, want: int) -> bool:
        """Read at least `want` more bytes into the buffer; False at the end of the input."""
        if self.eof:
            return False
        if self.pos:
            done = self.text[: self.pos]
            lines = done.count("\n")
            if lines:
                self._line += lines
                self._column = len(done) - done.rfind("\n") - 1
            else:
                self._column += len(done)
            self.text = self.text[self.pos :]
            self.pos = 0
        data = self._read(want)
        piece = self._utf8.decode(data, final=not data)
        self.eof = not data
        self.text += piece
        self.taken += len(piece)
        return True

    def offset(self) -> int:
        """How many characters of the text have been read past."""
        return self.taken - (len(self.text) - self.pos)

    def where(self, pos: int) -> tuple[int, int]:
        """The line and column (both from 1) of the buffer's `pos` in the whole text."""
        before = self.text[:pos]
        lines = before.count("\n")
        if lines:
            return self._line + lines, pos - before.rfind("\n")
        return self._line, self._column + pos + 1

    def fail(self, msg: str, pos: int | None = None) -> NotJson:
        """`NotJson` at `pos` (default: the current position)."""
        return NotJson(msg, *self.where(self.pos if pos is None else pos))

    def peek(self) -> str:
        """The next character that is not white space ('' at the end of the input)."""
        while True:
            match = _SPACE.match(self.text, self.pos)
            assert match is not None
            self.pos = match.end()
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self._more(CHUNK):
                return ""

    def value(self) -> Any:
        """The JSON value at the current position, read whole (at most `MAX_RECORD`)."""
        self.peek()
        want = CHUNK
        while True:
            try:
                value, end = self._decoder.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as exc:
                if self.eof or not _maybe_cut(exc, len(self.text)):
                    raise self.fail(exc.msg, exc.pos) from None
                self._grow(want)
            else:
                run = _NUMBER_GOES_ON.match(self.text, end)
                assert run is not None
                if self.eof or run.end() < len(self.text):  # a number may go on ("1" of "1e5")
                    self.pos = end
                    return value
                self._grow(want)
            want = min(want * 2, MAX_RECORD)

    def _grow(self, want: int) -> None:
        if len(self.text) - self.pos > MAX_RECORD:
            raise TooLarge(f"a single value is over {MAX_RECORD // (1 << 20)} MB")
        self._more(want)

    def expect(self, char: str, msg: str) -> None:
        """Step over `char` (after white space), or fail with `msg`."""
        if self.peek() != char:
            raise self.fail(msg)
        self.pos += 1


def _maybe_cut(exc: json.JSONDecodeError, end: int) -> bool:
    """Whether more of the text could mend this error: it is at the end of what was
    read (a word cut short, `-Infinity` or a \\uXXXX escape, starts up to ten characters
    back), or in a string not closed yet. An error further back stays an error however
    the text goes on."""
    return exc.pos >= end - 10 or exc.msg.startswith("Unterminated string")


class Items:
    """The items of the list at the reader's position, one at a time."""

    def __init__(self, reader: Reader) -> None:
        self._reader = reader
        self.done = False

    def __iter__(self) -> Iterator[Any]:
        r = self._reader
        r.expect("[", "Expecting value")
        if r.peek() == "]":
            r.pos += 1
            self.done = True
            return
        while True:
            yield r.value()
            c = r.peek()
            r.pos += 1
            if c == "]":
                self.done = True
                return
            if c != ",":
                r.pos -= 1
                raise r.fail("Expecting ',' delimiter")

    def drain(self) -> None:
        """Read past whatever of the list is left."""
        if not self.done:
            for _item in self:
                pass


def top_level(reader: Reader) -> Iterator[tuple[str, Any]]:
    """The keys of the object the text holds, in order, each with its value: a list as
    `Items` (read it, or leave it: what is left is read past before the next key), any
    other value whole. A text that holds something else than an object yields one pair
    ("", value) with that value (None at most, if it is too large to read)."""
    c = reader.peek()
    if c != "{":
        if not c:
            raise reader.fail("Expecting value")
        try:
            yield "", reader.value()
        except TooLarge:
            yield "", None
        return
    reader.pos += 1
    c = reader.peek()
    if c == "}":
        reader.pos += 1
    while c != "}":
        if c != '"':
            raise reader.fail("Expecting property name enclosed in double quotes")
        key = reader.value()
        reader.expect(":", "Expecting ':' delimiter")
        if reader.peek() == "[":
            items = Items(reader)
            yield key, items
            items.drain()
        else:
            yield key, reader.value()
        c = reader.peek()
        reader.pos += 1
        if c == ",":
            c = reader.peek()
            if c == "}":
                raise reader.fail("Illegal trailing comma before end of object")
        elif c != "}":
            reader.pos -= 1
            raise reader.fail("Expecting ',' delimiter")
    if reader.peek():
        raise reader.fail("Extra data")
