"""`send` and `draft ... --approve` say on stderr what would keep the message in the outbox
(no worker ever, none for longer than the worker's quiet time, one whose last pass could
not use the account, a password not found), each with the command that fixes it; and
`run --once` says which message it did not send, why, and when it is tried again."""

from __future__ import annotations

import pytest

from afterview.services.worker_status import QUIET
from tests.cli.helpers import Afterview
from tests.mailservers import ME, ME_PASSWORD, SmtpServer

SET_UP = "2026-09-15T15:10"


@pytest.fixture
def mail_av(av: Afterview, smtpd: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> Afterview:
    """An interview with two interviewers (Tue 15 Sep 14:00 Paris), SMTP through `smtpd`,
    its password in the environment."""
    monkeypatch.setenv("AFTERVIEW_SMTP_PASSWORD", ME_PASSWORD)
    av.ok(
        "interview", "add", "--company", "Acme", "--role", "Data Engineer",
        "--start", "2026-09-15T14:00", "--interviewer", "Ana Lopez <ana@acme.example>",
        "--interviewer", "Ben Ode <ben@acme.example>", now=SET_UP,
    )  # fmt: skip
    av.ok(
        "mail", "setup", "--smtp-host", smtpd.host, "--smtp-port", str(smtpd.port),
        "--smtp-security", "none", "--smtp-user", ME, "--from", ME, now=SET_UP,
    )  # fmt: skip
    return av


def test_no_worker_ever_then_a_worker_then_none_for_too_long(mail_av: Afterview) -> None:
    av = mail_av
    r = av.ok("send", "thank_you:1:1", now=SET_UP)
    assert r.err.splitlines() == [
        "afterview: warning: no worker has run on this database yet, so nothing is sent: "
        "`afterview service install` keeps one running, or leave `afterview run` open in a "
        "terminal"
    ]
    assert QUIET.total_seconds() == 600  # the figures below count on it
    av.ok("run", "--once", now="2026-09-15T15:20")
    av.ok("outbox", "cancel", "1", now="2026-09-15T15:21")
    r = av.ok("send", "thank_you:1:1", now="2026-09-15T15:30")  # 10 min after: running
    assert r.err.splitlines() == [
        "It goes out in its window: the worker sends it (its last pass: today 15:20)."
    ]
    r = av.ok("send", "thank_you:1:2", now="2026-09-15T15:31")  # 11 min after: stopped
    assert r.err.splitlines() == [
        "afterview: warning: no worker has run for 11 min (the last pass was today 15:20), "
        "so nothing is sent: `afterview service status` says if it is installed; "
        "`afterview service install` keeps one running, or leave `afterview run` open in a "
        "terminal"
    ]


def test_a_pass_dated_after_now_is_no_sign_of_a_worker(mail_av: Afterview) -> None:
    """`run --once --now` at a later moment records a pass in the future of the clock: it
    says nothing of a worker running now (it used to count for hours)."""
    av = mail_av
    av.ok("run", "--once", now="2026-09-15T21:05")  # nothing in the outbox yet
    r = av.ok("send", "thank_you:1:1", now=SET_UP)
    assert r.err.splitlines() == [
        "afterview: warning: the last pass recorded is dated today 21:05, later than now (a "
        "run with --now), so no worker is known to run now and nothing may be sent: "
        "`afterview service status` says if it is installed; `afterview service install` "
        "keeps one running, or leave `afterview run` open in a terminal"
    ]
    # a minute ahead is a clock's drift, not a run with --now
    av.ok("run", "--once", now="2026-09-15T15:11")
    r = av.ok("send", "thank_you:1:2", now="2026-09-15T15:10:30")
    assert r.err.splitlines()[-1].startswith("It goes out in its window: the worker sends it")


def test_draft_approve_warns_alike_in_json_too(mail_av: Afterview) -> None:
    r = mail_av.ok("draft", "thank-you", "1", "--approve", "--json", now=SET_UP)
    assert [m["state"] for m in r.json()] == ["scheduled", "scheduled"]
    assert r.err.startswith("afterview: warning: no worker has run on this database yet")
    assert "`afterview service install`" in r.err


def test_a_worker_that_cannot_log_in_is_said_with_the_fix(
    mail_av: Afterview, monkeypatch: pytest.MonkeyPatch
) -> None:
    av = mail_av
    av.ok("send", "thank_you:1:1", now=SET_UP)
    monkeypatch.delenv("AFTERVIEW_SMTP_PASSWORD")
    assert av("run", "--once", now="2026-09-15T17:05").code == 2  # no password: setup
    r = av.ok("send", "thank_you:1:2", now="2026-09-15T17:06")
    [failing] = r.err.splitlines()  # what the worker met, not what this process finds
    assert failing.startswith(
        "afterview: warning: the worker's last pass could not use the mail account (smtp "
        f"password: none found for {ME} at "
    )
    assert failing.endswith(
        ": fix it with `afterview mail setup ...` (see `afterview mail setup --help`), then "
        "`afterview mail check`"
    )


def test_run_once_says_which_message_waits_why_and_until_when(
    mail_av: Afterview, smtpd: SmtpServer
) -> None:
    av = mail_av
    av.ok("send", "thank_you:1:1", now=SET_UP)
    smtpd.fail_next(421, "try later")
    r = av.ok("run", "--once", now="2026-09-15T17:05")
    assert r.out.splitlines() == [
        "1 not sent yet",
        "  message 1, thank-you to Ana Lopez <ana@acme.example>: not sent yet: "
        f"{smtpd.host}:{smtpd.port} answered 421 try later; next try today 17:06 (when the "
        "worker runs again: `afterview run`, or `afterview service install`)",
    ]
    r = av.ok("run", "--once", now="2026-09-15T17:06")
    assert r.out.splitlines() == ["1 sent"]
    assert av.ok("run", "--once", now="2026-09-15T17:07").out == "nothing due\n"
