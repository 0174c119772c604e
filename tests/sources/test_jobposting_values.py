"""Job pages that used to fail, and the values that come out of any page: raw line breaks
in JSON-LD strings, hostile titles and companies, far dates and huge salaries
(tests/sources/pages/README.md)."""

from __future__ import annotations

from pathlib import Path

from afterview.sources.jobposting import read_page
from tests.cli.helpers import Afterview

PAGES = Path(__file__).parent / "pages"
NOW = "2026-09-15T17:30"


def test_raw_line_breaks_in_json_ld_strings_are_read() -> None:
    [posting], page = read_page((PAGES / "raw_newlines.html").read_bytes())
    assert (posting.title, posting.company) == (
        "Warehouse Operations Lead (Nights)",
        "Pinecrest Supply",
    )
    assert page.problems == ()


def test_a_hostile_posting_is_left_out_with_its_place() -> None:
    [posting], page = read_page((PAGES / "hostile_listing.html").read_bytes())
    assert posting.url == "https://jobs.larkspur.example/1"
    assert [(x.field, x.where) for x in page.left_out] == [
        ("title", "JSON-LD block 1, $.itemListElement[1].item"),
        ("hiringOrganization", "JSON-LD block 1, $.itemListElement[2].item"),
    ]
    assert page.problems[0].startswith("JSON-LD block 1, $.itemListElement[1].item: title: ")
    assert page.problems[0].endswith("; the posting was left out")


def test_far_dates_and_huge_salaries_are_left_empty_with_a_note(av: Afterview) -> None:
    r = av.ok("lead", "add", str(PAGES / "far_values.html"), "--json", now=NOW).json()
    [lead] = r["leads"]
    assert (lead["posted_on"], lead["valid_through"]) == (None, None)
    assert (lead["salary_min"], lead["salary_max"]) == (23000, None)
    assert r["notes"] == [
        "JSON-LD block 1, $: maxValue '1e+40' is not a salary; left empty",
        "JSON-LD block 1, $: datePosted 0001-01-01 is outside 1990-2100; left empty",
        "JSON-LD block 1, $: validThrough 9999-12-31 is outside 1990-2100; left empty",
    ]
    assert av.ok("export", now=NOW).json()["applications"][0]["lead"]["valid_through"] is None


def test_a_page_whose_only_posting_is_hostile_is_refused(av: Afterview) -> None:
    av.ok("application", "add", "--company", "Keep", "--role", "Me", now=NOW)
    before = av.ok("export", now=NOW).out
    r = av("lead", "add", str(PAGES / "hostile_only.html"), now=NOW)
    assert r.code == 2 and r.out == "" and r.err.count("\n") == 1
    assert r.err.startswith("afterview: posting title: holds an encoded word")
    assert r.err.rstrip().endswith("(JSON-LD block 1, $)")
    assert av.ok("export", now=NOW).out == before


def test_the_listing_adds_the_good_posting_and_says_what_was_left_out(av: Afterview) -> None:
    r = av.ok("lead", "add", str(PAGES / "hostile_listing.html"), now=NOW)
    assert r.out.count("added:") == 1
    assert r.err.count("the posting was left out") == 2
    assert "\u202e" not in r.err and "\r" not in r.err
