"""End to end through the CLI, against a real aiosmtpd and a real Dovecot.

An interview is added, mail is set up, the thank-you is approved and the worker
(run at a --now inside the ideal window) delivers it; the employer's reply is
APPENDed to Dovecot's INBOX, `mail sync` finds it, and the follow-up that was
approved meanwhile is held instead of sent.
"""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from tests.cli.helpers import Afterview
from tests.mailservers import ME, ME_PASSWORD, DovecotServer, SmtpServer


@pytest.fixture
def mail_av(
    av: Afterview, smtpd: SmtpServer, mailbox: DovecotServer, monkeypatch: pytest.MonkeyPatch
) -> Afterview:
    """The CLI with an interview (Tue 15 Sep 2026 14:00-15:00 Paris, Ana) and mail set up."""
    monkeypatch.setenv("AFTERVIEW_SMTP_PASSWORD", ME_PASSWORD)
    monkeypatch.setenv("AFTERVIEW_IMAP_PASSWORD", mailbox.password)
    now = "2026-09-15T15:10"
    av.ok(
        "interview", "add", "--company", "Acme", "--role", "Data Engineer",
        "--start", "2026-09-15T14:00", "--interviewer", "Ana Lopez <ana@acme.example>",
        now=now,
    )  # fmt: skip
    av.ok("interview", "note", "1", "--topic", "the streaming pipeline", now=now)
    av.ok(
        "mail", "setup", "--smtp-host", smtpd.host, "--smtp-port", str(smtpd.port),
        "--smtp-security", "none", "--smtp-user", ME, "--from", ME,
        "--imap-host", mailbox.host, "--imap-port", str(mailbox.port), "--imap-security", "none",
        "--sent-folder", "Sent",
        now=now,
    )  # fmt: skip
    with mailbox.client() as c:
        c.create_folder("Sent")
    return av


def _agenda(av: Afterview, now: str) -> dict[str, dict[str, object]]:
    return {a["id"]: a for a in av.ok("agenda", "--json", "--all", now=now).json()["actions"]}


def test_thank_you_goes_out_in_its_window_and_a_reply_holds_the_follow_up(
    mail_av: Afterview, smtpd: SmtpServer, mailbox: DovecotServer, tmp_path: Path
) -> None:
    av = mail_av
    checks = av.ok("mail", "check", "--json", now="2026-09-15T15:10").json()
    assert [c["ok"] for c in checks] == [True, True], checks

    # approved 10 minutes after the end: scheduled for the start of the ideal window (17:00)
    approved = av.ok("send", "thank_you:1:1", "--json", now="2026-09-15T15:10").json()
    assert approved[0]["state"] == "scheduled"
    assert approved[0]["send_at"] == "2026-09-15T17:00:00+02:00"
    message_id = approved[0]["message_id"]

    assert av.ok("run", "--once", "--json", now="2026-09-15T16:59").json()["sent"] == []
    assert smtpd.messages == []
    report = av.ok("run", "--once", "--json", now="2026-09-15T17:02").json()
    assert report["sent"] == [approved[0]["id"]]

    [delivered] = smtpd.messages
    msg = delivered.message
    assert delivered.login == ME and delivered.rcpt_tos == ["ana@acme.example"]
    assert msg["From"] == f"Sam Rivera <{ME}>"
    assert msg["To"] == "Ana Lopez <ana@acme.example>"
    assert msg["Subject"] == approved[0]["subject"]
    assert msg["Message-ID"] == message_id
    assert parsedate_to_datetime(msg["Date"]).isoformat() == "2026-09-15T17:02:00+02:00"
    assert "streaming pipeline" in msg.get_content()

    # the copy in Sent, the action done, the outbox settled, nothing sent twice
    with mailbox.client() as c:
        c.select_folder("Sent", readonly=True)
        assert len(c.search(["HEADER", "Message-ID", message_id])) == 1
    actions = _agenda(av, "2026-09-15T17:03")
    assert actions["thank_you:1:1"]["state"] == "done"
    assert av.ok("outbox", "--json", now="2026-09-15T17:03").json() == []
    assert av.ok("run", "--once", "--json", now="2026-09-15T18:00").json()["sent"] == []
    assert len(smtpd.messages) == 1

    # the follow-up opens Tue 22 Sep 15:00 (end + 7 days); approved that morning
    fu = av.ok("send", "follow_up:1:1", "--json", now="2026-09-22T09:00").json()[0]
    assert fu["send_at"] == "2026-09-22T15:00:00+02:00"

    # Ana answers the thank-you at 12:00; the sync finds it by In-Reply-To
    reply = (
        "From: Ana Lopez <ana@acme.example>\r\n"
        f"To: Sam Rivera <{ME}>\r\n"
        "Subject: Re: " + approved[0]["subject"] + "\r\n"
        "Date: Tue, 22 Sep 2026 12:00:00 +0200\r\n"
        "Message-ID: <reply-1@acme.example>\r\n"
        f"In-Reply-To: {message_id}\r\n"
        f"References: {message_id}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Thanks Sam! We will come back to you next week.\r\n"
    ).encode()
    mailbox.append(ME, "INBOX", reply)
    synced = av.ok("mail", "sync", "--json", now="2026-09-22T13:00").json()
    assert (synced["seen"], synced["recorded"], synced["skipped"]) == (1, 1, 0)
    again = av.ok("mail", "sync", "--json", now="2026-09-22T13:05").json()
    assert (again["seen"], again["recorded"]) == (0, 0)

    # the worker, at 15:05, holds the follow-up: the employer wrote after it was approved
    report = av.ok("run", "--once", "--json", now="2026-09-22T15:05").json()
    assert report["held"] == [fu["id"]] and report["sent"] == []
    assert len(smtpd.messages) == 1
    held = av.ok("outbox", "show", str(fu["id"]), "--json", now="2026-09-22T15:05").json()
    assert held["state"] == "held" and "ended" in held["reason"]
    actions = _agenda(av, "2026-09-22T15:05")
    assert actions["follow_up:1:1"]["state"] == "cancelled"
    assert actions["follow_up:1:2"]["opens_at"] == "2026-09-29T12:00:00+02:00"

    # the mailbox was only read: the reply is still unseen in INBOX
    with mailbox.client() as c:
        c.select_folder("INBOX", readonly=True)
        flags = c.get_flags(c.search("ALL"))
        assert all(b"\\Seen" not in f for f in flags.values())
    shown = av.ok("interview", "show", "1", "--json", now="2026-09-22T15:05").json()
    assert any("We will come back to you" in (t.get("note") or "") for t in shown["touches"])

    # the Message-IDs travel with an export (replies stay unique by them after a move)
    first = av.ok("export", now="2026-09-22T15:06").out
    assert message_id in first and "<reply-1@acme.example>" in first
    other = Afterview(str(tmp_path / "moved.db"))
    other.ok("import", "-", input=first, now="2026-09-22T15:06")
    assert other.ok("export", now="2026-09-22T15:06").out == first


