"""The positions part of the profile check: pairing the jobs on the CV with those on
LinkedIn (by employer and overlapping dates), and what differs between a pair."""

from __future__ import annotations

from afterview.core.profile import (
    Finding,
    Month,
    Position,
    Severity,
    company_key,
    title_key,
)

#: A position that ended less than this many months before the check is recent.
RECENT_MONTHS = 24


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


def greedy(candidates: list[tuple[int, int, int, int]]) -> list[tuple[int, int]]:
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
    pairs = greedy(candidates)
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
    for i, j in greedy(candidates):
        a, b = cv_only[i], li_only[j]
        (dates if company_key(a.company) == company_key(b.company) else company).append((a, b))
    return dates, company


def position_findings(
    cv: tuple[Position, ...], li: tuple[Position, ...], today: Month
) -> list[Finding]:
    """What differs between the jobs on each side."""
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
