"""The three ATS board clients against a real local HTTP server serving recorded-shape
answers (tests/sources/boards/README.md): mapping, paging, filters, errors."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest

from afterview.errors import BadInput
from afterview.sources import boards
from afterview.sources.boards import fetch_leads, matches, parse_board
from tests.cli.helpers import Afterview

HERE = Path(__file__).parent / "boards"
EXPECTED = json.loads((HERE / "EXPECTED.json").read_text(encoding="utf-8"))
KEYS = (
    "title",
    "company",
    "location",
    "remote",
    "url",
    "posted_on",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_unit",
)


class Board(BaseHTTPRequestHandler):
    """Serves the fixtures by path, as the README suggests; counts the requests."""

    requests: ClassVar[list[str]] = []
    override: ClassVar[dict[str, tuple[int, bytes]]] = {}

    def do_GET(self) -> None:
        self.requests.append(self.path)
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        status, body = 404, b'{"ok": false, "error": "Document not found"}'
        if url.path in self.override:
            status, body = self.override[url.path]
        elif url.path == "/v1/boards/acme/jobs":
            status, body = 200, (HERE / "greenhouse_acme.json").read_bytes()
        elif url.path == "/v0/postings/globex" and query.get("mode") == ["json"]:
            skip = int(query["skip"][0])
            page = {0: "lever_globex_page1.json", 3: "lever_globex_page2.json"}.get(skip)
            status, body = 200, (HERE / page).read_bytes() if page else b"[]"
        elif url.path == "/posting-api/job-board/initech":
            status, body = 200, (HERE / "ashby_initech.json").read_bytes()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Board)
    Board.requests, Board.override = [], {}
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    monkeypatch.setenv("AFTERVIEW_BOARDS_BASE_URL", base)
    monkeypatch.setattr(boards, "LEVER_PAGE", 3)  # the fixtures' page size
    monkeypatch.setattr("afterview.sources.fetch.time.sleep", lambda s: None)  # no waits
    try:
        yield base
    finally:
        httpd.shutdown()


@pytest.mark.parametrize("name", ["greenhouse/acme", "lever/globex", "ashby/initech"])
def test_each_board_maps_to_the_expected_leads(server: str, name: str) -> None:
    got = fetch_leads(parse_board(name.replace("/", ":")))
    assert [{k: p._asdict()[k] for k in KEYS} for p in got] == EXPECTED[name]


def test_lever_pages_until_a_short_page(server: str) -> None:
    fetch_leads(parse_board("lever:globex"))
    pages = [r for r in Board.requests if r.startswith("/v0/postings/globex")]
    assert len(pages) == 2 and "skip=0&limit=3" in pages[0] and "skip=3&limit=3" in pages[1]


def test_the_filters(server: str) -> None:
    leads = {n: fetch_leads(parse_board(n.replace("/", ":"))) for n in EXPECTED if "/" in n}
    for case in EXPECTED["filters"]:
        got = [
            {"board": n, "title": p.title, "location": p.location}
            for n, ps in leads.items()
            for p in ps
            if matches(p, case["match"], case["location"])
        ]
        assert got == case["expected"], case["note"]


@pytest.mark.parametrize(
    ("body", "status", "problem"),
    [
        ((HERE / "garbage.txt").read_bytes(), 200, "did not answer with JSON"),
        ((HERE / "wrong_shape.json").read_bytes(), 200, "unexpected answer"),
        (b"busy", 429, "answered 429"),
        (b"oops", 500, "answered 500"),
    ],
)
def test_bad_answers_are_one_clear_line(
    server: str, body: bytes, status: int, problem: str
) -> None:
    Board.override["/v1/boards/acme/jobs"] = (status, body)
    with pytest.raises(BadInput) as err:
        fetch_leads(parse_board("greenhouse:acme"))
    assert problem in str(err.value)
    if status >= 429:
        assert Board.requests.count("/v1/boards/acme/jobs?content=true") == 3  # retried


def test_unknown_board_and_bad_names(server: str) -> None:
    with pytest.raises(BadInput, match="answered 404"):
        fetch_leads(parse_board("ashby:nobody"))
    for bad in ("workday:acme", "greenhouse:", "lever:../x", "ashby:a b"):
        with pytest.raises(BadInput, match="BOARD"):
            parse_board(bad)


def test_lead_board_through_the_cli(server: str, av: Afterview) -> None:
    now = "2026-09-15T17:30"
    r = av.ok("lead", "board", "greenhouse:acme", "--match", "backend engineer", "--json", now=now)
    # the same title at the same company in another city has its own address: two postings
    assert [x["result"] for x in r.json()["leads"]] == ["added", "added"]
    again = av.ok("lead", "board", "greenhouse:acme", "--json", now=now).json()["leads"]
    assert [x["result"] for x in again].count("added") == 4 and len(again) == 6
    apps = av.ok("application", "list", "--json", now=now).json()
    assert len(apps) == 6 and {a["status"] for a in apps} == {"lead"}
    r = av("lead", "board", "lever:nobody", now=now)
    assert r.code == 2 and "answered 404" in r.err
    r = av("lead", "board", "monster:acme", now=now)
    assert r.code == 2 and r.err.startswith("afterview: BOARD: expected greenhouse:TOKEN")
    s = av.ok("stats", "--json", now=now).json()
    assert {row["name"]: row["leads"] for row in s["by_source"]} == {"greenhouse": 6}


def test_hostile_values_are_left_out_or_empty_with_a_note(server: str, av: Afterview) -> None:
    Board.override = {
        "/v1/boards/umbrella/jobs": (200, (HERE / "greenhouse_hostile.json").read_bytes())
    }
    now = "2026-09-15T17:30"
    r = av.ok("lead", "board", "greenhouse:umbrella", "--json", now=now).json()
    got = [(x["title"], x["location"], x["url"]) for x in r["leads"]]
    assert got == [
        (
            "Site Reliability Engineer",
            "Remote - Europe",
            "https://job-boards.greenhouse.example/umbrella/jobs/7001",
        ),
        ("QA Engineer", None, None),
    ]
    assert [n.split(": ", 2)[1:] for n in r["notes"]] == [
        ["jobs[1]", "title: expected one line: line breaks and control characters are refused; "
         "the posting was left out"],
        ["jobs[2]", "company_name: holds an encoded word (=?…?=) that decodes to a line break or "
         "control character; the posting was left out"],
        ["jobs[3]", "location: text-direction override characters are not accepted; left empty"],
        ["jobs[3]", "absolute_url: text-direction override characters are not accepted; "
         "left empty"],
    ]  # fmt: skip
    assert all(n.startswith("greenhouse:umbrella: ") for n in r["notes"])
