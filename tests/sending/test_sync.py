"""`mail sync` against a real Dovecot: matching, malformed mail, resuming, renumbered folders."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from afterview.cli.session import open_context
from afterview.services import replies
from tests.cli.helpers import Afterview
from tests.mailservers import ME, DovecotServer

NOW = "2026-09-25T12:00"
NEW_YORK = ZoneInfo("America/New_York")


def _mail(
    sender: str, subject: str, day: int, msg_id: str, extra: str = "", body: str = "Hello."
) -> bytes:
    return (
        f"From: {sender}\r\nTo: {ME}\r\nSubject: {subject}\r\n"
        f"Date: Tue, {day} Sep 2026 10:00:00 +0200\r\nMessage-ID: <{msg_id}>\r\n{extra}"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    ).encode()


@pytest.fixture
def synced_av(av: Afterview, mailbox: DovecotServer, monkeypatch: pytest.MonkeyPatch) -> Afterview:
    """Two interviews (Acme with Ana, Globex with a gmail interviewer) and IMAP set up."""
    monkeypatch.setenv("AFTERVIEW_IMAP_PASSWORD", mailbox.password)
    av.ok(
        "interview", "add", "--company", "Acme", "--role", "Data Engineer",
        "--start", "2026-09-15T14:00", "--interviewer", "Ana Lopez <ana@acme.example>",
        now="2026-09-15T15:10",
    )  # fmt: skip
    av.ok(
        "interview", "add", "--company", "Globex", "--role", "Analyst",
        "--start", "2026-09-16T10:00", "--interviewer", "Bo Chen <bo.chen@gmail.com>",
        now="2026-09-16T11:10",
    )  # fmt: skip
    av.ok(
        "mail", "setup", "--smtp-host", "127.0.0.1", "--smtp-security", "none", "--from", ME,
        "--my-address", "sam.rivera@example.net",
        "--imap-host", mailbox.host, "--imap-port", str(mailbox.port), "--imap-security", "none",
        now="2026-09-16T11:10",
    )  # fmt: skip
    return av


def _received(av: Afterview, interview: int) -> list[dict[str, Any]]:
    shown = av.ok("interview", "show", str(interview), "--json", now=NOW).json()
    return [t for t in shown["touches"] if t["direction"] == "received"]


def test_what_counts_as_the_employers(synced_av: Afterview, mailbox: DovecotServer) -> None:
    av = synced_av
    for raw in (
        _mail("Ana Lopez <ANA@acme.example>", "Next steps", 17, "a1@acme.example"),  # interviewer
        _mail("HR <people@acme.example>", "Your interview", 18, "a2@acme.example"),  # domain
        _mail("Bo Chen <bo.chen@gmail.com>", "Hi", 18, "g1@gmail.com"),  # interviewer (free mail)
        _mail(
            "Someone <someone@gmail.com>", "Hi", 18, "g2@gmail.com"
        ),  # free mail: never by domain
        _mail("Newsletter <news@shop.example>", "Sale", 18, "n1@shop.example"),  # unrelated
        _mail(f"Me <{ME}>", "Fwd: notes", 18, "m1@local.test"),  # my own
        _mail("Me <sam.rivera@example.net>", "notes", 18, "m2@example.net"),  # my other address
        _mail(
            "Ana Lopez <ana@acme.example>", "Before", 14, "a0@acme.example"
        ),  # before the interview
    ):
        mailbox.append(ME, "INBOX", raw)
    report = av.ok("mail", "sync", "--json", now=NOW).json()
    assert (report["seen"], report["recorded"], report["skipped"]) == (8, 3, 0)
    acme = _received(av, 1)
    assert sorted(t["at"] for t in acme) == [
        "2026-09-17T10:00:00+02:00",
        "2026-09-18T10:00:00+02:00",
    ]
    assert next(t for t in acme if "Next steps" in t["note"])["person"]["name"] == "Ana Lopez"
    assert len(_received(av, 2)) == 1
    # nothing flagged or moved
    with mailbox.client() as c:
        c.select_folder("INBOX", readonly=True)
        assert all(b"\\Seen" not in f for f in c.get_flags(c.search("ALL")).values())


@pytest.fixture
def far_zone() -> Iterator[None]:
    """This process in Los Angeles: an arrival time must not be read as local time."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/Los_Angeles"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


