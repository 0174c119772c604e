"""Drafts: personal, different for each panel member, strict templates, .eml and mailto."""

from __future__ import annotations

import email
import os
from email import policy
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.cli.helpers import Afterview

NOW = "2026-09-15T17:30"
GOLDEN = Path(__file__).parent / "golden"
PANEL = (
    "Ana Lopez <ana@acme.example>",
    "Ben Okafor <ben@acme.example>",
    "Chloé Martin <chloe@acme.example>",
)


@pytest.fixture
def panel(av: Afterview) -> int:
    args = [
        "interview",
        "add",
        "--company",
        "Acme",
        "--role",
        "Data Engineer",
        "--start",
        "2026-09-15T14:00",
        "--decision-by",
        "2026-09-25",
    ]
    for p in PANEL:
        args += ["--interviewer", p]
    iv = int(av.ok(*args, now=NOW).out)
    av.ok(
        "interview",
        "note",
        str(iv),
        "--topic",
        "the move to streaming",
        "--topic",
        "on-call practices",
        now=NOW,
    )
    return iv


def test_panel_thank_yous_are_personal_and_all_different(av: Afterview, panel: int) -> None:
    drafts = av.ok("draft", "thank-you", str(panel), "--json", now=NOW).json()
    assert len(drafts) == 3
    bodies = [d["body"] for d in drafts]
    subjects = [d["subject"] for d in drafts]
    assert len(set(bodies)) == 3 and len(set(subjects)) == 3
    for d, person in zip(drafts, ("Ana", "Ben", "Chloé"), strict=True):
        assert d["body"].startswith(f"Dear {person},")
        assert "Acme" in d["body"] and "Data Engineer" in d["body"] + d["subject"]
        assert "streaming" in d["body"] or "on-call" in d["body"]
        assert len(d["body"].split()) < 150
        assert "{{" not in d["body"] and "{%" not in d["body"]
        assert d["body"].rstrip().endswith("Sam Rivera")
    leads = [
        d["body"].split("discussing ", 1)[1].split(",")[0]
        for d in drafts
        if "discussing " in d["body"]
    ]
    assert len(set(leads)) >= 2, "panel members lead with different topics"
    shown = av.ok("interview", "show", str(panel), "--json", now=NOW).json()
    assert sorted(d["action_id"] for d in shown["drafts"]) == sorted(d["action_id"] for d in drafts)


def test_follow_up_mentions_dates_and_timeline(av: Afterview, panel: int) -> None:
    d = av.ok("draft", "follow-up", str(panel), "--json", now=NOW).json()[0]
    assert d["to"]["email"] == "ana@acme.example"
    assert "Tuesday 15 September" in d["body"] and "Friday 25 September" in d["body"]
    assert "timeline" in d["body"]
    assert len(d["body"].split()) < 150


def test_eml_matches_the_golden_file(av: Afterview, panel: int, tmp_path: Path) -> None:
    out = tmp_path / "ana.eml"
    av.ok("draft", "thank-you", str(panel), "--to", "ana@acme.example", "--eml", str(out), now=NOW)
    data = out.read_bytes()
    golden = GOLDEN / "thank_you_ana.eml"
    if os.environ.get("AFTERVIEW_UPDATE_GOLDEN"):
        golden.write_bytes(data)
    assert data == golden.read_bytes()
    msg = email.message_from_bytes(data, policy=policy.default)
    assert msg["To"] == "Ana Lopez <ana@acme.example>" and msg["X-Unsent"] == "1"
    assert msg.get_content().startswith("Dear Ana,")


def test_mailto_link(av: Afterview, panel: int) -> None:
    link = av.ok("draft", "thank-you", str(panel), "--to", "2", "--mailto", now=NOW).out.strip()
    assert link.startswith("mailto:ben@acme.example?subject=")
    assert " " not in link and "\n" not in link
    body = unquote(link.split("&body=", 1)[1])
    assert body.startswith("Dear Ben,\r\n")


def test_panel_needs_one_recipient_for_eml(av: Afterview, panel: int, tmp_path: Path) -> None:
    r = av("draft", "thank-you", str(panel), "--eml", str(tmp_path / "x.eml"), now=NOW)
    assert r.code == 2 and r.err.startswith("afterview: --to:")
    r = av("draft", "thank-you", str(panel), "--to", "Zed <zed@x.example>", now=NOW)
    assert r.code == 2 and "not an interviewer" in r.err


