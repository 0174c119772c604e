"""The Leads page in-process: the list (search, filters, sorting, paging), the lead form
the bookmarklet opens (filled from the address, hostile values refused), the two steps
(read the posting from a real local HTTP server, then confirm), Apply, the JSON twin,
and cross-site posts refused."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from tests.webapp.jobsite import POSTING, JobSite, job_page, serve_job_site
from tests.webapp.test_app import api, post


@pytest.fixture
def site() -> Iterator[JobSite]:
    with serve_job_site() as s:
        s.pages["/jobs/42"] = (200, job_page(POSTING))
        yield s


def add_lead(c: TestClient, **fields: Any) -> dict[str, Any]:
    body = {"role": "Data Engineer", "company": "Acme", **fields}
    r = api(c, "POST", "/api/leads", body)
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


def stored(c: TestClient) -> list[dict[str, Any]]:
    leads: list[dict[str, Any]] = c.get("/api/leads").json()["leads"]
    return leads


def rows(page: str) -> list[str]:
    """The company of each row of the list, in order."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in page else ""
    return re.findall(r'<td data-label="Company"><a href="/applications/\d+">([^<]*)</a>', body)


# -- the list -----------------------------------------------------------------------------------
def test_a_long_list_comes_a_page_at_a_time_searched_filtered_sorted(client: TestClient) -> None:
    for n in range(53):
        add_lead(
            client,
            company=f"Firm {n:02d}",
            role="Analyst" if n % 2 else "Engineer",
            location="Berlin, DE" if n < 10 else "Lyon, FR",
            remote=n % 3 == 0,
            posted_on=f"2026-08-{n % 28 + 1:02d}",
            read=n >= 50,
        )
    page = client.get("/leads").text
    assert page.index('id="add-box"') < page.index("<table")
    assert len(rows(page)) == 50 and "1–50 of 53" in page and "page 1 of 2" in page
    # newest posting first: the 28th of August (n = 27) leads
    assert rows(page)[0] == "Firm 27"
    second = client.get("/leads?page=2").text
    assert len(rows(second)) == 3 and "51–53 of 53" in second
    assert len(rows(client.get("/leads?page=99").text)) == 3  # past the last: the last
    # search: company, role, place
    assert rows(client.get("/leads?q=firm+07").text) == ["Firm 07"]
    assert len(rows(client.get("/leads?q=analyst").text)) == 26
    berlin = client.get("/leads?q=berlin&sort=company").text
    assert rows(berlin) == [f"Firm {n:02d}" for n in range(10)] and "(of 53)" in berlin
    # filters: source, remote, the posted days, applied or not
    assert sorted(rows(client.get("/leads?source=url").text)) == ["Firm 50", "Firm 51", "Firm 52"]
    assert len(rows(client.get("/leads?source=manual&sort=company").text)) == 50
    assert len(rows(client.get("/leads?remote=yes&page=1").text)) == 18
    assert len(rows(client.get("/leads?remote=no").text)) == 35
    ranged = rows(client.get("/leads?posted_from=2026-08-02&posted_to=2026-08-03").text)
    assert sorted(ranged) == ["Firm 01", "Firm 02", "Firm 29", "Firm 30"]
    assert "No lead matches" in client.get("/leads?q=nobody").text
    assert len(rows(client.get("/leads?state=open").text)) == 50
    assert "No lead matches" in client.get("/leads?state=applied").text
    # the pager keeps the query
    paged = client.get("/leads?sort=company&q=firm").text
    assert 'href="?q=firm&amp;sort=company&amp;page=2"' in paged
    # the JSON twin answers the same query
    twin = client.get("/api/leads?q=berlin&sort=company").json()
    assert twin["found"] == 10 and twin["total"] == 53 and twin["leads"][0]["company"] == "Firm 00"
    assert twin["sources"] == ["manual", "url"]
    assert '<option value="url">web page</option>' in page


def test_bad_list_parameters_are_refused_naming_the_field(client: TestClient) -> None:
    add_lead(client)
    for query, field in (
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=x", "page"),
        ("page=١", "page"),
        ("page=1234567", "page"),
        ("remote=maybe", "remote"),
        ("state=closed", "state"),
        ("sort=salary", "sort"),
        ("source=Not%20A%20Source", "source"),
        ("posted_from=2026-13-01", "posted_from"),
        ("posted_to=yesterday", "posted_to"),
        ("posted_from=9999-01-01", "posted_from"),
        ("posted_from=2026-09-02&posted_to=2026-09-01", "posted_to"),
        ("q=a%0Ab", "q"),
        ("q=" + "x" * 201, "q"),
    ):
        r = client.get(f"/leads?{query}")
        assert r.status_code == 422, query
        assert f"{field}: " in html.unescape(r.text), query
        j = client.get(f"/api/leads?{query}")
        assert j.status_code == 422 and j.json()["field"] == field, query


