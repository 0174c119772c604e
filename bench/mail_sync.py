"""Benchmark `afterview mail sync` on a large INBOX in a private Dovecot.

    .venv/bin/python bench/mail_sync.py                      # 20,000 messages; sizes 2,000/5,000/20,000
    .venv/bin/python bench/mail_sync.py --messages 5000 --sizes 1000,5000
    .venv/bin/python bench/mail_sync.py --keep /tmp/mailbench  # keep the databases and maildirs
    .venv/bin/python bench/mail_sync.py --profile            # also cProfile one initial sync in-process

Needs Dovecot (Debian's `dovecot-imapd`, as for the tests) and the venv's Python:
the commands run the `afterview` console script found next to `sys.executable`.

For each mailbox size a fresh private Dovecot is started (tests/mailservers.py),
its INBOX filled by writing maildir files directly (then indexed by Dovecot
before any timing), and a fresh afterview database made in-process: 60
interviews at 40 companies over the last year, thank-yous sent with
Message-IDs for most, and the mail settings pointing at that Dovecot. Each
`afterview --db DB --now NOW mail sync --json` then runs as a fresh process
(spawned by a tiny launcher, so its peak RSS from `os.wait4` is its own):

- the initial sync of every size (one run each): wall time, CPU time, peak RSS
  and the JSON report, checked against the employer messages written;
- for `--messages` (default 20,000) also a repeat sync with nothing new (median
  of 7 runs) and a sync after 50 new messages are APPENDed over IMAP (one run).

Targets (exit 1 on a miss): the initial sync of 20,000 messages under 20 s
(larger mailboxes: proportionally more), a repeat sync under 0.5 s, and peak
RSS flat in the mailbox size (the largest size at most 5 MB above the smallest).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import cProfile
import json
import os
import platform
import pstats
import quopri
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.header import Header
from email.utils import format_datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # for `tests.mailservers`
    sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from tests.mailservers import DovecotServer

BIN = os.path.dirname(sys.executable)
SCRIPT = os.path.join(BIN, "afterview")
USER_TZ = "Europe/Paris"
DEFAULT_NOW = "2026-11-27T12:00+01:00"
ME_NAME = "Sam Rivera"

INITIAL_TARGET_S = 20.0  # for 20,000 messages
INITIAL_TARGET_PER = 20_000
REPEAT_TARGET_S = 0.5
MEMORY_GROWTH_MB = 5.0
REPEAT_RUNS = 7
APPENDED = 50
APPENDED_EMPLOYER = 3
MIN_MESSAGES = 1000

# The employer's messages written into every mailbox, by kind (300 in all).
EMPLOYER_KINDS: dict[str, int] = {
    "interviewer": 110,  # from an interviewer's address, after the interview
    "domain": 80,  # from someone else at the company's domain (HR, ATS no-reply, a coordinator)
    "thread_employer": 20,  # a reply in a thread started by an earlier employer message
    "thread_ours": 40,  # an interviewer answering our thank-you (In-Reply-To / References)
    "gmail_interviewer": 10,  # from an interviewer who uses gmail.com
    "gmail_thread": 10,  # from a gmail.com address that is no interviewer, answering our thank-you
    "before": 25,  # scheduling mail dated before the company's first interview: never matched
    "duplicate": 5,  # a second copy of one of the above (same Message-ID): recorded once
}
EMPLOYER_LABELS: dict[str, str] = {
    "interviewer": "from an interviewer's address, after the interview",
    "domain": "from others at the company's domain (HR, ATS no-reply, coordinators)",
    "thread_employer": "replies in a thread started by an earlier employer message",
    "thread_ours": "an interviewer answering our thank-you (In-Reply-To/References)",
    "gmail_interviewer": "from interviewers who use gmail.com",
    "gmail_thread": "from gmail.com non-interviewers answering our thank-you",
    "before": "dated before the company's first interview (not expected to match)",
    "duplicate": "second copies of a matching message (same Message-ID: recorded once)",
}
MATCHING = ("interviewer", "domain", "thread_employer", "thread_ours")
MATCHING_GMAIL = ("gmail_interviewer", "gmail_thread")


# -- the job search ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Person:
    """Someone who writes mail."""

    name: str
    address: str

    def header(self) -> str:
        """The From/To value, the name as an encoded word when it is not ASCII."""
        return f"{_ew(self.name)} <{self.address}>"


@dataclass
class Company:
    """An employer: its domain, the people met there and the others who write."""

    name: str
    domain: str
    role: str
    staff: list[Person]  # people at the domain who are not interviewers
    gmail_only: bool = False


@dataclass
class PlannedInterview:
    """One interview round to record, with the thank-you sent after it."""

    company: Company
    start: datetime  # aware, in the user's zone
    interviewers: list[Person]
    thank_you_id: str | None = None

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=60)

    @property
    def thank_you_at(self) -> datetime:
        return self.end + timedelta(hours=3)


@dataclass
class History:
    """The interviews of the last year."""

    companies: list[Company]
    interviews: list[PlannedInterview]

    def first_interview(self, company: Company) -> PlannedInterview:
        return min((iv for iv in self.interviews if iv.company is company), key=lambda i: i.start)


_BASES = [
    "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka", "Tyrell",
    "Cyberdyne", "Soylent", "Vandelay", "Piedpiper", "Aperture", "Blackmesa", "Oscorp",
    "Monarch", "Dunder", "Prestige", "Gekko",
]  # fmt: skip
_ROLES = [
    "Data Engineer",
    "Backend Developer",
    "Analytics Engineer",
    "Platform Engineer",
    "Product Analyst",
    "Site Reliability Engineer",
]
_FIRST = [
    "Ana", "Bo", "Chloé", "Dmitri", "Élodie", "Farid", "Grace", "Hugo", "Inès", "Jonas",
    "Kenji", "Léa", "Marta", "Noah", "Olga", "Priya", "Quentin", "Rosa", "Søren", "Tomás",
    "Uma", "Victor", "Wen", "Yusuf", "Zoé",
]  # fmt: skip
_LAST = [
    "Lopez", "Chen", "Martin", "Ivanov", "Dubois", "Haddad", "Okafor", "Bernard", "Moreau",
    "Schmidt", "Tanaka", "Rossi", "García", "Novak", "Petit", "Sharma", "Fontaine", "Müller",
    "Andersen", "Silva", "Kowalski", "Nguyen", "Yilmaz", "Brown", "Leroy",
]  # fmt: skip


def _ascii(text: str) -> str:
    table = str.maketrans("éèÉíóáøüÜç", "eeEioaouUc")
    return text.translate(table).lower()


def _person(rng: random.Random, domain: str) -> Person:
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    return Person(f"{first} {last}", f"{_ascii(first)}.{_ascii(last)}@{domain}")


def plan_history(seed: int, now: datetime) -> History:
    """40 companies, 60 interviews over the last year (20 companies with a second round)."""
    rng = random.Random(seed)
    companies: list[Company] = []
    interviews: list[PlannedInterview] = []
    tz = ZoneInfo(USER_TZ)
    gmail_only = {7, 23}  # the only interviewer is a recruiter writing from gmail.com
    mixed = {11}  # one interviewer on gmail.com, one on the domain: the domain is still learnt
    second_round = set(rng.sample([i for i in range(1, 41) if i not in gmail_only], 20))
    for i in range(1, 41):
        base = _BASES[(i - 1) % len(_BASES)]
        suffix = "" if i <= len(_BASES) else " Labs"
        domain = f"{base.lower()}-{i}.example"
        staff = [
            Person(f"{base}{suffix} Recruiting", f"recruiting@{domain}"),
            Person(f"{base}{suffix} Talent", f"talent@{domain}"),
            Person(f"{base}{suffix}", f"no-reply@{domain}"),
            _person(rng, domain),
        ]
        company = Company(f"{base}{suffix} {i}", domain, rng.choice(_ROLES), staff, i in gmail_only)
        companies.append(company)
        pool = [_person(rng, domain) for _ in range(4)]
        if i in gmail_only:
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            pool = [Person(f"{first} {last}", f"{_ascii(first)}.{_ascii(last)}.hr@gmail.com")]
        elif i in mixed:
            pool[0] = Person(pool[0].name, f"{_ascii(pool[0].name).replace(' ', '')}@gmail.com")
        day = now - timedelta(days=rng.uniform(20, 360))
        rounds = 2 if i in second_round else 1
        for r in range(rounds):
            if r:
                day += timedelta(days=rng.uniform(5, 15))
            hour = rng.choice([9, 10, 11, 14, 15, 16, 17])
            start = day.astimezone(tz).replace(hour=hour, minute=rng.choice([0, 30]), second=0)
            start = start.replace(microsecond=0)
            while start.weekday() >= 5:
                start += timedelta(days=1)
            people = pool[:1] if i in gmail_only else rng.sample(pool, rng.randint(1, 3))
            if i in mixed and r == 0:
                people = pool[:2]
            ty = rng.random() < 0.7 or i in gmail_only
            mid = f"<{rng.getrandbits(64):016x}.thanks@local.test>" if ty else None
            interviews.append(PlannedInterview(company, start, people, mid))
    interviews.sort(key=lambda iv: iv.start)
    assert all(iv.end < now - timedelta(days=3) for iv in interviews)
    return History(companies, interviews)


# -- messages ------------------------------------------------------------------------------------
_ENCODED: dict[str, str] = {}


def _ew(text: str) -> str:
    """`text` as RFC 2047 encoded words when it is not ASCII (cached)."""
    if text.isascii():
        return text
    found = _ENCODED.get(text)
    if found is None:
        found = _ENCODED[text] = Header(text, "utf-8").encode()
    return found


_TEXT = (
    "the team data pipeline thanks for your time we would like to schedule follow up "
    "interview next week offer update please find attached details regarding role product "
    "platform quarterly report meeting notes weekend dinner photos sale discount delivery "
    "order invoice account security review project deadline coffee tomorrow Friday "
    "feedback candidate process manager decision position salary benefits remote office"
)
_WORDS = tuple(_TEXT.split())
_ZONES = [timezone(timedelta(hours=h)) for h in (1, 1, 1, 0, 2, -5, -8, 9, 5.5)]


@dataclass
class Planned:
    """One message to write: when the server received it, and its bytes (or how to make them)."""

    arrival: datetime
    raw: bytes | None = None
    render: Callable[[], bytes] | None = None
    seen: bool = True


@dataclass
class Expected:
    """What the initial sync of the mailbox should report."""

    kinds: Counter[str] = field(default_factory=Counter)
    malformed: Counter[str] = field(default_factory=Counter)
    skipped: int = 0
    others: Counter[str] = field(default_factory=Counter)

    @property
    def replies(self) -> int:
        return sum(self.kinds[k] for k in (*MATCHING, *MATCHING_GMAIL, "duplicate"))

    @property
    def recorded(self) -> int:
        return self.replies - self.kinds["duplicate"]


class MailFactory:
    """Makes realistic raw messages (LF line ends, as in a maildir)."""

    def __init__(self, rng: random.Random, me: str) -> None:
        self.rng = rng
        self.me = Person(ME_NAME, me)
        self.count = 0

    def msgid(self, domain: str) -> str:
        self.count += 1
        return f"<{self.rng.getrandbits(60):015x}.{self.count}@{domain}>"

    def words(self, n: int) -> str:
        return " ".join(self.rng.choices(_WORDS, k=n))

    def paragraphs(self, count: int, size: tuple[int, int] = (20, 60)) -> list[str]:
        return [self.words(self.rng.randint(*size)).capitalize() + "." for _ in range(count)]

    def date(self, at: datetime) -> str:
        return format_datetime(at.astimezone(self.rng.choice(_ZONES)))

    def message(
        self,
        sender: str,
        subject: str,
        at: datetime,
        msgid: str | None,
        body: str,
        *,
        to: str | None = None,
        extra: list[tuple[str, str]] | None = None,
        html: str | None = None,
        attachment: int = 0,
        date: str | None = None,
    ) -> bytes:
        """A message: text/plain, or multipart/alternative with HTML, optionally an attachment."""
        head = [
            ("Return-Path", f"<{sender.rpartition('<')[2].rstrip('>')}>"),
            (
                "Received",
                f"from mx.example (mx.example [192.0.2.{self.rng.randint(1, 254)}]) by "
                f"imap.local.test with ESMTPS; {self.date(at)}",
            ),
            ("From", sender),
            ("To", to or self.me.header()),
            ("Subject", subject),
            ("Date", date if date is not None else self.date(at)),
        ]
        if msgid is not None:
            head.append(("Message-ID", msgid))
        head.extend(extra or [])
        head.append(("MIME-Version", "1.0"))
        text_part, text_headers = self._text(body)
        if html is None and not attachment:
            lines = [*head, *text_headers]
            return _join(lines, text_part)
        boundary = f"=_{self.rng.getrandbits(48):012x}"
        parts: list[str] = []
        if html is not None:
            inner = f"=_alt{self.rng.getrandbits(40):010x}"
            alt = _part(text_headers, text_part, inner) + _part(*self._html(html), inner)
            alt += f"--{inner}--\n"
            if not attachment:
                head.append(("Content-Type", f'multipart/alternative; boundary="{inner}"'))
                return _join(head, "This is a multi-part message in MIME format.\n\n" + alt)
            parts.append(
                _part(
                    [("Content-Type", f'multipart/alternative; boundary="{inner}"')], alt, boundary
                )
            )
        else:
            parts.append(_part(text_headers, text_part, boundary))
        if attachment:
            blob = base64.encodebytes(self.rng.randbytes(attachment)).decode("ascii")
            name = f"{self.words(2).replace(' ', '-')}.pdf"
            parts.append(
                _part(
                    [
                        ("Content-Type", f'application/pdf; name="{name}"'),
                        ("Content-Disposition", f'attachment; filename="{name}"'),
                        ("Content-Transfer-Encoding", "base64"),
                    ],
                    blob,
                    boundary,
                )
            )
        head.append(("Content-Type", f'multipart/mixed; boundary="{boundary}"'))
        return _join(head, "".join(parts) + f"--{boundary}--\n")

    def _text(self, body: str) -> tuple[str, list[tuple[str, str]]]:
        if body.isascii():
            return body, [
                ("Content-Type", "text/plain; charset=us-ascii"),
                ("Content-Transfer-Encoding", "7bit"),
            ]
        if self.rng.random() < 0.5:
            encoded = quopri.encodestring(body.encode("utf-8")).decode("ascii")
            return encoded, [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Transfer-Encoding", "quoted-printable"),
            ]
        return body, [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Transfer-Encoding", "8bit"),
        ]

    def _html(self, html: str) -> tuple[list[tuple[str, str]], str]:
        if self.rng.random() < 0.4:
            blob = base64.encodebytes(html.encode("utf-8")).decode("ascii")
            return [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Transfer-Encoding", "base64"),
            ], blob
        encoded = quopri.encodestring(html.encode("utf-8")).decode("ascii")
        return [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Transfer-Encoding", "quoted-printable"),
        ], encoded

    def html_of(self, paragraphs: list[str], blocks: int) -> str:
        rows = "".join(
            f'<tr><td style="padding:12px;font-family:Arial,sans-serif;font-size:14px">'
            f'<img src="https://cdn.example/img/{self.rng.getrandbits(32):08x}.png" width="560">'
            f"<p>{self.words(self.rng.randint(30, 90))}</p>"
            f'<a href="https://click.example/{self.rng.getrandbits(64):016x}">Read more</a></td></tr>'
            for _ in range(blocks)
        )
        text = "".join(f"<p>{p}</p>" for p in paragraphs)
        return (
            '<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0}'
            'td{color:#333}</style></head><body><table width="600" align="center">'
            f"<tr><td>{text}</td></tr>{rows}</table></body></html>"
        )


def _join(headers: list[tuple[str, str]], body: str) -> bytes:
    head = "".join(f"{k}: {v}\n" for k, v in headers)
    return (head + "\n" + body).encode("utf-8")


def _part(headers: list[tuple[str, str]], body: str, boundary: str) -> str:
    head = "".join(f"{k}: {v}\n" for k, v in headers)
    return f"--{boundary}\n{head}\n{body}\n"


def _between(rng: random.Random, low: datetime, high: datetime) -> datetime:
    span = max((high - low).total_seconds(), 60.0)
    return (low + timedelta(seconds=rng.uniform(0, span))).replace(microsecond=0)


def plan_mailbox(
    history: History, size: int, seed: int, now: datetime, me: str
) -> tuple[list[Planned], Expected]:
    """The INBOX of `size` messages: 300 of the employers' (fixed), the rest other mail."""
    rng = random.Random(seed * 7919 + size)
    f = MailFactory(rng, me)
    expected = Expected()
    out: list[Planned] = []
    latest = now - timedelta(hours=2)
    with_domain = [iv for iv in history.interviews if not iv.company.gmail_only]
    gmail = [iv for iv in history.interviews if iv.company.gmail_only]
    thanked = [iv for iv in with_domain if iv.thank_you_id]
    employer: list[tuple[Planned, str, PlannedInterview]] = []  # (message, Message-ID, interview)

    def add_employer(kind: str, at: datetime, raw: bytes, mid: str, iv: PlannedInterview) -> None:
        planned = Planned(at, raw=raw, seen=at < now - timedelta(days=2))
        out.append(planned)
        expected.kinds[kind] += 1
        if kind in MATCHING or kind in MATCHING_GMAIL:
            employer.append((planned, mid, iv))

    def employer_body(sender: Person, paragraphs: int) -> str:
        lines = ["Hi Sam,", "", *f.paragraphs(paragraphs), "", "Best regards,", sender.name]
        if rng.random() < 0.3:
            lines += ["", "> On a previous day, Sam Rivera wrote:", "> " + f.words(25)]
        return "\n".join(lines) + "\n"

    subjects_after = [
        "Next steps",
        "Following up on our conversation",
        "Feedback from the panel",
        "Your interview with {c}",
        "Second round: {r}",
        "Quick question",
        "Update on your application",
        "Prochaines étapes — {r}",
        "Résultat de l'entretien",
        "Ihre Bewerbung bei {c}",
        "Offer details ✨",
        "Références — {c}",
    ]

    def subject(templates: list[str], iv: PlannedInterview) -> str:
        return _ew(rng.choice(templates).format(c=iv.company.name, r=iv.company.role))

    # 1. from an interviewer's address, after the interview
    for n in range(EMPLOYER_KINDS["interviewer"]):
        iv = rng.choice(with_domain)
        sender = rng.choice(iv.interviewers)
        at = _between(rng, iv.end + timedelta(hours=1), min(iv.end + timedelta(days=45), latest))
        mid = f.msgid(sender.address.rpartition("@")[2])
        date = "not a date" if n < 2 else None  # falls back to the server's arrival time
        body = employer_body(sender, rng.randint(1, 4))
        extra: list[tuple[str, str]] = []
        if n == 2:  # an unknown charset: still read
            extra = [("X-Note", "charset below is unknown")]
        raw = f.message(
            sender.header(), subject(subjects_after, iv), at, mid, body, date=date, extra=extra
        )
        if n == 2:
            raw = raw.replace(b"charset=us-ascii", b"charset=x-unknown-charset")
        add_employer("interviewer", at, raw, mid, iv)
    # 2. others at the company's domain (some as an ATS: multipart with HTML)
    for _ in range(EMPLOYER_KINDS["domain"]):
        iv = rng.choice(with_domain)
        sender = rng.choice(iv.company.staff)
        at = _between(rng, iv.end + timedelta(hours=2), min(iv.end + timedelta(days=60), latest))
        mid = f.msgid(iv.company.domain)
        paragraphs = f.paragraphs(rng.randint(1, 3))
        html = f.html_of(paragraphs, 2) if sender.address.startswith("no-reply") else None
        raw = f.message(
            sender.header(),
            subject(subjects_after, iv),
            at,
            mid,
            employer_body(sender, 2),
            html=html,
        )
        add_employer("domain", at, raw, mid, iv)
    # 3. a reply in a thread started by an earlier employer message (the same company)
    for planned, first_id, iv in rng.sample(employer, EMPLOYER_KINDS["thread_employer"]):
        sender = rng.choice([*iv.interviewers, *iv.company.staff[:2]])
        at = _between(rng, planned.arrival + timedelta(hours=1), latest)
        mid = f.msgid(iv.company.domain)
        extra = [("In-Reply-To", first_id), ("References", first_id)]
        raw = f.message(
            sender.header(),
            _ew(f"Re: Next steps — {iv.company.name}"),
            at,
            mid,
            employer_body(sender, 1),
            extra=extra,
        )
        add_employer("thread_employer", at, raw, mid, iv)
    # 4. an interviewer answering our thank-you
    for _ in range(EMPLOYER_KINDS["thread_ours"]):
        iv = rng.choice(thanked)
        assert iv.thank_you_id is not None
        sender = iv.interviewers[0]
        at = _between(
            rng,
            iv.thank_you_at + timedelta(minutes=30),
            min(iv.thank_you_at + timedelta(days=20), latest),
        )
        mid = f.msgid(iv.company.domain)
        refs = (
            iv.thank_you_id if rng.random() < 0.5 else f"{f.msgid('local.test')} {iv.thank_you_id}"
        )
        extra = [("In-Reply-To", iv.thank_you_id), ("References", refs)]
        raw = f.message(
            sender.header(), "Re: Thank you", at, mid, employer_body(sender, 1), extra=extra
        )
        add_employer("thread_ours", at, raw, mid, iv)
    # 5. interviewers writing from gmail.com, and gmail.com people answering our thank-you
    for kind in MATCHING_GMAIL:
        for _ in range(EMPLOYER_KINDS[kind]):
            iv = rng.choice(gmail)
            assert iv.thank_you_id is not None
            if kind == "gmail_interviewer":
                sender, extra = iv.interviewers[0], []
                at = _between(
                    rng, iv.end + timedelta(hours=1), min(iv.end + timedelta(days=30), latest)
                )
            else:
                sender = _person(rng, "gmail.com")
                extra = [("In-Reply-To", iv.thank_you_id), ("References", iv.thank_you_id)]
                at = _between(
                    rng,
                    iv.thank_you_at + timedelta(hours=1),
                    min(iv.thank_you_at + timedelta(days=20), latest),
                )
            mid = f.msgid("mail.gmail.com")
            raw = f.message(
                sender.header(),
                subject(subjects_after, iv),
                at,
                mid,
                employer_body(sender, 2),
                extra=extra,
            )
            add_employer(kind, at, raw, mid, iv)
    # 6. scheduling mail before the company's first interview: not the employer's reply yet
    for _ in range(EMPLOYER_KINDS["before"]):
        iv = history.first_interview(rng.choice(with_domain).company)
        sender = rng.choice([*iv.interviewers, iv.company.staff[0]])
        at = _between(rng, iv.start - timedelta(days=14), iv.start - timedelta(hours=2))
        mid = f.msgid(iv.company.domain)
        templates = [
            "Interview invitation: {r}",
            "Scheduling your interview with {c}",
            "Confirmation de votre entretien — {c}",
        ]
        raw = f.message(sender.header(), subject(templates, iv), at, mid, employer_body(sender, 2))
        add_employer("before", at, raw, mid, iv)
    # 7. a second copy of a matching message (a list or a forward rule delivers it twice)
    for planned, _mid, first_iv in rng.sample(employer, EMPLOYER_KINDS["duplicate"]):
        copy_at = planned.arrival + timedelta(minutes=7)
        add_employer("duplicate", copy_at, planned.raw or b"", "", first_iv)

    others = size - sum(EMPLOYER_KINDS.values())
    malformed = max(8, size // 500)
    lookalike = 20
    first = now - timedelta(days=365)
    weights = {
        "newsletter": 30,
        "notification": 22,
        "personal": 18,
        "transactional": 12,
        "job alert": 8,
        "social": 7,
        "own": 3,
    }
    regular = others - malformed - lookalike
    kinds = rng.choices(list(weights), weights=list(weights.values()), k=regular)
    threads: list[str] = []
    for kind in kinds:
        at = _between(rng, first, latest)
        expected.others[kind] += 1
        out.append(
            Planned(
                at, render=_other(f, kind, at, history, threads), seen=at < now - timedelta(days=2)
            )
        )
    for _ in range(lookalike):  # the company's name at another domain: not the employer
        iv = rng.choice(with_domain)
        at = _between(rng, iv.end, latest)
        expected.others["look-alike domain"] += 1
        domain = iv.company.domain.replace(
            ".example", rng.choice([".example.net", "-jobs.example"])
        )
        sender = Person(f"{iv.company.name} Careers", f"careers@{domain}")
        raw = f.message(
            sender.header(),
            _ew(f"Jobs at {iv.company.name}"),
            at,
            f.msgid(domain),
            "\n".join(f.paragraphs(3)),
        )
        out.append(Planned(at, raw=raw))
    for n in range(malformed):
        at = _between(rng, first, latest)
        kind, raw = _malformed(f, n, at)
        expected.malformed[kind] += 1
        if kind in ("no From header", "From without an address"):
            expected.skipped += 1
        out.append(Planned(at, raw=raw))
    assert len(out) == size, (len(out), size)
    out.sort(key=lambda p: p.arrival)
    return out, expected


_BRANDS = [
    "brightshop", "dailybrief", "cloudweekly", "trailgear", "bookhaven", "techdigest",
    "cityevents", "greengrocer", "flyaway", "pythonweekly",
]  # fmt: skip
_FRIENDS_DOMAINS = ["gmail.com", "gmail.com", "outlook.com", "free.fr", "yahoo.fr", "proton.me"]


def _other(
    f: MailFactory, kind: str, at: datetime, history: History, threads: list[str]
) -> Callable[[], bytes]:
    """How to render one message that is not the employer's (rendered when written)."""

    def render() -> bytes:
        rng = f.rng
        extra: list[tuple[str, str]]
        if kind == "newsletter":
            brand = rng.choice(_BRANDS)
            sender = Person(brand.capitalize(), f"news@mail.{brand}.example")
            paragraphs = f.paragraphs(rng.randint(2, 5))
            subject = rng.choice(
                [
                    "This week: {w}",
                    "Soldes d’hiver : -{p} % sur {w}",
                    "Your {w} digest",
                    "Neu: {w} ✓",
                    "Last chance: {p}% off",
                ]
            )
            subject = subject.format(w=f.words(3), p=rng.randint(10, 70))
            extra = [
                ("List-Unsubscribe", f"<https://{brand}.example/u/{rng.getrandbits(64):x}>"),
                ("List-Id", f"<news.{brand}.example>"),
                ("Precedence", "bulk"),
            ]
            return f.message(
                sender.header(),
                _ew(subject),
                at,
                f.msgid(f"mail.{brand}.example"),
                "\n\n".join(paragraphs),
                extra=extra,
                html=f.html_of(paragraphs, rng.randint(4, 14)),
            )
        if kind == "notification":
            project = rng.choice(["pipeline", "dotfiles", "afterview", "blog", "etl-tools"])
            number = rng.randint(1, 400)
            thread = f"<sam/{project}/issues/{number}@tracker.example>"
            mid = f.msgid("tracker.example")
            extra = [
                ("In-Reply-To", thread),
                ("References", thread),
                ("X-Tracker-Reason", "subscribed"),
                ("List-Id", f"sam/{project}"),
            ]
            sender = Person(f"{rng.choice(_FIRST)} via Tracker", "notifications@tracker.example")
            body = (
                "\n\n".join(f.paragraphs(rng.randint(1, 3)))
                + "\n\n-- \nReply to this email directly."
            )
            return f.message(
                sender.header(),
                f"Re: [sam/{project}] {f.words(5)} (#{number})",
                at,
                mid,
                body,
                extra=extra,
            )
        if kind == "personal":
            friend = Person(f"{rng.choice(_FIRST)} {rng.choice(_LAST)}", "")
            domain = rng.choice(_FRIENDS_DOMAINS)
            friend = Person(friend.name, f"{_ascii(friend.name).replace(' ', '.')}@{domain}")
            mid = f.msgid(domain)
            extra = []
            subject = rng.choice(
                [
                    "Dinner on {d}?",
                    "Photos from the weekend",
                    "Re: {w}",
                    "Anniversaire de {n} 🎂",
                    "Fwd: {w}",
                    "Café demain ?",
                ]
            )
            subject = subject.format(
                d=rng.choice(["Friday", "Saturday"]), w=f.words(3), n=rng.choice(_FIRST)
            )
            if threads and rng.random() < 0.4:
                ref = rng.choice(threads)
                extra = [("In-Reply-To", ref), ("References", ref)]
            threads.append(mid)
            if len(threads) > 200:
                del threads[: len(threads) - 200]
            body = f"Salut Sam,\n\n{' '.join(f.paragraphs(rng.randint(1, 4)))}\n\nÀ bientôt,\n{friend.name}\n"
            attachment = rng.randint(30_000, 120_000) if rng.random() < 0.04 else 0
            return f.message(
                friend.header(), _ew(subject), at, mid, body, extra=extra, attachment=attachment
            )
        if kind == "transactional":
            shop = rng.choice(["bank", "telco", "shop", "rail", "energy"])
            sender = Person(
                f"{shop.capitalize()} Customer Service", f"no-reply@{shop}-services.example"
            )
            subject = rng.choice(
                [
                    "Your order #{n} has shipped",
                    "Votre facture n°{n}",
                    "Security alert for your account",
                    "Receipt {n}",
                ]
            )
            attachment = rng.randint(20_000, 60_000) if rng.random() < 0.05 else 0
            return f.message(
                sender.header(),
                _ew(subject.format(n=rng.randint(10_000, 99_999))),
                at,
                f.msgid(f"{shop}-services.example"),
                "\n\n".join(f.paragraphs(2)),
                html=f.html_of(f.paragraphs(1), 2),
                attachment=attachment,
            )
        if kind == "job alert":
            companies = ", ".join(c.name for c in rng.sample(history.companies, 3))
            sender = Person("JobBoard Alerts", "alerts@jobboard.example")
            subject = f"{rng.randint(2, 40)} new {rng.choice(_ROLES)} jobs: {companies}"
            return f.message(
                sender.header(),
                subject,
                at,
                f.msgid("jobboard.example"),
                "\n\n".join(f.paragraphs(3)),
                html=f.html_of(f.paragraphs(2), 6),
            )
        if kind == "social":
            iv = rng.choice(history.interviews)
            who = rng.choice(iv.interviewers).name
            sender = Person("Network", "messages-noreply@network.example")
            subject = rng.choice(
                [
                    f"{who} viewed your profile",
                    f"{who} sent you a message",
                    "You appeared in 12 searches this week",
                ]
            )
            return f.message(
                _ew(sender.name) + f" <{sender.address}>",
                _ew(subject),
                at,
                f.msgid("network.example"),
                "\n\n".join(f.paragraphs(2)),
                html=f.html_of(f.paragraphs(1), 3),
            )
        # "own": a copy of mail the user sent (Bcc to self), some to interviewers: never counted
        iv = rng.choice(history.interviews)
        to = rng.choice(iv.interviewers).header() if rng.random() < 0.3 else "friend@example.org"
        extra = [("In-Reply-To", iv.thank_you_id)] if iv.thank_you_id and rng.random() < 0.5 else []
        return f.message(
            f.me.header(),
            "Re: Thank you",
            at,
            f.msgid("local.test"),
            "\n".join(f.paragraphs(1)),
            to=to,
            extra=extra,
        )

    return render


def _malformed(f: MailFactory, n: int, at: datetime) -> tuple[str, bytes]:
    """A broken message, of six kinds in turn: the first two cannot be read (skipped)."""
    date = f.date(at)
    kind = n % 6
    if kind == 0:
        return "no From header", f"Subject: no sender\nDate: {date}\n\nbody\n".encode()
    if kind == 1:
        return "From without an address", (
            b"From: \xff\xfe garbage\nSubject: =?x-unknown?Q?=ZZ?=\nDate: "
            + date.encode()
            + b"\n\nbody\n"
        )
    if kind == 2:
        return "unterminated multipart", (
            f"From: lists@forum.example\nSubject: broken\nDate: {date}\nMessage-ID: {f.msgid('forum.example')}\n"
            'Content-Type: multipart/mixed; boundary="x\n\n--x\nbody\n'
        ).encode()
    if kind == 3:
        return "unreadable Date", (
            f"From: Old Friend <old.friend@orange.fr>\nSubject: =?iso-8859-1?q?R=E9sum=E9?=\n"
            f"Date: 31 Feb 2026 25:61\nMessage-ID: {f.msgid('orange.fr')}\n\nhello\n"
        ).encode()
    if kind == 4:
        return "raw 8-bit header", (
            b"From: =?utf-8?B?QW7DoQ==?= <ana@bistro.example>\nSubject: Men\xfc du jour \xe9t\xe9\n"
            b"Date: "
            + date.encode()
            + b"\nContent-Type: text/plain; charset=x-unknown\n\n\xe9t\xe9\n"
        )
    refs = " ".join(f.msgid("lists.example") for _ in range(150))
    return "150 References", (
        f"From: digest@lists.example\nSubject: {'very long subject ' * 60}\nDate: {date}\n"
        f"Message-ID: {f.msgid('lists.example')}\nReferences: {refs}\n\ndigest\n"
    ).encode()


# -- filling the maildir -------------------------------------------------------------------------
def fill_maildir(dovecot: DovecotServer, planned: list[Planned]) -> tuple[float, int]:
    """Write the messages as maildir files in INBOX's cur/; returns (seconds, bytes written)."""
    began = time.perf_counter()
    assert dovecot.base is not None
    mail = dovecot.base / "mail"
    owner = mail.stat()
    root = mail / dovecot.user
    folders = [root, root / "cur", root / "new", root / "tmp"]
    for folder in folders:
        folder.mkdir(exist_ok=True)
    chown = os.geteuid() == 0
    if chown:
        for folder in folders:
            os.chown(folder, owner.st_uid, owner.st_gid)
    cur = root / "cur"
    pid = os.getpid()
    total = 0
    for i, p in enumerate(planned):
        raw = p.raw if p.raw is not None else (p.render() if p.render else b"")
        ts = int(p.arrival.timestamp())
        path = cur / f"{ts}.M{i:06d}P{pid}.bench,S={len(raw)}:2,{'S' if p.seen else ''}"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, raw)
            if chown:
                os.fchown(fd, owner.st_uid, owner.st_gid)
        finally:
            os.close(fd)
        os.utime(path, (ts, ts))  # a maildir message's INTERNALDATE is its file's mtime
        total += len(raw)
        p.raw = p.render = None  # keep the benchmark's own memory small
    return time.perf_counter() - began, total


