"""The mail test servers work for real: Dovecot over IMAP, aiosmtpd over SMTP with faults."""

from __future__ import annotations

import smtplib
import socket
import time
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from io import BufferedIOBase
from pathlib import Path

import pytest
from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from tests.mailservers import (
    ME,
    ME_PASSWORD,
    OTHER,
    DovecotServer,
    SmtpProcess,
    SmtpServer,
)

TIMEOUT = 10


def reply_bytes(in_reply_to: str, subject: str = "Re: Thank you") -> bytes:
    """A raw reply from an employer, as it would land in INBOX."""
    return (
        "From: Dana Recruiter <dana@employer.example>\r\n"
        f"To: {ME}\r\n"
        f"Subject: {subject}\r\n"
        "Date: Mon, 03 Mar 2025 10:00:00 +0000\r\n"
        f"Message-ID: {make_msgid(domain='employer.example')}\r\n"
        f"In-Reply-To: {in_reply_to}\r\n"
        f"References: {in_reply_to}\r\n"
        "\r\n"
        "Thanks for your note, we'll be in touch.\r\n"
    ).encode()


def outgoing(subject: str = "Thank you") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = ME
    msg["To"] = "dana@employer.example"
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="local.test")
    msg.set_content("Thank you for the interview today.\n")
    return msg


# -- Dovecot ----------------------------------------------------------------------------------
def test_imap_login_append_and_find_by_in_reply_to(mailbox: DovecotServer) -> None:
    uid = mailbox.append(ME, "INBOX", reply_bytes("<thanks-1@local.test>"))
    mailbox.append(ME, "INBOX", reply_bytes("<unrelated@local.test>"))
    with IMAPClient(mailbox.host, port=mailbox.port, ssl=False, timeout=TIMEOUT) as c:
        c.login(mailbox.user, mailbox.password)
        c.select_folder("INBOX", readonly=True)
        assert c.search(["HEADER", "In-Reply-To", "<thanks-1@local.test>"]) == [uid]
        assert len(c.search("ALL")) == 2


def test_imap_advertises_condstore_and_tracks_modseq(mailbox: DovecotServer) -> None:
    mailbox.append(ME, "INBOX", reply_bytes("<x@local.test>"))
    with mailbox.client() as c:
        caps = c.capabilities()
        assert b"CONDSTORE" in caps
        assert b"IDLE" in caps
        assert b"UIDPLUS" in caps
        status = c.folder_status("INBOX", [b"HIGHESTMODSEQ", b"UIDVALIDITY"])
        assert status[b"HIGHESTMODSEQ"] >= 1
        assert status[b"UIDVALIDITY"] > 0


def test_imap_folders_flags_and_internaldate(mailbox: DovecotServer) -> None:
    with mailbox.client() as c:
        c.create_folder("Sent")
        assert c.folder_exists("Sent")
    when = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)
    uid = mailbox.append(
        ME, "Sent", reply_bytes("<y@local.test>"), flags=[r"\Seen"], internaldate=when
    )
    # A folder that does not exist yet is created by append().
    mailbox.append(ME, "Archive", reply_bytes("<z@local.test>"))
    with mailbox.client() as c:
        c.select_folder("Sent", readonly=True)
        data = c.fetch([uid], ["FLAGS", "INTERNALDATE"])[uid]
        assert b"\\Seen" in data[b"FLAGS"]
        assert data[b"INTERNALDATE"].astimezone(UTC) == when
        names = {name for _flags, _delim, name in c.list_folders()}
        assert {"INBOX", "Sent", "Archive"} <= names


def test_imap_reset_empties_every_folder(mailbox: DovecotServer) -> None:
    mailbox.append(ME, "INBOX", reply_bytes("<a@local.test>"))
    mailbox.append(ME, "Sent", reply_bytes("<b@local.test>"))
    mailbox.append(ME, "Sent.Old", reply_bytes("<c@local.test>"))
    mailbox.reset(ME)
    with mailbox.client() as c:
        assert [name for _f, _d, name in c.list_folders()] == ["INBOX"]
        c.select_folder("INBOX", readonly=True)
        assert c.search("ALL") == []


