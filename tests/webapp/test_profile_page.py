"""The Profile page and its API twin: the latest check, a check from uploaded files (read
in memory), "mark reviewed", the refresh_profile action pointing there, and bad uploads."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from fastapi.testclient import TestClient

from tests.webapp.test_app import add_interview, api, token

FIXTURES = Path(__file__).parent.parent / "sources"
STANDARD = FIXTURES / "linkedin" / "standard"
MATCHES = FIXTURES / "resume" / "valid" / "matches-standard.json"
DIFFERS = FIXTURES / "resume" / "valid" / "differs-from-standard.json"


def export_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(STANDARD.glob("*.csv")):
            zf.write(p, p.name)
    return buf.getvalue()


def upload(c: TestClient, resume: Path | bytes, linkedin: bytes, **data: str) -> object:
    body = resume.read_bytes() if isinstance(resume, Path) else resume
    return c.post(
        "/profile/check",
        data={"csrf_token": token(c), **data},
        files={
            "resume": ("resume.json", body, "application/json"),
            "linkedin": ("Basic_LinkedInDataExport.zip", linkedin, "application/zip"),
        },
        follow_redirects=False,
    )


def test_a_check_from_uploads_lists_findings_and_the_page_shows_them(client: TestClient) -> None:
    add_interview(client)
    today = client.get("/").text
    assert 'href="/profile">Check profile</a>' in today
    r = upload(client, DIFFERS, export_zip())
    assert r.status_code == 303 and r.headers["location"] == "/profile?msg=profile_checked"
    page = client.get("/profile?msg=profile_checked").text
    assert "9 differences to fix." in page
    assert "Rewrite the headline to lead with &#39;Head of Data Engineering&#39;." in page
    assert "Latest check" in page and "Basic_LinkedInDataExport.zip" in page
    view = api(client, "GET", "/api/profile").json()
    assert view["check"]["open"] is True and len(view["check"]["findings"]) == 9
    assert view["last_reviewed"] is None
    # The refresh_profile action says what the check found.
    actions = api(client, "GET", "/api/today").json()["actions"]
    why = next(a["why"] for a in actions if a["kind"] == "refresh_profile")
    assert "found 9 differences (2 high)" in why
    # Marking reviewed closes the findings.
    r = client.post("/profile/reviewed", data={"csrf_token": token(client)}, follow_redirects=False)
    assert r.headers["location"] == "/profile?msg=profile_reviewed"
    view = api(client, "GET", "/api/profile").json()
    assert view["check"]["open"] is False and view["last_reviewed"]


def test_a_clean_upload_marks_reviewed(client: TestClient) -> None:
    r = upload(client, MATCHES, export_zip())
    assert r.headers["location"] == "/profile?msg=profile_clean"
    assert api(client, "GET", "/api/profile").json()["last_reviewed"]
    assert "agree" in client.get("/profile").text


def test_the_api_marks_reviewed(client: TestClient) -> None:
    r = api(client, "POST", "/api/profile/reviewed")
    assert r.status_code == 200 and r.json()["reviewed_at"].startswith("2026-09-15T15:30")
    assert client.post("/api/profile/reviewed").status_code == 403  # no CSRF token


def test_bad_uploads_are_one_clear_error_and_record_nothing(client: TestClient) -> None:
    for resume, linkedin, needle in (
        (b'{"work": {}}', export_zip(), "resume $.work: expected a list"),
        (MATCHES, b"not a zip", "linkedin: Basic_LinkedInDataExport.zip is not a zip file"),
        (b"", export_zip(), "resume: choose your CV"),
    ):
        r = upload(client, resume, linkedin)
        assert r.status_code == 422, r.text
        assert needle.replace("'", "&#39;") in r.text
    assert api(client, "GET", "/api/profile").json() == {
        "last_reviewed": None,
        "tz": "Europe/Paris",
        "check": None,
    }


def test_an_upload_without_the_csrf_token_is_refused(client: TestClient) -> None:
    r = client.post(
        "/profile/check",
        files={
            "resume": ("r.json", b"{}", "application/json"),
            "linkedin": ("e.zip", export_zip(), "application/zip"),
        },
    )
    assert r.status_code == 403