def index_mailbox(dovecot: DovecotServer, size: int) -> float:
    """Let Dovecot scan the maildir and build its index (SELECT, then FETCH FLAGS of all)."""
    began = time.perf_counter()
    with dovecot.client(timeout=300) as c:
        info = c.select_folder("INBOX", readonly=True)
        exists = int(info[b"EXISTS"])
        if exists != size:
            raise SystemExit(f"bench: Dovecot sees {exists} messages in INBOX, {size} were written")
        uids = c.search("ALL")
        for i in range(0, len(uids), 1000):  # imapclient lists every UID: keep lines short
            c.fetch(uids[i : i + 1000], ["FLAGS"])
    return time.perf_counter() - began


def append_new(dovecot: DovecotServer, history: History, now: datetime, seed: int) -> int:
    """APPEND 50 new messages (3 of them an interviewer's) over IMAP; returns the employer's."""
    rng = random.Random(seed + 50)
    f = MailFactory(rng, dovecot.user)
    recent = sorted(
        (iv for iv in history.interviews if not iv.company.gmail_only), key=lambda iv: iv.end
    )[-APPENDED_EMPLOYER:]
    with dovecot.client() as c:
        for n in range(APPENDED):
            at = now - timedelta(minutes=60 - n)
            if n < APPENDED_EMPLOYER:
                iv = recent[n]
                sender = iv.interviewers[0]
                raw = f.message(
                    sender.header(),
                    "Next steps",
                    at,
                    f.msgid(iv.company.domain),
                    "Hi Sam,\n\nCould we talk on Monday?\n\nBest,\n" + sender.name,
                )
            else:
                raw = _other(
                    f, rng.choice(["newsletter", "personal", "notification"]), at, history, []
                )()
            c.append("INBOX", raw.replace(b"\n", b"\r\n"), msg_time=at)
    return APPENDED_EMPLOYER