def test_each_row_links_to_its_application_and_apply_marks_it_applied(client: TestClient) -> None:
    first = add_lead(client, company="Initech", url="https://jobs.initech.example/1")
    page = client.get("/leads?sort=company").text
    assert f'href="/applications/{first["id"]}"' in page
    assert 'href="https://jobs.initech.example/1"' in page
    r = post(client, f"/leads/{first['id']}/apply", {"sort": "company", "q": "init"})
    assert r.status_code == 303
    assert r.headers["location"] == "/leads?q=init&sort=company&msg=lead_applied"
    after = client.get(r.headers["location"]).text
    assert "Marked applied today" in after and "2026-09-15" in after
    assert f'action="/leads/{first["id"]}/apply"' not in after
    (lead,) = stored(client)
    assert lead["applied_on"] == "2026-09-15" and lead["status"] == "applied"
    # a second click (an old page) does not move the day
    again = post(client, f"/leads/{first['id']}/apply", {})
    assert again.status_code == 409 and "already marked applied on 2026-09-15" in again.text
    assert post(client, "/leads/999/apply", {}).status_code == 404
    assert post(client, f"/leads/{first['id']}/apply", {"page": "x"}).status_code == 422
    assert api(client, "POST", "/api/leads/999/apply").status_code == 404


def test_only_web_addresses_become_links_and_salaries_read_as_words() -> None:
    from afterview.web.leads_pages import _link, salary_text

    # an address stored by an older version or an import is shown, never made a link
    assert _link("javascript:alert(1)") is None and _link("data:text/html,x") is None
    assert _link("https://jobs.example/1") == "https://jobs.example/1"
    base = {"salary_currency": "EUR", "salary_unit": "YEAR"}
    assert salary_text({**base, "salary_min": 70000.0, "salary_max": 85000.0}) == (
        "70000–85000 EUR a year"
    )
    assert salary_text({**base, "salary_min": 50.5, "salary_max": 50.5}) == "50.5 EUR a year"
    assert salary_text({**base, "salary_min": None, "salary_max": 9.0}) == "up to 9 EUR a year"
    assert salary_text({"salary_min": None, "salary_max": None}) == ""


# -- the lead form the bookmarklet opens ---------------------------------------------------------
def test_the_form_is_filled_from_the_address_and_nothing_is_fetched(
    client: TestClient, site: JobSite
) -> None:
    url = site.at("/jobs/42")
    query = urlencode({"url": url, "title": 'Senior Data Engineer - Acme <careers> & "more"'})
    r = client.get(f"/leads/new?{query}")
    assert r.status_code == 200
    assert f'value="{url}"' in r.text
    assert 'value="Senior Data Engineer - Acme &lt;careers&gt; &amp; &#34;more&#34;"' in r.text
    assert site.total_hits() == 0  # opening the form fetches nothing
    assert stored(client) == []
    assert client.get("/leads/new").status_code == 200  # nothing given: an empty form


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"url": "javascript:alert(document.cookie)"}, "url"),
        ({"url": "JAVASCRIPT:alert(1)//https://x"}, "url"),
        ({"url": "data:text/html,<script>alert(1)</script>"}, "url"),
        ({"url": "file:///etc/passwd"}, "url"),
        ({"url": "https://" + "a" * 10_000 + ".example/"}, "url"),
        ({"url": "https://jobs.example/\x00x"}, "url"),
        ({"url": "https://jobs.example/a b"}, "url"),
        ({"url": "https://user:secret@jobs.example/"}, "url"),
        ({"url": "https:///no-host"}, "url"),
        ({"url": "http://[::1"}, "url"),
        ({"url": "https://jobs.example/?q==?utf-8?q?a=0Ab?="}, "url"),
        ({"title": "x" * 10_000}, "title"),
        ({"title": "Engineer\x1b[31m"}, "title"),
        ({"title": "Engineer\nBcc: all@example.org"}, "title"),
        ({"title": "=?utf-8?q?Engineer=0D=0ABcc:_all@example.org?="}, "title"),
        ({"title": "=?utf-8?b?broken"}, None),  # not an encoded word: plain text, kept
        ({"title": "Engineer\u202ereversed"}, "title"),
    ],
)
def test_hostile_values_in_the_address_are_refused_and_not_echoed(
    client: TestClient, query: dict[str, str], field: str | None
) -> None:
    r = client.get("/leads/new?" + urlencode(query))
    if field is None:
        assert r.status_code == 200 and 'value="=?utf-8?b?broken"' in r.text
        return
    assert r.status_code == 422
    assert re.search(rf'<p class="error" role="alert">{field}: ', r.text), r.text[:3000]
    value = next(iter(query.values()))
    assert f'value="{escape(value)[:30]}' not in r.text  # the form does not hold it
    assert "<script>alert" not in r.text
    assert stored(client) == []


