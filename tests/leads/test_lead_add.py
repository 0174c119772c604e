"""`afterview lead add` and `application apply` through the real CLI and database, with
pages from files and from a real local HTTP server (nothing reaches the internet)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from tests.cli.helpers import Afterview

NOW = "2026-09-15T17:30"


def page(*blocks: object, head: str = "") -> str:
    scripts = "".join(
        '<script type="application/ld+json">'
        + (b if isinstance(b, str) else json.dumps(b).replace("</", "<\\/"))
        + "</script>"
        for b in blocks
    )
    return f"<!doctype html><html><head>{head}{scripts}</head><body><h1>Job</h1></body></html>"


POSTING = {
    "@context": "https://schema.org",
    "@type": "JobPosting",
    "title": "Senior Data Engineer",
    "hiringOrganization": {"@type": "Organization", "name": "Acme Analytics"},
    "jobLocation": {
        "@type": "Place",
        "address": {"@type": "PostalAddress", "addressLocality": "Berlin", "addressCountry": "DE"},
    },
    "baseSalary": {
        "@type": "MonetaryAmount",
        "currency": "EUR",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 70000,
            "maxValue": 85000,
            "unitText": "YEAR",
        },
    },
    "datePosted": "2026-09-01T08:00:00+02:00",
    "validThrough": "2026-10-31",
    "url": "https://jobs.acme.example/postings/42",
}


def write(tmp_path: Path, name: str, text: str) -> str:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return str(f)


def test_a_posting_becomes_a_lead_with_its_details(av: Afterview, tmp_path: Path) -> None:
    f = write(tmp_path, "p.html", page(POSTING))
    r = av.ok("lead", "add", f, "--json", now=NOW).json()
    assert r["notes"] == []
    (lead,) = r["leads"]
    assert lead["result"] == "added" and lead["company"] == "Acme Analytics"
    assert lead["location"] == "Berlin, DE" and lead["salary_min"] == 70000.0
    assert lead["posted_on"] == "2026-09-01" and lead["valid_through"] == "2026-10-31"
    apps = av.ok("application", "list", "--json", now=NOW).json()
    assert [(a["company"], a["role"], a["status"], a["url"]) for a in apps] == [
        ("Acme Analytics", "Senior Data Engineer", "lead", "https://jobs.acme.example/postings/42")
    ]
    # the same posting again is not added twice
    again = av.ok("lead", "add", f, "--json", now=NOW).json()
    assert again["leads"][0]["result"] == "already tracked"
    assert len(av.ok("application", "list", "--json", now=NOW).json()) == 1
    # and the details travel with an export
    doc = json.loads(av.ok("export", now=NOW).out)
    assert doc["applications"][0]["lead"]["salary_unit"] == "YEAR"


def test_apply_turns_a_lead_into_an_application_of_that_week(av: Afterview, tmp_path: Path) -> None:
    av.ok("lead", "add", write(tmp_path, "p.html", page(POSTING)), now=NOW)
    r = av.ok("application", "apply", "1", "--on", "2026-09-14", "--json", now=NOW).json()
    assert r == {"id": 1, "applied_on": "2026-09-14"}
    apps = av.ok("application", "list", "--json", now=NOW).json()
    assert apps[0]["status"] == "applied" and apps[0]["applied_on"] == "2026-09-14"
    bad = av("application", "apply", "99", now=NOW)
    assert bad.code == 1 and "no such application" in bad.err
    bad = av("application", "apply", "1", "--on", "soon", now=NOW)
    assert bad.code == 2 and bad.err.startswith("afterview: --on:")


def test_graph_arrays_and_several_postings(av: Afterview, tmp_path: Path) -> None:
    second = {**POSTING, "title": "Analytics Engineer", "url": "https://jobs.acme.example/p/43"}
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage"},
            {
                **second,
                "title": "Platform &amp;amp; Data Lead",
                "url": "https://jobs.acme.example/p/44",
            },
        ],
    }
    text = page([POSTING, second], "{ broken, }", graph)
    r = av.ok("lead", "add", write(tmp_path, "m.html", text), "--json", now=NOW).json()
    assert [x["title"] for x in r["leads"]] == [
        "Senior Data Engineer",
        "Analytics Engineer",
        "Platform & Data Lead",
    ]
    assert len(r["notes"]) == 1 and "not valid JSON" in r["notes"][0]


def test_a_page_without_posting_data_falls_back_with_a_note(av: Afterview, tmp_path: Path) -> None:
    head = (
        "<title>Backend Developer - Globex careers</title>"
        '<link rel="canonical" href="https://careers.globex.example/jobs/7">'
    )
    f = write(tmp_path, "plain.html", page(head=head))
    r = av("lead", "add", f, now=NOW)
    assert r.code == 0 and "note: no job posting data" in r.err
    apps = av.ok("application", "list", "--json", now=NOW).json()
    assert apps[0]["role"] == "Backend Developer - Globex careers"
    assert apps[0]["company"] == "careers.globex.example"
    bare = write(tmp_path, "bare.html", "<html><body>nothing</body></html>")
    r = av("lead", "add", bare, now=NOW)
    assert r.code == 2 and "--company and --title" in r.err
    r = av.ok("lead", "add", bare, "--company", "Initech", "--title", "Tester", now=NOW)
    assert "added: Initech · Tester" in r.out


def test_hostile_and_huge_pages_are_refused_or_made_inert(av: Afterview, tmp_path: Path) -> None:
    bell = {**POSTING, "title": "Engineer\u0007"}  # a control character: refused, not dropped
    r = av("lead", "add", write(tmp_path, "b.html", page(bell)), now=NOW)
    assert r.code == 2 and r.err.count("\n") == 1
    assert (
        r.err.startswith("afterview: posting title: expected one line")
        and "(JSON-LD block 1, $)" in r.err
    )
    hostile = {
        **POSTING,
        "title": "<script>alert(1)</script>Engineer",
        "url": "javascript:alert(1)",
    }
    r = av.ok("lead", "add", write(tmp_path, "h.html", page(hostile)), "--json", now=NOW).json()
    (lead,) = r["leads"]
    assert "<" not in lead["title"]
    assert lead["title"].endswith("Engineer") and lead["url"] is None
    big = tmp_path / "big.html"
    big.write_bytes(b"<html>" + b"x" * (6 * 1024 * 1024))
    r = av("lead", "add", str(big), now=NOW)
    assert r.code == 2 and "over 5 MB" in r.err
    r = av("lead", "add", str(tmp_path / "missing.html"), now=NOW)
    assert r.code == 2 and r.err.startswith("afterview: FILE: cannot read")
    assert len(av.ok("application", "list", "--json", now=NOW).json()) == 1  # the inert one


class _Site(BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, tuple[int, bytes]]] = {}
    hits: ClassVar[dict[str, int]] = {}

    def do_GET(self) -> None:
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
        status, body = self.pages.get(self.path, (404, b"not found"))
        if self.path == "/flaky" and self.hits[self.path] == 1:
            status, body = 503, b"busy"
        self.send_response(status)
        self.send_header("content-type", "text/html; charset=utf-8")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    _Site.hits = {}
    no_url = {k: v for k, v in POSTING.items() if k != "url"}
    _Site.pages = {
        "/job": (200, page(POSTING).encode()),
        "/flaky": (200, page({**no_url, "title": "Flaky Engineer"}).encode()),
    }
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def test_a_lead_from_an_address(av: Afterview, site: str) -> None:
    r = av.ok("lead", "add", f"{site}/job", "--json", now=NOW).json()
    assert r["leads"][0]["title"] == "Senior Data Engineer"
    # a 503 is tried again; the page's own address is kept when the posting has none
    r = av.ok("lead", "add", f"{site}/flaky", "--json", now=NOW).json()
    assert r["leads"][0]["url"] == f"{site}/flaky"
    r = av("lead", "add", f"{site}/gone", now=NOW)
    assert r.code == 2 and "answered 404" in r.err
    r = av("lead", "add", "http://127.0.0.1:9/nothing", now=NOW)
    assert r.code == 2 and "cannot connect" in r.err


def test_review_cases_deep_json_ld_and_odd_sources(av: Afterview, tmp_path: Path) -> None:
    deep = write(tmp_path, "deep.html", page("[" * 1000 + "]" * 1000, POSTING))
    r = av.ok("lead", "add", deep, "--json", now=NOW).json()
    assert r["notes"] == ["JSON-LD block 1 is nested too deeply"] and len(r["leads"]) == 1
    r = av("lead", "add", str(tmp_path), now=NOW)
    assert r.code == 2 and ("cannot read" in r.err or "not a regular file" in r.err)
    odd = {
        **POSTING,
        "datePosted": "2026-13-45",
        "baseSalary": {"value": 1e999, "currency": "EUR"},
        "url": "https://jobs.acme.example/postings/99",
    }
    r = av.ok("lead", "add", write(tmp_path, "odd.html", page(odd).replace("Infinity", "1e999")),
              "--json", now=NOW).json()  # fmt: skip
    assert r["leads"][0]["posted_on"] is None and r["leads"][0]["salary_min"] is None
    # --company fills only a posting that names none
    nameless = {k: v for k, v in POSTING.items() if k != "hiringOrganization"}
    two = write(
        tmp_path,
        "two.html",
        page(
            [{**POSTING, "url": "https://a.example/1"}, {**nameless, "url": "https://a.example/2"}]
        ),
    )
    r = av("lead", "add", two, now=NOW)
    assert r.code == 2 and "posting 2 names no company" in r.err
    r = av.ok("lead", "add", two, "--company", "Other", "--json", now=NOW).json()
    assert [x["company"] for x in r["leads"]] == ["Acme Analytics", "Other"]
    assert av("application", "apply", "1", "--on", "9999-12-31", now=NOW).code == 2