# -- the afterview database ----------------------------------------------------------------------
def build_database(db_path: str, history: History, now_text: str, dovecot: DovecotServer) -> None:
    """Record the interviews, the thank-yous (with Message-IDs) and the mail settings, in-process."""
    from afterview.cli.session import open_context
    from afterview.mail.settings import build_settings
    from afterview.services import mailsetup, records
    from afterview.store import repo

    ctx = open_context(db_path, now_text)
    try:
        ids: list[int] = []
        for iv in history.interviews:
            ids.append(
                records.add_interview(
                    ctx,
                    company=iv.company.name,
                    role=iv.company.role,
                    start=iv.start.strftime("%Y-%m-%dT%H:%M"),
                    interviewers=[f"{p.name} <{p.address}>" for p in iv.interviewers],
                )
            )
        people = {
            iv.id: {p.email.lower(): p.id for p in iv.interviewers if p.email}
            for iv in ctx.facts().interviews
        }
        with ctx.db.transaction():
            for iv, iv_id in zip(history.interviews, ids, strict=True):
                if iv.thank_you_id is None:
                    continue
                person = people[iv_id].get(iv.interviewers[0].address)
                repo.add_touch(
                    ctx.db,
                    ctx.account,
                    iv_id,
                    "sent",
                    "thank_you",
                    person,
                    iv.thank_you_at,
                    "sent by afterview: Thank you",
                    False,
                    ctx.now,
                    message_id=iv.thank_you_id,
                )
        mailsetup.setup(
            ctx,
            build_settings(
                smtp_host="127.0.0.1",
                smtp_port=25,
                smtp_security="none",
                smtp_user=None,
                from_address=dovecot.user,
                from_name=None,
                imap_host=dovecot.host,
                imap_port=dovecot.port,
                imap_security="none",
                imap_user=dovecot.user,
                sent_folder=None,
                my_addresses=(),
                allow_insecure=False,
            ),
        )
    finally:
        ctx.db.close()


