"""Property: a CV generated from a LinkedIn export compares clean, and each single mutation
(drop a position, shift a date by a month, change a title, end the current job) yields
exactly the one finding it should.

The export is written as LinkedIn's CSVs and read back through the real reader; the CV
is a JSON Resume document validated against the shipped schema. Employer names differ
between the two sides by case and legal suffix only, as they do in life.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from afterview.core.profile import MONTH_NAMES, Month, ProfileDoc
from afterview.core.profile_check import check_profile
from afterview.sources.linkedin import read_export
from afterview.sources.resume import parse_resume, resume_document

TODAY = Month(2026, 11)
COMPANIES = [
    "Acme Analytics",
    "Globex",
    "Initech",
    "Umbrella Research",
    "Hooli",
    "Vandelay Industries",
    "Northwind",
]
SUFFIXES = ["", " GmbH", " Inc.", ", Inc.", " Ltd", " S.A.", " LLC"]
TITLES = [
    "Data Engineer",
    "Senior Data Engineer",
    "Analyst",
    "Software Engineer",
    "Engineering Manager",
    "Product Manager",
    "Staff Engineer",
    "Consultant",
]


@dataclass
class Job:
    company: str
    suffix: str
    title: str
    start: int  # month count
    end: int | None


def _month(n: int) -> Month:
    return Month(n // 12, n % 12 + 1)


@st.composite
def histories(draw: st.DrawFn) -> list[Job]:
    """Jobs one after another (newest first, as LinkedIn lists them), 3–36 months each."""
    n = draw(st.integers(1, 6))
    at = draw(st.integers(2005 * 12, 2012 * 12))
    jobs = []
    for _ in range(n):
        length = draw(st.integers(3, 36))
        jobs.append(
            Job(
                draw(st.sampled_from(COMPANIES)),
                draw(st.sampled_from(SUFFIXES)),
                draw(st.sampled_from(TITLES)),
                at,
                at + length - 1,
            )
        )
        at += length + draw(st.integers(0, 6))
    assume(jobs[-1].end is not None and jobs[-1].end < TODAY.first)  # type: ignore[operator]
    if draw(st.booleans()):
        jobs[-1].end = None
    return list(reversed(jobs))


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def _label(n: int | None) -> str:
    if n is None:
        return ""
    m = _month(n)
    assert m.month is not None
    return f"{MONTH_NAMES[m.month - 1]} {m.year}"


def write_export(
    folder: Path, jobs: list[Job], skills: list[str], latest: Job | None = None
) -> None:
    """LinkedIn's CSVs for these jobs; the headline and summary name `latest` (default the
    first job), as a profile written while it was current does."""
    latest = latest or jobs[0]
    (folder / "Profile.csv").write_text(
        "\ufeff"
        + _csv(
            ["First Name", "Last Name", "Headline", "Summary"],
            [
                [
                    "Sam",
                    "Doe",
                    f"{latest.title} at {latest.company}",
                    f"Currently at {latest.company}.",
                ]
            ],
        ),
        encoding="utf-8",
    )
    (folder / "Positions.csv").write_text(
        _csv(
            ["Company Name", "Title", "Description", "Location", "Started On", "Finished On"],
            [[j.company + j.suffix, j.title, "", "", _label(j.start), _label(j.end)] for j in jobs],
        ),
        encoding="utf-8",
    )
    (folder / "Skills.csv").write_text(_csv(["Name"], [[s] for s in skills]), encoding="utf-8")


def resume_from(jobs: list[Job], skills: list[str]) -> dict[str, Any]:
    """The CV a user would write from the same facts: other case, no legal suffix."""
    latest = jobs[0]

    def iso(n: int) -> str:
        return _month(n).iso()

    return {
        "basics": {
            "name": "Sam Doe",
            "label": latest.title,
            "summary": f"{latest.title} at {latest.company}.",
        },
        "work": [
            {
                "name": j.company.upper() if k % 2 else j.company,
                "position": j.title,
                "startDate": iso(j.start),
                **({"endDate": iso(j.end)} if j.end is not None else {}),
            }
            for k, j in enumerate(jobs)
        ],
        **({"skills": [{"name": "Tools", "keywords": skills}]} if skills else {}),
    }


def compare(
    tmp: Path,
    export_jobs: list[Job],
    cv: dict[str, Any],
    skills: list[str],
    latest: Job | None = None,
) -> list[str]:
    import tempfile

    folder = Path(tempfile.mkdtemp(dir=tmp))
    write_export(folder, export_jobs, skills, latest)
    li, _ = read_export(folder)
    doc = parse_resume(json.dumps(cv))
    return [f.kind for f in check_profile(resume_document(doc, []), li, TODAY)]


SKILLS = st.lists(
    st.sampled_from(["Python", "SQL", "Kafka", "dbt", "Terraform", "Go"]), unique=True, max_size=4
)
FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FAST
@given(jobs=histories(), skills=SKILLS)
def test_a_cv_made_from_the_export_compares_clean(
    tmp_path: Path, jobs: list[Job], skills: list[str]
) -> None:
    assert compare(tmp_path, jobs, resume_from(jobs, skills), skills) == []


@FAST
@given(jobs=histories(), skills=SKILLS, data=st.data())
def test_dropping_a_position_from_linkedin(
    tmp_path: Path, jobs: list[Job], skills: list[str], data: st.DataObject
) -> None:
    i = data.draw(st.integers(0, len(jobs) - 1))
    cv = resume_from(jobs, skills)
    kinds = compare(tmp_path, jobs[:i] + jobs[i + 1 :], cv, skills, latest=jobs[0])
    assert kinds == ["position_missing_on_linkedin"]


@FAST
@given(jobs=histories(), skills=SKILLS, data=st.data())
def test_dropping_an_older_position_from_the_cv(
    tmp_path: Path, jobs: list[Job], skills: list[str], data: st.DataObject
) -> None:
    assume(len(jobs) > 1)
    i = data.draw(st.integers(1, len(jobs) - 1))
    cv = resume_from(jobs, skills)
    del cv["work"][i]
    assert compare(tmp_path, jobs, cv, skills) == ["position_missing_in_cv"]


@FAST
@given(jobs=histories(), skills=SKILLS, data=st.data())
def test_shifting_a_date_by_a_month(
    tmp_path: Path, jobs: list[Job], skills: list[str], data: st.DataObject
) -> None:
    i = data.draw(st.integers(0, len(jobs) - 1))
    field = data.draw(
        st.sampled_from(["startDate", "endDate"] if jobs[i].end is not None else ["startDate"])
    )
    step = data.draw(st.sampled_from([-1, 1]))
    cv = resume_from(jobs, skills)
    y, m = map(int, cv["work"][i][field].split("-"))
    cv["work"][i][field] = Month(y, m).shifted(step).iso()
    assert compare(tmp_path, jobs, cv, skills) == ["position_dates"]


@FAST
@given(jobs=histories(), skills=SKILLS, data=st.data())
def test_changing_a_title_on_linkedin(
    tmp_path: Path, jobs: list[Job], skills: list[str], data: st.DataObject
) -> None:
    i = data.draw(st.integers(0, len(jobs) - 1))
    new = data.draw(st.sampled_from([t for t in TITLES if t != jobs[i].title]))
    changed = [
        Job(j.company, j.suffix, new if k == i else j.title, j.start, j.end)
        for k, j in enumerate(jobs)
    ]
    # The headline follows the export's latest title as written, so it stays as generated.
    cv = resume_from(jobs, skills)
    folder_jobs = changed
    kinds = compare(tmp_path, folder_jobs, cv, skills)
    expected = ["position_title"] + (
        ["headline"] if i == 0 and not _reflects(new, jobs[0].title) else []
    )
    assert sorted(kinds) == sorted(expected)


def _reflects(headline_title: str, latest: str) -> bool:
    """The generated headline ('<title> at <company>') still carries every word of `latest`."""
    return set(latest.lower().split()) <= set(headline_title.lower().split())


@FAST
@given(jobs=histories(), skills=SKILLS)
def test_linkedin_not_ending_a_finished_job(
    tmp_path: Path, jobs: list[Job], skills: list[str]
) -> None:
    assume(jobs[0].end is not None)
    cv = resume_from(jobs, skills)
    still = [
        Job(j.company, j.suffix, j.title, j.start, None if k == 0 else j.end)
        for k, j in enumerate(jobs)
    ]
    assert compare(tmp_path, still, cv, skills) == ["current_job"]


@FAST
@given(jobs=histories(), skills=SKILLS.filter(bool))
def test_a_skill_missing_on_linkedin(tmp_path: Path, jobs: list[Job], skills: list[str]) -> None:
    cv = resume_from(jobs, skills)
    import tempfile

    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    write_export(folder, jobs, skills[1:])
    li, _ = read_export(folder)
    found = check_profile(resume_document(parse_resume(json.dumps(cv)), []), li, TODAY)
    assert [(f.kind, f.fix) for f in found] == [
        ("skills_missing_on_linkedin", f"Add to LinkedIn Skills: {skills[0]}.")
    ]


def test_the_generated_documents_are_what_they_claim(tmp_path: Path) -> None:
    jobs = [
        Job("Acme Analytics", " GmbH", "Data Engineer", 2021 * 12, None),
        Job("Globex", ", Inc.", "Analyst", 2019 * 12 + 2, 2020 * 12 + 11),
    ]
    write_export(tmp_path, jobs, ["Python"])
    li, _ = read_export(tmp_path)
    assert [(p.company, p.start, p.end) for p in li.positions] == [
        ("Acme Analytics GmbH", Month(2021, 1), None),
        ("Globex, Inc.", Month(2019, 3), Month(2020, 12)),
    ]
    cv = resume_document(parse_resume(json.dumps(resume_from(jobs, ["Python"]))), [])
    assert isinstance(cv, ProfileDoc) and cv.positions[1].company == "GLOBEX"
