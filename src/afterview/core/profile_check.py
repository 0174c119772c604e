"""Compare the CV with the LinkedIn profile and say what is missing, stale or contradictory.

The CV is taken as the reference (it is what the interviewer read); each finding
says what differs and the concrete fix, with a severity: `high` for what an
interviewer notices at a glance (a missing or different current job, a wrong
recent title, a stale headline), `medium` for older positions, dates and the
summary, `low` for skills, certificates, education, languages, projects and email.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from afterview.core.profile import (
    SEVERITY_ORDER,
    Certificate,
    Education,
    Finding,
    Month,
    ProfileDoc,
    Severity,
    company_key,
    contains_words,
    current_positions,
    degree_level,
    latest_position,
    name_key,
    skill_keys,
    title_words,
)
from afterview.core.profile_positions import greedy, position_findings

#: LinkedIn shows at most this many skills.
LINKEDIN_SKILL_CAP = 100


def check_profile(cv: ProfileDoc, linkedin: ProfileDoc, today: Month) -> list[Finding]:
    """Every difference between the CV and the LinkedIn profile, most severe first.

    `today` is the month of the check: it decides which positions are recent, and an
    end date after it (a notice period on the CV) means the job is still current.
    """
    cv, linkedin = as_of(cv, today), as_of(linkedin, today)
    findings: list[Finding] = []
    findings += position_findings(cv.positions, linkedin.positions, today)
    if linkedin.has_profile:
        findings += _headline(cv, linkedin)
        findings += _summary(cv, linkedin)
    findings += _skills(cv.skills, linkedin.skills)
    findings += _certificates(cv.certificates, linkedin.certificates)
    findings += _education(cv.education, linkedin.education)
    for kind, ours, theirs, section in (
        ("language", cv.languages, linkedin.languages, "Languages"),
        ("project", cv.projects, linkedin.projects, "Projects"),
    ):
        pairs = ([(x, x) for x in ours], [(x, x) for x in theirs])
        findings += _one_sided(kind, *pairs, section, f"{kind}s")
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

    return _one_sided(
        "certificate",
        [(c.name, label(c)) for c in cv],
        [(c.name, label(c)) for c in li],
        "Licenses & certifications",
        "certificates",
        gone=" if it has lapsed",
    )


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
    pairs = dict(greedy(candidates))
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
    kind: str,
    cv: Sequence[tuple[str, str]],
    li: Sequence[tuple[str, str]],
    section: str,
    cv_section: str,
    gone: str = "",
) -> list[Finding]:
    """What one side lists and the other does not; items are `(name, label)`, matched
    by the name's key and shown by their label."""
    have_li = {name_key(name) for name, _ in li}
    have_cv = {name_key(name) for name, _ in cv}
    out = [
        Finding(
            f"{kind}_missing_on_linkedin",
            Severity.LOW,
            f"The {kind} '{label}' is on your CV but not on LinkedIn.",
            f"Add '{label}' to LinkedIn {section}.",
        )
        for name, label in cv
        if name_key(name) not in have_li
    ]
    out += [
        Finding(
            f"{kind}_missing_in_cv",
            Severity.LOW,
            f"The {kind} '{label}' is on LinkedIn but not on your CV.",
            f"Add '{label}' to the {cv_section} on your CV, or remove it from LinkedIn{gone}.",
        )
        for name, label in li
        if name_key(name) not in have_cv
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
