"""The worker against a misbehaving SMTP server, and the outbox commands around it.

Temporary failures (server down, 421, 451) are retried with backoff inside the
window; a 550 ends as failed with the server's reason; a connection dropped
mid-DATA leaves the message uncertain, never resent on its own.
"""

from __future__ import annotations

import pytest

from tests.cli.helpers import Afterview
from tests.mailservers import ME, ME_PASSWORD, SmtpServer

NOW = "2026-09-15T17:05"  # inside the thank-you's ideal window (end 15:00 + 2 h .. 3 h)


@pytest.fixture
def queued(
    av: Afterview, smtpd: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> tuple[Afterview, int]:
    """A thank-you to Ana approved for 17:00, SMTP through `smtpd` (no IMAP)."""
    monkeypatch.setenv("AFTERVIEW_SMTP_PASSWORD", ME_PASSWORD)
    av.ok(
        "interview", "add", "--company", "Acme", "--role", "Data Engineer",
        "--start", "2026-09-15T14:00", "--interviewer", "Ana Lopez <ana@acme.example>",
        now="2026-09-15T15:10",
    )  # fmt: skip
    av.ok(
        "mail", "setup", "--smtp-host", smtpd.host, "--smtp-port", str(smtpd.port),
        "--smtp-security", "none", "--smtp-user", ME, "--from", ME, now="2026-09-15T15:10",
    )  # fmt: skip
    row = av.ok("send", "thank_you:1:1", "--json", now="2026-09-15T15:10").json()[0]
    return av, int(row["id"])


def _row(av: Afterview, message: int, now: str) -> dict[str, object]:
    return av.ok("outbox", "show", str(message), "--json", now=now).json()


@pytest.mark.parametrize(("code", "text"), [(421, "try later"), (451, "local error")])
def test_temporary_answers_are_retried_with_backoff(
    queued: tuple[Afterview, int], smtpd: SmtpServer, code: int, text: str
) -> None:
    av, message = queued
    smtpd.fail_next(code, text)
    report = av.ok("run", "--once", "--json", now=NOW).json()
    assert report["retrying"] == [message] and smtpd.messages == []
    row = _row(av, message, NOW)
    assert row["state"] == "scheduled" and row["attempts"] == 1
    assert row["retry_at"] == "2026-09-15T17:06:00+02:00"
    assert str(code) in str(row["reason"]) and text in str(row["reason"])
    # not before the retry time; then it goes, once
    assert av.ok("run", "--once", "--json", now="2026-09-15T17:05:30").json()["sent"] == []
    assert av.ok("run", "--once", "--json", now="2026-09-15T17:06").json()["sent"] == [message]
    assert len(smtpd.messages) == 1


def test_a_server_that_is_down_is_retried(queued: tuple[Afterview, int], smtpd: SmtpServer) -> None:
    av, message = queued
    smtpd.stop()
    report = av.ok("run", "--once", "--json", now=NOW).json()
    assert report["retrying"] == [message]
    assert "refused" in str(_row(av, message, NOW)["reason"])
    smtpd.start()
    assert av.ok("run", "--once", "--json", now="2026-09-15T17:07").json()["sent"] == [message]


def test_a_permanent_answer_fails_with_the_servers_reason(
    queued: tuple[Afterview, int], smtpd: SmtpServer
) -> None:
    av, message = queued
    smtpd.fail_next(550, "mailbox unavailable")
    run = av("run", "--once", "--json", now=NOW)
    # refused by the server: exit 1, one line that says what to do, the report on stdout
    assert run.code == 1 and run.err.count("\n") == 1 and "Traceback" not in run.err
    assert f"message {message} refused" in run.err and "550 mailbox unavailable" in run.err
    assert f"`afterview outbox reschedule {message}`" in run.err
    assert run.json()["failed"] == [message]
    row = _row(av, message, NOW)
    assert row["state"] == "failed" and "550 mailbox unavailable" in str(row["reason"])
    assert av.ok("run", "--once", "--json", now="2026-09-15T17:30").json()["sent"] == []
    assert smtpd.messages == []
    # what the line suggests works: the message goes again, once, as a new approval
    moved = av.ok("outbox", "reschedule", str(message), "--json", now="2026-09-15T17:31").json()
    assert moved[0]["state"] == "scheduled" and moved[0]["attempts"] == 0
    assert av.ok("run", "--once", "--json", now="2026-09-15T17:32").json()["sent"] == [message]
    assert len(smtpd.messages) == 1
    r = av("outbox", "reschedule", str(message), now="2026-09-15T17:33")
    assert r.code == 1 and "only a scheduled, held or failed message" in r.err


def test_a_failed_message_is_not_rescheduled_over_a_newer_approval(
    queued: tuple[Afterview, int], smtpd: SmtpServer
) -> None:
    av, message = queued
    smtpd.fail_next(550, "mailbox unavailable")
    assert av("run", "--once", now=NOW).code == 1
    again = av.ok("send", "thank_you:1:1", "--json", now="2026-09-15T17:10").json()[0]
    r = av("outbox", "reschedule", str(message), now="2026-09-15T17:11")
    assert r.code == 1 and f"as message {again['id']} (scheduled)" in r.err
    assert av.ok("run", "--once", "--json", now="2026-09-15T17:12").json()["sent"] == [again["id"]]
    r = av("outbox", "reschedule", str(message), now="2026-09-15T17:13")
    assert r.code == 1 and "--force" in r.err  # sent meanwhile
    assert len(smtpd.messages) == 1 and _row(av, message, "2026-09-15T17:13")["state"] == "failed"


@pytest.mark.parametrize("after_data", [False, True])
def test_a_connection_dropped_in_data_leaves_it_uncertain(
    queued: tuple[Afterview, int], smtpd: SmtpServer, after_data: bool
) -> None:
    av, message = queued
    smtpd.drop_next(after_data=after_data)
    run = av("run", "--once", "--json", now=NOW)
    assert run.code == 1 and run.err.count("\n") == 1
    assert f"`afterview outbox confirm {message} --sent`" in run.err
    report = run.json()
    assert report["uncertain"] == [message]
    assert "may have been sent" in str(_row(av, message, NOW)["reason"])
    # never sent again on its own; the agenda still shows the thank-you as open
    assert av.ok("run", "--once", "--json", now="2026-09-15T17:30").json()["sent"] == []
    assert len(smtpd.messages) == (1 if after_data else 0)
    # the agenda says so, with what to do
    agenda = av.ok("agenda", "--json", now="2026-09-15T17:35").json()
    assert agenda["outbox"] == [
        {
            "id": message,
            "state": "uncertain",
            "action_id": "thank_you:1:1",
            "reason": agenda["outbox"][0]["reason"],
        }
    ]
    human = av.ok("agenda", now="2026-09-15T17:35").out
    assert "Outbox needs you (1)" in human and f"outbox confirm {message} --sent" in human
    # the user settles it
    if after_data:
        done = av.ok("outbox", "confirm", str(message), "--sent", "--json", now="2026-09-15T17:40")
        assert done.json()[0]["state"] == "sent"
        actions = {
            a["id"]: a
            for a in av.ok("agenda", "--json", "--all", now="2026-09-15T17:41").json()["actions"]
        }
        assert actions["thank_you:1:1"]["state"] == "done"
    else:
        held = av.ok(
            "outbox", "confirm", str(message), "--not-sent", "--json", now="2026-09-15T17:40"
        )
        assert held.json()[0]["state"] == "held"
        av.ok("outbox", "reschedule", str(message), now="2026-09-15T17:41")
        assert av.ok("run", "--once", "--json", now="2026-09-15T17:42").json()["sent"] == [message]
        assert len(smtpd.messages) == 1


def test_a_retry_that_would_miss_the_due_time_is_held_and_reported(
    queued: tuple[Afterview, int], smtpd: SmtpServer
) -> None:
    av, message = queued  # due Wed 16 Sep 15:00
    # sent the next day: rescheduled, so its words are written for then ("yesterday")
    av.ok("outbox", "reschedule", str(message), "--at", "2026-09-16T14:50", now="2026-09-16T14:40")
    smtpd.fail_next(451, "busy", times=2)
    assert av.ok("run", "--once", "--json", now="2026-09-16T14:50").json()["retrying"] == [message]
    # the second failure would wait 5 minutes: past the due time, so it is held, with why
    assert av.ok("run", "--once", "--json", now="2026-09-16T14:57").json()["held"] == [message]
    row = _row(av, message, "2026-09-16T14:57")
    assert row["state"] == "held" and "before its due time" in str(row["reason"])
    assert "451 busy" in str(row["reason"]) and smtpd.messages == []


def test_a_message_not_sent_by_its_due_time_is_held_not_dropped(
    queued: tuple[Afterview, int], smtpd: SmtpServer
) -> None:
    av, message = queued
    report = av.ok("run", "--once", "--json", now="2026-09-16T15:30").json()
    assert report["held"] == [message] and smtpd.messages == []
    row = _row(av, message, "2026-09-16T15:30")
    assert "not sent by its due time" in str(row["reason"])
    assert av.ok("outbox", now="2026-09-16T15:31").out.count("held") == 1


def test_an_account_that_cannot_log_in_keeps_every_message_waiting(
    queued: tuple[Afterview, int], smtpd: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    av, message = queued
    monkeypatch.setenv("AFTERVIEW_SMTP_PASSWORD", "wrong")
    run = av("run", "--once", "--json", now=NOW)
    # the settings are wrong: exit 2, one line naming the fix
    assert run.code == 2 and run.err.count("\n") == 1 and "authentication" in run.err
    assert "afterview mail check" in run.err
    report = run.json()
    assert report["failed"] == [] and report["sent"] == [] and report["retrying"] == [message]
    assert "authentication" in report["account_problem"]
    row = _row(av, message, NOW)
    assert row["state"] == "scheduled" and "authentication" in str(row["reason"])
    agenda = av.ok("agenda", now=NOW).out
    assert "Outbox needs you (1)" in agenda and "afterview mail check" in agenda
    # fixed: it goes out on the next pass
    monkeypatch.setenv("AFTERVIEW_SMTP_PASSWORD", ME_PASSWORD)
    assert av.ok("run", "--once", "--json", now="2026-09-15T17:10").json()["sent"] == [message]
    assert len(smtpd.messages) == 1


def test_a_moved_interview_holds_the_message_approved_for_the_old_time(
    queued: tuple[Afterview, int], smtpd: SmtpServer
) -> None:
    av, message = queued
    av.ok("interview", "update", "1", "--start", "2026-09-22T14:00", now="2026-09-15T16:00")
    report = av.ok("run", "--once", "--json", now=NOW).json()
    assert report["held"] == [message] and smtpd.messages == []
    assert "the interview changed" in str(_row(av, message, NOW)["reason"])


def test_an_edit_made_while_the_worker_runs_is_what_goes_out(
    queued: tuple[Afterview, int], smtpd: SmtpServer, db_url: str
) -> None:
    from afterview.cli.session import open_context
    from afterview.services import outbox, worker
    from afterview.store import mail as store

    _, message = queued
    ctx = open_context(db_url, NOW)
    try:
        listed = store.due(
            ctx.db, ctx.account, ctx.now
        )  # what a worker saw at the start of its pass
        outbox.edit(ctx, message, "A newer subject", None)  # the user edits meanwhile
        report = worker.Report([], [], [], [], [])
        settings = outbox.require_settings(ctx)
        worker._one(ctx, settings, ME_PASSWORD, listed[0], report)
    finally:
        ctx.db.close()
    assert report.sent == [message]
    assert smtpd.messages[0].message["Subject"] == "A newer subject"


def test_a_subject_with_a_unicode_line_break_is_refused_and_never_half_sent(
    queued: tuple[Afterview, int], smtpd: SmtpServer
) -> None:
    av, message = queued
    r = av(
        "outbox",
        "edit",
        str(message),
        "--subject",
        "Thanks\u2028Bcc: evil@example.org",
        now="2026-09-15T16:00",
    )
    assert r.code == 2 and r.err.startswith("afterview: --subject: ")
    r = av("outbox", "edit", str(message), "--subject", "Thanks\x85more", now="2026-09-15T16:00")
    assert r.code == 2
    assert av.ok("run", "--once", "--json", now=NOW).json()["sent"] == [message]


def test_a_panel_approval_is_all_or_nothing(av: Afterview, monkeypatch: pytest.MonkeyPatch) -> None:
    av.ok(
        "interview", "add", "--company", "Acme", "--role", "Data Engineer",
        "--start", "2026-09-15T14:00", "--interviewer", "Ana Lopez <ana@acme.example>",
        "--interviewer", "Bo Chen", now="2026-09-15T15:10",
    )  # fmt: skip
    av.ok(
        "mail",
        "setup",
        "--smtp-host",
        "127.0.0.1",
        "--smtp-security",
        "none",
        "--from",
        ME,
        now="2026-09-15T15:10",
    )
    r = av("draft", "thank-you", "1", "--approve", now="2026-09-15T15:10")
    assert r.code == 2 and "no e-mail address for Bo Chen" in r.err
    assert av.ok("outbox", "--json", now="2026-09-15T15:10").json() == []
    ok = av.ok(
        "draft",
        "thank-you",
        "1",
        "--to",
        "Ana Lopez",
        "--approve",
        "--json",
        now="2026-09-15T15:10",
    )
    assert [m["to"]["email"] for m in ok.json()] == ["ana@acme.example"]


def test_outbox_commands(queued: tuple[Afterview, int], smtpd: SmtpServer) -> None:
    av, message = queued
    edited = av.ok(
        "outbox",
        "edit",
        str(message),
        "--subject",
        "Thank you, Ana",
        "--json",
        now="2026-09-15T16:00",
    )
    assert edited.json()[0]["subject"] == "Thank you, Ana"
    r = av(
        "outbox",
        "edit",
        str(message),
        "--subject",
        "Hi\r\nBcc: x@evil.example",
        now="2026-09-15T16:00",
    )
    assert r.code == 2 and r.err.startswith("afterview: --subject: ") and r.err.count("\n") == 1
    moved = av.ok(
        "outbox",
        "reschedule",
        str(message),
        "--at",
        "2026-09-15T17:30",
        "--json",
        now="2026-09-15T16:00",
    )
    assert moved.json()[0]["send_at"] == "2026-09-15T17:30:00+02:00"
    r = av("outbox", "reschedule", str(message), "--at", "2026-09-16T18:00", now="2026-09-15T16:00")
    assert r.code == 1 and "--force" in r.err
    r = av("send", "thank_you:1:1", now="2026-09-15T16:00")
    assert r.code == 1 and "already in the outbox" in r.err
    listed = av.ok("outbox", now="2026-09-15T16:00").out
    assert "scheduled" in listed and "Thank you, Ana" in listed
    av.ok("outbox", "cancel", str(message), now="2026-09-15T16:01")
    assert av.ok("run", "--once", "--json", now="2026-09-15T17:31").json()["sent"] == []
    assert smtpd.messages == []
    r = av("outbox", "cancel", str(message), now="2026-09-15T16:02")
    assert r.code == 1 and "cancelled" in r.err
    assert av("outbox", "show", "99", now="2026-09-15T16:02").code == 1
    # once cancelled, the action can be approved again
    again = av.ok("send", "thank_you:1:1", "--json", now="2026-09-15T16:05").json()[0]
    assert again["id"] != message and again["message_id"]


def test_approving_is_refused_without_mail_setup_or_past_due(av: Afterview) -> None:
    av.ok(
        "interview", "add", "--company", "Acme", "--role", "Data Engineer",
        "--start", "2026-09-15T14:00", "--interviewer", "Ana Lopez <ana@acme.example>",
        now="2026-09-15T15:10",
    )  # fmt: skip
    r = av("send", "thank_you:1:1", now="2026-09-15T15:10")
    assert r.code == 1 and "mail setup" in r.err
    av.ok(
        "mail",
        "setup",
        "--smtp-host",
        "127.0.0.1",
        "--smtp-security",
        "none",
        "--from",
        ME,
        now="2026-09-15T15:10",
    )
    r = av("send", "thank_you:1:1", now="2026-09-16T16:00")
    assert r.code == 1 and "--force" in r.err
    forced = av.ok("send", "thank_you:1:1", "--force", "--json", now="2026-09-16T16:00").json()[0]
    assert forced["forced"] is True and forced["send_at"] == "2026-09-16T16:00:00+02:00"
    r = av("send", "self_assess:1", now="2026-09-15T15:10")
    assert r.code == 1 and "not a message" in r.err