def test_a_plain_encoded_word_and_markup_in_a_title_are_shown_escaped(client: TestClient) -> None:
    r = client.get("/leads/new?" + urlencode({"title": "=?utf-8?q?Hello?= <img src=x onerror=1>"}))
    assert r.status_code == 200
    assert 'value="=?utf-8?q?Hello?= &lt;img src=x onerror=1&gt;"' in r.text
    assert "<img src=x" not in r.text


# -- reading the posting, then confirming ---------------------------------------------------------
def test_reading_shows_what_the_posting_says_and_only_the_confirm_stores_it(
    client: TestClient, site: JobSite
) -> None:
    url = site.at("/jobs/42")
    r = post(client, "/leads/new", {"url": url, "role": "Page title here"})
    assert r.status_code == 200, r.text
    assert site.hits == {"/jobs/42": 1}
    form = r.text.split('action="/leads"', 1)[1]
    for name, value in (
        ("role", "Senior Data Engineer"),  # the posting's, over the page title given
        ("company", "Acme Analytics"),
        ("location", "Berlin, DE"),
        ("salary_min", "70000"),
        ("salary_max", "85000"),
        ("salary_currency", "EUR"),
        ("salary_unit", "YEAR"),
        ("posted_on", "2026-09-01"),
        ("valid_through", "2026-10-31"),
        ("url", url),
        ("read", "1"),
    ):
        assert re.search(rf'name="{name}"[^>]* value="{re.escape(value)}"', form), name
    assert stored(client) == []  # read, not stored
    # the user changes the place, then confirms
    fields = dict(re.findall(r'name="(\w+)"[^>]* value="([^"]*)"', form))
    fields = {k: html.unescape(v) for k, v in fields.items() if k != "csrf_token"}
    done = post(client, "/leads", {**fields, "location": "Berlin (hybrid)"})
    assert done.status_code == 303 and done.headers["location"] == "/leads?msg=lead_added"
    (lead,) = stored(client)
    assert (lead["company"], lead["role"], lead["location"]) == (
        "Acme Analytics",
        "Senior Data Engineer",
        "Berlin (hybrid)",
    )
    assert lead["salary_min"] == 70000 and lead["salary_unit"] == "YEAR"
    assert lead["source"] == "url" and lead["url"] == url and lead["status"] == "lead"
    # the same posting again: already tracked, nothing added
    again = post(client, "/leads", fields)
    assert again.headers["location"] == "/leads?msg=lead_tracked"
    assert len(stored(client)) == 1
    assert "already among your leads" in client.get(again.headers["location"]).text


def test_a_page_without_posting_data_falls_back_to_its_title_and_host(
    client: TestClient, site: JobSite
) -> None:
    site.pages["/plain"] = (200, job_page(title="Backend Developer at Globex"))
    site.pages["/many"] = (200, job_page([POSTING, {**POSTING, "title": "Second"}]))
    r = post(client, "/leads/new", {"url": site.at("/plain")})
    assert r.status_code == 200
    assert "no job posting data (JSON-LD) on this page" in r.text
    assert 'value="Backend Developer at Globex"' in r.text and 'value="127.0.0.1"' in r.text
    assert 'name="read" value=""' in r.text
    many = post(client, "/leads/new", {"url": site.at("/many")})
    assert "This page lists 2 postings: the first is shown." in many.text
    assert stored(client) == []


def test_reading_errors_say_so_and_keep_the_form(client: TestClient, site: JobSite) -> None:
    r = post(client, "/leads/new", {"url": site.at("/gone"), "company": "Acme"})
    assert r.status_code == 422 and "url: " in r.text and "answered 404" in r.text
    assert 'value="Acme"' in r.text
    for data, field in (
        ({"url": "javascript:alert(1)"}, "url"),
        ({}, "url"),
        ({"url": site.at("/jobs/42"), "company": "A\x00"}, "company"),
        ({"url": site.at("/jobs/42"), "role": "r" * 201}, "role"),
    ):
        bad = post(client, "/leads/new", data)
        assert bad.status_code == 422 and f"{field}: " in html.unescape(bad.text), data
    assert site.hits == {"/gone": 1}
    echoed = post(client, "/leads/new", {"url": site.at("/jobs/42"), "company": "A\x00B"})
    assert 'value="A\\x00B"' in echoed.text and "\x00" not in echoed.text
    assert stored(client) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"role": ""}, "role"),
        ({"company": "Acme\r\nBcc: x@example.org"}, "company"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "data:text/html,hi"}, "url"),
        ({"location": "L" * 1001}, "location"),
        ({"salary_min": "lots"}, "salary_min"),
        ({"salary_min": "9" * 14}, "salary_min"),
        ({"salary_min": "90000", "salary_max": "80000"}, "salary_max"),
        ({"salary_currency": "EUR\x07"}, "salary_currency"),
        ({"salary_unit": "per year!"}, "salary_unit"),
        ({"posted_on": "2026-02-30"}, "posted_on"),
        ({"valid_through": "9999-12-31"}, "valid_through"),
        ({"read": "yes"}, "read"),
    ],
)
def test_a_confirm_with_a_bad_value_stores_nothing_and_names_the_field(
    client: TestClient, change: dict[str, str], field: str
) -> None:
    good = {"role": "Engineer", "company": "Acme", "url": "https://jobs.example/1"}
    r = post(client, "/leads", {**good, **change})
    assert r.status_code == 422
    assert f'<p class="error" role="alert">{field}: ' in r.text
    assert 'action="/leads"' in r.text  # the form again, with what was typed
    assert stored(client) == []


