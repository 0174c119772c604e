"""Undo and a message that went out (issue 18), against a real aiosmtpd: what the worker
sent stays sent (the outbox row and its touch), the rest of the change is taken back and
a line says so; a message approved but not sent yet is taken back whole, and then
nothing goes out. The worker's own writes are no changes of the user's."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import Afterview
from tests.mailservers import ME, ME_PASSWORD, SmtpServer

AT = "2026-09-15T15:10"  # ten minutes after the interview ended


@pytest.fixture
def mail_av(av: Afterview, smtpd: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> Afterview:
    """An interview that ended at 15:00 Paris (Ana), mail set up to the real SMTP sink."""
    monkeypatch.setenv("AFTERVIEW_SMTP_PASSWORD", ME_PASSWORD)
    av.ok(
        "interview", "add", "--company", "Acme", "--role", "Data Engineer",
        "--start", "2026-09-15T14:00", "--interviewer", "Ana Lopez <ana@acme.example>", now=AT,
    )  # fmt: skip
    av.ok(
        "mail", "setup", "--smtp-host", smtpd.host, "--smtp-port", str(smtpd.port),
        "--smtp-security", "none", "--smtp-user", ME, "--from", ME, now=AT,
    )  # fmt: skip
    return av


def _history(av: Afterview) -> list[dict[str, object]]:
    return list(av.ok("history", "--json", now="2026-09-15T17:10").json())


def test_a_message_that_went_out_stays_and_the_rest_is_undone(
    mail_av: Afterview, smtpd: SmtpServer
) -> None:
    av = mail_av
    av.ok("draft", "thank-you", "1", now=AT)
    approved = av.ok("send", "thank_you:1:1", "--json", now=AT).json()[0]
    assert approved["state"] == "scheduled"
    changes = len(_history(av))
    report = av.ok("run", "--once", "--json", now="2026-09-15T17:02").json()
    assert report["sent"] == [approved["id"]] and len(smtpd.messages) == 1
    assert len(_history(av)) == changes  # the worker's writes are not the user's changes

    r = av.ok("undo", "--json", now="2026-09-15T17:05").json()
    assert [c["source"] for c in r["undone"]] == ["send"]
    [kept] = r["kept"]
    assert kept.startswith(f"message {approved['id']} to Ana Lopez went out Tue 15 Sep 17:02")
    assert "cannot be taken back" in kept
    assert _history(av)[0]["note"] == kept
    row = av.ok("outbox", "show", str(approved["id"]), "--json", now="2026-09-15T17:05").json()
    assert row["state"] == "sent"
    shown = av.ok("interview", "show", "1", "--json", now="2026-09-15T17:05").json()
    assert [t["direction"] for t in shown["touches"]] == ["sent"]  # its sent touch stays
    agenda = av.ok("agenda", "--json", "--all", now="2026-09-15T17:05").json()
    assert {a["id"]: a["state"] for a in agenda["actions"]}["thank_you:1:1"] == "done"

    # the drafting (a change before) is undone as usual; then mail setup
    av.ok("undo", now="2026-09-15T17:06")
    av.ok("undo", now="2026-09-15T17:06")
    # the interview cannot go: the message that went out for it stays, and says so
    before = av.ok("export", now="2026-09-15T17:07").out
    r = av("undo", now="2026-09-15T17:07")
    assert r.code == 1 and "cannot be undone" in r.err and "nothing was undone" in r.err
    assert av.ok("export", now="2026-09-15T17:07").out == before
    assert av.ok("run", "--once", "--json", now="2026-09-15T18:00").json()["sent"] == []
    assert len(smtpd.messages) == 1


def test_a_message_approved_and_not_sent_is_taken_back_whole(
    mail_av: Afterview, smtpd: SmtpServer
) -> None:
    av = mail_av
    approved = av.ok("send", "thank_you:1:1", "--json", now=AT).json()[0]
    r = av.ok("undo", "--json", now=AT).json()
    assert [c["source"] for c in r["undone"]] == ["send"] and r["kept"] == []
    r = av("outbox", "show", str(approved["id"]), now=AT)
    assert r.code == 1 and "no such message" in r.err
    assert av.ok("run", "--once", "--json", now="2026-09-15T17:02").json()["sent"] == []
    assert smtpd.messages == []
    # approved again: it goes out, once
    again = av.ok("send", "thank_you:1:1", "--json", now=AT).json()[0]
    assert av.ok("run", "--once", "--json", now="2026-09-15T17:02").json()["sent"] == [again["id"]]
    assert len(smtpd.messages) == 1


def test_a_sent_message_moved_in_by_an_import_goes_with_it(
    mail_av: Afterview, smtpd: SmtpServer, tmp_path: Path
) -> None:
    """A message already sent when it was imported went out before the import: undoing
    the import takes it back with the rest (it is a record, nothing is unsent)."""
    av = mail_av
    av.ok("send", "thank_you:1:1", now=AT)
    av.ok("run", "--once", now="2026-09-15T17:02")
    doc = av.ok("export", now="2026-09-15T17:03").out
    moved = Afterview(str(tmp_path / "moved.db"))
    empty = moved.ok("export", now="2026-09-15T17:03").out
    moved.ok("import", "-", input=doc, now="2026-09-15T17:03")
    r = moved.ok("undo", "--json", now="2026-09-15T17:04").json()
    assert r["kept"] == []
    assert moved.ok("export", now="2026-09-15T17:04").out == empty
