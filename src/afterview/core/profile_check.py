"""Compare the CV with the LinkedIn profile and say what is missing, stale or contradictory.

The CV is taken as the reference (it is what the interviewer read); each finding
says what differs and the concrete fix, with a severity: `high` for what an
interviewer notices at a glance (a missing or different current job, a wrong
recent title, a stale headline), `medium` for older positions, dates and the
summary, `low` for skills, certificates, education, languages, projects and email.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from afterview.core.profile import (
    Certificate,
    Education,
    Month,
    Position,
    ProfileDoc,
    company_key,
    contains_words,
    latest_position,
    name_key,
    skill_key,
    title_key,
    title_words,
)

#: A position that ended less than this many months before the check is recent.
RECENT_MONTHS = 24
#: LinkedIn shows at most this many skills.
LINKEDIN_SKILL_CAP = 100


class Severity(StrEnum):
    """How much a finding matters to someone who looks the candidate up."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


SEVERITY_ORDER = (Severity.HIGH, Severity.MEDIUM, Severity.LOW)


@dataclass(frozen=True)
class Finding:
    """One difference between the CV and the profile, and how to fix it."""

    kind: str
    severity: Severity
    what: str
    fix: str

    def as_json(self) -> dict[str, str]:
        """The porcelain shape of a finding."""
        return {
            "kind": self.kind,
            "severity": self.severity.value,
            "what": self.what,
            "fix": self.fix,
        }


def check_profile(cv: ProfileDoc, linkedin: ProfileDoc, today: Month) -> list[Finding]:
    """Every difference between the CV and the LinkedIn profile, most severe first.

    `today` is the month of the check: it decides which positions are recent.
    """
    findings: list[Finding] = []
    findings += _positions(cv.positions, linkedin.positions, today)
    findings += _headline(cv, linkedin)
    findings += _summary(cv, linkedin)
    findings += _skills(cv.skills, linkedin.skills)
    findings += _certificates(cv.certificates, linkedin.certificates)
    findings += _education(cv.education, linkedin.education)
    findings += _one_sided("language", cv.languages, linkedin.languages, "Languages", "languages")
    findings += _one_sided("project", cv.projects, linkedin.projects, "Projects", "projects")
    findings += _email(cv.emails, linkedin.emails)
    rank = {s: n for n, s in enumerate(SEVERITY_ORDER)}
    return sorted(findings, key=lambda f: rank[f.severity])


def _recent(p: Position, today: Month) -> bool:
    return p.end is None or today.first - p.end.last < RECENT_MONTHS


def _overlap(a: Position, b: Position) -> int | None:
    """Months the two positions share (an unknown start overlaps anything); None if disjoint."""
    lo = max(a.start.first if a.start else -(10**9), b.start.first if b.start else -(10**9))
    hi = min(a.end.last if a.end else 10**9, b.end.last if b.end else 10**9)
    return hi - lo + 1 if hi >= lo else None


def match_positions(
    cv: tuple[Position, ...], li: tuple[Position, ...]
) -> tuple[list[tuple[Position, Position]], list[Position], list[Position]]:
    """Pair positions by employer and overlapping dates: `(pairs, cv_only, linkedin_only)`.

    Several roles at one employer (a promotion) pair by the most shared months,
    then by equal titles.
    """
    candidates: list[tuple[int, int, int, int]] = []
    for i, a in enumerate(cv):
        for j, b in enumerate(li):
            if company_key(a.company) != company_key(b.company):
                continue
            shared = _overlap(a, b)
            if shared is not None:
                same_title = int(title_key(a.title) == title_key(b.title))
                candidates.append((same_title, min(shared, 10**6), -i, -j))
    candidates.sort(reverse=True)
    used_cv: set[int] = set()
    used_li: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _same, _shared, ni, nj in candidates:
        i, j = -ni, -nj
        if i not in used_cv and j not in used_li:
            used_cv.add(i)
            used_li.add(j)
            pairs.append((i, j))
    pairs.sort()
    return (
        [(cv[i], li[j]) for i, j in pairs],
        [p for i, p in enumerate(cv) if i not in used_cv],
        [p for j, p in enumerate(li) if j not in used_li],
    )


def _positions(cv: tuple[Position, ...], li: tuple[Position, ...], today: Month) -> list[Finding]:
    pairs, cv_only, li_only = match_positions(cv, li)
    out: list[Finding] = []
    for p in cv_only:
        high = _recent(p, today)
        out.append(
            Finding(
                "position_missing_on_linkedin",
                Severity.HIGH if high else Severity.MEDIUM,
                f"Your CV lists {p.label()}; LinkedIn does not.",
                f"Add '{p.label()}' to LinkedIn Experience.",
            )
        )
    for p in li_only:
        out.append(
            Finding(
                "position_missing_in_cv",
                Severity.HIGH if p.current else Severity.MEDIUM,
                f"LinkedIn lists {p.label()}; your CV does not.",
                f"Add '{p.label()}' to your CV, or remove it from LinkedIn if it no longer belongs there.",
            )
        )
    for a, b in pairs:
        out += _pair(a, b, today)
    return out


