"""The Applications page on a long search: the add form first (folded once there are
applications), search, filters (stage, status, company, applied days), sorting both
ways, 50 a page; every row leads to the application's page; bad parameters refused
with the parameter named; `/pipeline` leads here; the 5-year history within budget."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.webapp.five_years import BUDGET_BYTES, BUDGET_SECONDS, history_client, p95_and_size
from tests.webapp.test_app import add_interview, api, post

ROW = re.compile(r'<td data-label="Company"><a href="/applications/(\d+)">([^<]*)</a>')


def companies(html: str) -> list[str]:
    """The companies of the rows shown, in order."""
    return [name for _id, name in ROW.findall(html)]


def add(client: TestClient, company: str, role: str = "Engineer", day: str | None = None) -> None:
    data = {"company": company, "role": role}
    if day:
        data["applied_on"] = day
    r = post(client, "/applications", data)
    assert r.status_code == 303 and r.headers["location"] == "/applications?msg=applied", r.text


def test_a_long_list_comes_a_page_at_a_time_and_every_row_leads_to_its_page(
    client: TestClient,
) -> None:
    for n in range(53):
        add(client, f"Firm {n:02d}", day=f"2026-08-{n % 28 + 1:02d}")
    page = client.get("/applications").text
    assert page.index('id="add-box"') < page.index('role="search"') < page.index("<table")
    assert '<details class="card" id="add-box">' in page  # folded: there are applications
    assert len(companies(page)) == 50 and "1–50 of 53" in page and "page 1 of 2" in page
    second = client.get("/applications?page=2").text
    assert len(companies(second)) == 3 and "51–53 of 53" in second
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert companies(client.get("/applications?page=99").text) == companies(second)  # the last
    for app_id, name in ROW.findall(page)[:3]:
        record = client.get(f"/applications/{app_id}")
        assert record.status_code == 200 and f"<h1>{name} " in record.text
    # this week's keep-searching progress stays on the page
    assert "This week (2026-W38)" in page and "0 of 5</strong> applications" in page


def test_search_filters_and_sorting(client: TestClient) -> None:
    add(client, "Acme", "Data Engineer", "2026-09-01")
    add(client, "acme", "Analyst", "2026-09-10")
    add(client, "Globex", "Data Scientist", "2026-09-14")
    add(client, "Initech", "Platform Engineer", "2026-08-20")
    # an interview to come, for an application with no applied day: interviewing
    iv = add_interview(client, company="Umbrella", role="SRE", start="2026-09-20T10:00")
    assert client.get(f"/api/interviews/{iv}").status_code == 200

    def shown(query: str) -> list[str]:
        r = client.get(f"/applications?{query}")
        assert r.status_code == 200, (query, r.text[:300])
        return companies(r.text)

    # newest applied first; not applied yet last, either way
    assert shown("") == ["Globex", "acme", "Acme", "Initech", "Umbrella"]
    assert shown("sort=applied&order=asc") == ["Initech", "Acme", "acme", "Globex", "Umbrella"]
    # by company, any case, then role
    assert shown("sort=company") == ["acme", "Acme", "Globex", "Initech", "Umbrella"]
    assert shown("sort=company&order=desc") == ["Umbrella", "Initech", "Globex", "Acme", "acme"]
    assert shown("sort=status")[0] == "Umbrella"  # scheduled comes before applied
    assert shown("sort=status&order=desc")[-1] == "Umbrella"
    assert shown("q=data") == ["Globex", "Acme"]  # company or role, any case
    assert shown("q=ACME") == ["acme", "Acme"]
    assert shown("company=ACME") == ["acme", "Acme"]  # the company, exactly, any case
    assert shown("company=Acm") == []
    assert shown("stage=interviewing") == ["Umbrella"]
    assert shown("status=scheduled") == ["Umbrella"]
    assert shown("stage=applied&from=2026-09-01&to=2026-09-10") == ["acme", "Acme"]
    assert shown("from=2026-09-11") == ["Globex"]  # a range leaves out what has no day
    assert shown("to=2026-08-31") == ["Initech"]
    assert shown("from=2026-09-10&to=2026-09-10") == ["acme"]
    empty = client.get("/applications?q=nothing+like+it").text
    assert "No application matches" in empty and "(of 5)" not in empty
    # the column headers sort, and say how
    page = client.get("/applications?sort=company").text
    assert 'aria-sort="ascending"' in page and "sort=company&amp;order=desc" in page
    # the JSON twin: the same rows, the same parameters
    body = api(client, "GET", "/api/applications?q=acme&sort=company").json()
    assert [a["company"] for a in body["applications"]] == ["acme", "Acme"]
    assert body["found"] == 2 and body["total"] == 5 and body["pages"] == 1
    assert body["week"]["target"] == 5 and body["applications"][0]["stage"] == "applied"


HOSTILE = [
    ("page=0", "page"),
    ("page=-1", "page"),
    ("page=x", "page"),
    ("page=١", "page"),
    ("page=1.5", "page"),
    ("page=99999999", "page"),
    ("stage=nope", "stage"),
    ("stage=Applied", "stage"),
    ("status=nope", "status"),
    ("sort=nope", "sort"),
    ("sort=applied%00", "sort"),
    ("order=up", "order"),
    ("from=2026-13-01", "from"),
    ("from=yesterday", "from"),
    ("from=0001-01-01", "from"),
    ("to=9999-12-31", "to"),
    ("to=2026-02-30", "to"),
    ("from=2026-09-10&to=2026-09-01", "to"),
    ("q=a%0Ab", "q"),
    ("q=" + "x" * 201, "q"),
    ("q=%E2%80%AEevil", "q"),
    ("company=%00", "company"),
    ("company=a%0Db", "company"),
]


@pytest.mark.parametrize(("query", "field"), HOSTILE)
def test_bad_parameters_are_refused_naming_them(client: TestClient, query: str, field: str) -> None:
    r = client.get(f"/applications?{query}")
    assert r.status_code == 422, (query, r.status_code)
    assert f"{field}:" in r.text and "Traceback" not in r.text
    j = client.get(f"/api/applications?{query}")
    assert j.status_code == 422, (query, j.text)
    assert j.json()["field"] == field, j.json()


def test_odd_but_harmless_parameters(client: TestClient) -> None:
    add(client, "<script>alert(1)</script>", "Engineer", "2026-09-01")
    for query in ("q=%3Cscript%3E", "nope=1", "q=", "page=", "add=1", "q=++", "msg=nope"):
        r = client.get(f"/applications?{query}")
        assert r.status_code == 200, query
        assert "<script>alert" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get("/applications?q=%3Cscript").text


def test_the_add_form_comes_first_and_stays_open_for_the_next(client: TestClient) -> None:
    empty = client.get("/applications").text
    assert '<details class="card" id="add-box" open>' in empty and "No application yet" in empty
    add(client, "Acme", "Data Engineer")
    after = client.get("/applications?msg=applied").text
    assert "Application added." in after and 'id="add-box" open>' in after
    assert 'id="add-box" open>' not in client.get("/applications").text
    assert 'id="add-box" open>' in client.get("/applications?add=1").text  # Today's link
    # bad input: the form again, with what was typed and the field named; nothing written
    r = post(client, "/applications", {"company": "Globex", "role": "", "url": "ftp://x"})
    assert r.status_code == 422 and 'role="alert"' in r.text and "role:" in r.text
    assert 'value="Globex"' in r.text and 'value="ftp://x"' in r.text
    r = post(client, "/applications", {"company": "Globex", "role": "R", "url": "ftp://x"})
    assert r.status_code == 422 and "url:" in r.text
    r = post(
        client, "/applications", {"company": "Globex", "role": "R", "applied_on": "9999-01-01"}
    )
    assert r.status_code == 422 and "applied_on:" in r.text
    assert companies(client.get("/applications").text) == ["Acme"]


def test_the_pipeline_leads_to_the_applications(client: TestClient) -> None:
    r = client.get("/pipeline", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/applications"
    r = client.get("/pipeline?full=awaiting", follow_redirects=False)
    assert r.headers["location"] == "/applications?status=awaiting"
    r = client.get("/pipeline?full=%3Cx%3E", follow_redirects=False)
    assert r.headers["location"] == "/applications"
    assert client.get("/pipeline").status_code == 200  # followed: the list


def test_five_years_of_applications_within_budget(tmp_path: Path) -> None:
    with history_client(tmp_path / "five") as client:
        first = client.get("/applications").text
        assert "1–50 of 2000" in first and "page 1 of 40" in first
        for path in (
            "/applications",
            "/applications?page=40",
            "/applications?sort=company&order=desc&page=17",
            "/applications?stage=closed&sort=status",
            "/applications?q=labs&from=2024-01-01&to=2025-12-31",
        ):
            p95, size = p95_and_size(client, path)
            assert p95 < BUDGET_SECONDS, f"{path}: {p95 * 1000:.0f} ms"
            assert size < BUDGET_BYTES, f"{path}: {size} bytes"
        last = client.get("/applications?page=40").text
        assert len(companies(last)) == 50 and "1951–2000 of 2000" in last
