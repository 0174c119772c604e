"""The Interviews page on a long search: a page at a time, searched and filtered, the add
form first (folded away once there are interviews), bad parameters refused."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.webapp.test_app import add_interview


def test_a_long_list_comes_a_page_at_a_time_searched_and_filtered(client: TestClient) -> None:
    for n in range(53):
        add_interview(client, company=f"Firm {n:02d}", topics=[], interviewers=[f"Person {n}"])
    page = client.get("/interviews").text
    assert page.index('id="add-box"') < page.index("<table")
    assert '<details class="card" id="add-box">' in page  # folded: there are interviews
    assert page.count("<tr>") - 1 == 50 and "1–50 of 53" in page and "page 1 of 2" in page
    second = client.get("/interviews?page=2").text
    assert second.count("<tr>") - 1 == 3 and "51–53 of 53" in second
    # beyond the last page: the last page
    assert client.get("/interviews?page=9").text.count("<tr>") - 1 == 3
    found = client.get("/interviews?q=firm+07").text
    assert "Firm 07" in found and "Firm 08" not in found and "(of 53)" in found
    assert "Firm 12" in client.get("/interviews?q=person+12").text  # by interviewer
    assert "No interview matches" in client.get("/interviews?status=offer").text
    assert client.get("/interviews?status=awaiting").status_code == 200


def test_bad_listing_parameters_are_refused(client: TestClient) -> None:
    for query in ("page=0", "page=-1", "page=x", "page=١", "status=nope", "q=a%0Ab"):
        r = client.get(f"/interviews?{query}")
        assert r.status_code == 422, query


def test_an_empty_list_opens_the_add_form(client: TestClient) -> None:
    page = client.get("/interviews").text
    assert '<details class="card" id="add-box" open>' in page
    assert "No interview yet" in page


def _companies(page: str) -> list[str]:
    """The companies of the table's rows, in order."""
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]
    return [r.split('data-label="Company">', 1)[1].split(">", 1)[1].split("<", 1)[0] for r in rows]


def test_filtered_by_company_and_days_and_sorted(client: TestClient) -> None:
    for company, start in (
        ("Umbrella", "2026-09-01T10:00"),
        ("acme", "2026-09-08T10:00"),
        ("Globex", "2026-09-10T10:00"),
        ("Initech", "2026-09-12T10:00"),
    ):
        add_interview(client, company=company, start=start, topics=[], interviewers=[])
    assert _companies(client.get("/interviews").text) == ["Initech", "Globex", "acme", "Umbrella"]
    assert _companies(client.get("/interviews?order=asc").text)[0] == "Umbrella"
    assert _companies(client.get("/interviews?sort=company").text) == [
        "acme", "Globex", "Initech", "Umbrella",
    ]  # fmt: skip
    assert _companies(client.get("/interviews?sort=company&order=desc").text)[0] == "Umbrella"
    assert _companies(client.get("/interviews?company=ACME").text) == ["acme"]
    days = client.get("/interviews?from=2026-09-05&to=2026-09-10").text
    assert _companies(days) == ["Globex", "acme"] and 'value="2026-09-05"' in days
    for query in ("from=2026-13-01", "to=x", "sort=role", "order=up", "from=2026-09-10&to=2026-09-01",
                  "company=a%0Ab", "from=1800-01-01"):  # fmt: skip
        r = client.get(f"/interviews?{query}")
        assert r.status_code == 422, query
