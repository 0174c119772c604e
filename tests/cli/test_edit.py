"""`… edit`: every record a user creates can be corrected, on both engines, in-process.

Each edit says what changed (or the record with `edit` under `--json`), the plan follows
the new facts, and a refused value (exit 2, the option named; an unknown id, exit 1)
writes nothing at all.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.badinput.runner import content, run
from tests.cli.helpers import Afterview

NOW = "2026-09-15T18:30"  # Paris; the interview was 14:00-15:00
LATER = "2026-09-16T10:00"
ANA = "Ana Lopez <ana@acme.example>"
BOB = "Bbo Stone <bob@acme.example>"  # the typo


def _interview(av: Afterview, *people: str, company: str = "Acme", role: str = "DE") -> int:
    args = ["interview", "add", "--company", company, "--role", role, "--start", "2026-09-15T14:00"]
    for p in people:
        args += ["--interviewer", p]
    return int(av.ok(*args, now=NOW).out)


def _show(av: Afterview, iv: int, now: str = NOW) -> dict[str, Any]:
    data: dict[str, Any] = av.ok("interview", "show", str(iv), "--json", now=now).json()
    return data


def _actions(av: Afterview, now: str = LATER) -> dict[str, str]:
    actions = av.ok("agenda", "--json", "--all", now=now).json()["actions"]
    return {a["id"]: a["state"] for a in actions}


def refused(av: Afterview, code: int, said: str, *args: str, now: str = LATER) -> None:
    """The command is refused with one line naming what is wrong, and writes nothing."""
    before = content(av.db_url)
    r = run(["--db", av.db_url, "--now", now, *args])  # the real entry point: usage in one line
    assert (r.code, r.out) == (code, ""), (args, r.code, r.err, r.out)
    assert r.err.count("\n") == 1 and said in r.err, (args, r.err)
    assert content(av.db_url) == before, args


def test_a_typo_in_an_interviewer_is_corrected_by_person_id(av: Afterview) -> None:
    iv = _interview(av, ANA, BOB)
    shown = " ".join(av.ok("interview", "show", str(iv), now=NOW).out.split())
    assert "Bbo Stone <bob@acme.example> (person 2)" in shown
    r = av.ok("interview", "edit", str(iv), "--rename-interviewer", "2=Bob Stone", now=NOW)
    assert r.out.strip() == f"interview {iv}: interviewer 2 name: 'Bbo Stone' → 'Bob Stone'"
    people = _show(av, iv)["interviewers"]
    assert people[1] == {"id": 2, "name": "Bob Stone", "email": "bob@acme.example"}
    # the action keeps its id (the person's), and the draft now greets Bob
    assert f"thank_you:{iv}:2" in _actions(av, NOW)
    draft = av.ok("draft", "thank-you", str(iv), "--to", "2", now=NOW).out
    assert "Bob" in draft and "Bbo" not in draft
    # the same through `person edit`, and the address with it, on every interview
    other = _interview(av, BOB.replace("Bbo", "Bob"), company="Globex")
    r = av.ok("person", "edit", "2", "--email", "bob.stone@acme.example", "--json", now=NOW)
    assert r.json()["interviews"] == [iv, other]
    assert r.json()["edit"]["changed"] == ["email"]
    assert _show(av, other)["interviewers"][0]["email"] == "bob.stone@acme.example"


def test_interviewers_added_removed_and_replaced(av: Afterview) -> None:
    iv = _interview(av, ANA, BOB)
    av.ok("draft", "thank-you", str(iv), "--to", "2", now=NOW)  # kept as a draft
    av.ok("skip", f"thank_you:{iv}:2", "--why", "wrong person", now=NOW)
    r = av.ok(
        "interview", "edit", str(iv), "--remove-interviewer", "2",
        "--add-interviewer", "Chloé Martin <chloe@acme.example>", now=NOW,
    )  # fmt: skip
    assert "interviewers: Ana Lopez <ana@acme.example>, Chloé Martin" in r.out
    assert f"thank_you:{iv}:2: removed 1 mark, 1 draft" in r.err
    actions = _actions(av, NOW)
    assert f"thank_you:{iv}:2" not in actions and f"thank_you:{iv}:3" in actions
    assert _show(av, iv)["drafts"] == []
    people = {p["email"] for p in av.ok("export", now=NOW).json()["people"]}
    assert "bob@acme.example" not in people  # named by nothing any more
    # the whole list at once (as `interview update --interviewer` always did)
    av.ok("interview", "update", str(iv), "--interviewer", "Dee Park <dee@acme.example>", now=NOW)
    assert [p["name"] for p in _show(av, iv)["interviewers"]] == ["Dee Park"]
    refused(
        av, 2, "--interviewer: give either", "interview", "edit", str(iv),
        "--interviewer", ANA, "--remove-interviewer", "4",
    )  # fmt: skip
    refused(av, 2, "person 1 is not an interviewer", "interview", "edit", str(iv),
            "--remove-interviewer", "1")  # fmt: skip
    # no interviewer left: one thank-you to the team
    av.ok("interview", "edit", str(iv), "--remove-interviewer", "4", now=NOW)
    assert f"thank_you:{iv}:team" in _actions(av, NOW)


def test_times_zone_decision_topics_and_notes(av: Afterview) -> None:
    iv = _interview(av, ANA)
    av.ok("interview", "note", str(iv), "--topic", "streaming", "--topic", "on-call", now=NOW)
    av.ok(
        "interview", "edit", str(iv), "--start", "2026-09-15T15:00", "--decision-by", "2026-09-25",
        "--topic", "dbt", "--remove-topic", "ON-CALL", "--notes", "Six people.", now=NOW,
    )  # fmt: skip
    d = _show(av, iv)
    assert (d["start"], d["end"]) == ("2026-09-15T15:00:00+02:00", "2026-09-15T16:00:00+02:00")
    assert d["decision_by"] == "2026-09-25" and d["topics"] == ["streaming", "dbt"]
    assert d["notes"] == "Six people."
    # the plan follows: the first follow-up opens on the business day after the decision
    fu = next(
        a for a in av.ok("agenda", "--json", "--all", now=NOW).json()["actions"]
        if a["id"] == f"follow_up:{iv}:1"
    )  # fmt: skip
    assert fu["opens_at"] == "2026-09-28T09:00:00+02:00"
    # a zone alone keeps the wall-clock times; "" removes the decision date and the notes
    r = av.ok(
        "interview", "update", str(iv), "--tz", "America/New_York", "--decision-by", "",
        "--notes", "", "--json", now=NOW,
    )  # fmt: skip
    d = r.json()
    assert d["start"] == "2026-09-15T15:00:00-04:00" and d["tz"] == "America/New_York"
    assert d["decision_by"] is None and d["notes"] is None
    assert d["edit"]["changed"] == ["start", "end", "tz", "decision_by", "notes"]
    r = av.ok("interview", "edit", str(iv), "--duration", "90", now=NOW)
    assert "end: '2026-09-15 16:00' → '2026-09-15 16:30'" in r.out
    assert av.ok("interview", "edit", str(iv), now=NOW).out.strip().endswith("nothing changed")


def test_company_and_role_move_the_interview(av: Afterview) -> None:
    first = _interview(av, ANA, company="Acem")  # the typo
    app = _show(av, first)["application_id"]
    # alone on its application: the application is renamed in place
    av.ok("interview", "edit", str(first), "--company", "Acme", now=NOW)
    assert _show(av, first)["application_id"] == app
    apps = av.ok("application", "list", "--json", now=NOW).json()
    assert [(a["company"], a["role"]) for a in apps] == [("Acme", "DE")]
    # another round of another job, typed under the wrong one, then moved to it
    globex = int(av.ok("application", "add", "--company", "Globex", "--role", "ML", now=NOW).out)
    second = _interview(av, ANA, company="Acme", role="ML")  # makes a bare application
    bare = _show(av, second)["application_id"]
    r = av.ok("interview", "edit", str(second), "--company", "globex", "--role", "ml", now=NOW)
    assert f"moved to application {globex}" in r.err and f"application {bare}" in r.err
    assert _show(av, second)["application_id"] == globex
    ids = [a["id"] for a in av.ok("application", "list", "--json", now=NOW).json()]
    assert bare not in ids
    # an application holding other interviews is left as it is: a new one is made
    third = _interview(av, ANA, company="Globex", role="ML")
    r = av.ok("interview", "edit", str(third), "--role", "Platform", now=NOW)
    assert "added for Globex · Platform" in r.err
    assert _show(av, second)["role"] == "ML" and _show(av, third)["role"] == "Platform"


def test_application_edit(av: Afterview) -> None:
    app = int(av.ok("application", "add", "--company", "Acme", "--role", "DE", now=NOW).out)
    r = av.ok(
        "application", "edit", str(app), "--company", "Acme Corp", "--url", "https://acme.example/j/1",
        "--mail-domain", "Acme.Example", "--stage", "closed", "--notes", "Ask Ana", "--json", now=NOW,
    )  # fmt: skip
    d = r.json()
    assert (d["company"], d["url"], d["stage"], d["notes"]) == (
        "Acme Corp", "https://acme.example/j/1", "closed", "Ask Ana",
    )  # fmt: skip
    assert d["edit"]["changed"] == ["company", "url", "mail_domain", "stage", "notes"]
    assert any(
        a.get("email_domain") == "acme.example" for a in av.ok("export").json()["applications"]
    )
    r = av.ok(
        "application", "edit", str(app), "--stage", "auto", "--applied-on", "", "--url", "", now=NOW
    )
    assert "stage: closed → lead (where its facts put it)" in r.out
    listed = av.ok("application", "list", "--json", now=NOW).json()[0]
    assert (listed["status"], listed["applied_on"], listed["url"]) == ("lead", None, None)
    refused(av, 2, "--applied-on", "application", "edit", str(app), "--applied-on", "2026-02-30")
    refused(av, 2, "--stage", "application", "edit", str(app), "--stage", "hired")
    refused(av, 2, "--mail-domain", "application", "edit", str(app), "--mail-domain", "a b")
    refused(av, 2, "--company", "application", "edit", str(app), "--company", "")
    refused(av, 1, "no such application", "application", "edit", "99", "--role", "R")


def test_person_edit_refusals(av: Afterview) -> None:
    _interview(av, ANA, BOB)
    refused(
        av,
        1,
        "already the address of person 1",
        "person",
        "edit",
        "2",
        "--email",
        "ANA@acme.example",
    )
    refused(av, 2, "--email", "person", "edit", "2", "--email", "not-an-address")
    refused(av, 2, "--name", "person", "edit", "2", "--name", "Bob <bob@x.example>")
    refused(av, 2, "--name", "person", "edit", "2", "--name", "")
    refused(av, 1, "no such person", "person", "edit", "99", "--name", "X")
    av.ok("person", "edit", "2", "--email", "", now=NOW)
    assert av.ok("person", "edit", "2", "--json", now=NOW).json()["email"] is None


def test_message_edit(av: Afterview) -> None:
    iv = _interview(av, ANA, BOB)
    # a thank-you logged to the wrong person, a minute wrong
    touch = int(
        av.ok("log", str(iv), "--sent", "--kind", "thank_you", "--to", ANA, "--at",
              "2026-09-15T17:00", now=NOW).out
    )  # fmt: skip
    assert _actions(av, NOW)[f"thank_you:{iv}:1"] == "done"
    r = av.ok(
        "message",
        "edit",
        str(touch),
        "--to",
        BOB,
        "--at",
        "2026-09-15T17:05",
        "--note",
        "by mail",
        now=NOW,
    )
    assert "to: 'Ana Lopez' → 'Bbo Stone'" in r.out
    states = _actions(av, NOW)
    assert states[f"thank_you:{iv}:1"] == "open" and states[f"thank_you:{iv}:2"] == "done"
    d = av.ok("message", "edit", str(touch), "--note", "", "--json", now=NOW).json()
    assert d["note"] is None and d["at"] == "2026-09-15T17:05:00+02:00"
    # follow-ups keep their rules: a week before it opens, only with --force
    fu = int(
        av.ok(
            "log",
            str(iv),
            "--sent",
            "--kind",
            "follow_up",
            "--at",
            "2026-09-23T10:00",
            now="2026-09-24T10:00",
        ).out
    )
    refused(
        av,
        1,
        "add --force",
        "message",
        "edit",
        str(fu),
        "--at",
        "2026-09-16T10:00",
        now="2026-09-24T10:00",
    )
    av.ok("message", "edit", str(fu), "--at", "2026-09-16T10:00", "--force", now="2026-09-24T10:00")
    refused(av, 2, "--received", "message", "edit", str(touch), "--received")
    refused(av, 2, "--at", "message", "edit", str(touch), "--at", "2030-01-01T10:00")
    refused(av, 2, "--at", "message", "edit", str(touch), "--at", "2026-03-29T02:30")
    refused(av, 1, "no such message", "message", "edit", "99", "--note", "x")
    refused(av, 2, "--sent", "message", "edit", str(touch), "--sent", "--received")


def test_outcome_changed_and_cleared(av: Afterview) -> None:
    iv = _interview(av, ANA)
    av.ok("outcome", str(iv), "offer", now=LATER)
    assert _actions(av)[f"follow_up:{iv}:1"] == "cancelled"
    av.ok("outcome", str(iv), "rejected", now=LATER)  # replaces it
    assert _show(av, iv, LATER)["outcome"]["result"] == "rejected"
    r = av.ok("outcome", str(iv), "--clear", now=LATER)
    assert "outcome cleared" in r.out
    assert _show(av, iv, LATER)["outcome"] is None
    assert _actions(av)[f"follow_up:{iv}:1"] == "upcoming"
    refused(av, 1, "has no outcome to clear", "outcome", str(iv), "--clear")
    refused(av, 2, "not both", "outcome", str(iv), "offer", "--clear")
    refused(av, 2, "OUTCOME", "outcome", str(iv))


def test_assessment_edit(av: Afterview) -> None:
    iv = _interview(av, ANA)
    refused(av, 1, "has no self-assessment", "assessment", "edit", str(iv), "--confidence", "50")
    av.ok("assess", str(iv), "--score", "rapport=4", "--score", "answers=2", "--asked", "Why us?",
          "--asked", "Salary?", "--went-well", "rapport", "--confidence", "60", now=LATER)  # fmt: skip
    qid = av.ok("questions", "--json", now=LATER).json()["questions"][0]["id"]
    av.ok("questions", "answer", str(qid), "--text", "Because of the data team.", now=LATER)
    r = av.ok(
        "assessment", "edit", str(iv), "--score", "rapport=5", "--remove-score", "answers",
        "--remove-asked", "salary?", "--asked", "Team size?", "--went-well", "", "--confidence", "",
        "--json", now=LATER,
    )  # fmt: skip
    d = r.json()
    assert d["scores"] == {"rapport": 5} and d["asked"] == ["Why us?", "Team size?"]
    assert d["went_well"] is None and d["confidence"] is None
    bank = av.ok("questions", "--json", now=LATER).json()["questions"]
    assert any(q.get("answer") == "Because of the data team." for q in bank)  # kept
    refused(av, 2, "--remove-asked", "assessment", "edit", str(iv), "--remove-asked", "nope")
    refused(av, 2, "--score", "assessment", "edit", str(iv), "--score", "rapport=9")
    refused(av, 2, "--confidence", "assessment", "edit", str(iv), "--confidence", "101")
    refused(
        av, 2, "delete it instead", "assessment", "edit", str(iv), "--remove-score", "rapport",
        "--remove-asked", "Why us?", "--remove-asked", "Team size?",
    )  # fmt: skip


def test_lead_edit(av: Afterview) -> None:
    app = int(av.ok("application", "add", "--company", "Hyperion", "--role", "DE", now=NOW).out)
    refused(av, 1, "is not a lead", "lead", "edit", str(app), "--location", "Berlin")
    av.ok("application", "edit", str(app), "--applied-on", "", now=NOW)
    r = av.ok(
        "lead", "edit", str(app), "--location", "Berlin", "--remote", "--salary-min", "50000",
        "--salary-max", "60000", "--salary-currency", "EUR", "--salary-unit", "year",
        "--posted-on", "2026-09-01", "--json", now=NOW,
    )  # fmt: skip
    lead = r.json()["lead"]
    assert (lead["location"], lead["remote"], lead["salary_min"], lead["salary_unit"]) == (
        "Berlin", True, 50000.0, "YEAR",
    )  # fmt: skip
    assert lead["source"] == "manual"
    av.ok("lead", "edit", str(app), "--location", "", "--not-remote", now=NOW)
    lead = av.ok("application", "edit", str(app), "--json", now=NOW).json()["lead"]
    assert lead["location"] is None and lead["remote"] is False
    refused(av, 2, "--salary-max", "lead", "edit", str(app), "--salary-max", "100")
    refused(av, 2, "--salary-min", "lead", "edit", str(app), "--salary-min", "lots")
    refused(av, 2, "--posted-on", "lead", "edit", str(app), "--posted-on", "9999-01-01")
    refused(av, 2, "--url", "lead", "edit", str(app), "--url", "ftp://x.example")
    refused(av, 1, "no such lead", "lead", "edit", "99", "--location", "X")


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["interview", "edit", "99", "--tz", "UTC"], 1, "no such interview"),
        (["interview", "edit", "1", "--company", ""], 2, "--company"),
        (["interview", "edit", "1", "--tz", "Mars/Base"], 2, "--tz"),
        (["interview", "edit", "1", "--start", "2027-03-28T02:30"], 2, "the clocks skip"),
        (["interview", "edit", "1", "--end", "2026-09-15T13:00"], 2, "--end"),
        (["interview", "edit", "1", "--decision-by", "2026-09-01"], 2, "--decision-by"),
        (
            ["interview", "edit", "1", "--add-interviewer", "Eve <not-an-address>"],
            2,
            "--add-interviewer",
        ),
        (["interview", "edit", "1", "--rename-interviewer", "1="], 2, "--rename-interviewer"),
        (["interview", "edit", "1", "--rename-interviewer", "Bob"], 2, "--rename-interviewer"),
        (["interview", "edit", "1", "--remove-topic", "nothing"], 2, "--remove-topic"),
        (["interview", "edit", "1", "--notes", "a\x00b"], 2, "--notes"),
        (["interview", "edit", "x", "--tz", "UTC"], 2, "ID"),
    ],
)
def test_bad_interview_edits_write_nothing(
    av: Afterview, args: list[str], code: int, said: str
) -> None:
    _interview(av, ANA)
    refused(av, code, said, *args)


def test_a_sample_through_real_processes(av: Afterview, tmp_path: Path) -> None:
    """What a shell runs: a new interpreter per command, the output a script reads."""
    iv = _interview(av, ANA, BOB)
    base = [sys.executable, "-m", "afterview", "--db", av.db_url, "--now", NOW]

    def call(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*base, *args], capture_output=True, text=True, timeout=60, check=False
        )

    done = call("interview", "edit", str(iv), "--rename-interviewer", "2=Bob Stone", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["interviewers"][1]["name"] == "Bob Stone"
    done = call("interview", "edit", str(iv), "--tz", "Mars/Base")
    assert (done.returncode, done.stdout) == (2, "") and done.stderr.startswith("afterview: --tz:")
    done = call("interview", "delete", str(iv))
    assert done.returncode == 0 and done.stdout.startswith(f"Deleted interview {iv} (Acme · DE")
    done = call("interview", "delete", str(iv))
    assert done.returncode == 1 and done.stderr.count("\n") == 1