@pytest.mark.usefixtures("far_zone")
def test_malformed_messages_are_skipped_and_counted(
    synced_av: Afterview, mailbox: DovecotServer
) -> None:
    av = synced_av
    broken = [
        b"From: \xff\xfe garbage\r\nSubject: =?x-unknown?Q?=ZZ?=\r\n\r\nbody\r\n",  # no address
        b"Subject: no sender\r\nDate: Tue, 17 Sep 2026 10:00:00 +0200\r\n\r\nbody\r\n",
        b'From: ana@acme.example\r\nContent-Type: multipart/mixed; boundary="x\r\n\r\n--x\r\n',
        (
            "From: =?utf-8?B?QW7DoQ==?= <ana@acme.example>\r\nSubject: =?iso-8859-1?q?R=E9sum=E9?=\r\n"
            "Date: not a date\r\nMessage-ID: <odd@acme.example>\r\n"
            "Content-Type: text/plain; charset=x-unknown-charset\r\n\r\n\xe9t\xe9\r\n"
        ).encode("latin-1"),
    ]
    for raw in broken:
        mailbox.append(ME, "INBOX", raw, internaldate=datetime(2026, 9, 19, 9, 0, tzinfo=NEW_YORK))
    report = av.ok("mail", "sync", "--json", now=NOW).json()
    assert report["seen"] == 4 and report["skipped"] == 2
    # the one with a broken Date falls back to the server's arrival time; the odd MIME one is kept
    notes = {t["note"].split(":")[0]: t for t in _received(av, 1)}
    assert notes["Aná"]["at"] == "2026-09-19T15:00:00+02:00"  # 09:00 in New York
    human = av.ok("mail", "sync", now=NOW).out
    assert "0 new messages" in human