def test_imap_users_are_separate(mailbox: DovecotServer) -> None:
    try:
        mailbox.append(OTHER, "INBOX", reply_bytes("<other@local.test>"))
        with mailbox.client(OTHER) as c:
            c.select_folder("INBOX", readonly=True)
            assert len(c.search("ALL")) == 1
        with mailbox.client(ME) as c:
            c.select_folder("INBOX", readonly=True)
            assert c.search("ALL") == []
    finally:
        mailbox.reset(OTHER)


def test_imap_wrong_password_fails_fast(dovecot: DovecotServer) -> None:
    for _ in range(2):  # no growing penalty delay after a failure
        start = time.monotonic()
        with (
            IMAPClient(dovecot.host, port=dovecot.port, ssl=False, timeout=TIMEOUT) as c,
            pytest.raises(LoginError),
        ):
            c.login(ME, "not-the-password")
        assert time.monotonic() - start < 3
    with dovecot.client() as c:  # the right password still works at once
        assert c.noop()


# -- aiosmtpd in a thread -------------------------------------------------------------------
def smtp_client(server: SmtpServer | SmtpProcess) -> smtplib.SMTP:
    client = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT)
    client.login(ME, ME_PASSWORD)
    return client


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_smtp_auth_and_record(smtpd: SmtpServer, mechanism: str) -> None:
    msg = outgoing()
    with smtplib.SMTP(smtpd.host, smtpd.port, timeout=TIMEOUT) as client:
        client.ehlo()
        assert "auth" in client.esmtp_features
        client.user, client.password = ME, ME_PASSWORD
        client.auth(mechanism, getattr(client, f"auth_{mechanism.lower()}"))
        refused = client.send_message(
            msg, to_addrs=["dana@employer.example", "cc@employer.example"]
        )
    assert refused == {}
    [got] = smtpd.messages
    assert got.mail_from == ME
    assert got.rcpt_tos == ["dana@employer.example", "cc@employer.example"]
    assert got.login == ME
    assert got.message["Message-ID"] == msg["Message-ID"]
    assert got.message["Subject"] == "Thank you"
    assert got.message.get_content().rstrip() == "Thank you for the interview today."
    assert b"Subject: Thank you" in got.data
    assert smtpd.data_attempts == 1


def test_smtp_wrong_password_gets_535(smtpd: SmtpServer) -> None:
    with smtplib.SMTP(smtpd.host, smtpd.port, timeout=TIMEOUT) as client:
        with pytest.raises(smtplib.SMTPAuthenticationError) as err:
            client.login(ME, "wrong")
        assert err.value.smtp_code == 535
        with pytest.raises(smtplib.SMTPAuthenticationError):
            client.login("someone@else.test", ME_PASSWORD)
    assert smtpd.messages == []


@pytest.mark.parametrize(
    ("code", "text"),
    [
        (421, "4.3.2 Service shutting down"),
        (451, "4.3.0 Try again later"),
        (550, "5.7.1 Message rejected"),
    ],
)
def test_smtp_fail_next_gives_smtp_data_error(smtpd: SmtpServer, code: int, text: str) -> None:
    smtpd.fail_next(code, text)
    with smtp_client(smtpd) as client, pytest.raises(smtplib.SMTPDataError) as err:
        client.send_message(outgoing())
    assert err.value.smtp_code == code
    assert text.encode() in err.value.smtp_error
    assert smtpd.messages == []
    with smtp_client(smtpd) as client:  # the fault was used up
        client.send_message(outgoing("second try"))
    assert [m.message["Subject"] for m in smtpd.messages] == ["second try"]
    assert smtpd.data_attempts == 2


def test_smtp_421_closes_the_connection(smtpd: SmtpServer) -> None:
    smtpd.fail_next(421, "4.3.2 Bye")
    client = smtp_client(smtpd)
    with pytest.raises(smtplib.SMTPDataError):
        client.sendmail(ME, ["dana@employer.example"], outgoing().as_bytes())
    client.close()
    # smtplib closes after a 421 by itself; a raw session shows that the server hangs up too.
    smtpd.fail_next(421, "4.3.2 Bye")
    with socket.create_connection((smtpd.host, smtpd.port), timeout=TIMEOUT) as raw:
        f = raw.makefile("rwb")
        assert read_reply(f).startswith(b"220")
        for line in (b"EHLO x", b"MAIL FROM:<a@b.test>", b"RCPT TO:<c@d.test>", b"DATA"):
            f.write(line + b"\r\n")
            f.flush()
            assert read_reply(f)[:1] in (b"2", b"3")
        f.write(b"Subject: s\r\n\r\nbody\r\n.\r\n")
        f.flush()
        assert read_reply(f).startswith(b"421 4.3.2 Bye")
        assert f.readline() == b""  # EOF: the server closed the connection
        f.close()


