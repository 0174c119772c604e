"""`outbox edit --body-file`: UTF-8 (a byte-order mark is dropped) or UTF-16 with its
byte-order mark; any other encoding is refused with one line, and the message stays as
it was (real CLI, real database on both engines)."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from tests.cli.helpers import Afterview

NOW = "2026-09-15T17:30"
BODY = "Dear Ana,\n\nThank you — the café chat was a pleasure.\n\nSam"


def _interview_and_mail(av: Afterview) -> None:
    """An interview that ended at 15:00 and a mail account (nothing is sent here)."""
    av.ok(
        "interview", "add", "--company", "Acme", "--role", "Data Engineer",
        "--start", "2026-09-15T14:00", "--interviewer", "Ana Lopez <ana@acme.example>", now=NOW,
    )  # fmt: skip
    av.ok(
        "mail", "setup", "--smtp-host", "127.0.0.1", "--smtp-security", "none",
        "--from", "sam@example.org", now=NOW,
    )  # fmt: skip


@pytest.fixture
def message(av: Afterview) -> Afterview:
    """An interview, mail set up, and its thank-you scheduled as outbox message 1."""
    _interview_and_mail(av)
    av.ok("send", "thank_you:1:1", now=NOW)
    return av


def _body(av: Afterview) -> str:
    return str(av.ok("outbox", "show", "1", "--json", now=NOW).json()["body"])


@pytest.mark.parametrize(
    "data",
    [
        BODY.encode("utf-8"),
        codecs.BOM_UTF8 + BODY.encode("utf-8"),
        BODY.encode("utf-16"),  # with its byte-order mark (this machine's order)
        codecs.BOM_UTF16_LE + BODY.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + BODY.encode("utf-16-be"),
        BODY.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf-8", "utf-8 with BOM", "utf-16", "utf-16-le BOM", "utf-16-be BOM", "CR LF"],
)
def test_utf8_and_marked_utf16_are_read(message: Afterview, tmp_path: Path, data: bytes) -> None:
    f = tmp_path / "body.txt"
    f.write_bytes(data)
    message.ok("outbox", "edit", "1", "--body-file", str(f), now=NOW)
    assert _body(message) == BODY


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (BODY.encode("latin-1", "replace"), "--body-file: is not UTF-8 text (byte "),
        (BODY.encode("cp1252", "replace"), "--body-file: is not UTF-8 text"),
        (BODY.encode("utf-16-le"), "--body-file: "),  # no mark: not UTF-8, or NUL bytes
        (b"\xff\xfe\x00", "--body-file: is not UTF-8 text"),  # a UTF-16 mark, then half a char
        (b"Dear Ana,\x1b[2J\n", "--body-file: control characters are not accepted"),
        (b"x" * 80_010, "--body-file: expected at most 20000 characters"),
        (b"", "--body-file: expected some text"),
    ],
    ids=["latin-1", "cp1252", "utf-16 without mark", "broken utf-16", "escape", "huge", "empty"],
)
def test_other_files_are_refused_with_one_line(
    message: Afterview, tmp_path: Path, data: bytes, words: str
) -> None:
    before = _body(message)
    f = tmp_path / "body.txt"
    f.write_bytes(data)
    r = message("outbox", "edit", "1", "--body-file", str(f), now=NOW)
    assert r.code == 2, r.out
    assert r.err.startswith(f"afterview: {words}") and r.err.count("\n") == 1, r.err
    assert _body(message) == before


def test_stdin_is_read_the_same_way(message: Afterview) -> None:
    from click.testing import CliRunner

    from tests.cli.helpers import cli

    latin = CliRunner().invoke(
        cli, ["--db", message.db_url, "--now", NOW, "outbox", "edit", "1", "--body-file", "-"],
        input=BODY.encode("latin-1", "replace"),
    )  # fmt: skip
    assert latin.exit_code == 2 and "--body-file: is not UTF-8 text" in latin.stderr
    good = CliRunner().invoke(
        cli, ["--db", message.db_url, "--now", NOW, "outbox", "edit", "1", "--body-file", "-"],
        input=BODY.encode("utf-8"),
    )  # fmt: skip
    assert good.exit_code == 0, good.stderr
    assert _body(message) == BODY


def test_a_late_message_needs_force_and_the_refusal_says_so(av: Afterview) -> None:
    """The service says what insisting does; the command line words it as `--force`."""
    _interview_and_mail(av)
    late = "2026-09-16T18:00"  # past the thank-you's due time, before it lapses
    r = av("send", "thank_you:1:1", now=late)
    assert r.code == 1, r.err
    assert r.err.strip().endswith("; add --force to send it this late"), r.err
    av.ok("send", "thank_you:1:1", "--force", now=late)
