"""The profile check's rules, one table case each, and its keys for names."""

from __future__ import annotations

import pytest

from afterview.core.profile import (
    Certificate,
    Education,
    Month,
    Position,
    ProfileDoc,
    Severity,
    company_key,
    latest_position,
    skill_key,
    title_key,
)
from afterview.core.profile_check import check_profile
from afterview.core.profile_positions import match_positions

TODAY = Month(2026, 11)
M = Month


def kinds(cv: ProfileDoc, li: ProfileDoc) -> list[str]:
    return sorted(f.kind for f in check_profile(cv, li, TODAY))


ACME = Position("Acme Analytics", "Senior Data Engineer", M(2025, 3))
BETA = Position("Beta", "Data Engineer", M(2021, 1), M(2025, 2))
GAMMA = Position("Gamma", "Analyst", M(2018, 4), M(2020, 12))
CV = ProfileDoc(
    headline="Senior Data Engineer",
    summary="Data engineer.",
    positions=(ACME, BETA, GAMMA),
    education=(Education("Technical University of Munich", "Master", M(2016), M(2018)),),
    certificates=(Certificate("AWS Certified Data Engineer", "Amazon Web Services", M(2024, 5)),),
    skills=("Python", "SQL", "Kafka"),
    languages=("English", "German"),
    emails=("sam@example.com",),
)
LI = ProfileDoc(
    headline="Senior Data Engineer at Acme Analytics",
    summary="I run the data platform at Acme Analytics.",
    positions=(
        Position("ACME Analytics GmbH", "Sr. Data Engineer", M(2025, 3)),
        Position("Beta Inc.", "Data Engineer", M(2021, 1), M(2025, 2)),
        Position("gamma", "Analyst", M(2018, 4), M(2020, 12)),
    ),
    education=(Education("Technical University of Munich", "Master of Science", M(2016), M(2018)),),
    certificates=(Certificate("AWS Certified Data Engineer", "Amazon Web Services", M(2024, 5)),),
    skills=("python", "SQL", "Apache Kafka", "Kafka"),
    languages=("German", "English"),
    emails=("old@example.org", "Sam@Example.com"),
)


def with_li(**changes: object) -> ProfileDoc:
    return LI.__class__(**{**LI.__dict__, **changes})  # type: ignore[arg-type]


def with_cv(**changes: object) -> ProfileDoc:
    return CV.__class__(**{**CV.__dict__, **changes})  # type: ignore[arg-type]


def test_agreeing_documents_are_clean() -> None:
    assert check_profile(CV, LI, TODAY) == []


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Acme Analytics GmbH", "acme analytics"),
        ("ACME ANALYTICS, Inc.", "acme analytics"),
        ("Acme Analytics GmbH & Co. KG", "acme analytics"),
        ("The Coca-Cola Company", "coca cola"),
        ("Société Générale S.A.", "societe generale"),
        ("Co", "co"),
    ],
)
def test_company_keys_ignore_case_accents_and_legal_suffixes(name: str, key: str) -> None:
    assert company_key(name) == key


def test_title_and_skill_keys() -> None:
    assert title_key("Sr. Software Eng.") == title_key("Senior Software Engineer")
    assert title_key("Data Engineer") != title_key("Senior Data Engineer")
    assert skill_key("Node.js") == skill_key("NodeJS") == skill_key("node")
    assert skill_key("k8s") == skill_key("Kubernetes")
    assert skill_key("C++") != skill_key("C") != skill_key("C#")
    assert skill_key(".NET") != skill_key("NET Framework")


def test_month_precision() -> None:
    assert M(2020).same(M(2020, 7))
    assert not M(2020, 6).same(M(2020, 7))
    assert M(2020, 12).shifted(1) == M(2021, 1)
    assert M(2020, 1).shifted(-1) == M(2019, 12)
    assert M(2020).label() == "2020" and M(2020, 3).label() == "Mar 2020"


def test_latest_position_prefers_a_current_one() -> None:
    assert latest_position((GAMMA, ACME, BETA)) == ACME
    assert latest_position((GAMMA, BETA)) == BETA
    assert latest_position(()) is None


def test_missing_current_position_on_linkedin_is_high_with_the_add_fix() -> None:
    li = with_li(positions=LI.positions[1:])
    [f] = check_profile(CV, li, TODAY)
    assert f.kind == "position_missing_on_linkedin"
    assert f.severity is Severity.HIGH
    assert (
        f.fix
        == "Add 'Senior Data Engineer at Acme Analytics (Mar 2025 – now)' to LinkedIn Experience."
    )


def test_an_old_missing_position_is_medium() -> None:
    li = with_li(positions=LI.positions[:2])
    [f] = check_profile(CV, li, TODAY)
    assert (f.kind, f.severity) == ("position_missing_on_linkedin", Severity.MEDIUM)


