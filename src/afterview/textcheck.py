"""The one check every text that enters goes through: CLI, web forms, API, imports,
invitations, CSV files and the mailbox.

Three kinds of text:

- a **line** (a company, a role, a name, a topic, a subject): one line of
  printable characters; control characters, line breaks and direction overrides
  are refused, and so is an RFC 2047 encoded word (`=?utf-8?q?…?=`) that decodes
  to any of them, since mail headers decode such words on their way out;
- a **text** (a note, a body, an answer): several lines; CR LF and CR become LF,
  tabs are kept, every other control character is refused;
- a **header value**: a line checked again right before it goes into a message.

Each failure is a `BadInput` naming the field; nothing is cleaned up silently.
"""

from __future__ import annotations

import re
from typing import Any

from afterview.errors import BadInput


class _Lazy:
    """A pattern compiled on first use: the agenda imports this module and checks nothing."""

    __slots__ = ("_compiled", "_source")

    def __init__(self, source: str) -> None:
        self._source = source
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(self._source)
        return getattr(self._compiled, name)


MAX_TEXT = 5000
MAX_LINE = 300
MAX_HEADER_TEXT = 900

# C0 and C1 controls, DEL, and every other character `str.splitlines` breaks a line at
_LINE_BREAKING = _Lazy(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# The same without tab and line feed (allowed in a text of several lines)
_TEXT_CONTROL = _Lazy(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# Bidirectional overrides (LRO, RLO): they reverse what a reader sees ("exe.txt" shown
# for "txt.exe"). Embeddings and isolates, which come with text pasted from right-to-left
# scripts, are kept.
_DIRECTION = _Lazy(r"[\u202d\u202e]")
# Lone surrogates: what Python makes of bytes that are not UTF-8 (in argv, files)
_SURROGATE = _Lazy(r"[\ud800-\udfff]")
_ENCODED_WORD = _Lazy(r"=\?[^?\s]*\?[^?\s]*\?[^?\s]*\?=")


def shown(value: str, limit: int = 60) -> str:
    """A value quoted for an error message, cut short when it is long (controls escaped)."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def decoded_words(value: str) -> str:
    """The text a mail program shows for `value`: RFC 2047 encoded words decoded.

    Raises `ValueError` when an encoded word cannot be read. Text without an
    encoded word is returned as it is.
    """
    if "=?" not in value or not _ENCODED_WORD.search(value):
        return value
    from email._header_value_parser import get_unstructured

    try:
        token = get_unstructured(value)
        text = str(token)
    except Exception as exc:  # the parser raises several kinds on broken input
        raise ValueError(str(exc)) from None
    if any(d.__class__.__name__ == "UndecodableBytesDefect" for d in token.all_defects):
        raise ValueError("undecodable bytes")
    return text


def is_utf8(value: str) -> bool:
    """False when `value` holds bytes that were not UTF-8 (Python keeps them as lone
    surrogates: in arguments, file names, the environment)."""
    return not _SURROGATE.search(value)


def _common(value: str, field: str) -> None:
    if not is_utf8(value):
        raise BadInput(field, "is not valid UTF-8 text")


def check_line(value: str, field: str, *, limit: int = MAX_LINE, empty: bool = False) -> str:
    """Return `value` stripped if it is one line of printable text of at most `limit` characters.

    Refused: nothing (unless `empty`), control characters and line breaks, direction
    overrides, and encoded words that decode to any of these or cannot be decoded.
    """
    _common(value, field)
    text = value.strip(" ")
    if not text and not empty:
        raise BadInput(field, "expected some text, got nothing")
    if len(text) > limit:
        raise BadInput(field, f"expected at most {limit} characters, got {len(text)}")
    if _LINE_BREAKING.search(text):  # also at either end: "1\n" is not "1"
        raise BadInput(field, "expected one line: line breaks and control characters are refused")
    if _DIRECTION.search(text):
        raise BadInput(field, "text-direction override characters are not accepted")
    try:
        plain = decoded_words(text)
    except ValueError:
        raise BadInput(field, "holds an encoded word (=?…?=) that cannot be read") from None
    if plain is not text and (_LINE_BREAKING.search(plain) or _DIRECTION.search(plain)):
        raise BadInput(
            field, "holds an encoded word (=?…?=) that decodes to a line break or control character"
        )
    return text


def check_text(value: str, field: str, *, limit: int = MAX_TEXT, empty: bool = False) -> str:
    """Return `value` stripped if it is printable text of at most `limit` characters.

    Several lines are fine: CR LF and lone CR become LF; tabs stay. Every other
    control character is refused, and so is nothing at all unless `empty`.
    """
    _common(value, field)
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text and not empty:
        raise BadInput(field, "expected some text, got nothing")
    if len(text) > limit:
        raise BadInput(field, f"expected at most {limit} characters, got {len(text)}")
    if _TEXT_CONTROL.search(text):
        raise BadInput(field, "control characters are not accepted")
    return text


def check_header_text(value: str, field: str, *, limit: int = MAX_HEADER_TEXT) -> str:
    """Return `value` unchanged if it is safe in a mail header, raw and once decoded."""
    check_line(value, field, limit=limit, empty=True)
    return value


def has_control(value: str) -> bool:
    """True when `value` holds a character no one-line display should print as it is."""
    return bool(_LINE_BREAKING.search(value) or _DIRECTION.search(value))


def printable(value: str) -> str:
    """`value` safe to print on a terminal: controls shown escaped (`\\x1b`), not obeyed.

    For text stored before it was checked on the way in.
    """
    if not has_control(value) and not _SURROGATE.search(value):
        return value
    return "".join(
        _escaped(c) if _LINE_BREAKING.match(c) or _DIRECTION.match(c) or _SURROGATE.match(c) else c
        for c in value
    )


def _escaped(c: str) -> str:
    n = ord(c)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def clean_line(value: str, limit: int = MAX_LINE) -> str:
    """`value` made into one line that `check_line` accepts, for text we must keep as it came
    (a subject or a sender's name read from the mailbox), where refusing would lose it.

    Encoded words are decoded (a word that cannot be read stays as it is); control
    characters, line breaks and direction overrides become spaces; bytes that were not
    UTF-8 become U+FFFD; runs of spaces shrink to one; the result is cut to `limit`.
    An encoded word left in the result (one encoded twice) is broken up, so no later
    decoding turns it into a line break.
    """
    text = _SURROGATE.sub("\ufffd", value)
    for _ in range(3):  # an encoded word inside an encoded word, at most twice over
        if "=?" not in text:
            break
        try:
            decoded = decoded_words(text)
        except ValueError:
            break
        if decoded == text:
            break
        text = _SURROGATE.sub("\ufffd", decoded)
    text = " ".join(_DIRECTION.sub(" ", _LINE_BREAKING.sub(" ", text)).split())
    if _ENCODED_WORD.search(text):
        text = text.replace("=?", "= ?")
    return text[:limit].strip()