# -- running the commands ------------------------------------------------------------------------
# A child's max RSS starts at the memory of the process it was forked from (Linux carries
# the parent's high-water mark through fork and exec), so the commands are spawned by this
# small launcher (no site, no imports beyond os and time), not by the benchmark.
# Protocol: one line per command, NUL-separated: the stdout file, then the argv. The answer
# is "seconds max_rss user_cpu system_cpu exit_code". stderr goes to the file in argv[1].
_LAUNCHER = r"""
import os, sys, time
null_in = os.open(os.devnull, os.O_RDONLY)
for line in sys.stdin:
    out_path, *argv = line.rstrip("\n").split("\0")
    err = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    out = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    actions = [(os.POSIX_SPAWN_DUP2, null_in, 0), (os.POSIX_SPAWN_DUP2, out, 1),
               (os.POSIX_SPAWN_DUP2, err, 2)]
    began = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - began
    os.close(err)
    os.close(out)
    sys.stdout.write(f"{seconds!r} {usage.ru_maxrss} {usage.ru_utime!r} {usage.ru_stime!r} "
                     f"{os.waitstatus_to_exitcode(status)}\n")
    sys.stdout.flush()
"""


@dataclass
class Sample:
    """One run of a command."""

    seconds: float
    max_rss_mb: float
    cpu_seconds: float
    output: str