def _pair(cv: Position, li: Position, today: Month) -> list[Finding]:
    out: list[Finding] = []
    where = f"at {cv.company} ({cv.span()})"
    if title_key(cv.title) != title_key(li.title):
        out.append(
            Finding(
                "position_title",
                Severity.HIGH if _recent(cv, today) else Severity.MEDIUM,
                f"Your title {where} is '{cv.title}' on your CV but '{li.title}' on LinkedIn.",
                f"Change the title of that LinkedIn position to '{cv.title}' (or correct the CV).",
            )
        )
    if cv.current != li.current:
        if li.current:
            assert cv.end is not None
            what = f"LinkedIn shows {li.title} at {li.company} as your current job; your CV ends it in {cv.end.label()}."
            fix = f"Set the end date of that LinkedIn position to {cv.end.label()}."
        else:
            assert li.end is not None
            what = f"Your CV shows {cv.title} at {cv.company} as your current job; LinkedIn ends it in {li.end.label()}."
            fix = "Tick 'I am currently working in this role' on that LinkedIn position."
        out.append(Finding("current_job", Severity.HIGH, what, fix))
    start_differs = bool(cv.start and li.start and not cv.start.same(li.start))
    end_differs = bool(cv.end and li.end and not cv.end.same(li.end))
    if start_differs or end_differs or bool(cv.start) != bool(li.start):
        out.append(
            Finding(
                "position_dates",
                Severity.MEDIUM,
                f"The dates at {cv.company} are {cv.span()} on your CV but {li.span()} on LinkedIn.",
                f"Change the dates of '{li.title} at {li.company}' on LinkedIn to {cv.span()}.",
            )
        )
    return out


def _headline(cv: ProfileDoc, li: ProfileDoc) -> list[Finding]:
    latest = latest_position(cv.positions)
    if latest is None or not latest.title:
        return []
    wanted = set(title_words(latest.title))
    if not li.headline.strip():
        return [
            Finding(
                "headline",
                Severity.HIGH,
                "Your LinkedIn headline is empty.",
                f"Write a headline that starts with '{latest.title}'.",
            )
        ]
    if wanted <= set(title_words(li.headline)):
        return []
    return [
        Finding(
            "headline",
            Severity.HIGH,
            f"Your LinkedIn headline '{li.headline}' does not mention your latest title, '{latest.title}'.",
            f"Rewrite the headline to lead with '{latest.title}'.",
        )
    ]


def _summary(cv: ProfileDoc, li: ProfileDoc) -> list[Finding]:
    if not li.summary.strip():
        if cv.summary.strip():
            return [
                Finding(
                    "summary_missing",
                    Severity.LOW,
                    "Your LinkedIn About section is empty; your CV has a summary.",
                    "Write an About section; the summary on your CV is a good start.",
                )
            ]
        return []
    latest = latest_position(cv.positions)
    if latest is None:
        return []
    current = company_key(latest.company)
    if _names(li.summary, latest.company) or (
        latest.title and contains_words(li.summary, latest.title)
    ):
        return []
    named: dict[str, str] = {}
    for p in cv.positions + li.positions:
        key = company_key(p.company)
        if key != current and key not in named and _names(li.summary, p.company):
            named[key] = p.company
    older = sorted(named.values())
    if not older:
        return []
    since = f" since {latest.start.label()}" if latest.start else ""
    return [
        Finding(
            "summary_stale",
            Severity.MEDIUM,
            f"Your LinkedIn About section mentions {', '.join(older)} but not {latest.company}, "
            f"where you have been {latest.title or 'working'}{since}: it predates your latest position.",
            f"Rewrite the About section around your role as {latest.title or 'a member of staff'} at {latest.company}.",
        )
    ]


def _names(text: str, company: str) -> bool:
    key = company_key(company)
    return len(key) >= 3 and contains_words(text, key)


def _skills(cv: tuple[str, ...], li: tuple[str, ...]) -> list[Finding]:
    have = {skill_key(s) for s in li}
    missing: list[str] = []
    seen: set[str] = set()
    for s in cv:
        k = skill_key(s)
        if k and k not in have and k not in seen:
            seen.add(k)
            missing.append(s)
    if not missing:
        return []
    room = LINKEDIN_SKILL_CAP - len(have)
    extra = (
        f" LinkedIn shows at most {LINKEDIN_SKILL_CAP}: remove {len(missing) - room} you no longer want to be asked about."
        if len(missing) > room
        else ""
    )
    return [
        Finding(
            "skills_missing_on_linkedin",
            Severity.LOW,
            f"{len(missing)} skill{'s' if len(missing) != 1 else ''} on your CV "
            f"{'are' if len(missing) != 1 else 'is'} not on LinkedIn: {', '.join(missing)}.",
            f"Add to LinkedIn Skills: {', '.join(missing)}.{extra}",
        )
    ]


