"""Guessing the company and the role of an interview from an invitation's title and people.

"Umbrella - Staff Engineer - Panel interview" gives Umbrella and Staff Engineer;
"Data Engineer interview with Sam Rivera" from someone at acme.example gives Acme
and Data Engineer. When a part cannot be told, it is None and the caller asks.
"""

from __future__ import annotations

import re

from afterview.core.replies import FREE_MAIL

_SEPARATORS = re.compile(r"\s+[-–—|:/@]\s+|\s*\|\s*|:\s+|\s+at\s+")
_NOISE = re.compile(
    r"\b(interview|interviews|round|rounds|1st|2nd|3rd|4th|first|second|third|final|phone|screen|"
    r"screening|call|panel|onsite|on-site|technical|tech|chat|intro|introductory|meeting|video|"
    r"invitation|invite|updated|with|for|and|the|a|an|de|re|fw|fwd)\b",
    re.I,
)
_ROLE_WORDS = re.compile(
    r"\b(engineer|developer|manager|analyst|scientist|designer|architect|lead|director|head|"
    r"consultant|specialist|administrator|admin|officer|intern|researcher|writer|editor|"
    r"accountant|coordinator|associate|product|marketing|sales|sre|devops|data|software|"
    r"frontend|backend|full[- ]stack|qa|tester|recruiter|support|operations|ops)\b",
    re.I,
)


#: Calendars, schedulers and applicant-tracking systems send invitations for employers.
SCHEDULERS = (
    "calendar.google.com", "google.com", "goodtime.io", "greenhouse.io", "lever.co",
    "ashbyhq.com", "calendly.com", "zoom.us", "microsoft.com", "outlook.com", "office365.com",
    "workday.com", "myworkday.com", "smartrecruiters.com", "icims.com", "teamtailor.com",
    "personio.de", "recruitee.com", "workable.com", "bamboohr.com", "jobvite.com", "gem.com",
    "modernloop.io", "prelude.co", "cal.com", "hubspot.com", "doodle.com",
)  # fmt: skip


def company_from_domain(email: str | None) -> str | None:
    """ "ana@acme-corp.example" -> "Acme Corp"; None for free mail, schedulers, odd addresses."""
    if not email or "@" not in email:
        return None
    domain = email.rpartition("@")[2].lower()
    if domain in FREE_MAIL or any(domain == s or domain.endswith("." + s) for s in SCHEDULERS):
        return None
    labels = [p for p in domain.split(".") if p]
    if len(labels) < 2:
        return None
    name = (
        labels[-2]
        if labels[-2] not in ("co", "com", "org", "ac", "gov") or len(labels) < 3
        else labels[-3]
    )
    words = [w for w in re.split(r"[-_]", name) if w]
    return " ".join(w.capitalize() for w in words) or None


def _clean(part: str) -> str:
    part = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", part)  # "(round 1)", "[updated]"
    return " ".join(_NOISE.sub(" ", part).split()).strip(" -–—|:/@,.()[]")


def guess(summary: str, emails: list[str], me: str | None = None) -> tuple[str | None, str | None]:
    """Return (company, role) guessed from the title and the people's addresses."""
    by_domain = next((c for c in (company_from_domain(e) for e in emails) if c), None)
    text = summary
    if me:
        text = re.sub(re.escape(me), " ", text, flags=re.I)
    parts = [p.strip() for p in _SEPARATORS.split(text) if p and p.strip()]
    company = None
    role = None
    rest = []
    for p in parts:
        c = _clean(p)
        if by_domain and by_domain.lower() in c.lower() and not _ROLE_WORDS.search(c):
            company = c  # "Hooli interview" -> "Hooli", "Stark Industries" stays whole
            continue
        rest.append(p)
    if company is None and by_domain:
        company = by_domain
        rest = [re.sub(re.escape(by_domain), " ", p, flags=re.I) for p in rest]
    for p in rest:
        cleaned = _clean(p)
        if cleaned and _ROLE_WORDS.search(cleaned):
            role = cleaned
            break
    if company is None:
        leftovers = [_clean(p) for p in rest if _clean(p) and _clean(p) != role]
        if len(leftovers) == 1 and role is not None:
            company = leftovers[0]
    return company, role
