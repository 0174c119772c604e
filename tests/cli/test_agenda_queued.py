"""The text agenda says when an action's message is approved and waiting in the outbox, so
it is not sent a second time by hand (the JSON says it in `queued`)."""

from __future__ import annotations

from tests.cli.helpers import Afterview

NOW = "2026-09-15T15:10"


def test_an_approved_message_is_said_under_its_action(av: Afterview) -> None:
    av.ok(
        "interview", "add", "--company", "Acme", "--role", "Data Engineer",
        "--start", "2026-09-15T14:00", "--interviewer", "Ana Lopez <ana@acme.example>", now=NOW,
    )  # fmt: skip
    av.ok(
        "mail", "setup", "--smtp-host", "127.0.0.1", "--smtp-security", "none",
        "--from", "sam@example.org", now=NOW,
    )  # fmt: skip
    before = av.ok("agenda", now=NOW).out
    assert "approved:" not in before
    av.ok("send", "thank_you:1:1", now=NOW)
    text = av.ok("agenda", now="2026-09-15T15:12").out
    block = text.split("Thank-you — Acme", 1)[1].split("id: thank_you:1:1", 1)[0]
    assert (
        "approved: message 1 goes out today 17:00 (afterview outbox show 1); do not send it by hand"
    ) in block
    queued = av.ok("agenda", "--json", now="2026-09-15T15:12").json()["actions"]
    assert [a["queued"]["message"] for a in queued if a["queued"]] == [1]
