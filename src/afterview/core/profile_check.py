"""Compare the CV with the LinkedIn profile and say what is missing, stale or contradictory.

The CV is taken as the reference (it is what the interviewer read); each finding
says what differs and the concrete fix, with a severity: `high` for what an
interviewer notices at a glance (a missing or different current job, a wrong
recent title, a stale headline), `medium` for older positions, dates and the
summary, `low` for skills, certificates, education, languages, projects and email.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from afterview.core.profile import (
    Certificate,
    Education,
    Month,
    Position,
    ProfileDoc,
    company_key,
    contains_words,
    current_positions,
    degree_level,
    latest_position,
    name_key,
    skill_keys,
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

    `today` is the month of the check: it decides which positions are recent, and an
    end date after it (a notice period on the CV) means the job is still current.
    """
    cv, linkedin = as_of(cv, today), as_of(linkedin, today)
    findings: list[Finding] = []
    findings += _positions(cv.positions, linkedin.positions, today)
    if linkedin.has_profile:
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


def as_of(doc: ProfileDoc, today: Month) -> ProfileDoc:
    """The document with end dates after `today` read as 'still there'."""
    if not any(p.end and p.end.first > today.last for p in doc.positions):
        return doc
    return replace(
        doc,
        positions=tuple(
            replace(p, end=None) if p.end and p.end.first > today.last else p for p in doc.positions
        ),
    )


def _recent(p: Position, today: Month) -> bool:
    if p.end is None:
        return p.end_known or p.start is None or today.first - p.start.first < RECENT_MONTHS
    return today.first - p.end.last < RECENT_MONTHS


def _overlap(a: Position, b: Position) -> int | None:
    """Months the two positions share (an unknown start or end overlaps anything); None if
    disjoint."""
    lo = max(a.start.first if a.start else -(10**9), b.start.first if b.start else -(10**9))
    hi = min(a.end.last if a.end else 10**9, b.end.last if b.end else 10**9)
    return hi - lo + 1 if hi >= lo else None


def _greedy(candidates: list[tuple[int, int, int, int]]) -> list[tuple[int, int]]:
    """Pairs (i, j) from scored candidates `(score, score2, -i, -j)`, best first, each index once."""
    used_i: set[int] = set()
    used_j: set[int] = set()
    pairs = []
    for *_scores, ni, nj in sorted(candidates, reverse=True):
        i, j = -ni, -nj
        if i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def match_positions(
    cv: tuple[Position, ...], li: tuple[Position, ...]
) -> tuple[list[tuple[Position, Position]], list[Position], list[Position]]:
    """Pair positions by employer and overlapping dates: `(pairs, cv_only, linkedin_only)`.

    Several roles at one employer (a promotion) pair by equal titles, then by the
    most shared months.
    """
    by_company: dict[str, list[int]] = {}
    for j, b in enumerate(li):
        by_company.setdefault(company_key(b.company), []).append(j)
    li_titles = [title_key(b.title) for b in li]
    candidates: list[tuple[int, int, int, int]] = []
    for i, a in enumerate(cv):
        title = title_key(a.title)
        for j in by_company.get(company_key(a.company), []):
            shared = _overlap(a, li[j])
            if shared is not None:
                candidates.append((int(title == li_titles[j]), min(shared, 10**6), -i, -j))
    pairs = _greedy(candidates)
    used_cv, used_li = {i for i, _ in pairs}, {j for _, j in pairs}
    return (
        [(cv[i], li[j]) for i, j in pairs],
        [p for i, p in enumerate(cv) if i not in used_cv],
        [p for j, p in enumerate(li) if j not in used_li],
    )


def _near_misses(
    cv_only: list[Position], li_only: list[Position]
) -> tuple[list[tuple[Position, Position]], list[tuple[Position, Position]]]:
    """Among the unpaired, the same job written differently: `(dates, company)` pairs —
    same employer and title but dates that do not overlap (a mistyped year), or the same
    title over overlapping dates under another employer name."""
    candidates: list[tuple[int, int, int, int]] = []
    for i, a in enumerate(cv_only):
        for j, b in enumerate(li_only):
            if not a.title or title_key(a.title) != title_key(b.title):
                continue
            same_company = company_key(a.company) == company_key(b.company)
            if same_company or _overlap(a, b) is not None:
                candidates.append((int(same_company), _overlap(a, b) or 0, -i, -j))
    dates: list[tuple[Position, Position]] = []
    company: list[tuple[Position, Position]] = []
    for i, j in _greedy(candidates):
        a, b = cv_only[i], li_only[j]
        (dates if company_key(a.company) == company_key(b.company) else company).append((a, b))
    return dates, company


