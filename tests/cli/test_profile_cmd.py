"""`afterview profile check` end to end, on both engines: the findings, the review it
records, the refresh_profile reason, export and import, bad input that changes nothing."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.cli.helpers import Afterview

FIXTURES = Path(__file__).parent.parent / "sources"
STANDARD = FIXTURES / "linkedin" / "standard"
MATCHES = FIXTURES / "resume" / "valid" / "matches-standard.json"
DIFFERS = FIXTURES / "resume" / "valid" / "differs-from-standard.json"
NOW = "2026-11-27T12:00"


def zipped(tmp_path: Path) -> Path:
    path = tmp_path / "Basic_LinkedInDataExport_11-27-2026.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(STANDARD.glob("*.csv")):
            zf.write(p, p.name)
    return path


def interview(av: Afterview) -> str:
    """An interview that ended an hour before NOW, so refresh_profile is live."""
    return av.ok(
        "interview", "add", "--company", "Acme", "--role", "Data Engineer",
        "--start", "2026-11-27T10:00", "--duration", "60", now=NOW,
    ).out.strip()  # fmt: skip


def refresh_why(av: Afterview) -> str | None:
    actions = av.ok("agenda", "--json", now=NOW).json()["actions"]
    found = [a for a in actions if a["kind"] == "refresh_profile"]
    return found[0]["why"] if found else None


def test_a_clean_check_marks_the_profile_reviewed(av: Afterview, tmp_path: Path) -> None:
    interview(av)
    assert refresh_why(av) is not None
    r = av.ok(
        "profile", "check", "--resume", str(MATCHES), "--linkedin", str(zipped(tmp_path)), now=NOW
    )
    assert "agree" in r.out and "marked reviewed 2026-11-27 12:00" in r.out
    assert refresh_why(av) is None  # the review ended the action


def test_findings_are_listed_kept_and_shown_in_the_refresh_profile_reason(
    av: Afterview, tmp_path: Path
) -> None:
    interview(av)
    r = av.ok("profile", "check", "--resume", str(DIFFERS), "--linkedin", str(STANDARD), now=NOW)
    assert r.out.startswith("9 differences between your CV and your LinkedIn profile:")
    assert (
        "High (2)" in r.out
        and "Fix: Rewrite the headline to lead with 'Head of Data Engineering'." in r.out
    )
    why = refresh_why(av)
    assert why is not None
    assert (
        "The profile check of 27 Nov 2026 found 9 differences (2 high); first: Change the title"
        in why
    )
    # JSON: the porcelain shape.
    doc = av.ok(
        "profile", "check", "--resume", str(DIFFERS), "--linkedin", str(STANDARD), "--json", now=NOW
    ).json()
    assert doc["clean"] is False and doc["reviewed_at"] is None
    assert [f["severity"] for f in doc["findings"]][:2] == ["high", "high"]
    assert set(doc["findings"][0]) == {"kind", "severity", "what", "fix"}
    # The user accepts the rest: the profile is reviewed and the reason goes with the action.
    r = av.ok(
        "profile",
        "check",
        "--resume",
        str(DIFFERS),
        "--linkedin",
        str(STANDARD),
        "--mark-reviewed",
        now=NOW,
    )
    assert "marked reviewed" in r.out
    assert refresh_why(av) is None


def test_a_review_after_the_check_closes_its_findings(av: Afterview) -> None:
    interview(av)
    av.ok(
        "profile",
        "check",
        "--resume",
        str(DIFFERS),
        "--linkedin",
        str(STANDARD),
        now="2026-11-27T11:30",
    )
    assert "profile check" in (refresh_why(av) or "")
    av.ok("profile", "reviewed", "--at", "2026-11-27T11:45", now=NOW)
    assert refresh_why(av) is None


def test_paths_come_from_the_config(
    av: Afterview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(MATCHES, tmp_path / "cv.json")
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'timezone = "Europe/Paris"\n[profile]\nresume = "cv.json"\nlinkedin = "{STANDARD}"\n'
    )
    monkeypatch.setenv("AFTERVIEW_CONFIG", str(cfg))
    doc = av.ok("profile", "check", "--json", now=NOW).json()
    assert doc["clean"] is True and doc["resume"] == str(tmp_path / "cv.json")


def test_profile_checks_travel_with_export_and_import(av: Afterview, tmp_path: Path) -> None:
    av.ok("profile", "check", "--resume", str(DIFFERS), "--linkedin", str(STANDARD), now=NOW)
    first = av.ok("export", now=NOW).out
    assert len(json.loads(first)["profile_checks"][0]["findings"]) == 9
    path = tmp_path / "export.json"
    path.write_text(first)
    other = Afterview(str(tmp_path / "other.db"))
    other.ok("import", str(path), now=NOW)
    assert other.ok("export", now=NOW).out == first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "--resume: give its path (or set resume under [profile] in config.toml)"),
        (("--resume", str(MATCHES)), "--linkedin: give its path"),
        (("--resume", "/nope.json", "--linkedin", str(STANDARD)), "--resume: /nope.json does not exist"),
        (("--resume", str(FIXTURES / "resume" / "invalid" / "bad-date.json"), "--linkedin", str(STANDARD)),
         "resume $.work[1].startDate: '2020/01' is not a date (accepted: YYYY, YYYY-MM or YYYY-MM-DD)"),
        (("--resume", str(MATCHES), "--linkedin", str(MATCHES)), "--linkedin: matches-standard.json is not a zip file"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_records_nothing(
    av: Afterview, args: tuple[str, ...], message: str
) -> None:
    r = av("profile", "check", *args, now=NOW)
    assert r.code == 2
    assert r.err.strip() == f"afterview: {message}" or r.err.strip().startswith(
        f"afterview: {message}"
    )
    assert "Traceback" not in r.err and len(r.err.strip().splitlines()) == 1
    assert json.loads(av.ok("export", now=NOW).out)["profile_checks"] == []
    assert json.loads(av.ok("export", now=NOW).out)["profile_reviews"] == []


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            '[profile]\nresumee = "cv.json"\n',
            "config profile.resumee: unknown setting; known: linkedin, resume",
        ),
        ("[profile]\nresume = 3\n", "config profile.resume: expected non-empty text"),
        (
            'profile = "cv.json"\n',
            "config profile: expected a table with resume and linkedin paths",
        ),
    ],
)
def test_bad_profile_settings_are_named(
    av: Afterview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, message: str
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(toml)
    monkeypatch.setenv("AFTERVIEW_CONFIG", str(cfg))
    r = av("profile", "check", now=NOW)
    assert r.code == 2 and r.err.strip().startswith(f"afterview: {message} (in {cfg}")
