"""The JobPosting parser on pages in the shapes job sites and career pages publish
(invented after the published markup: tests/sources/pages/README.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from afterview.sources.jobposting import read_page
from afterview.textcheck import has_control

PAGES = Path(__file__).parent / "pages"
EXPECTED = json.loads((PAGES / "EXPECTED.json").read_text(encoding="utf-8"))
FILES = sorted(k for k in EXPECTED if k.endswith(".html"))


@pytest.mark.parametrize("name", FILES)
def test_every_posting_of_the_page(name: str) -> None:
    postings, _page = read_page((PAGES / name).read_bytes())
    assert [p._asdict() for p in postings] == EXPECTED[name]


def test_a_page_without_postings_gives_its_title_and_address() -> None:
    postings, page = read_page((PAGES / "no_jsonld.html").read_bytes())
    assert postings == []
    want = EXPECTED["fallback"]["no_jsonld.html"]
    assert (page.title, page.url) == (want["title"], want["url"])


def test_a_broken_block_is_noted_and_the_rest_read() -> None:
    postings, page = read_page((PAGES / "malformed.html").read_bytes())
    assert len(postings) == 1
    assert len(page.problems) == 1 and "not valid JSON" in page.problems[0]


def test_the_shapes_are_all_there() -> None:
    assert len(FILES) >= 16
    assert sum(len(EXPECTED[f]) for f in FILES) >= 18


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "@type",
                    "@graph",
                    "@id",
                    "title",
                    "hiringOrganization",
                    "baseSalary",
                    "value",
                    "jobLocation",
                    "address",
                    "url",
                    "datePosted",
                    "itemListElement",
                    "item",
                    "name",
                ]
            ),
            inner,
            max_size=6,
        )
    ),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(doc=_json, junk=st.binary(max_size=200))
def test_any_json_ld_or_junk_never_breaks_the_parser(doc: object, junk: bytes) -> None:
    """Whatever a page holds, the parser returns postings with plain values, or none."""
    page = (
        b"<html><head><script type='application/ld+json'>"
        + json.dumps({"@type": "JobPosting", "title": "T", "x": doc}).encode()
        + b"</script><script type='application/ld+json'>"
        + json.dumps(doc).encode()
        + b"</script></head><body>"
        + junk
        + b"</body></html>"
    )
    postings, _page = read_page(page)
    assert postings and postings[0].title == "T"
    for p in postings:
        for text in (p.title, p.company, p.location, p.url, p.salary_currency, p.salary_unit):
            assert text is None or (text and not has_control(text) and "\n" not in text)
        assert p.url is None or p.url.startswith(("http://", "https://"))
        for amount in (p.salary_min, p.salary_max):
            assert amount is None or 0 <= amount <= 1e12
