"""A draft the user edited (web editor, `PUT /api/drafts/…`) is never lost: drafting
again from the CLI is refused with how to keep or replace it, every check of a command
runs before anything is saved, and approving an edited draft sends the edit, to the
right person (real app in-process, real CLI, real database on both engines)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from afterview.store.db import connect
from tests.cli.helpers import Afterview
from tests.webapp.conftest import Clock

NOW = "2026-09-15T17:30"  # the web client's clock: the interview (16:00-17:00) has ended
MINE = "Dear Ana,\n\nMy own words about the streaming migration.\n\nSam"


def token(c: TestClient) -> str:
    value = c.cookies.get("afterview_csrf")
    assert value
    return value


def api(c: TestClient, method: str, path: str, body: Any = None) -> Any:
    return c.request(method, path, json=body, headers={"X-CSRF-Token": token(c)})


def form(c: TestClient, path: str, data: dict[str, str]) -> Any:
    return c.post(path, data={**data, "csrf_token": token(c)}, follow_redirects=False)


def drafts(db_url: str) -> list[tuple[Any, ...]]:
    """Every draft row as stored, with its id and save time: what must not change."""
    db = connect(db_url)
    try:
        return db.query(
            "SELECT id, action_id, kind, to_name, to_email, subject, body, created_at, edited "
            "FROM draft ORDER BY action_id"
        )
    finally:
        db.close()


def outbox(db_url: str) -> list[tuple[Any, ...]]:
    db = connect(db_url)
    try:
        return db.query(
            "SELECT action_id, person_id, to_name, to_email, subject, body, state FROM outbox "
            "ORDER BY id"
        )
    finally:
        db.close()


@pytest.fixture
def iv(client: TestClient) -> int:
    """A panel interview (Ana, Ben), ended at 17:00 Paris, with a topic."""
    r = api(
        client,
        "POST",
        "/api/interviews",
        {
            "company": "Acme",
            "role": "Data Engineer",
            "start": "2026-09-15T16:00",
            "duration": 60,
            "interviewers": ["Ana Lopez <ana@acme.example>", "Ben Okafor <ben@acme.example>"],
            "topics": ["the streaming migration"],
            "decision_by": "2026-09-25",
        },
    )
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def _edit_by_api(client: TestClient, action_id: str, subject: str = "My subject") -> None:
    r = api(client, "PUT", f"/api/drafts/{action_id}", {"subject": subject, "body": MINE})
    assert r.status_code == 200, r.text
    assert r.json()["subject"] == subject


def _mail_setup(av: Afterview) -> None:
    av.ok(
        "mail", "setup", "--smtp-host", "127.0.0.1", "--smtp-port", "2525",
        "--smtp-security", "none", "--from", "sam@example.org", now=NOW,
    )  # fmt: skip


# -- drafting again over an edit ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        ((), 1, "--replace"),  # plain: refused, says how to keep or replace it
        (("--to", "1"), 1, "--keep"),
        (("--json",), 1, "you edited this draft"),
        (("--to", "1", "--eml", "/no/such/folder/a.eml"), 2, "--eml: folder"),
        (("--eml", "{tmp}/a.eml"), 2, "--to: choose one interviewer"),  # a panel: needs --to
        (("--mailto",), 2, "--to: choose one interviewer"),
        (("--to", "Zed <zed@x.example>"), 2, "not an interviewer"),
        (("--to", ""), 2, "--to: expected a value, got an empty string"),
        (("--keep", "--replace"), 2, "--keep/--replace"),
        (("--approve",), 1, "mail is not set up"),
        (("--to", "1", "--eml", "{tmp}"), 2, "is a folder"),
    ],
)
def test_drafting_again_never_writes_over_an_edit(
    client: TestClient,
    av: Afterview,
    db_url: str,
    iv: int,
    tmp_path: Path,
    args: tuple[str, ...],
    code: int,
    words: str,
) -> None:
    _edit_by_api(client, f"thank_you:{iv}:1")
    before = drafts(db_url)
    assert [r[-1] for r in before] == [1]  # kept as the user's own
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    r = av("draft", "thank-you", str(iv), *argv, now=NOW)
    assert r.code == code, r.out + r.err
    assert r.err.startswith("afterview: ") and r.err.count("\n") == 1, r.err
    assert words in r.err and "Traceback" not in r.err
    assert drafts(db_url) == before
    assert not (tmp_path / "a.eml").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    shown = api(client, "GET", f"/api/drafts/thank_you:{iv}:1").json()
    assert (shown["subject"], shown["body"], shown["saved"]) == ("My subject", MINE, True)


def test_the_refusal_says_when_and_how(client: TestClient, av: Afterview, iv: int) -> None:
    _edit_by_api(client, f"thank_you:{iv}:1")
    r = av("draft", "thank-you", str(iv), now=NOW)
    assert r.err == (
        f"afterview: thank_you:{iv}:1: you edited this draft on Tue 15 Sep 17:30; add --keep "
        "to use your edit as it is, or --replace to write a new draft over it\n"
    )
    _edit_by_api(client, f"thank_you:{iv}:2")
    r = av("draft", "thank-you", str(iv), now=NOW)
    assert r.code == 1 and f"thank_you:{iv}:1, thank_you:{iv}:2: you edited these drafts" in r.err


def test_keep_uses_the_edit_and_composes_the_others(
    client: TestClient, av: Afterview, db_url: str, iv: int, tmp_path: Path
) -> None:
    _edit_by_api(client, f"thank_you:{iv}:1")
    before = drafts(db_url)
    r = av.ok("draft", "thank-you", str(iv), "--keep", "--json", now=NOW)
    ana, ben = r.json()
    assert (ana["subject"], ana["body"], ana["edited"]) == ("My subject", MINE, True)
    assert ben["body"].startswith("Dear Ben,") and ben["edited"] is False
    assert r.err == f"Kept your edited draft of thank_you:{iv}:1.\n"
    after = drafts(db_url)
    assert after[0] == before[0]  # Ana's edit: the very same row
    assert after[1][1] == f"thank_you:{iv}:2" and after[1][-1] == 0  # Ben's: composed
    out = tmp_path / "ana.eml"
    av.ok("draft", "thank-you", str(iv), "--to", "ana@acme.example", "--keep", "--eml", str(out),
          now=NOW)  # fmt: skip
    data = out.read_bytes()
    assert b"Subject: My subject" in data and b"My own words" in data
    assert drafts(db_url)[0] == before[0]


def test_replace_writes_over_the_edit_and_says_so(
    client: TestClient, av: Afterview, db_url: str, iv: int
) -> None:
    _edit_by_api(client, f"thank_you:{iv}:1")
    r = av.ok("draft", "thank-you", str(iv), "--to", "1", "--replace", now=NOW)
    assert r.err == f"Replaced your edited draft of thank_you:{iv}:1 with a new one.\n"
    assert "Dear Ana," in r.out and "My own words" not in r.out
    [row] = drafts(db_url)
    assert row[-1] == 0 and "My own words" not in row[6]
    # afterview's own draft is composed again freely, with no note
    r = av.ok("draft", "thank-you", str(iv), "--to", "1", now=NOW)
    assert r.err == ""


def test_the_web_editor_keeps_the_edit_too(
    client: TestClient, av: Afterview, db_url: str, iv: int
) -> None:
    action = f"thank_you:{iv}:1"
    page = client.get(f"/drafts/{action}").text
    assert "not saved yet" in page
    # saving the composed text as it is does not make it the user's
    composed = api(client, "GET", f"/api/drafts/{action}").json()
    r = form(
        client, f"/drafts/{action}", {"subject": composed["subject"], "body": composed["body"]}
    )
    assert r.status_code == 303
    assert [row[-1] for row in drafts(db_url)] == [0]
    av.ok("draft", "thank-you", str(iv), "--to", "1", now=NOW)
    # an edit in the editor is the user's: drafting again is refused, the page says so
    r = form(client, f"/drafts/{action}", {"subject": "Mine", "body": MINE})
    assert r.status_code == 303
    assert "your edit: drafting again keeps it" in client.get(f"/drafts/{action}").text
    before = drafts(db_url)
    assert [row[-1] for row in before] == [1]
    assert av("draft", "thank-you", str(iv), "--to", "1", now=NOW).code == 1
    assert drafts(db_url) == before
    # saving it again unchanged keeps it the user's
    form(client, f"/drafts/{action}", {"subject": "Mine", "body": MINE})
    assert [row[-1] for row in drafts(db_url)] == [1]


def test_a_failed_run_leaves_afterview_s_own_draft_as_it_was(
    av: Afterview, db_url: str, iv: int, tmp_path: Path
) -> None:
    av.ok("draft", "thank-you", str(iv), "--to", "1", now="2026-09-15T17:20")
    before = drafts(db_url)
    for args in (
        ("--to", "1", "--eml", "/no/such/folder/x.eml"),
        ("--eml", str(tmp_path / "x.eml")),
        ("--to", "1", "--approve"),
    ):
        r = av("draft", "thank-you", str(iv), *args, now=NOW)
        assert r.code in (1, 2) and r.err.count("\n") == 1, r.err
        assert drafts(db_url) == before, args  # not even composed again


def test_a_broken_template_saves_nothing(
    client: TestClient, av: Afterview, db_url: str, iv: int
) -> None:
    av.ok("draft", "thank-you", str(iv), now="2026-09-15T17:20")
    before = drafts(db_url)
    folder = Path(os.environ["AFTERVIEW_CONFIG"]).parent / "templates"
    folder.mkdir(exist_ok=True)
    (folder / "thank_you.txt.j2").write_text("Subject: Hi {{ greeting_name }}\n\n{{ nope }}\n")
    r = av("draft", "thank-you", str(iv), now=NOW)
    assert r.code == 2 and "template thank_you.txt.j2" in r.err
    assert drafts(db_url) == before


# -- follow-ups ----------------------------------------------------------------------------------
def test_an_edited_follow_up_is_kept_the_same_way(
    client: TestClient, av: Afterview, db_url: str, iv: int, clock: Clock
) -> None:
    later = "2026-09-28T10:00"  # the follow-up opens Mon 28 Sep 09:00 (after the decision date)
    clock.at = datetime(2026, 9, 28, 8, 0, tzinfo=UTC)
    action = f"follow_up:{iv}:1"
    av.ok("draft", "follow-up", str(iv), now=later)
    _edit_by_api(client, action)
    _mail_setup(av)
    before = drafts(db_url)
    for args, code in (((), 1), (("--to", "2"), 1), (("--approve",), 1), (("--mailto",), 1)):
        r = av("draft", "follow-up", str(iv), *args, now=later)
        assert r.code == code and "--replace" in r.err and r.err.count("\n") == 1, r.err
    assert drafts(db_url) == before
    r = av.ok("draft", "follow-up", str(iv), "--keep", "--json", now=later)
    assert r.json()[0]["body"] == MINE
    approved = av.ok("draft", "follow-up", str(iv), "--keep", "--approve", "--json", now=later)
    [row] = approved.json()
    assert row["body"] == MINE and row["to"]["email"] == "ana@acme.example"
    assert drafts(db_url) == before


# -- approving the edit ------------------------------------------------------------------------------
def test_approving_an_edited_draft_sends_the_edit_to_the_right_person(
    client: TestClient, av: Afterview, db_url: str, iv: int
) -> None:
    _mail_setup(av)
    _edit_by_api(client, f"thank_you:{iv}:2", "Thank you, Ben")
    r = api(client, "POST", f"/api/drafts/thank_you:{iv}:2/approve")
    assert r.status_code == 200, r.text  # was a FOREIGN KEY error: person 0
    [sent] = outbox(db_url)
    ben = next(
        p
        for p in client.get(f"/api/interviews/{iv}").json()["interviewers"]
        if p["name"] == "Ben Okafor"
    )
    assert sent == (f"thank_you:{iv}:2", ben["id"], "Ben Okafor", "ben@acme.example",
                    "Thank you, Ben", MINE, "scheduled")  # fmt: skip


def test_send_on_the_cli_approves_the_edit_not_a_new_draft(
    client: TestClient, av: Afterview, db_url: str, iv: int
) -> None:
    _mail_setup(av)
    _edit_by_api(client, f"thank_you:{iv}:1")
    before = drafts(db_url)
    approved = av.ok("send", f"thank_you:{iv}:1", "--json", now=NOW).json()
    assert approved[0]["subject"] == "My subject" and approved[0]["body"] == MINE
    assert drafts(db_url) == before
    [row] = outbox(db_url)
    assert row[1] == 1 and row[4] == "My subject"


def test_the_web_editor_approves_the_edit(
    client: TestClient, av: Afterview, db_url: str, iv: int
) -> None:
    _mail_setup(av)
    action = f"thank_you:{iv}:1"
    r = form(client, f"/drafts/{action}", {"subject": "Mine", "body": MINE, "do": "approve"})
    assert r.status_code == 303, r.text
    [row] = outbox(db_url)
    assert row[:2] == (action, 1) and row[4:6] == ("Mine", MINE)


def test_an_approved_draft_shows_on_its_card_and_can_be_cancelled(
    client: TestClient, av: Afterview, db_url: str, iv: int
) -> None:
    _mail_setup(av)
    action = f"thank_you:{iv}:1"
    # nothing waits yet: cancelling is refused with the field named, nothing changes
    r = form(client, f"/drafts/{action}", {"subject": "Mine", "body": MINE, "do": "cancel"})
    assert r.status_code == 422 and "no approved message" in r.text
    assert outbox(db_url) == []

    form(client, f"/drafts/{action}", {"subject": "Mine", "body": MINE, "do": "approve"})
    today = client.get("/").text
    card = today.split(f'id="action-thank_you%3A{iv}%3A1"', 1)[1].split("</article>", 1)[0]
    assert "Approved: goes out" in card and "See or cancel the message" in card
    assert ">Draft<" not in card and ">Done<" not in card
    [queued] = [a for a in api(client, "GET", "/api/today").json()["actions"] if a["id"] == action]
    assert queued["queued"]["state"] == "scheduled"
    shown = api(client, "GET", f"/api/interviews/{iv}").json()
    assert next(a for a in shown["actions"] if a["id"] == action)["queued"] == queued["queued"]

    r = form(client, f"/drafts/{action}", {"subject": "Mine", "body": MINE, "do": "cancel"})
    assert r.status_code == 303 and r.headers["location"].endswith("msg=cancelled")
    assert [row[-1] for row in outbox(db_url)] == ["cancelled"]
    card = client.get("/").text.split(f'id="action-thank_you%3A{iv}%3A1"', 1)[1]
    assert ">Draft<" in card.split("</article>", 1)[0]
    assert api(client, "GET", f"/api/drafts/{action}").json()["body"] == MINE