class _KickAfterFirstFetch:
    """A real IMAP client whose server session is cut (doveadm kick) after its first fetch."""

    def __init__(self, client: Any, server: DovecotServer) -> None:
        self._client = client
        self._server = server
        self._fetches = 0

    def fetch(self, *args: Any, **kwargs: Any) -> Any:
        self._fetches += 1
        if self._fetches == 3:  # headers of batch 1, snippets of batch 1, then batch 2
            assert self._server.base is not None
            subprocess.run(
                ["doveadm", "-c", str(self._server.base / "dovecot.conf"), "kick", ME],
                check=True, capture_output=True, timeout=30,
            )  # fmt: skip
        return self._client.fetch(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


def test_a_dropped_connection_resumes_without_duplicates(
    synced_av: Afterview, mailbox: DovecotServer, monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    av = synced_av
    for n in range(6):
        mailbox.append(
            ME,
            "INBOX",
            _mail("Ana Lopez <ana@acme.example>", f"Note {n}", 17, f"r{n}@acme.example"),
        )
    real = replies.connect_imap

    def cut(*args: Any, **kwargs: Any) -> Any:
        return _KickAfterFirstFetch(real(*args, **kwargs), mailbox)

    monkeypatch.setattr(replies, "connect_imap", cut)
    ctx = open_context(db_url, NOW)
    try:
        with pytest.raises(Exception):  # noqa: B017 - imaplib's own abort error
            replies.sync(ctx, batch=2)
    finally:
        ctx.db.close()
    assert len(_received(av, 1)) == 2  # the first batch was saved with its progress
    monkeypatch.setattr(replies, "connect_imap", real)
    report = av.ok("mail", "sync", "--json", now=NOW).json()
    assert (report["seen"], report["recorded"]) == (4, 4)
    assert len(_received(av, 1)) == 6


def test_a_renumbered_folder_is_read_again_cleanly(
    synced_av: Afterview, mailbox: DovecotServer
) -> None:
    av = synced_av
    mailbox.append(ME, "INBOX", _mail("Ana Lopez <ana@acme.example>", "One", 17, "u1@acme.example"))
    assert av.ok("mail", "sync", "--json", now=NOW).json()["recorded"] == 1
    # the server renumbers INBOX: a new UIDVALIDITY (what a restored or rebuilt mailbox gets)
    assert mailbox.base is not None
    with mailbox.client() as c:
        before = c.select_folder("INBOX", readonly=True)[b"UIDVALIDITY"]
    subprocess.run(
        ["doveadm", "-c", str(mailbox.base / "dovecot.conf"), "mailbox", "update",
         "-u", ME, "--uid-validity", str(int(before) + 1000), "INBOX"],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    mailbox.append(ME, "INBOX", _mail("Ana Lopez <ana@acme.example>", "Two", 18, "u2@acme.example"))
    with mailbox.client() as c:
        after = c.select_folder("INBOX", readonly=True)[b"UIDVALIDITY"]
    assert after != before
    report = av.ok("mail", "sync", "--json", now=NOW).json()
    assert report["rescanned"] is True and report["seen"] == 2 and report["recorded"] == 1
    assert sorted(t["note"].split(": ")[1][:3] for t in _received(av, 1)) == ["One", "Two"]


def test_no_imap_configured_or_no_password(av: Afterview, monkeypatch: pytest.MonkeyPatch) -> None:
    av.ok(
        "mail",
        "setup",
        "--smtp-host",
        "127.0.0.1",
        "--smtp-security",
        "none",
        "--from",
        ME,
        now=NOW,
    )
    r = av("mail", "sync", now=NOW)
    assert r.code == 1 and "--imap-host" in r.err
    av.ok(
        "mail", "setup", "--smtp-host", "127.0.0.1", "--smtp-security", "none", "--from", ME,
        "--imap-host", "127.0.0.1", "--imap-security", "none", now=NOW,
    )  # fmt: skip
    r = av("mail", "sync", now=NOW)
    assert r.code == 2 and "AFTERVIEW_IMAP_PASSWORD" in r.err and r.err.count("\n") == 1


def test_auto_replies_bounces_and_escapes(synced_av: Afterview, mailbox: DovecotServer) -> None:
    av = synced_av
    for raw in (
        _mail(
            "Ana Lopez <ana@acme.example>",
            "Automatic reply",
            17,
            "ooo@acme.example",
            "Auto-Submitted: auto-replied\r\n",
        ),
        _mail(
            "Ana Lopez <ana@acme.example>", "Away", 17, "away@acme.example", "X-Autoreply: yes\r\n"
        ),
        _mail(
            "Mail Delivery System <MAILER-DAEMON@acme.example>",
            "Undelivered",
            17,
            "bounce@acme.example",
        ),
        _mail(
            "Ana Lopez <ana@acme.example>",
            "=?utf-8?q?=1B]0;pwned=07=1B[31mRED?=",
            18,
            "esc@acme.example",
            body="\x1b[2J\x1b[31mcleared",
        ),
    ):
        mailbox.append(ME, "INBOX", raw)
    report = av.ok("mail", "sync", "--json", now=NOW).json()
    assert (report["seen"], report["recorded"]) == (4, 1)
    [touch] = _received(av, 1)
    assert "\x1b" not in touch["note"] and "\x07" not in touch["note"]
    assert "RED" in touch["note"] and "cleared" in touch["note"]


def test_a_reply_dated_ahead_of_its_arrival_still_holds_the_follow_up(
    synced_av: Afterview, mailbox: DovecotServer
) -> None:
    av = synced_av
    av.ok("mail", "setup", "--smtp-host", "127.0.0.1", "--smtp-security", "none", "--from", ME,
          "--imap-host", mailbox.host, "--imap-port", str(mailbox.port), "--imap-security", "none",
          now="2026-09-22T09:00")  # fmt: skip
    av.ok(
        "log",
        "1",
        "--sent",
        "--kind",
        "thank_you",
        "--at",
        "2026-09-15T17:00",
        now="2026-09-15T17:00",
    )
    av.ok("send", "follow_up:1:1", now="2026-09-22T09:00")
    # arrived 14:50 Paris, but its Date header says 15:40 (a sender's clock an hour ahead)
    mailbox.append(
        ME, "INBOX",
        _mail("Ana Lopez <ana@acme.example>", "Re: hello", 22, "ahead@acme.example").replace(
            b"Tue, 22 Sep 2026 10:00:00 +0200", b"Tue, 22 Sep 2026 15:40:00 +0200"
        ),
        internaldate=datetime(2026, 9, 22, 14, 50, tzinfo=ZoneInfo("Europe/Paris")),
    )  # fmt: skip
    report = av.ok("run", "--once", "--json", now="2026-09-22T15:01").json()
    assert report["sync"]["recorded"] == 1 and report["sent"] == [] and report["held"] == [1]
    [touch] = _received(av, 1)
    assert touch["at"] == "2026-09-22T14:50:00+02:00"


def test_rescan_finds_what_an_address_added_later_matches(
    synced_av: Afterview, mailbox: DovecotServer
) -> None:
    av = synced_av
    mailbox.append(
        ME, "INBOX", _mail("Dee <dee@initech.example>", "Your call", 18, "i1@initech.example")
    )
    assert av.ok("mail", "sync", "--json", now=NOW).json()["recorded"] == 0
    av.ok(
        "interview", "add", "--company", "Initech", "--role", "Dev", "--start", "2026-09-17T10:00",
        "--interviewer", "Dee <dee@initech.example>", now=NOW,
    )  # fmt: skip
    assert av.ok("mail", "sync", "--json", now=NOW).json()["recorded"] == 0  # already read past it
    again = av.ok("mail", "sync", "--rescan", "--json", now=NOW).json()
    assert again["rescanned"] is True and again["recorded"] == 1
    assert av.ok("mail", "sync", "--rescan", "--json", now=NOW).json()["recorded"] == 0


def test_an_unreachable_mailbox_is_one_line(synced_av: Afterview) -> None:
    av = synced_av
    av.ok("mail", "setup", "--smtp-host", "127.0.0.1", "--smtp-security", "none", "--from", ME,
          "--imap-host", "127.0.0.1", "--imap-port", "1", "--imap-security", "none", now=NOW)  # fmt: skip
    r = av("mail", "sync", now=NOW)
    assert (
        r.code == 1
        and r.err.startswith("afterview: imap 127.0.0.1:1: refused")
        and r.err.count("\n") == 1
    )