def read_reply(f: BufferedIOBase) -> bytes:
    """The last line of one (possibly multi-line) SMTP reply."""
    while (line := f.readline())[3:4] == b"-":
        pass
    return line


def test_smtp_fail_next_times_and_clear(smtpd: SmtpServer) -> None:
    smtpd.fail_next(451, "4.3.0 Later", times=2)
    for _ in range(2):
        with smtp_client(smtpd) as client, pytest.raises(smtplib.SMTPDataError):
            client.send_message(outgoing())
    smtpd.fail_next(550, "5.0.0 No")
    smtpd.clear_faults()
    with smtp_client(smtpd) as client:
        client.send_message(outgoing())
    assert len(smtpd.messages) == 1
    assert smtpd.data_attempts == 3


def test_smtp_drop_mid_data_disconnects(smtpd: SmtpServer) -> None:
    smtpd.drop_next()
    client = smtp_client(smtpd)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        client.send_message(outgoing())
    client.close()
    assert smtpd.messages == []
    assert smtpd.data_attempts == 1
    with smtp_client(smtpd) as client:
        client.send_message(outgoing("after the drop"))
    assert [m.message["Subject"] for m in smtpd.messages] == ["after the drop"]


def test_smtp_drop_after_data_records_but_never_replies(smtpd: SmtpServer) -> None:
    smtpd.drop_next(after_data=True)
    msg = outgoing()
    client = smtp_client(smtpd)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        client.send_message(msg)
    client.close()
    [got] = smtpd.messages  # delivered, though the client could not know
    assert got.message["Message-ID"] == msg["Message-ID"]


def test_smtp_stopped_server_refuses_connections(smtpd: SmtpServer) -> None:
    port = smtpd.port
    smtpd.stop()
    with pytest.raises(ConnectionRefusedError):
        smtplib.SMTP(smtpd.host, port, timeout=TIMEOUT)
    smtpd.start()  # back on the same port
    assert smtpd.port == port
    with smtp_client(smtpd) as client:
        client.send_message(outgoing())
    assert len(smtpd.messages) == 1


def test_smtp_stop_cuts_an_open_connection(smtpd: SmtpServer) -> None:
    client = smtp_client(smtpd)
    smtpd.stop()
    with pytest.raises(smtplib.SMTPServerDisconnected):
        client.send_message(outgoing())
    client.close()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtp_auth_required_option() -> None:
    server = SmtpServer(auth_required=True)
    server.start()
    try:
        with smtplib.SMTP(server.host, server.port, timeout=TIMEOUT) as client:
            with pytest.raises(smtplib.SMTPSenderRefused) as err:
                client.send_message(outgoing())
            assert err.value.smtp_code == 530
    finally:
        server.stop()


# -- aiosmtpd in a child process ------------------------------------------------------------------
def test_smtp_process_logs_delivered_message_ids(smtp_process: SmtpProcess) -> None:
    first, second = outgoing("one"), outgoing("two")
    with smtp_client(smtp_process) as client:
        client.send_message(first)
        client.send_message(second)
    assert smtp_process.delivered_ids() == [first["Message-ID"], second["Message-ID"]]
    smtp_process.kill()
    with pytest.raises(ConnectionRefusedError):
        smtplib.SMTP(smtp_process.host, smtp_process.port, timeout=TIMEOUT)
    assert len(smtp_process.delivered_ids()) == 2  # the file outlives the process


def test_smtp_process_rejects_wrong_password_and_restarts(tmp_path: Path) -> None:
    out = tmp_path / "ids.txt"
    with SmtpProcess(out) as proc, smtplib.SMTP(proc.host, proc.port, timeout=TIMEOUT) as client:
        with pytest.raises(smtplib.SMTPAuthenticationError):
            client.login(ME, "wrong")
        client.login(ME, ME_PASSWORD)
        client.send_message(outgoing())
    with SmtpProcess(out) as again, smtp_client(again) as client:  # appends to the same file
        client.send_message(outgoing())
    assert len(again.delivered_ids()) == 2