def test_a_position_only_on_linkedin() -> None:
    extra = Position("Delta", "Intern", M(2017, 6), M(2017, 9))
    [f] = check_profile(CV, with_li(positions=(*LI.positions, extra)), TODAY)
    assert f.kind == "position_missing_in_cv"
    assert "Intern at Delta (Jun 2017 – Sep 2017)" in f.fix


def test_same_employer_without_overlap() -> None:
    # The same title: one job with mistyped years, so one finding about its dates.
    li = with_li(
        positions=(*LI.positions[:2], Position("Gamma", "Analyst", M(2012, 1), M(2013, 1)))
    )
    [f] = check_profile(CV, li, TODAY)
    assert f.kind == "position_dates" and "Apr 2018 – Dec 2020 on your CV" in f.what
    # Another title as well: two different jobs.
    li = with_li(positions=(*LI.positions[:2], Position("Gamma", "Intern", M(2012, 1), M(2013, 1))))
    assert kinds(CV, li) == ["position_missing_in_cv", "position_missing_on_linkedin"]


def test_the_same_job_under_another_employer_name() -> None:
    li = with_li(
        positions=(
            *LI.positions[:2],
            Position("Gamma Holdings", "Analyst", M(2018, 4), M(2020, 12)),
        )
    )
    [f] = check_profile(CV, li, TODAY)
    assert f.kind == "position_company" and "'Gamma Holdings' on LinkedIn" in f.what


def test_unknown_end_dates_are_not_read_as_current() -> None:
    beta = Position("Beta", "Data Engineer", M(2021, 1), None, end_known=False)
    assert (
        check_profile(CV, with_li(positions=(LI.positions[0], beta, LI.positions[2])), TODAY) == []
    )


def test_a_notice_period_on_the_cv_is_still_the_current_job() -> None:
    cv = with_cv(
        positions=(
            Position("Acme Analytics", "Senior Data Engineer", M(2025, 3), M(2027, 3)),
            BETA,
            GAMMA,
        )
    )
    assert check_profile(cv, LI, TODAY) == []


def test_a_side_job_does_not_make_the_headline_stale() -> None:
    side = Position("CodeBar", "Volunteer Mentor", M(2026, 1))
    cv = with_cv(positions=(ACME, side, BETA, GAMMA))
    li = with_li(positions=(*LI.positions, side))
    assert check_profile(cv, li, TODAY) == []


def test_linkedin_skill_names_and_grades() -> None:
    cv = with_cv(skills=("Python", "Kafka", "AWS", "Excel", "Go"))
    li = with_li(
        skills=(
            "Python (Programming Language)",
            "Apache Kafka",
            "Amazon Web Services (AWS)",
            "Microsoft Excel",
            "Go (Programming Language)",
        )
    )
    assert check_profile(cv, li, TODAY) == []
    cv = with_cv(
        positions=(Position("Acme Analytics", "Senior Data Engineer II", M(2025, 3)), BETA, GAMMA)
    )
    li = with_li(
        positions=(
            Position("Acme Analytics", "Senior Data Engineer II", M(2025, 3)),
            *LI.positions[1:],
        )
    )
    assert check_profile(cv, li, TODAY) == []


def test_two_degrees_at_one_school_pair_by_level() -> None:
    cv = with_cv(
        education=(
            Education("TUM", "Master", M(2017), M(2019)),
            Education("TUM", "Bachelor", M(2013), M(2016)),
        )
    )
    li = with_li(
        education=(
            Education("TUM", "Bachelor of Science", M(2013), M(2016)),
            Education("TUM", "Master of Science - MSc", M(2016), M(2018)),
        )
    )
    [f] = check_profile(cv, li, TODAY)
    assert f.kind == "education_dates" and "Master" in f.what and "2019" in f.fix


def test_no_profile_file_means_no_headline_or_summary_finding() -> None:
    assert check_profile(CV, with_li(headline="", summary="", has_profile=False), TODAY) == []


def test_title_mismatch_on_a_recent_position_is_high() -> None:
    li = with_li(
        positions=(
            LI.positions[0],
            Position("Beta", "Junior Data Engineer", M(2021, 1), M(2025, 2)),
            LI.positions[2],
        )
    )
    [f] = check_profile(CV, li, TODAY)
    assert (f.kind, f.severity) == ("position_title", Severity.HIGH)
    assert "'Data Engineer'" in f.fix


def test_date_mismatch_at_month_precision() -> None:
    li = with_li(
        positions=(
            LI.positions[0],
            Position("Beta", "Data Engineer", M(2021, 2), M(2025, 2)),
            LI.positions[2],
        )
    )
    [f] = check_profile(CV, li, TODAY)
    assert f.kind == "position_dates"
    assert (
        f.fix == "Change the dates of 'Data Engineer at Beta' on LinkedIn to Jan 2021 – Feb 2025."
    )
    # A bare year agrees with any month of it.
    li = with_li(
        positions=(
            LI.positions[0],
            Position("Beta", "Data Engineer", M(2021), M(2025)),
            LI.positions[2],
        )
    )
    assert check_profile(CV, li, TODAY) == []