def test_a_broken_user_template_is_a_clear_error(
    av: Afterview, panel: int, monkeypatch, tmp_path: Path
) -> None:
    cfg = Path(os.environ["AFTERVIEW_CONFIG"])
    (cfg.parent / "templates").mkdir(exist_ok=True)
    (cfg.parent / "templates" / "thank_you.txt.j2").write_text(
        "Subject: Hi {{ nickname }}\n\nBody\n"
    )
    r = av("draft", "thank-you", str(panel), "--to", "1", now=NOW)
    assert r.code == 2 and "template thank_you.txt.j2" in r.err and "nickname" in r.err
    (cfg.parent / "templates" / "thank_you.txt.j2").write_text(
        "Subject: Thanks, {{ greeting_name }}\n\nSee you.\n"
    )
    assert (
        av.ok("draft", "thank-you", str(panel), "--to", "1", now=NOW).out.count("Thanks, Ana") == 1
    )


def test_no_follow_up_draft_after_an_outcome(av: Afterview, panel: int) -> None:
    av.ok("outcome", str(panel), "offer", now=NOW)
    r = av("draft", "follow-up", str(panel), now=NOW)
    assert r.code == 1 and "no follow-up is due" in r.err


def test_afterview_s_own_draft_is_composed_again_freely(av: Afterview, panel: int) -> None:
    first = av.ok("draft", "thank-you", str(panel), "--to", "1", "--json", now=NOW)
    assert first.err == "" and first.json()[0]["edited"] is False
    renamed = ["--interviewer", "Anna Lopez <ana@acme.example>"]
    for p in PANEL[1:]:
        renamed += ["--interviewer", p]
    av.ok("interview", "update", str(panel), *renamed, now=NOW)
    again = av.ok("draft", "thank-you", str(panel), "--to", "1", "--json", now=NOW)
    assert again.err == "" and again.json()[0]["body"].startswith("Dear Anna,")
    replaced = av.ok("draft", "thank-you", str(panel), "--to", "1", "--replace", now=NOW)
    assert replaced.err == ""  # nothing of the user's was there to replace: nothing to say


def test_empty_and_conflicting_options_are_refused(av: Afterview, panel: int) -> None:
    for args, words in (
        (("--to", ""), "afterview: --to: expected a value, got an empty string"),
        (("--keep", "--replace"), "afterview: --keep/--replace: give one of them"),
        (("--to", "1", "--eml", ""), "afterview: --eml: "),
    ):
        r = av("draft", "thank-you", str(panel), *args, now=NOW)
        assert r.code == 2 and r.err.startswith(words) and r.err.count("\n") == 1, r.err
    shown = av.ok("interview", "show", str(panel), "--json", now=NOW).json()
    assert shown["drafts"] == []


def test_an_edit_saved_while_drafting_again_is_kept(av: Afterview, panel: int) -> None:
    """The edit lands between the look at the drafts and the save (the web editor, say):
    the save looks again under the write lock and refuses, the edit stays."""
    from datetime import datetime

    from afterview.cli.session import open_context
    from afterview.errors import Refused
    from afterview.services import composing, drafting
    from afterview.store import repo

    ctx = open_context(av.db_url, NOW)
    try:
        drafts = composing.compose_thank_yous(ctx, panel, "1")
        drafted = drafting.settle_edits(ctx, panel, drafts, "refuse")  # nothing edited yet
        with ctx.db.transaction():  # the editor saves the user's text now
            repo.save_draft(ctx.db, ctx.account, panel, drafts[0].action_id, "thank_you",
                            None, None, "Mine", "My own words.", datetime.fromisoformat(
                                "2026-09-15T17:31+02:00"), edited=True)  # fmt: skip
        with pytest.raises(Refused, match="--keep or --replace"):
            drafting.save_drafted(ctx, panel, drafted)
        [row] = [r for r in repo.list_drafts(ctx.db, ctx.account, panel)
                 if r.action_id == drafts[0].action_id]  # fmt: skip
        assert (row.subject, row.body, row.edited) == ("Mine", "My own words.", True)
    finally:
        ctx.db.close()
