"""`… delete`: a record goes with what hangs only on it, in one transaction, and the
command says what went, with counts; on both engines, in-process.

A message that went out (sent by the worker through a real SMTP server here) stays in
the mailbox: its record goes only with `--force`, and one being sent is never deleted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from afterview.cli.session import open_context
from afterview.store import mail as mailstore
from tests.badinput.runner import content
from tests.cli.helpers import Afterview
from tests.cli.test_edit import ANA, LATER, NOW, _actions, _interview, _show, refused
from tests.mailservers import ME, ME_PASSWORD, SmtpServer

BEN = "Ben Okafor <ben@acme.example>"


def _rich_interview(av: Afterview, tmp_path: Path) -> int:
    """An interview with something of every kind hanging on it."""
    iv = _interview(av, ANA, BEN)
    av.ok("interview", "note", str(iv), "--topic", "streaming", "--text", "six people", now=NOW)
    av.ok("log", str(iv), "--sent", "--kind", "thank_you", "--to", ANA, now=NOW)
    av.ok("log", str(iv), "--received", "--note", "thanks!", now=NOW)
    av.ok("draft", "thank-you", str(iv), "--to", "2", now=NOW)
    av.ok("skip", f"refresh_profile:{iv}", "--why", "done last week", now=NOW)
    av.ok("assess", str(iv), "--score", "rapport=4", "--asked", "Why us?", now=NOW)
    av.ok("calendar", "export", "--out", str(tmp_path / "feed.ics"), now=NOW)
    av.ok("outcome", str(iv), "next_round", now=NOW)
    return iv


def test_an_interview_goes_with_what_hangs_only_on_it(av: Afterview, tmp_path: Path) -> None:
    iv = _rich_interview(av, tmp_path)
    other = _interview(av, BEN, role="ML")  # Ben is on another interview too: he stays
    app = _show(av, iv)["application_id"]
    r = av.ok("interview", "delete", str(iv), "--json", now=LATER)
    removed = r.json()["removed"]
    assert r.json()["deleted"] == "interview" and r.json()["id"] == iv
    expected = {
        "interviews": 1, "messages": 2, "topics": 1, "drafts": 1, "outcomes": 1,
        "assessments": 1, "scores": 1, "questions": 1, "marks": 1, "people": 1,
    }  # fmt: skip
    assert {k: v for k, v in removed.items() if v and k != "calendar_events"} == expected
    assert removed["calendar_events"] >= 1  # the events of its open actions
    assert all(not a.startswith((f"thank_you:{iv}:", f"self_assess:{iv}")) for a in _actions(av))
    assert r.code == 0 and av("interview", "show", str(iv), now=LATER).code == 1
    # its application stays; Ben, named by the other interview, stays
    assert app in [a["id"] for a in av.ok("application", "list", "--json", now=LATER).json()]
    assert [p["name"] for p in _show(av, other, LATER)["interviewers"]] == ["Ben Okafor"]
    data = av.ok("export", now=LATER).json()
    assert [p["name"] for p in data["people"]] == ["Ben Okafor"]
    for table in ("topic", "touch", "draft", "outcome", "assessment", "question", "action_mark"):
        assert content(av.db_url)[table] == [], table


def test_the_line_says_what_went(av: Afterview, tmp_path: Path) -> None:
    iv = _rich_interview(av, tmp_path)
    line = av.ok("interview", "delete", str(iv), now=LATER).out.strip()
    assert line.startswith(
        f"Deleted interview {iv} (Acme · DE, Tue 15 Sep 2026 14:00), with 2 messages, "
    )
    assert (
        "1 draft, 1 topic, 1 outcome, 1 self-assessment, 1 score, 1 question, 1 done or skip mark"
        in line
    )


def test_an_application_goes_with_its_interviews(av: Afterview, tmp_path: Path) -> None:
    first = _rich_interview(av, tmp_path)
    _interview(av, ANA)  # a second round of the same application
    app = _show(av, first)["application_id"]
    keep = int(av.ok("application", "add", "--company", "Globex", "--role", "ML", now=NOW).out)
    out = av.ok("application", "delete", str(app), "--json", now=LATER).json()
    assert (out["deleted"], out["what"]) == ("application", "Acme · DE")
    assert out["removed"]["interviews"] == 2 and out["removed"]["applications"] == 1
    assert out["removed"]["people"] == 2
    assert [a["id"] for a in av.ok("application", "list", "--json", now=LATER).json()] == [keep]
    assert av.ok("interview", "list", "--json", now=LATER).json() == []
    refused(av, 1, "no such application", "application", "delete", str(app))


def test_leads_messages_and_assessments(av: Afterview) -> None:
    iv = _interview(av, ANA)
    touch = int(av.ok("log", str(iv), "--sent", "--kind", "thank_you", now=NOW).out)
    assert _actions(av, NOW)[f"thank_you:{iv}:1"] == "done"
    r = av.ok("message", "delete", str(touch), now=NOW)
    assert r.out.strip() == f"Deleted message {touch} (sent thank-you, Tue 15 Sep 2026 18:30)."
    assert _actions(av, NOW)[f"thank_you:{iv}:1"] == "open"  # the plan follows
    refused(av, 1, "no such message", "message", "delete", str(touch))

    av.ok("assess", str(iv), "--score", "rapport=4", "--asked", "Why us?", now=NOW)
    out = av.ok("assessment", "delete", str(iv), "--json", now=NOW).json()
    assert {k: v for k, v in out["removed"].items() if v} == {
        "assessments": 1, "scores": 1, "questions": 1,
    }  # fmt: skip
    assert _actions(av, NOW)[f"self_assess:{iv}"] == "ideal"
    refused(av, 1, "no self-assessment to delete", "assessment", "delete", str(iv))

    lead = int(av.ok("application", "add", "--company", "Hyperion", "--role", "DE", now=NOW).out)
    refused(av, 1, "is not a lead", "lead", "delete", str(lead))
    av.ok("application", "edit", str(lead), "--applied-on", "", now=NOW)
    av.ok("lead", "edit", str(lead), "--location", "Berlin", now=NOW)
    line = av.ok("lead", "delete", str(lead), now=NOW).out.strip()
    assert line == f"Deleted lead {lead} (Hyperion · DE), with 1 posting's details."


@pytest.fixture
def sent(av: Afterview, smtpd: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """An interview whose thank-you to Ana the worker sent through a real SMTP server, and
    whose thank-you to Ben waits in the outbox."""
    monkeypatch.setenv("AFTERVIEW_SMTP_PASSWORD", ME_PASSWORD)
    iv = _interview(av, ANA, BEN)
    av.ok(
        "mail", "setup", "--smtp-host", smtpd.host, "--smtp-port", str(smtpd.port),
        "--smtp-security", "none", "--smtp-user", ME, "--from", ME, now=NOW,
    )  # fmt: skip
    first = av.ok("send", f"thank_you:{iv}:1", "--json", now="2026-09-15T16:00").json()[0]
    assert av.ok("run", "--once", "--json", now="2026-09-15T17:05").json()["sent"] == [first["id"]]
    waiting = av.ok("send", f"thank_you:{iv}:2", "--json", now="2026-09-15T17:06").json()[0]
    assert waiting["state"] == "scheduled" and waiting["send_at"] == "2026-09-15T17:06:00+02:00"
    assert len(smtpd.messages) == 1
    touch = next(
        t for t in _show(av, iv, "2026-09-15T17:06")["touches"] if t["direction"] == "sent"
    )
    return {"iv": iv, "touch": touch["id"], "waiting": waiting["id"]}


def test_what_went_out_is_deleted_only_with_force(
    av: Afterview, smtpd: SmtpServer, sent: dict[str, Any]
) -> None:
    iv, touch = sent["iv"], sent["touch"]
    at = "2026-09-15T17:06"
    refused(av, 1, "add --force", "interview", "delete", str(iv), now=at)
    refused(av, 1, "afterview sent it", "message", "delete", str(touch), now=at)
    refused(
        av,
        1,
        "only its note changes",
        "message",
        "edit",
        str(touch),
        "--at",
        "2026-09-15T17:00",
        now=at,
    )
    av.ok("message", "edit", str(touch), "--note", "sent from the train", now=at)
    refused(
        av,
        1,
        "add --force",
        "application",
        "delete",
        str(_show(av, iv, at)["application_id"]),
        now=at,
    )
    out = av.ok("interview", "delete", str(iv), "--force", "--json", now=at).json()
    assert out["removed"]["outbox_sent"] == 1 and out["removed"]["outbox"] == 1
    assert out["removed"]["messages"] == 1
    # the message stays in the mailbox; the one waiting is never sent
    assert av.ok("run", "--once", "--json", now="2026-09-15T17:30").json()["sent"] == []
    assert len(smtpd.messages) == 1


def test_a_message_being_sent_is_never_deleted(av: Afterview, sent: dict[str, Any]) -> None:
    at = "2026-09-15T17:06"
    ctx = open_context(av.db_url, at)
    try:  # a worker claims the waiting message, as it does right before its SMTP session
        with ctx.db.transaction():
            assert mailstore.claim(ctx.db, ctx.account, sent["waiting"], ctx.now, "other:1:1")
    finally:
        ctx.db.close()
    for extra in ([], ["--force"]):
        refused(
            av, 1, "is being sent right now", "interview", "delete", str(sent["iv"]), *extra, now=at
        )
    refused(
        av, 1, "being sent, or may have gone out", "interview", "edit", str(sent["iv"]),
        "--remove-interviewer", "2", now=at,
    )  # fmt: skip