def _certificates(cv: tuple[Certificate, ...], li: tuple[Certificate, ...]) -> list[Finding]:
    def label(c: Certificate) -> str:
        by = f" ({c.issuer}" + (f", {c.date.label()})" if c.date else ")") if c.issuer else ""
        return f"{c.name}{by}"

    have_li = {name_key(c.name) for c in li}
    have_cv = {name_key(c.name) for c in cv}
    out = [
        Finding(
            "certificate_missing_on_linkedin",
            Severity.LOW,
            f"The certificate {label(c)} is on your CV but not on LinkedIn.",
            f"Add '{label(c)}' to LinkedIn Licenses & certifications.",
        )
        for c in cv
        if name_key(c.name) not in have_li
    ]
    out += [
        Finding(
            "certificate_missing_in_cv",
            Severity.LOW,
            f"The certificate {label(c)} is on LinkedIn but not on your CV.",
            f"Add '{label(c)}' to the certificates on your CV, or remove it from LinkedIn if it has lapsed.",
        )
        for c in li
        if name_key(c.name) not in have_cv
    ]
    return out


def _education(cv: tuple[Education, ...], li: tuple[Education, ...]) -> list[Finding]:
    def label(e: Education) -> str:
        years = (
            f" ({e.start.label() if e.start else '?'} – {e.end.label() if e.end else '?'})"
            if e.start or e.end
            else ""
        )
        return f"{e.degree + ', ' if e.degree else ''}{e.school}{years}"

    # Two degrees at one school are two entries: pair each with the entry of the same
    # school that ends the same year, else the first one left.
    unused = list(range(len(li)))
    out: list[Finding] = []
    for e in cv:
        same_school = [j for j in unused if name_key(li[j].school) == name_key(e.school)]
        same_end = [j for j in same_school if _same_month(e.end, li[j].end)]
        choices = same_end or same_school
        other = li[choices[0]] if choices else None
        if choices:
            unused.remove(choices[0])
        if other is None:
            out.append(
                Finding(
                    "education_missing_on_linkedin",
                    Severity.LOW,
                    f"{label(e)} is on your CV but not on LinkedIn.",
                    f"Add '{label(e)}' to LinkedIn Education.",
                )
            )
        elif e.end and other.end and not e.end.same(other.end):
            out.append(
                Finding(
                    "education_dates",
                    Severity.LOW,
                    f"You finished at {e.school} in {e.end.label()} on your CV but in {other.end.label()} on LinkedIn.",
                    f"Change the end date of {other.school} on LinkedIn to {e.end.label()}.",
                )
            )
    out += [
        Finding(
            "education_missing_in_cv",
            Severity.LOW,
            f"{label(e)} is on LinkedIn but not on your CV.",
            f"Add '{label(e)}' to the education on your CV, or remove it from LinkedIn.",
        )
        for e in (li[j] for j in unused)
    ]
    return out


def _same_month(a: Month | None, b: Month | None) -> bool:
    return a is not None and b is not None and a.same(b)


def _one_sided(
    kind: str, cv: tuple[str, ...], li: tuple[str, ...], section: str, cv_section: str
) -> list[Finding]:
    have_li = {name_key(x) for x in li}
    have_cv = {name_key(x) for x in cv}
    out = [
        Finding(
            f"{kind}_missing_on_linkedin",
            Severity.LOW,
            f"The {kind} '{x}' is on your CV but not on LinkedIn.",
            f"Add '{x}' to LinkedIn {section}.",
        )
        for x in cv
        if name_key(x) not in have_li
    ]
    out += [
        Finding(
            f"{kind}_missing_in_cv",
            Severity.LOW,
            f"The {kind} '{x}' is on LinkedIn but not on your CV.",
            f"Add '{x}' to the {cv_section} on your CV, or remove it from LinkedIn.",
        )
        for x in li
        if name_key(x) not in have_cv
    ]
    return out


def _email(cv: tuple[str, ...], li: tuple[str, ...]) -> list[Finding]:
    if not cv or not li:
        return []
    have = {e.strip().casefold() for e in li}
    return [
        Finding(
            "email_not_on_linkedin",
            Severity.LOW,
            f"The email address on your CV, {e}, is not one of your LinkedIn account's addresses.",
            f"Add {e} to LinkedIn (Settings → Sign in & security → Email addresses) so its messages reach the address recruiters use.",
        )
        for e in cv
        if e.strip().casefold() not in have
    ]
