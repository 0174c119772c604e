"""The pure rules behind `mail sync`: what kind of message a mail is (core.mail_kinds), and
which interview it is about (core.replies), on the corpus and on small cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from afterview.core.mail_kinds import MailKind, auto_subject, classify
from afterview.core.model import Application, Facts, Interview, Person
from afterview.core.replies import (
    IncomingMail,
    ReplyFinder,
    ats_of,
    company_domains,
    company_words,
    names,
    org_label,
    words,
)
from afterview.mail import mailbox
from afterview.textcheck import check_line, clean_line
from tests.mail.test_reply_corpus import EXPECTED, INTERVIEWS, corpus

SENT_ID = "<thanks-1@local.test>"


def _person(pid: int, text: str) -> Person:
    name, _, rest = text.partition(" <")
    return Person(pid, name, rest.rstrip(">") or None)


def scene_facts() -> Facts:
    """The interviews of the corpus test, as facts (ids 1..10, one hour each, Paris)."""
    apps, ivs = [], []
    for n, (company, role, start, person) in enumerate(INTERVIEWS, start=1):
        begin = datetime.fromisoformat(start + "+02:00")
        apps.append(Application(n, company, role))
        ivs.append(
            Interview(
                n, n, begin, begin + timedelta(hours=1), "Europe/Paris", (_person(n, person),)
            )
        )
    return Facts(applications=tuple(apps), interviews=tuple(ivs))


def finder(facts: Facts | None = None) -> ReplyFinder:
    facts = facts or scene_facts()
    return ReplyFinder(
        facts, {SENT_ID: 1}, frozenset(["me@local.test"]), company_domains(facts, {})
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_message_of_the_corpus(name: str) -> None:
    raw = corpus(SENT_ID)[name]
    mail = mailbox.parse_headers(raw, None, 1, 1)
    assert mail is not None
    verdict = finder().judge(mail)
    interview, counts = EXPECTED[name]
    assert (verdict.match.interview_id if verdict.match else None, verdict.counts) == (
        interview,
        counts,
    ), verdict
    if name.startswith(("oof-", "autoresponder-", "vacation-", "exchange-", "software-")):
        assert verdict.kind is MailKind.AUTO_REPLY
    if name.startswith("ats-") and counts:
        assert verdict.match is not None and verdict.match.via == "ats"


# -- kinds ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("headers", "subject", "ours", "kind"),
    [
        ({}, "Next steps", False, MailKind.PERSONAL),
        ({}, "Re: Thank you", True, MailKind.PERSONAL),
        ({"auto-submitted": "no"}, "Re: Thank you", True, MailKind.PERSONAL),
        ({"auto-submitted": "auto-replied; owner-email=a@b"}, "Hi", False, MailKind.AUTO_REPLY),
        ({"auto-submitted": "Auto-Generated"}, "Your application", False, MailKind.NOTIFICATION),
        ({"auto-submitted": "auto-generated"}, "Re: Thank you", True, MailKind.AUTO_REPLY),
        ({"x-auto-response-suppress": "All"}, "Update", False, MailKind.NOTIFICATION),
        ({"x-auto-response-suppress": "All"}, "Thanks", True, MailKind.AUTO_REPLY),
        ({"x-auto-response-suppress": "None"}, "Thanks", True, MailKind.PERSONAL),
        ({"precedence": "auto_reply"}, "Thanks", False, MailKind.AUTO_REPLY),
        ({"precedence": "bulk"}, "Sale", False, MailKind.BULK),
        ({"list-id": "<news.acme.example>"}, "News", False, MailKind.BULK),
        ({"x-autoreply": "yes"}, "Re: Thank you", False, MailKind.AUTO_REPLY),
        ({"x-autoreply": "no"}, "Re: Thank you", False, MailKind.PERSONAL),
        ({"content-type": "multipart/report; report-type=delivery-status"}, "x", False, MailKind.REPORT),
        ({}, "Undeliverable: Thank you", False, MailKind.REPORT),
    ],
)  # fmt: skip
def test_kinds(headers: dict[str, str], subject: str, ours: bool, kind: MailKind) -> None:
    assert classify(headers, "ana@acme.example", subject, answers_ours=ours) is kind


def test_a_bounce_is_known_by_its_sender() -> None:
    assert classify({}, "MAILER-DAEMON@acme.example", "Hi", answers_ours=False) is MailKind.REPORT


@pytest.mark.parametrize(
    "subject",
    [
        "Automatic reply: Thank you",
        "AUTOMATIC REPLY: thank you",
        "Out of Office: back Monday",
        "[Out of office] Ana Lopez",
        "Abwesenheitsnotiz: Danke",
        "Automatische Antwort: Danke",
        "Réponse automatique : Merci",
        "Respuesta automática: Gracias",
        "Fuera de la oficina",
        "Risposta automatica: Grazie",
        "Automatisch antwoord: Dank",
        "Resposta automática: Obrigado",
        "Autosvar: Tack",
        "Automatyczna odpowiedź: Dziękuję",
        "Автоматический ответ: Спасибо",
        "自動応答: ありがとう",
        "自动回复：谢谢",
        "Absence : retour lundi",
        "OOO until 21 Sep",
    ],
)
def test_subjects_of_automatic_answers(subject: str) -> None:
    assert auto_subject(subject)


@pytest.mark.parametrize(
    "subject",
    [
        "Re: Automatic reply: Thank you",  # a person answering an out-of-office
        "AW: Abwesenheitsnotiz",
        "Next steps",
        "Vacation days in your offer",
        "Absenteeism policy",  # "absence" only as a whole first word
        # a person's sentence that mentions an absence is not a label
        "Your interview: I am out of office next week, decision by Friday",
        "Absence of news – update on your application",
        "Update: our team is out of the office until the 5th, decision after",
        "Your interview on Tuesday",
        "",
    ],
)
def test_subjects_of_people(subject: str) -> None:
    assert not auto_subject(subject)


# -- names and domains ------------------------------------------------------------------------------
def test_company_names() -> None:
    assert company_words("Acme Corp.") == ("acme",)
    assert company_words("The Boring Company") == ("boring",)
    assert company_words("Société Générale SA") == ("societe", "generale")
    assert names(words("SOCIETE GENERALE Recrutement"), company_words("Société Générale"))
    assert not names(words("Acmeville Jobs"), company_words("Acme"))
    assert not names(words("X Careers"), company_words("X"))  # too short to tell
    assert names(words("AT&T Careers"), company_words("AT&T"))


def test_domains() -> None:
    assert ats_of("us.greenhouse-mail.io") == "Greenhouse"
    assert ats_of("hire.eu.lever.co") == "Lever"
    assert ats_of("notlever.co") is None
    assert org_label("careers.acme.example") == "acme"
    assert org_label("jobs.tyrell.co.uk") == "tyrell"
    assert org_label("wayne.example.evil.test") == "evil"


def _mail(sender: str, name: str = "", subject: str = "Hello", **kw: object) -> IncomingMail:
    return IncomingMail(
        "<m@x>",
        sender,
        name,
        subject,
        datetime(2026, 9, 20, 9, tzinfo=UTC),
        (),
        **kw,  # type: ignore[arg-type]
    )


def test_two_companies_named_alike_are_not_guessed() -> None:
    facts = Facts(
        applications=(Application(1, "Acme", "Dev"), Application(2, "Acme Labs", "Dev")),
        interviews=(
            Interview(1, 1, datetime(2026, 9, 15, 9, tzinfo=UTC), datetime(2026, 9, 15, 10, tzinfo=UTC), "UTC"),
            Interview(2, 2, datetime(2026, 9, 15, 9, tzinfo=UTC), datetime(2026, 9, 15, 10, tzinfo=UTC), "UTC"),
        ),
    )  # fmt: skip
    f = finder(facts)
    labs = f.judge(_mail("no-reply@hire.lever.co", "Acme Labs Recruiting"))
    assert labs.match is not None and labs.match.interview_id == 2  # the longer name wins
    plain = f.judge(_mail("no-reply@hire.lever.co", "Acme Recruiting"))
    assert plain.match is not None and plain.match.interview_id == 1
    assert f.judge(_mail("no-reply@hire.lever.co", "Recruiting")).match is None
    # a company called "Reply" is not named by every no-reply address
    reply = Facts(applications=(Application(3, "Reply", "Dev"),), interviews=(
        Interview(3, 3, datetime(2026, 9, 15, 9, tzinfo=UTC), datetime(2026, 9, 15, 10, tzinfo=UTC), "UTC"),
    ))  # fmt: skip
    assert finder(reply).judge(_mail("no-reply@hire.lever.co", "Lever")).match is None


def test_the_role_in_the_subject_picks_among_applications_at_one_company() -> None:
    end = datetime(2026, 9, 15, 10, tzinfo=UTC)
    facts = Facts(
        applications=(Application(1, "Acme", "Data Engineer"), Application(2, "Acme", "Analyst")),
        interviews=(
            Interview(1, 1, end - timedelta(hours=1), end, "UTC", (Person(1, "A", "a@acme.example"),)),
            Interview(2, 2, end, end + timedelta(hours=1), "UTC", (Person(2, "B", "b@acme.example"),)),
        ),
    )  # fmt: skip
    f = finder(facts)
    latest = f.judge(_mail("hr@careers.acme.example"))
    assert latest.match is not None and latest.match.interview_id == 2
    named = f.judge(_mail("hr@careers.acme.example", subject="Your Data Engineer interview"))
    assert named.match is not None and named.match.interview_id == 1


# -- text from the mailbox is kept, cleaned -------------------------------------------------------
@given(st.text(max_size=400))
def test_cleaned_text_is_always_a_line_check_line_accepts(value: str) -> None:
    cleaned = clean_line(value, 300)
    assert check_line(cleaned, "f", limit=300, empty=True) == cleaned


@given(st.binary(max_size=300))
def test_any_header_bytes_are_read_or_skipped(data: bytes) -> None:
    raw = (
        b"From: "
        + data
        + b" <a@acme.example>\r\nSubject: "
        + data
        + b"\r\nDate: Tue, 15 Sep 2026 10:00:00 +0200\r\n\r\n"
    )
    mail = mailbox.parse_headers(raw, None, 1, 1)
    if mail is not None:
        for value in (mail.sender_name, mail.subject):
            assert check_line(value, "f", limit=300, empty=True) == value
