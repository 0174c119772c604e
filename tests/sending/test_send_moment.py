"""Approved messages say what fits the moment they go out, through the real CLI, a real
database (SQLite and PostgreSQL) and a real SMTP server (aiosmtpd).

afterview's words are written at approval for the scheduled moment (the user can read
them in the outbox before they go out); the worker holds words that no longer fit the
moment it would send them ("today" after midnight) instead of rewriting them unseen;
`outbox reschedule` writes them for the new moment; the user's own words (an edit) are
never rewritten nor held for their wording.
"""

from __future__ import annotations

import pytest

from tests.cli.helpers import Afterview
from tests.mailservers import ME, ME_PASSWORD, SmtpMessage, SmtpServer


@pytest.fixture
def mail_av(av: Afterview, smtpd: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> Afterview:
    """The CLI with mail set up through `smtpd` (no IMAP)."""
    monkeypatch.setenv("AFTERVIEW_SMTP_PASSWORD", ME_PASSWORD)
    av.ok(
        "mail", "setup", "--smtp-host", smtpd.host, "--smtp-port", str(smtpd.port),
        "--smtp-security", "none", "--smtp-user", ME, "--from", ME, now="2026-09-15T09:00",
    )  # fmt: skip
    return av


def _interview(av: Afterview, start: str) -> int:
    iv = av.ok(
        "interview", "add", "--company", "Acme", "--role", "Data Engineer", "--start", start,
        "--interviewer", "Ana Lopez <ana@acme.example>", now="2026-09-15T09:00",
    ).out.strip()  # fmt: skip
    av.ok("interview", "note", iv, "--topic", "the streaming pipeline", now="2026-09-15T09:00")
    return int(iv)


def _text(got: SmtpMessage) -> str:
    """The text of a delivered message, with its line ends as afterview wrote them."""
    return str(got.message.get_content()).replace("\r\n", "\n")


def _row(av: Afterview, message: int, now: str) -> dict[str, object]:
    return av.ok("outbox", "show", str(message), "--json", now=now).json()


def test_a_thank_you_scheduled_after_midnight_says_yesterday(
    mail_av: Afterview, smtpd: SmtpServer
) -> None:
    av = mail_av
    iv = _interview(av, "2026-09-15T21:30")  # ends 22:30: ideal from 00:30 on Wednesday
    # drafted at 22:40 it says "today"; approved at 22:40 it goes out after midnight
    shown = av.ok("draft", "thank-you", str(iv), "--json", now="2026-09-15T22:40").json()[0]
    assert "meet with me today" in shown["body"]
    [row] = av.ok("send", f"thank_you:{iv}:1", "--json", now="2026-09-15T22:40").json()
    assert row["send_at"] == "2026-09-16T00:30:00+02:00"
    assert "meet with me yesterday" in str(row["body"]) and "today" not in str(row["body"])
    assert row["subject"] == "Thank you for yesterday's conversation about the Data Engineer role"
    assert av.ok("run", "--once", "--json", now="2026-09-16T00:31").json()["sent"] == [row["id"]]
    [got] = smtpd.messages
    assert got.message["Subject"] == row["subject"]
    assert _text(got) == row["body"]


def test_draft_approve_saves_the_words_that_go_out(mail_av: Afterview) -> None:
    av = mail_av
    iv = _interview(av, "2026-09-15T21:30")
    [row] = av.ok(
        "draft", "thank-you", str(iv), "--approve", "--json", now="2026-09-15T22:40"
    ).json()
    assert "meet with me yesterday" in str(row["body"])
    shown = av.ok("interview", "show", str(iv), "--json", now="2026-09-15T22:41").json()
    assert [d["body"] for d in shown["drafts"]] == [row["body"]]


@pytest.fixture
def evening(mail_av: Afterview) -> tuple[Afterview, int]:
    """A thank-you for a 19:00-20:00 interview approved at 22:10 (in its ideal window,
    22:00-23:00): it goes out at once, worded for Tuesday ("today")."""
    av = mail_av
    iv = _interview(av, "2026-09-15T19:00")
    [row] = av.ok("send", f"thank_you:{iv}:1", "--json", now="2026-09-15T22:10").json()
    assert row["send_at"] == "2026-09-15T22:10:00+02:00"
    assert "meet with me today" in str(row["body"])
    return av, int(row["id"])


def test_words_that_no_longer_fit_are_held_then_written_again_by_reschedule(
    evening: tuple[Afterview, int], smtpd: SmtpServer
) -> None:
    av, message = evening
    # the worker did not run before midnight: "today" no longer fits, it is held, unsent
    report = av.ok("run", "--once", "--json", now="2026-09-16T00:15").json()
    assert report["held"] == [message] and smtpd.messages == []
    held = _row(av, message, "2026-09-16T00:15")
    assert held["state"] == "held" and "meet with me today" in str(held["body"])
    assert "no longer fits" in str(held["reason"])
    assert f"afterview outbox reschedule {message}" in str(held["reason"])
    # rescheduling approves it again, with words written for the new moment
    r = av.ok("outbox", "reschedule", str(message), now="2026-09-16T00:20")
    assert f"afterview outbox show {message}" in r.err and "written again" in r.err
    again = _row(av, message, "2026-09-16T00:20")
    assert again["state"] == "scheduled" and "meet with me yesterday" in str(again["body"])
    assert "yesterday's conversation" in str(again["subject"])
    assert av.ok("run", "--once", "--json", now="2026-09-16T00:21").json()["sent"] == [message]
    [got] = smtpd.messages
    assert "meet with me yesterday" in _text(got)


def test_a_reschedule_the_same_day_keeps_the_words(evening: tuple[Afterview, int]) -> None:
    av, message = evening
    before = _row(av, message, "2026-09-15T22:11")
    r = av.ok(
        "outbox", "reschedule", str(message), "--at", "2026-09-15T23:30", now="2026-09-15T22:11"
    )
    assert r.err == ""
    after = _row(av, message, "2026-09-15T22:12")
    assert (after["subject"], after["body"]) == (before["subject"], before["body"])
    assert after["send_at"] == "2026-09-15T23:30:00+02:00"


def test_the_users_own_words_are_never_rewritten_nor_held_for_them(
    evening: tuple[Afterview, int], smtpd: SmtpServer
) -> None:
    av, message = evening
    mine = "Dear Ana,\n\nThank you for today, it was a pleasure.\n\nSam\n"
    av.ok("outbox", "edit", str(message), "--body", mine, now="2026-09-15T22:11")
    report = av.ok("run", "--once", "--json", now="2026-09-16T00:15").json()
    assert report["sent"] == [message]
    [got] = smtpd.messages
    assert _text(got) == mine


def test_a_thank_you_approved_past_its_due_time_is_a_late_note(
    mail_av: Afterview, smtpd: SmtpServer
) -> None:
    av = mail_av
    iv = _interview(av, "2026-09-15T14:00")  # due Wed 16 Sep 15:00
    r = av("send", f"thank_you:{iv}:1", now="2026-09-17T10:00")
    assert r.code == 1 and "--force" in r.err
    [row] = av.ok("send", f"thank_you:{iv}:1", "--force", "--json", now="2026-09-17T10:00").json()
    assert row["subject"] == "With thanks for our conversation about the Data Engineer role"
    assert "I would still like to thank you for meeting with me on Tuesday" in str(row["body"])
    assert av.ok("run", "--once", "--json", now="2026-09-17T10:01").json()["sent"] == [row["id"]]
    assert "on Tuesday about the Data Engineer role" in _text(smtpd.messages[0])


def test_a_follow_up_approved_early_thanks_someone_never_thanked(
    mail_av: Afterview, smtpd: SmtpServer
) -> None:
    av = mail_av
    iv = _interview(av, "2026-09-15T14:00")  # no thank-you: it lapses on Tue 22 Sep 15:00
    [row] = av.ok("send", f"follow_up:{iv}:1", "--json", now="2026-09-18T09:00").json()
    assert row["send_at"] == "2026-09-22T15:00:00+02:00"  # when it opens
    body = str(row["body"])
    assert "I want to thank you for meeting with me on Tuesday 15 September" in body
    assert av.ok("run", "--once", "--json", now="2026-09-22T15:01").json()["sent"] == [row["id"]]
    assert _text(smtpd.messages[0]) == body