def test_a_reply_between_scheduling_and_sending_holds_the_message(
    mail_av: Afterview, smtpd: SmtpServer, mailbox: DovecotServer
) -> None:
    av = mail_av
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
    fu = av.ok("send", "follow_up:1:1", "--json", now="2026-09-22T09:00").json()[0]
    # a message from someone else at Acme (the company's domain, learnt from Ana's address)
    mailbox.append(
        ME,
        "INBOX",
        (
            b"From: Recruiting <jobs@acme.example>\r\nTo: me@local.test\r\n"
            b"Subject: Your application\r\nDate: Tue, 22 Sep 2026 14:00:00 +0200\r\n"
            b"Message-ID: <r2@acme.example>\r\n\r\nHello, a quick update.\r\n"
        ),
    )
    assert av.ok("mail", "sync", "--json", now="2026-09-22T14:30").json()["recorded"] == 1
    report = av.ok("run", "--once", "--json", now="2026-09-22T15:01").json()
    assert report["held"] == [fu["id"]] and smtpd.messages == []


def test_the_worker_reads_replies_itself_and_keeps_follow_ups_back_when_it_cannot(
    mail_av: Afterview, smtpd: SmtpServer, mailbox: DovecotServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    av = mail_av
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
    fu = av.ok("send", "follow_up:1:1", "--json", now="2026-09-22T09:00").json()[0]
    # the mailbox cannot be read: the follow-up waits (still scheduled), nothing is sent
    monkeypatch.setenv("AFTERVIEW_IMAP_PASSWORD", "wrong")
    run = av("run", "--once", "--json", now="2026-09-22T15:01")
    # a login refused is the settings' fault: exit 2, one line, the report still printed
    assert run.code == 2 and run.err.count("\n") == 1 and "authentication" in run.err
    r = run.json()
    assert "authentication" in r["sync_error"] and r["sent"] == [] and smtpd.messages == []
    assert (
        av.ok("outbox", "show", str(fu["id"]), "--json", now="2026-09-22T15:01").json()["state"]
        == "scheduled"
    )
    # a reply arrives; the next pass reads it before sending and holds the follow-up
    monkeypatch.setenv("AFTERVIEW_IMAP_PASSWORD", mailbox.password)
    mailbox.append(
        ME,
        "INBOX",
        (
            b"From: Ana Lopez <ana@acme.example>\r\nTo: me@local.test\r\nSubject: Update\r\n"
            b"Date: Tue, 22 Sep 2026 15:02:00 +0200\r\nMessage-ID: <u@acme.example>\r\n\r\nSoon!\r\n"
        ),
    )
    r = av.ok("run", "--once", "--json", now="2026-09-22T15:10").json()
    assert r["sync"]["recorded"] == 1 and r["held"] == [fu["id"]] and smtpd.messages == []