def _positions(cv: tuple[Position, ...], li: tuple[Position, ...], today: Month) -> list[Finding]:
    pairs, cv_only, li_only = match_positions(cv, li)
    dates, renamed = _near_misses(cv_only, li_only)
    paired = {id(p) for pair in dates + renamed for p in pair}
    out: list[Finding] = []
    for a, b in renamed:
        out.append(
            Finding(
                "position_company",
                Severity.MEDIUM,
                f"Your job as {a.title} ({a.span()}) is at '{a.company}' on your CV but at '{b.company}' on LinkedIn.",
                f"Name the employer the same way on both (LinkedIn: pick the company page of '{a.company}').",
            )
        )
    for p in cv_only:
        if id(p) in paired:
            continue
        out.append(
            Finding(
                "position_missing_on_linkedin",
                Severity.HIGH if _recent(p, today) else Severity.MEDIUM,
                f"Your CV lists {p.label()}; LinkedIn does not.",
                f"Add '{p.label()}' to LinkedIn Experience.",
            )
        )
    for p in li_only:
        if id(p) in paired:
            continue
        also = " (or, if you have left, set its end date there)" if p.current else ""
        out.append(
            Finding(
                "position_missing_in_cv",
                Severity.HIGH if _recent(p, today) else Severity.MEDIUM,
                f"LinkedIn lists {p.label()}; your CV does not.",
                f"Add '{p.label()}' to your CV{also}, or remove it from LinkedIn if it no longer belongs there.",
            )
        )
    for a, b in pairs:
        out += _pair(a, b, today)
    for a, b in dates:
        out.append(_dates_finding(a, b))
    return out


def _dates_finding(cv: Position, li: Position) -> Finding:
    return Finding(
        "position_dates",
        Severity.MEDIUM,
        f"The dates of {cv.title or 'your job'} at {cv.company} are {cv.span()} on your CV but {li.span()} on LinkedIn.",
        f"Change the dates of '{li.title} at {li.company}' on LinkedIn to {cv.span()}.",
    )


def _pair(cv: Position, li: Position, today: Month) -> list[Finding]:
    out: list[Finding] = []
    where = f"at {cv.company} ({cv.span()})"
    if cv.title and li.title and title_key(cv.title) != title_key(li.title):
        out.append(
            Finding(
                "position_title",
                Severity.HIGH if _recent(cv, today) else Severity.MEDIUM,
                f"Your title {where} is '{cv.title}' on your CV but '{li.title}' on LinkedIn.",
                f"Change the title of that LinkedIn position to '{cv.title}' (or correct the CV).",
            )
        )
    ends_known = cv.end_known and li.end_known
    if ends_known and cv.current != li.current:
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
    end_differs = ends_known and bool(cv.end and li.end and not cv.end.same(li.end))
    if start_differs or end_differs or bool(cv.start) != bool(li.start):
        out.append(_dates_finding(cv, li))
    return out


#: Levels and grades in a title ('Data Engineer II', 'L5') that a headline may leave out.
_GRADES = frozenset(
    ["i", "ii", "iii", "iv", "v", "1", "2", "3", "4", "5", "l1", "l2", "l3", "l4", "l5", "l6", "l7"]
)


def _reflects(headline: str, title: str) -> bool:
    return set(title_words(title)) - _GRADES <= set(title_words(headline))


def _headline(cv: ProfileDoc, li: ProfileDoc) -> list[Finding]:
    latest = latest_position(cv.positions)
    if latest is None or not latest.title:
        return []
    if not li.headline.strip():
        return [
            Finding(
                "headline",
                Severity.HIGH,
                "Your LinkedIn headline is empty.",
                f"Write a headline that starts with '{latest.title}'.",
            )
        ]
    # A headline naming any job held now is fine (a main job and a side job alike).
    titles = [p.title for p in current_positions(cv.positions) if p.title] or [latest.title]
    if any(_reflects(li.headline, t) for t in titles):
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
    now = current_positions(cv.positions) or [latest]
    if any(
        _names(li.summary, p.company) or (p.title and contains_words(li.summary, p.title))
        for p in now
    ):
        return []
    current = {company_key(p.company) for p in now}
    named: dict[str, str] = {}
    for p in cv.positions + li.positions:
        key = company_key(p.company)
        if key not in current and key not in named and _names(li.summary, p.company):
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
    have = {k for s in li for k in skill_keys(s)}
    missing: list[str] = []
    seen: set[str] = set()
    for s in cv:
        keys = skill_keys(s)
        if keys and not keys & have and not keys & seen:
            seen |= keys
            missing.append(s)
    if not missing:
        return []
    room = LINKEDIN_SKILL_CAP - len(li)
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
    # school at the same level (bachelor, master…), then ending the same year.
    schools = [name_key(x.school) for x in li]
    levels = [degree_level(x.degree) for x in li]
    candidates: list[tuple[int, int, int, int]] = []
    for i, e in enumerate(cv):
        school, level = name_key(e.school), degree_level(e.degree)
        for j, theirs in enumerate(li):
            if schools[j] == school:
                same_level = int(level is not None and level == levels[j])
                candidates.append((same_level, int(_same_month(e.end, theirs.end)), -i, -j))
    pairs = dict(_greedy(candidates))
    unused = sorted(set(range(len(li))) - set(pairs.values()))
    out: list[Finding] = []
    for i, e in enumerate(cv):
        other = li[pairs[i]] if i in pairs else None
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
                    f"You finished {e.degree or 'your studies'} at {e.school} in {e.end.label()} on your CV but in {other.end.label()} on LinkedIn.",
                    f"Change the end date of {other.degree + ' at ' if other.degree else ''}{other.school} on LinkedIn to {e.end.label()}.",
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