def _rss_mb(ru_maxrss: int) -> float:
    # Linux reports kilobytes, macOS bytes.
    return ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else ru_maxrss / 1024


class Launcher:
    """A small helper process that spawns each command and reports its time, CPU and max RSS."""

    def __init__(self, workdir: str, env: dict[str, str]) -> None:
        self.err_path = os.path.join(workdir, "stderr.txt")
        self.out_path = os.path.join(workdir, "stdout.txt")
        self.proc = subprocess.Popen(
            [sys.executable, "-S", "-E", "-c", _LAUNCHER, self.err_path],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, argv: list[str]) -> Sample:
        """Run `argv` once (stdin on /dev/null, stdout to a file: no TTY); fail on an error."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("\0".join([self.out_path, *argv]) + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().split()
        if len(answer) != 5:
            raise SystemExit("bench: the launcher stopped")
        seconds, rss = float(answer[0]), int(answer[1])
        cpu, code = float(answer[2]) + float(answer[3]), int(answer[4])
        output = Path(self.out_path).read_text(encoding="utf-8", errors="replace")
        if code != 0:
            message = Path(self.err_path).read_text(encoding="utf-8", errors="replace").strip()
            raise SystemExit(f"bench: {' '.join(argv)} exited {code}:\n{message}\n{output}")
        return Sample(seconds, _rss_mb(rss), cpu, output)

    def close(self) -> None:
        """Stop the launcher."""
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


def child_env(config_path: str, password: str) -> dict[str, str]:
    """The environment of every command: the config, the IMAP password, no keyring, TZ."""
    env = dict(os.environ)
    for key in (
        "AFTERVIEW_DB",
        "AFTERVIEW_NOW",
        "PYTHONPROFILEIMPORTTIME",
        "PYTHONDONTWRITEBYTECODE",
        "AFTERVIEW_SMTP_PASSWORD",
    ):
        env.pop(key, None)
    env["AFTERVIEW_CONFIG"] = config_path
    env["AFTERVIEW_IMAP_PASSWORD"] = password
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env["TZ"] = USER_TZ
    return env


def sync_report(sample: Sample) -> dict[str, Any]:
    """The JSON report a sync printed."""
    try:
        doc = json.loads(sample.output)
    except json.JSONDecodeError:
        raise SystemExit(f"bench: mail sync printed no JSON:\n{sample.output[:2000]}") from None
    assert isinstance(doc, dict)
    return doc


def _short(report: dict[str, Any]) -> str:
    return (
        f"seen {report['seen']}, replies {report['replies']}, recorded {report['recorded']}, "
        f"skipped {report['skipped']}"
    )


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def _load() -> str:
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "?"


# -- one mailbox -------------------------------------------------------------------------------
@dataclass
class SizeResult:
    """The initial sync of one mailbox size."""

    size: int
    megabytes: float
    fill_s: float
    index_s: float
    initial: Sample
    report: dict[str, Any]
    expected: Expected


@dataclass
class MainResult:
    """The repeat syncs on the main mailbox."""

    repeats: list[Sample]
    repeat_reports: list[dict[str, Any]]
    appended: Sample
    appended_report: dict[str, Any]
    appended_employer: int
    baseline: list[Sample]


class Run:
    """Everything one benchmark run needs: options, folders, the launcher, the history."""

    def __init__(
        self, args: argparse.Namespace, workdir: str, config: str, password: str, launcher: Launcher
    ) -> None:
        from afterview.parsing import parse_datetime

        self.args = args
        self.workdir = workdir
        self.launcher = launcher
        self.now_text: str = args.now
        self.now = parse_datetime(args.now, USER_TZ, "--now").astimezone(UTC)
        self.history = plan_history(args.seed, self.now)
        self.config = config
        self.password = password

    def argv(self, db: str) -> list[str]:
        return [SCRIPT, "--db", db, "--now", self.now_text, "mail", "sync", "--json"]

    def mailbox(self, size: int, main: bool) -> tuple[SizeResult, MainResult | None]:
        """Start a Dovecot, fill and index its INBOX, make a database, time the syncs."""
        from tests.mailservers import DovecotServer

        dovecot = DovecotServer()
        dovecot.start()
        try:
            if dovecot.password != self.password:
                raise SystemExit("bench: the launcher was given another IMAP password")
            planned, expected = plan_mailbox(
                self.history, size, self.args.seed, self.now, dovecot.user
            )
            fill_s, written = fill_maildir(dovecot, planned)
            del planned
            index_s = index_mailbox(dovecot, size)
            print(
                f"[{size:,} messages] filled INBOX in {fill_s:.2f} s ({written / 1e6:.0f} MB of "
                f"maildir files), Dovecot indexed it in {index_s:.2f} s"
            )
            db = os.path.join(self.workdir, f"afterview-{size}.db")
            began = time.perf_counter()
            build_database(db, self.history, self.now_text, dovecot)
            print(
                f"[{size:,} messages] database: {len(self.history.interviews)} interviews at "
                f"{len(self.history.companies)} companies in {time.perf_counter() - began:.2f} s"
            )
            initial = self.launcher.run(self.argv(db))
            result = SizeResult(
                size, written / 1e6, fill_s, index_s, initial, sync_report(initial), expected
            )
            print(
                f"[{size:,} messages] initial sync: {initial.seconds:.2f} s wall, "
                f"{initial.cpu_seconds:.2f} s CPU, {initial.max_rss_mb:.1f} MB peak RSS; "
                f"{_short(result.report)}"
            )
            extra: MainResult | None = None
            if main:
                if self.args.profile or initial.seconds > initial_target(size):
                    profile_sync(self, dovecot, size)
                extra = self._repeats(db, dovecot)
            if self.args.keep:
                assert dovecot.base is not None
                keep = Path(self.args.keep) / f"maildir-{size}"
                shutil.copytree(dovecot.base / "mail" / dovecot.user, keep, symlinks=True)
            return result, extra
        finally:
            dovecot.stop()

    def _repeats(self, db: str, dovecot: DovecotServer) -> MainResult:
        baseline = [
            self.launcher.run([sys.executable, "-c", "import sqlite3"]) for _ in range(REPEAT_RUNS)
        ]
        repeats = [self.launcher.run(self.argv(db)) for _ in range(REPEAT_RUNS)]
        employer = append_new(dovecot, self.history, self.now, self.args.seed)
        appended = self.launcher.run(self.argv(db))
        return MainResult(
            repeats,
            [sync_report(s) for s in repeats],
            appended,
            sync_report(appended),
            employer,
            baseline,
        )


def initial_target(size: int) -> float:
    """20 s for 20,000 messages; proportionally more above."""
    return INITIAL_TARGET_S * max(1.0, size / INITIAL_TARGET_PER)


# -- profiling -------------------------------------------------------------------------------------
def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    value = fn()
    return time.perf_counter() - began, value


def profile_sync(run: Run, dovecot: DovecotServer, size: int, top: int = 25) -> None:
    """Where an initial sync's time goes: its steps timed alone, then cProfile of a whole sync.

    Both run in this process, each on a fresh database over the same mailbox (Dovecot has
    read every header once already, in the timed initial sync).
    """
    from afterview.cli.session import open_context
    from afterview.core.replies import ReplyFinder, company_domains
    from afterview.mail import mailbox
    from afterview.services import replies
    from afterview.store import mail as store

    saved = dict(os.environ)
    os.environ.update(child_env(run.config, dovecot.password))
    time.tzset()
    steps: list[tuple[str, float]] = []
    try:
        db = os.path.join(run.workdir, f"profile-{size}.db")
        build_database(db, run.history, run.now_text, dovecot)
        ctx = open_context(db, run.now_text)
        with dovecot.client(timeout=300) as c:
            c.select_folder("INBOX", readonly=True)
            took, uids = _timed(lambda: c.search(["UID", "1:*"]))
            steps.append((f"SEARCH UID 1:* ({len(uids):,} UIDs)", took))
            query = mailbox.HEADERS.decode() + " INTERNALDATE"

            def raw_fetch() -> None:
                for chunk in mailbox.uid_batches(uids, mailbox.BATCH):
                    c._imap.uid("FETCH", ",".join(map(str, chunk)), f"({query})")

            steps.append(("FETCH headers, imaplib alone (bytes, no parsing)", _timed(raw_fetch)[0]))

            def fetch() -> list[tuple[int, dict[bytes, Any]]]:
                out: list[tuple[int, dict[bytes, Any]]] = []
                for chunk in mailbox.uid_batches(uids, mailbox.BATCH):
                    got = c.fetch(chunk, [mailbox.HEADERS, b"INTERNALDATE"])
                    out.extend((uid, got[uid]) for uid in chunk if uid in got)
                return out

            took, items = _timed(fetch)
            steps.append(("FETCH headers with imapclient (parsed responses)", took))
        took, mails = _timed(
            lambda: [
                mailbox.parse_headers(
                    item.get(mailbox.HEADERS_KEY) or b"",
                    replies._aware(item.get(b"INTERNALDATE")),
                    uid,
                    1,
                )
                for uid, item in items
            ]
        )
        steps.append((f"mailbox.parse_headers x{len(mails):,}", took))
        facts = ctx.facts()
        ours = store.sent_message_ids(ctx.db, ctx.account)
        domains = company_domains(facts, store.company_domains(ctx.db, ctx.account))
        mine = frozenset({dovecot.user})
        usable = [m for m in mails if m is not None]
        finder = ReplyFinder(facts, ours, mine, domains)
        took, _ = _timed(lambda: [finder.match(m) for m in usable])
        steps.append(
            (
                f"core.replies.ReplyFinder.match x{len(usable):,} ({len(facts.interviews)} interviews)",
                took,
            )
        )
        ctx.db.close()

        db = os.path.join(run.workdir, f"profile-{size}-cprofile.db")
        build_database(db, run.history, run.now_text, dovecot)
        ctx = open_context(db, run.now_text)
        prof = cProfile.Profile()
        began = time.perf_counter()
        prof.enable()
        report = replies.sync(ctx)
        prof.disable()
        took = time.perf_counter() - began
        ctx.db.close()
    finally:
        os.environ.clear()
        os.environ.update(saved)
        time.tzset()
    print()
    print(
        f"== profile: the steps of an initial sync of {size:,} messages, each alone, in-process =="
    )
    for name, seconds in steps:
        print(f"  {seconds:7.2f} s  {name}")
    print()
    print(f"== cProfile: replies.sync in-process: {took:.2f} s (cProfile inflates); {report} ==")
    stats = pstats.Stats(prof, stream=sys.stdout)
    stats.strip_dirs().sort_stats("cumulative").print_stats(top)
    print(f"== same run, top {top} by own time ==")
    stats.sort_stats("tottime").print_stats(top)


# -- report ------------------------------------------------------------------------------------------
def print_expected(result: SizeResult) -> bool:
    """Compare the initial sync's report with the mail written; True when they agree."""
    e, r = result.expected, result.report
    print()
    print(f"== the employer's mail in the {result.size:,}-message INBOX ==")
    for kind, count in EMPLOYER_KINDS.items():
        print(f"  {count:4d}  {EMPLOYER_LABELS[kind]}")
    print(f"  {sum(EMPLOYER_KINDS.values()):4d}  in all")
    shown = ", ".join(f"{v} {k}" for k, v in e.others.most_common())
    print(f"other mail: {shown}")
    print(f"malformed: {', '.join(f'{v} {k}' for k, v in sorted(e.malformed.items()))}")
    rows = [
        ("seen", result.size, r["seen"]),
        ("replies (employer's, incl. second copies)", e.replies, r["replies"]),
        ("recorded", e.recorded, r["recorded"]),
        ("skipped (no usable sender)", e.skipped, r["skipped"]),
    ]
    print(f"{'':<44}  {'expected':>8}  {'reported':>8}")
    for name, want, got in rows:
        print(f"{name:<44}  {want:>8}  {got:>8}{'' if want == got else '  <- differs'}")
    print(
        f"(the {e.kinds['before']} messages dated before the company's first interview are the "
        f"employer's but not replies: the rules count mail only after an interview ended; "
        f"{e.kinds['duplicate']} second copies count as replies but are recorded once)"
    )
    return all(want == got for _, want, got in rows)


