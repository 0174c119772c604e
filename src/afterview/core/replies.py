"""Which interview an incoming message belongs to, and whether it is the employer's answer
(pure: the mailbox is read elsewhere).

A message is about an interview when, and only when, it arrived after the interview
ended and one of these holds, tried in this order:

1. its In-Reply-To or References names one of our Message-IDs;
2. its sender (or its Reply-To) is an interviewer's address;
3. it comes through an applicant-tracking system (Greenhouse, Lever, Workday, Ashby,
   SmartRecruiters, iCIMS and a few more: `ATS_DOMAINS`) and names the company: in the
   sender's name, in a Reply-To name or address at the company's domain, or as the
   tenant in the sender's address (`acme@myworkday.com`);
4. its sender's (or Reply-To's) domain is the application's company domain or one of
   its subdomains (`careers.acme.example`); the company domain is set on the
   application or learnt from its interviewers' addresses; free-mail domains such as
   gmail.com never match by domain;
5. its sender's name names the company and the label of its domain that names the
   organisation is the company's name (`Tyrell Careers <talent@jobs.tyrell.co.uk>`
   for Tyrell, with no domain known; not `wayne.example.evil.test` for Wayne).

Among the interviews that fit, the latest to have ended wins (the one whose role the
subject names, when the subject names one). Messages from the user's own addresses
never count. Whether a matched message is the employer's *answer* depends on its kind
(`core.mail_kinds`): an out-of-office or a bounce never is; mass mail is only when it
comes from an interviewer's address or through an applicant-tracking system.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import NamedTuple

from afterview.core.mail_kinds import MailKind, classify
from afterview.core.model import Application, Facts, Interview
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


#: Applicant-tracking systems and the domains their notifications come from (a
#: subdomain counts too), from each vendor's public documentation on sending domains.
ATS_DOMAINS: Mapping[str, str] = {
    "greenhouse.io": "Greenhouse",
    "greenhouse-mail.io": "Greenhouse",
    "lever.co": "Lever",
    "myworkday.com": "Workday",
    "myworkdayjobs.com": "Workday",
    "ashbyhq.com": "Ashby",
    "smartrecruiters.com": "SmartRecruiters",
    "icims.com": "iCIMS",
    "workablemail.com": "Workable",
    "teamtailor-mail.com": "Teamtailor",
    "taleo.net": "Taleo",
    "bamboohr.com": "BambooHR",
}

#: Words that say what kind of company it is, not which: "Acme Corp" is named by "Acme".
_LEGAL = frozenset(
    [
        "inc", "incorporated", "corp", "corporation", "co", "company", "llc", "llp", "lp", "ltd",
        "limited", "plc", "gmbh", "ag", "kg", "se", "sa", "sas", "sarl", "srl", "spa", "bv",
        "nv", "ab", "as", "asa", "oy", "oyj", "kk", "pty", "pte", "group", "holding", "holdings",
    ]
)  # fmt: skip


_SECOND_LEVEL = frozenset(["co", "com", "org", "net", "ac", "gov", "edu", "or", "ne", "go"])
#: Words of a sending address that name no company ("no-reply", "careers", "jobs").
_GENERIC = frozenset(
    [
        "no", "not", "do", "dont", "reply", "noreply", "donotreply", "notification",
        "notifications", "notify", "mailer", "mail", "email", "jobs", "job", "careers",
        "career", "recruiting", "recruitment", "recruiter", "talent", "hr", "people", "info",
        "team", "support", "hello", "apply", "applications", "application", "candidates",
        "candidate", "system", "autoreply", "bounce", "bounces", "hiring", "us", "eu",
    ]
)  # fmt: skip


class IncomingMail(NamedTuple):
    """What the reply finder needs of a message in the mailbox (text already cleaned)."""

    message_id: str
    sender: str  # the address, lower case
    sender_name: str
    subject: str
    at: datetime
    refs: tuple[str, ...]  # In-Reply-To and References, in order
    reply_to: tuple[tuple[str, str], ...] = ()  # (name, address in lower case)
    headers: tuple[tuple[str, str], ...] = ()  # those `mail_kinds.classify` reads


class ReplyMatch(NamedTuple):
    """The interview a message belongs to, and why (`via`: thread, interviewer, ats,
    domain or name)."""

    interview_id: int
    person_id: int | None
    how: str
    via: str = "thread"


class Verdict(NamedTuple):
    """What a message is: the interview it is about (if any), its kind, and whether it
    counts as the employer's answer (a received message that resets the follow-ups)."""

    match: ReplyMatch | None
    kind: MailKind | None  # None for a message about no interview (not worked out)
    counts: bool


