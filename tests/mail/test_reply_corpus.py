"""Automatic answers and applicant-tracking mail, APPENDed into a real Dovecot INBOX and read
with `afterview mail sync`: which messages become the employer's answer, to which
interview, and which follow-ups they cancel.

The corpus (tests/mail/replies/*.eml) is written from the public formats, not copied from
real mail. `EXPECTED` says, for every file, the interview it is about (None: no interview)
and whether it is the employer's answer.
"""

from __future__ import annotations

from datetime import timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest

from afterview.textcheck import check_line
from tests.cli.helpers import Afterview
from tests.mailservers import ME, DovecotServer, SmtpServer

CORPUS = Path(__file__).parent / "replies"
NOW = "2026-09-25T12:00"

#: The interviews of `scene`, in the order they are added (ids 1..10).
INTERVIEWS = [
    ("Acme", "Data Engineer", "2026-09-15T14:00", "Ana Lopez <ana@acme.example>"),
    ("Globex", "Analyst", "2026-09-15T10:00", "Dana Park"),
    ("Initech", "Developer", "2026-09-15T11:00", "Bill Lumbergh"),
    ("Hooli", "Engineer", "2026-09-15T12:00", "Gavin Belson <gavin@hooli.example>"),
    ("Umbrella Corp", "Scientist", "2026-09-16T10:00", "Albert Wesker"),
    ("Vandelay Industries", "Importer", "2026-09-16T11:00", "Art Vandelay"),
    ("Stark Industries", "Engineer", "2026-09-16T12:00", "Pepper Potts"),
    ("Wayne Enterprises", "Analyst", "2026-09-16T14:00", "Lucius Fox <lucius@wayne.example>"),
    (
        "Cyberdyne Systems",
        "Researcher",
        "2026-09-16T15:00",
        "Miles Dyson <miles@cyberdyne.example>",
    ),
    ("Tyrell", "Designer", "2026-09-16T16:00", "Eldon Tyrell"),
]

#: file -> (interview it is about, is it the employer's answer)
EXPECTED: dict[str, tuple[int | None, bool]] = {
    # Acme's side answers automatically, in every way the formats allow: none counts
    "oof-outlook-en.eml": (1, False),  # X-Auto-Response-Suppress, no Auto-Submitted
    "oof-outlook-de-8bit.eml": (1, False),  # raw UTF-8 headers
    "oof-outlook-fr.eml": (1, False),
    "oof-outlook-headers-only.eml": (1, False),  # a person's subject: the header alone tells
    "oof-es-subject-only.eml": (1, False),
    "oof-absence-first-word.eml": (1, False),
    "oof-japanese.eml": (1, False),
    "oof-dutch.eml": (1, False),
    "oof-italian.eml": (1, False),
    "autoresponder-precedence.eml": (1, False),
    "autoresponder-x-autoreply.eml": (1, False),
    "autoresponder-x-autorespond.eml": (1, False),
    "autoresponder-x-auto-response.eml": (1, False),
    "vacation-rfc3834.eml": (1, False),
    "exchange-generated-answer.eml": (1, False),
    "software-answering-ours.eml": (1, False),
    "bounce-dsn.eml": (1, False),
    "newsletter-company-domain.eml": (1, False),
    # applicant-tracking systems naming the company
    "ats-lever-globex.eml": (2, True),  # in the sender's name
    "ats-lever-before-interview.eml": (None, False),  # before the interview ended
    "ats-workday-tenant.eml": (3, True),  # initech@myworkday.com
    "ats-ashby-reply-to.eml": (4, True),  # Reply-To at the company's domain
    "ats-smartrecruiters-name.eml": (5, True),  # "Umbrella Corporation" for Umbrella Corp
    "ats-icims-name.eml": (6, True),
    "ats-greenhouse-bulk.eml": (7, True),  # Precedence: bulk, still the employer's answer
    "ats-greenhouse-unknown-company.eml": (None, False),
    "ats-lever-lookalike-name.eml": (None, False),  # "Acmeville" is not Acme
    # the company's subdomains, and look-alikes that are not
    "company-subdomain-careers.eml": (8, True),
    "company-subdomain-mail.eml": (9, True),
    "lookalike-domain-suffix.eml": (None, False),
    "lookalike-domain-prefix.eml": (None, False),
    "company-name-and-label.eml": (10, True),  # "Tyrell Careers" at jobs.tyrell.co.uk
    "person-answers-an-oof.eml": (9, True),  # "Re: Automatic reply: …" from a person
}