def print_report(results: list[SizeResult], main: SizeResult, extra: MainResult) -> bool:
    """The tables and the targets; True when every target is met."""
    print()
    print("== initial sync by mailbox size (one fresh process each) ==")
    print(
        f"{'messages':>9}  {'maildir MB':>10}  {'wall s':>7}  {'CPU s':>6}  {'peak RSS MB':>11}  report"
    )
    for res in results:
        s = res.initial
        print(
            f"{res.size:>9,}  {res.megabytes:>10.0f}  {s.seconds:>7.2f}  {s.cpu_seconds:>6.2f}  "
            f"{s.max_rss_mb:>11.1f}  {_short(res.report)}"
        )
    rep = [s.seconds for s in extra.repeats]
    base = [s.seconds for s in extra.baseline]
    print()
    print(f"== on the {main.size:,}-message INBOX ==")
    print(f"{'run':<42}  {'wall s':>7}  {'CPU s':>6}  {'peak RSS MB':>11}  report")
    rows = [
        ("initial sync (1 run)", main.initial.seconds, main.initial, main.report),
        (
            f"repeat, nothing new (median of {len(rep)})",
            statistics.median(rep),
            max(extra.repeats, key=lambda s: s.max_rss_mb),
            extra.repeat_reports[-1],
        ),
        (
            f"after {APPENDED} new messages (1 run)",
            extra.appended.seconds,
            extra.appended,
            extra.appended_report,
        ),
    ]
    for name, wall, s, report in rows:
        print(
            f"{name:<42}  {wall:>7.3f}  {s.cpu_seconds:>6.2f}  {s.max_rss_mb:>11.1f}  {_short(report)}"
        )
    print(
        f"(repeat runs: min {min(rep):.3f} s, max {max(rep):.3f} s; the interpreter's start, "
        f'`python -c "import sqlite3"`, median {statistics.median(base):.3f} s)'
    )
    new_ok = (
        extra.appended_report["seen"] == APPENDED
        and extra.appended_report["recorded"] == extra.appended_employer
    )
    print(
        f"after the APPEND: expected seen {APPENDED}, recorded {extra.appended_employer}; "
        f"got seen {extra.appended_report['seen']}, recorded {extra.appended_report['recorded']}"
        f"{'' if new_ok else '  <- differs'}"
    )
    if any(r["seen"] for r in extra.repeat_reports):
        print("note: a repeat sync read messages although nothing was new")

    smallest, largest = results[0], results[-1]
    growth = largest.initial.max_rss_mb - smallest.initial.max_rss_mb
    limit = initial_target(main.size)
    checks = [
        (
            f"initial sync of {main.size:,} messages < {limit:g} s",
            f"{main.initial.seconds:.2f} s",
            main.initial.seconds < limit,
        ),
        (
            f"repeat sync, nothing new < {REPEAT_TARGET_S:g} s (median)",
            f"{statistics.median(rep):.3f} s",
            statistics.median(rep) < REPEAT_TARGET_S,
        ),
    ]
    if len(results) > 1:
        checks.append(
            (
                f"peak RSS flat: {largest.size:,} vs {smallest.size:,} messages <= +{MEMORY_GROWTH_MB:g} MB",
                f"{growth:+.1f} MB",
                growth <= MEMORY_GROWTH_MB,
            )
        )
    width = max(len(c[0]) for c in checks)
    print()
    print(f"{'target':<{width}}  {'measured':>10}  result")
    for name, measured, ok in checks:
        print(f"{name:<{width}}  {measured:>10}  {_verdict(ok)}")
    return all(ok for _, _, ok in checks)