def domain(address: str) -> str:
    """The lower-case domain of an address."""
    return address.rpartition("@")[2].lower()


def within(name: str, parent: str) -> bool:
    """True when domain `name` is `parent` or one of its subdomains."""
    return name == parent or name.endswith("." + parent)


def ats_of(name: str) -> str | None:
    """The applicant-tracking system that sends from domain `name`, or None."""
    return next((ats for d, ats in ATS_DOMAINS.items() if within(name, d)), None)


def org_label(name: str) -> str:
    """The label that names the organisation in a domain: `acme` in `careers.acme.example`
    and in `jobs.acme.co.uk` (a guess without the public-suffix list: a two-letter
    country code after co, com, org, net, ac, gov, edu, or, ne or go is one suffix)."""
    labels = name.lower().split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else ""


def words(text: str) -> tuple[str, ...]:
    """The words of `text`, lower case and without accents ("Société" -> "societe")."""
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c)
    )
    out: list[str] = []
    word: list[str] = []
    for c in plain:
        if c.isalnum():
            word.append(c)
        elif word:
            out.append("".join(word))
            word = []
    if word:
        out.append("".join(word))
    return tuple(out)


def company_words(company: str) -> tuple[str, ...]:
    """The words that name a company: its name without a trailing legal form or a leading "the"."""
    w = list(words(company))
    while len(w) > 1 and w[-1] in _LEGAL:
        w.pop()
    if len(w) > 1 and w[0] == "the":
        w.pop(0)
    return tuple(w)


def names(text: tuple[str, ...], company: tuple[str, ...]) -> bool:
    """True when the words `company` stand together in `text` (whole words only)."""
    n = len(company)
    if not n or sum(len(w) for w in company) < 2:
        return False
    return any(text[i : i + n] == company for i in range(len(text) - n + 1))


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
        usable = {d for d in domains if d not in FREE_MAIL and ats_of(d) is None}
        if len(usable) == 1:
            out[app_id] = usable.pop()
    return out


