"""Which interview an incoming message belongs to (pure: the mailbox is read elsewhere).

A message counts as the employer's when, and only when, it arrived after the
interview ended and one of these holds, tried in this order:

1. its In-Reply-To or References names one of our Message-IDs;
2. its sender is an interviewer's address;
3. its sender's domain is the application's company domain (set on the
   application, or learnt from its interviewers' addresses); free-mail domains
   such as gmail.com never match by domain.

Messages from the user's own addresses never count.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import NamedTuple

from afterview.core.model import Facts, Interview
from afterview.core.timeutil import utc

#: Domains shared by many people: a sender there says nothing about the employer.
FREE_MAIL = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "hotmail.co.uk",
        "hotmail.fr",
        "live.com",
        "msn.com",
        "yahoo.com",
        "yahoo.co.uk",
        "yahoo.fr",
        "ymail.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "pm.me",
        "gmx.de",
        "gmx.net",
        "gmx.com",
        "gmx.at",
        "web.de",
        "mail.com",
        "yandex.ru",
        "yandex.com",
        "zoho.com",
        "fastmail.com",
        "hey.com",
        "tutanota.com",
        "tuta.io",
        "qq.com",
        "163.com",
        "126.com",
        "mail.ru",
        "orange.fr",
        "free.fr",
        "laposte.net",
        "sfr.fr",
        "libero.it",
        "t-online.de",
        "seznam.cz",
        "wp.pl",
        "o2.pl",
    ]
)


class IncomingMail(NamedTuple):
    """What the reply finder needs of a message in the mailbox."""

    message_id: str
    sender: str  # the address, lower case
    sender_name: str
    subject: str
    at: datetime
    refs: tuple[str, ...]  # In-Reply-To and References, in order


class ReplyMatch(NamedTuple):
    """The interview a message belongs to, and why."""

    interview_id: int
    person_id: int | None
    how: str


def domain(address: str) -> str:
    """The lower-case domain of an address."""
    return address.rpartition("@")[2].lower()


def company_domains(facts: Facts, explicit: Mapping[int, str]) -> dict[int, str]:
    """Each application's company domain: set explicitly, else the one its interviewers share.

    A domain is learnt only when it is not a free-mail domain and the application's
    interviewers with an address use that one domain.
    """
    out = {app_id: d.lower() for app_id, d in explicit.items() if d}
    seen: dict[int, set[str]] = {}
    for iv in facts.interviews:
        for p in iv.interviewers:
            if p.email:
                seen.setdefault(iv.application_id, set()).add(domain(p.email))
    for app_id, domains in seen.items():
        if app_id in out:
            continue
        usable = {d for d in domains if d not in FREE_MAIL}
        if len(usable) == 1:
            out[app_id] = usable.pop()
    return out


def _latest_before(interviews: list[Interview], at: datetime) -> Interview | None:
    ended = [iv for iv in interviews if utc(iv.end) <= utc(at)]
    return max(ended, key=lambda iv: (utc(iv.end), iv.id)) if ended else None


class ReplyFinder:
    """Matches incoming messages to interviews; the look-ups are built once per mailbox read."""

    def __init__(
        self,
        facts: Facts,
        our_ids: Mapping[str, int],
        own_addresses: frozenset[str],
        domains: Mapping[int, str],
    ) -> None:
        """`our_ids` maps the Message-IDs we sent to their interviews; `domains` maps
        application ids to company domains (see `company_domains`)."""
        self.our_ids = our_ids
        self.own = frozenset(a.lower() for a in own_addresses)
        self.by_id = {iv.id: iv for iv in facts.interviews}
        #: address -> [(interview, person id)]
        self.by_sender: dict[str, list[tuple[Interview, int]]] = {}
        for iv in facts.interviews:
            for p in iv.interviewers:
                if p.email:
                    self.by_sender.setdefault(p.email.lower(), []).append((iv, p.id))
        #: domain -> interviews of the applications at that domain
        self.by_domain: dict[str, list[Interview]] = {}
        for iv in facts.interviews:
            d = domains.get(iv.application_id)
            if d:
                self.by_domain.setdefault(d, []).append(iv)

    def match(self, mail: IncomingMail) -> ReplyMatch | None:
        """Return the interview `mail` answers, or None when it is not the employer's."""
        sender = mail.sender.lower()
        if not sender or sender in self.own:
            return None
        for ref in mail.refs:
            iv_id = self.our_ids.get(ref)
            iv = self.by_id.get(iv_id) if iv_id is not None else None
            if iv is not None and utc(iv.end) <= utc(mail.at):
                person = next(
                    (p for p in iv.interviewers if p.email and p.email.lower() == sender), None
                )
                return ReplyMatch(
                    iv.id, person.id if person else None, "a reply to a message you sent"
                )
        known = self.by_sender.get(sender)
        if known:
            iv = _latest_before([i for i, _ in known], mail.at)
            if iv is not None:
                person_id = next(pid for i, pid in known if i.id == iv.id)
                return ReplyMatch(iv.id, person_id, "from an interviewer's address")
        sender_domain = domain(sender)
        if sender_domain in FREE_MAIL:
            return None
        iv = _latest_before(self.by_domain.get(sender_domain, []), mail.at)
        if iv is not None:
            return ReplyMatch(iv.id, None, f"from the company's domain ({sender_domain})")
        return None