# -- main -------------------------------------------------------------------------------------------
def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(s.replace("_", "")) for s in text.split(",") if s.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected sizes like 2000,5000,20000, got {text!r}"
        ) from None
    if not sizes or sizes[0] < MIN_MESSAGES:
        raise argparse.ArgumentTypeError(f"every size must be at least {MIN_MESSAGES}")
    return sizes


def _on_signal(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(f"bench: stopped by signal {signum}")


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--messages",
        type=int,
        default=20_000,
        help="INBOX size of the main measurement (default 20000)",
    )
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=[2000, 5000, 20_000],
        help="INBOX sizes of the memory check (default 2000,5000,20000)",
    )
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="write the databases, config and maildirs into DIR (new or empty) and keep them",
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="seed of the generated mail (default 1)"
    )
    parser.add_argument(
        "--now", default=DEFAULT_NOW, help=f"the moment of the syncs (default {DEFAULT_NOW})"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="cProfile an initial sync in-process (also done on a miss)",
    )
    args = parser.parse_args(argv)
    if args.messages < MIN_MESSAGES:
        parser.error(f"--messages must be at least {MIN_MESSAGES}")
    if not os.path.exists(SCRIPT):
        parser.error(
            f"no console script at {SCRIPT}: run with the venv's python (.venv/bin/python)"
        )
    if args.keep:
        keep = Path(args.keep)
        if keep.exists() and (not keep.is_dir() or any(keep.iterdir())):
            parser.error(f"--keep: {keep} exists and is not an empty folder")
        keep.mkdir(parents=True, exist_ok=True)
        workdir = str(keep.resolve())
    else:
        workdir = tempfile.mkdtemp(prefix="afterview-bench-mail-")
    from tests.mailservers import ME_PASSWORD, DovecotServer, find_dovecot

    config = os.path.join(workdir, "config.toml")
    Path(config).write_text(f'timezone = "{USER_TZ}"\n', encoding="utf-8")
    env = child_env(config, ME_PASSWORD)
    launcher = Launcher(workdir, env)
    previous = signal.signal(signal.SIGTERM, _on_signal)
    try:
        floor = max(launcher.run(["/bin/true"]).max_rss_mb for _ in range(3))
        # this process builds the databases in-process with the same settings
        for key in ("AFTERVIEW_CONFIG", "PYTHON_KEYRING_BACKEND", "TZ"):
            os.environ[key] = env[key]
        time.tzset()
        run = Run(args, workdir, config, ME_PASSWORD, launcher)

        binary = find_dovecot()
        version = DovecotServer._version(binary) if binary else "no Dovecot"
        print(
            f"python {platform.python_version()} ({sys.executable}), {platform.system()} "
            f"{platform.machine()}, {os.cpu_count()} CPUs, {version}; now {args.now}, "
            f"user zone {USER_TZ}; load {_load()}"
        )
        # compile the bytecode caches once, so no timed run pays for it
        launcher.run(
            [
                sys.executable,
                "-c",
                "import afterview.cli.main, afterview.services.replies, imapclient",
            ]
        )
        results: list[SizeResult] = []
        main_result: SizeResult | None = None
        extra: MainResult | None = None
        for size in sorted({*args.sizes, args.messages}):
            result, more = run.mailbox(size, main=size == args.messages)
            results.append(result)
            if more is not None:
                main_result, extra = result, more
        assert main_result is not None and extra is not None
        agree = print_expected(main_result)
        for other in results:
            if other is not main_result and (
                other.report["recorded"] != other.expected.recorded
                or other.report["skipped"] != other.expected.skipped
            ):
                print(
                    f"note: the {other.size:,}-message INBOX recorded {other.report['recorded']} "
                    f"(expected {other.expected.recorded})"
                )
        ok = print_report(results, main_result, extra)
        print(
            f"(max RSS floor of the launcher, `true` run the same way: {floor:.1f} MB; "
            f"1-minute load average now {_load()})"
        )
        if not agree:
            print("the initial sync did not report what the mailbox holds (see above)")
        return 0 if ok else 1
    finally:
        signal.signal(signal.SIGTERM, previous)
        with contextlib.suppress(Exception):
            launcher.close()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