class ReplyFinder:
    """Judges incoming messages; the look-ups are built once per mailbox read."""

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
        self.apps: dict[int, Application] = {a.id: a for a in facts.applications}
        self.company = {a.id: company_words(a.company) for a in facts.applications}
        self.role = {a.id: words(a.role) for a in facts.applications}
        #: a company's name written as one domain label ("acme", "acmecorp") -> applications
        self.slugs: dict[str, list[int]] = {}
        for a in facts.applications:
            for slug in {"".join(self.company[a.id]), "".join(words(a.company))}:
                if slug:
                    self.slugs.setdefault(slug, []).append(a.id)
        self.domains = {app_id: d.lower() for app_id, d in domains.items() if d}
        #: application id -> its interviews
        self.by_app: dict[int, list[Interview]] = {}
        #: address -> [(interview, person id)]
        self.by_sender: dict[str, list[tuple[Interview, int]]] = {}
        #: domain -> interviews of the applications at that domain
        self.by_domain: dict[str, list[Interview]] = {}
        for iv in facts.interviews:
            self.by_app.setdefault(iv.application_id, []).append(iv)
            for p in iv.interviewers:
                if p.email:
                    self.by_sender.setdefault(p.email.lower(), []).append((iv, p.id))
            d = self.domains.get(iv.application_id)
            if d:
                self.by_domain.setdefault(d, []).append(iv)

    def judge(self, mail: IncomingMail) -> Verdict:
        """Return what `mail` is: the interview it is about, its kind, and whether it counts."""
        sender = mail.sender.lower()
        match = self._find(mail, sender) if sender and sender not in self.own else None
        if match is None:
            return Verdict(None, None, False)  # about no interview: its kind does not matter
        ours = any(ref in self.our_ids for ref in mail.refs)
        kind = classify(dict(mail.headers), sender, mail.subject, answers_ours=ours)
        counts = kind in (MailKind.PERSONAL, MailKind.NOTIFICATION) or (
            kind is MailKind.BULK and match.via in ("interviewer", "ats")
        )
        return Verdict(match, kind, counts)

    def match(self, mail: IncomingMail) -> ReplyMatch | None:
        """Return the interview `mail` answers, or None when it is not the employer's answer."""
        verdict = self.judge(mail)
        return verdict.match if verdict.counts else None

    # the five ways, in order ------------------------------------------------------------------
    def _find(self, mail: IncomingMail, sender: str) -> ReplyMatch | None:
        addresses = [sender] + [a for _, a in mail.reply_to if a and a not in self.own]
        for ref in mail.refs:
            iv_id = self.our_ids.get(ref)
            iv = self.by_id.get(iv_id) if iv_id is not None else None
            if iv is not None and utc(iv.end) <= utc(mail.at):
                person = next(
                    (p for p in iv.interviewers if p.email and p.email.lower() in addresses), None
                )
                return ReplyMatch(
                    iv.id, person.id if person else None, "a reply to a message you sent"
                )
        for address in addresses:
            known = self.by_sender.get(address)
            iv = self._pick([i for i, _ in known or ()], mail)
            if known and iv is not None:
                person_id = next(pid for i, pid in known if i.id == iv.id)
                return ReplyMatch(iv.id, person_id, "from an interviewer's address", "interviewer")
        ats = ats_of(domain(sender))
        if ats is not None:
            apps = self._named_by_ats(mail, sender)
            iv = self._pick(self._interviews(apps), mail)
            if iv is None:
                return None
            company = self.apps[self.by_id[iv.id].application_id].company
            return ReplyMatch(iv.id, None, f"through {ats}, naming {company}", "ats")
        for address in addresses:
            d = domain(address)
            if d in FREE_MAIL or ats_of(d) is not None:
                continue
            iv = self._pick(self._at_domain(d), mail)
            if iv is not None:
                return ReplyMatch(iv.id, None, f"from the company's domain ({d})", "domain")
        d = domain(sender)
        label = org_label(d)
        if d not in FREE_MAIL and label in self.slugs:
            said = words(mail.sender_name)
            apps = [app_id for app_id in self.slugs[label] if names(said, self.company[app_id])]
            iv = self._pick(self._interviews(apps), mail)
            if iv is not None:
                return ReplyMatch(iv.id, None, f"from {d}, naming the company", "name")
        return None

    # helpers -----------------------------------------------------------------------------------
    def _at_domain(self, name: str) -> list[Interview]:
        """The interviews of the applications whose company domain is `name` or a parent of it."""
        labels = name.split(".")
        found: list[Interview] = []
        for i in range(len(labels) - 1):
            found += self.by_domain.get(".".join(labels[i:]), [])
        return found

    def _named_by_ats(self, mail: IncomingMail, sender: str) -> list[int]:
        """The applications a message from an applicant-tracking system names (none when it
        names two companies equally well)."""
        texts = [words(mail.sender_name)] + [words(name) for name, _ in mail.reply_to]
        # the tenant in `acme@myworkday.com` or `acme+autoreply@agents.icims.com`
        local = tuple(
            w for w in words(sender.partition("@")[0].partition("+")[0]) if w not in _GENERIC
        )
        texts.append(local)
        tenant = "".join(local)
        scores: dict[int, int] = {}
        for app_id, w in self.company.items():
            if any(names(t, w) for t in texts) or (
                len(tenant) >= 3 and app_id in self.slugs.get(tenant, ())
            ):
                scores[app_id] = len(w)
        for _, address in mail.reply_to:
            d = domain(address)
            for app_id, company_domain in self.domains.items():
                if d not in FREE_MAIL and within(d, company_domain):
                    scores[app_id] = max(scores.get(app_id, 0), 100)
        if not scores:
            return []
        best = max(scores.values())
        apps = [a for a, score in scores.items() if score == best]
        if len({self.company[a] for a in apps}) > 1:
            return []  # two companies named: do not guess
        return apps

    def _interviews(self, apps: Iterable[int]) -> list[Interview]:
        return [iv for app_id in apps for iv in self.by_app.get(app_id, [])]

    def _pick(self, interviews: list[Interview], mail: IncomingMail) -> Interview | None:
        """The latest interview ended by the message's time; among those, the ones whose role
        the subject names come first."""
        ended = [iv for iv in interviews if utc(iv.end) <= utc(mail.at)]
        if len(ended) > 1:
            subject = words(mail.subject)
            named = [iv for iv in ended if names(subject, self.role.get(iv.application_id, ()))]
            ended = named or ended
        return max(ended, key=lambda iv: (utc(iv.end), iv.id)) if ended else None