# -- the guard -------------------------------------------------------------------------------------
def test_cross_site_posts_are_refused_and_fetch_nothing(client: TestClient, site: JobSite) -> None:
    good = {"role": "Engineer", "company": "Acme", "url": site.at("/jobs/42")}
    # no token: a form on another page cannot know it
    assert client.post("/leads", data=good, follow_redirects=False).status_code == 403
    assert client.post("/leads/new", data=good, follow_redirects=False).status_code == 403
    # the token, but sent from the job site's origin, or marked cross-site by the browser
    for headers in (
        {"Origin": site.url},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
    ):
        for path in ("/leads", "/leads/new", "/api/leads", "/api/leads/read"):
            r = client.post(
                path,
                data={**good, "csrf_token": client.cookies["afterview_csrf"]},
                headers={**headers, "X-CSRF-Token": client.cookies["afterview_csrf"]},
                follow_redirects=False,
            )
            assert r.status_code == 403, (path, headers)
    assert site.total_hits() == 0
    assert stored(client) == []


# -- the API twin -----------------------------------------------------------------------------------
def test_the_api_reads_then_keeps_a_lead(client: TestClient, site: JobSite) -> None:
    r = api(client, "POST", "/api/leads/read", {"url": site.at("/jobs/42")})
    assert r.status_code == 200, r.text
    found = r.json()
    assert found["found"] is True and found["notes"] == []
    (p,) = found["postings"]
    assert p["company"] == "Acme Analytics" and p["salary_max"] == 85000
    assert stored(client) == []
    body = {
        "role": p["title"],
        "company": p["company"],
        "url": p["url"],
        "location": p["location"],
        "salary_min": p["salary_min"],
        "posted_on": p["posted_on"],
        "read": True,
    }
    kept = api(client, "POST", "/api/leads", body)
    assert kept.status_code == 201 and kept.json()["result"] == "added"
    again = api(client, "POST", "/api/leads", body)
    assert again.json() == {**kept.json(), "result": "already tracked"}
    assert stored(client)[0]["source"] == "url"
    assert api(client, "POST", "/api/leads/read", {"url": "javascript:x"}).json()["field"] == "url"
    bad = api(client, "POST", "/api/leads", {**body, "salary_min": -1})
    assert bad.status_code == 422
    applied = api(client, "POST", f"/api/leads/{kept.json()['id']}/apply")
    assert applied.json() == {"id": kept.json()["id"], "applied_on": "2026-09-15"}


def test_the_schema_documents_the_leads_routes(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/leads"])
    assert (
        "post" in paths["/api/leads/read"] and "post" in paths["/api/leads/{application_id}/apply"]
    )
    assert not any(p.startswith("/leads") for p in paths)


def test_the_settings_page_offers_the_bookmarklet(client: TestClient) -> None:
    page = client.get("/settings", headers={"Host": "127.0.0.1:8765"}).text
    link = re.search(r'<a class="button bookmarklet" href="([^"]+)"', page)
    assert link is not None
    code = html.unescape(link.group(1))
    assert code.startswith("javascript:(function(){")
    assert '"http://127.0.0.1:8765/leads/new"' in code
    assert "encodeURIComponent(location.href)" in code and "fetch" not in code
    assert "%" not in code  # a bookmarklet is an address: a % would be decoded first
    assert "Drag this button to your browser's bookmarks bar" in page
    # a Host the guard lets through but that cannot be written in the code: no bookmarklet
    odd = client.get("/settings", headers={"Host": "127.0.0.1:80'+alert(1)+'"})
    assert odd.status_code == 200 and 'class="button bookmarklet"' not in odd.text