def test_linkedin_still_showing_an_ended_job_as_current() -> None:
    li = with_li(
        positions=(LI.positions[0], Position("Beta", "Data Engineer", M(2021, 1)), LI.positions[2])
    )
    [f] = check_profile(CV, li, TODAY)
    assert (f.kind, f.severity) == ("current_job", Severity.HIGH)
    assert f.fix == "Set the end date of that LinkedIn position to Feb 2025."


def test_linkedin_ending_the_current_job() -> None:
    li = with_li(
        positions=(
            Position("Acme Analytics", "Senior Data Engineer", M(2025, 3), M(2026, 6)),
            *LI.positions[1:],
        )
    )
    [f] = check_profile(CV, li, TODAY)
    assert f.kind == "current_job"
    assert "currently working in this role" in f.fix


@pytest.mark.parametrize(
    ("headline", "found"),
    [
        ("Senior Data Engineer at Acme Analytics", False),
        ("Sr. Data Engineer | Kafka, Python", False),
        ("Data Engineer at Beta", True),
        ("", True),
    ],
)
def test_headline_reflects_the_latest_title(headline: str, found: bool) -> None:
    assert (kinds(CV, with_li(headline=headline)) == ["headline"]) is found


def test_summary_older_than_the_latest_position() -> None:
    [f] = check_profile(
        CV, with_li(summary="I build pipelines at Beta and analysed churn at Gamma."), TODAY
    )
    assert f.kind == "summary_stale"
    assert "Beta, Gamma" in f.what and "Acme Analytics" in f.fix
    # Mentioning the latest employer or title, or no employer at all, is fine.
    assert check_profile(CV, with_li(summary="Before Acme Analytics I was at Beta."), TODAY) == []
    assert check_profile(CV, with_li(summary="I love data."), TODAY) == []
    assert kinds(CV, with_li(summary="")) == ["summary_missing"]


def test_skills_missing_are_one_finding_with_the_list() -> None:
    [f] = check_profile(
        with_cv(skills=("Python", "SQL", "Kafka", "dbt", "k8s", "DBT")),
        with_li(skills=("Python", "SQL", "Kafka", "Kubernetes")),
        TODAY,
    )
    assert f.kind == "skills_missing_on_linkedin" and f.severity is Severity.LOW
    assert f.fix == "Add to LinkedIn Skills: dbt."


def test_skills_past_linkedins_cap_say_what_to_remove() -> None:
    li_skills = tuple(f"skill{n}" for n in range(99))
    [f] = check_profile(with_cv(skills=("a1", "b2", "c3")), with_li(skills=li_skills), TODAY)
    assert "remove 2" in f.fix


def test_certificates_education_languages_both_ways() -> None:
    cv = with_cv(
        certificates=(*CV.certificates, Certificate("CKA", "CNCF", M(2023, 1))),
        education=(*CV.education, Education("Open University", "Bachelor", M(2012), M(2015))),
        languages=("English", "German", "French"),
    )
    li = with_li(
        certificates=(*LI.certificates, Certificate("Scrum Master", "Scrum.org")),
        education=(Education("Technical University of Munich", "MSc", M(2016), M(2019)),),
    )
    assert kinds(cv, li) == [
        "certificate_missing_in_cv",
        "certificate_missing_on_linkedin",
        "education_dates",
        "education_missing_on_linkedin",
        "language_missing_on_linkedin",
    ]


def test_email_not_on_the_linkedin_account() -> None:
    assert kinds(CV, with_li(emails=("old@example.org",))) == ["email_not_on_linkedin"]
    assert kinds(CV, with_li(emails=())) == []  # the export had no email file


def test_findings_come_most_severe_first() -> None:
    li = with_li(positions=LI.positions[1:], skills=(), headline="Analyst")
    order = [f.severity for f in check_profile(CV, li, TODAY)]
    assert order == sorted(order, key=[Severity.HIGH, Severity.MEDIUM, Severity.LOW].index)


def test_promotions_at_one_employer_pair_by_shared_months_then_title() -> None:
    cv = (
        Position("Acme", "Engineer", M(2019, 1), M(2020, 12)),
        Position("Acme", "Senior Engineer", M(2021, 1)),
    )
    li = (
        Position("Acme Inc", "Senior Engineer", M(2020, 12)),
        Position("Acme Inc", "Engineer", M(2019, 1), M(2020, 12)),
    )
    pairs, cv_only, li_only = match_positions(cv, li)
    assert [(a.title, b.title) for a, b in pairs] == [
        ("Engineer", "Engineer"),
        ("Senior Engineer", "Senior Engineer"),
    ]
    assert cv_only == li_only == []