def _message_id(raw: bytes) -> str:
    for line in raw.decode("utf-8", "replace").splitlines():
        if line.lower().startswith("message-id:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError("no Message-ID")


def corpus(sent_id: str) -> dict[str, bytes]:
    """The corpus as raw messages (CR LF line ends), our Message-ID put in."""
    out = {}
    for path in sorted(CORPUS.glob("*.eml")):
        text = path.read_bytes().replace(b"%%SENT_ID%%", sent_id.encode("ascii"))
        out[path.name] = text.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    return out


@pytest.fixture
def scene(
    av: Afterview, mailbox: DovecotServer, smtpd: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> tuple[Afterview, str]:
    """Ten interviews, mail set up, and a thank-you to Ana sent through afterview."""
    monkeypatch.setenv("AFTERVIEW_IMAP_PASSWORD", mailbox.password)
    av.ok(
        "mail", "setup", "--smtp-host", smtpd.host, "--smtp-port", str(smtpd.port),
        "--smtp-security", "none", "--from", ME,
        "--imap-host", mailbox.host, "--imap-port", str(mailbox.port), "--imap-security", "none",
        now="2026-09-15T09:00",
    )  # fmt: skip
    for company, role, start, person in INTERVIEWS:
        av.ok(
            "interview", "add", "--company", company, "--role", role, "--start", start,
            "--interviewer", person, now="2026-09-15T09:00",
        )  # fmt: skip
    av.ok("send", "thank_you:1:1", now="2026-09-15T15:10")
    assert av.ok("run", "--once", "--json", now="2026-09-15T17:05").json()["sent"] == [1]
    [sent] = av.ok("outbox", "--all", "--json", now="2026-09-15T17:06").json()
    assert smtpd.messages[0].message["Message-ID"] == sent["message_id"]
    return av, str(sent["message_id"])


def _received(av: Afterview) -> list[dict[str, Any]]:
    data = av.ok("export", now=NOW).json()
    return [t for t in data["touches"] if t["direction"] == "received"]


def test_the_corpus_covers_every_file() -> None:
    assert sorted(EXPECTED) == sorted(p.name for p in CORPUS.glob("*.eml"))


def test_what_the_mailbox_makes_of_the_corpus(
    scene: tuple[Afterview, str], mailbox: DovecotServer
) -> None:
    av, sent_id = scene
    messages = corpus(sent_id)
    for raw in messages.values():
        date = next(
            line.split(":", 1)[1] for line in raw.decode("utf-8", "replace").splitlines()
            if line.startswith("Date:")
        )  # fmt: skip
        mailbox.append(
            ME, "INBOX", raw, internaldate=parsedate_to_datetime(date) + timedelta(minutes=1)
        )
    report = av.ok("mail", "sync", "--json", now=NOW).json()
    answers = {name for name, (_, counts) in EXPECTED.items() if counts}
    automatic = {name for name, (iv, counts) in EXPECTED.items() if iv and not counts}
    assert (report["seen"], report["skipped"]) == (len(messages), 0)
    assert (report["recorded"], report["automatic"]) == (len(answers), len(automatic))

    # each answer is recorded once, on the interview it is about
    by_id = {_message_id(raw): name for name, raw in messages.items()}
    recorded = {by_id[t["message_id"]]: t["interview_id"] for t in _received(av)}
    assert recorded == {name: EXPECTED[name][0] for name in answers}

    # what came from outside is stored as one clean line, never refused
    for touch in _received(av):
        for value in (touch["sender"], touch["subject"], touch["note"]):
            assert check_line(value, "stored", limit=600, empty=True) == value.strip()
    wayne = next(t for t in _received(av) if t["interview_id"] == 8)
    assert wayne["note"].startswith("Wayne Enterprises Careers Bcc: x@evil.example: Your interview")
    assert "Reply-To: evil@x.example" in wayne["subject"] and "\x1b" not in wayne["subject"]

    # an answer cancels the follow-up that was waiting; automatic answers cancel nothing
    actions = {
        a["id"]: a["state"] for a in av.ok("agenda", "--json", "--all", now=NOW).json()["actions"]
    }
    answered = {EXPECTED[name][0] for name in answers}
    assert answered == set(range(2, 11))
    for iv in answered:
        assert actions[f"follow_up:{iv}:1"] == "cancelled", iv
    assert actions["follow_up:1:1"] not in ("cancelled", "done", "skipped", "lapsed")

    # the human line says what was left out and why
    again = av.ok("mail", "sync", "--rescan", now=NOW).out
    assert f"{len(automatic)} automatic or mass messages" in again
    assert "0 replies from employers recorded" in again
