"""Malformed files through every reader of outside files: invitations (`interview
import`), posting pages (`lead add`), job boards (`lead board`, from a real local HTTP
server) and tracker exports (`import-tracker`).

Each case is a real file (or answer): truncated, empty, binary garbage, huge, in the
wrong encoding, or carrying hostile strings (control characters, encoded line breaks,
direction overrides). Each must exit 2 with exactly one line on stderr, no traceback,
no control character in that line, and the database exactly as it was (`afterview
export` before and after, on a database holding the demo). Every case runs on SQLite;
one case of each reader also runs on PostgreSQL.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from afterview.textcheck import has_control
from tests.cli.helpers import Afterview

HERE = Path(__file__).parent
INVITES = HERE / "cal" / "invites"
PAGES = HERE / "sources" / "pages"
TRACKERS = HERE / "sources" / "trackers"
BOARDS = HERE / "sources" / "boards"
NOW = "2026-09-01T10:00"
GARBAGE = random.Random(15).randbytes(8192)


# -- the files ---------------------------------------------------------------------------------
def _ics(summary: str = "Backend Engineer interview - Brightwater", extra: str = "") -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
        "UID:m1@brightwater.example\r\nDTSTAMP:20260901T100000Z\r\n"
        "DTSTART;TZID=Europe/Paris:20260917T110000\r\nDURATION:PT45M\r\n"
        f"SUMMARY:{summary}\r\nORGANIZER;CN=Maya Chen:mailto:maya.chen@brightwater.example\r\n"
        f"{extra}END:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


def _page(title: str = "Data Engineer", company: str = "Larkspur Systems") -> bytes:
    import json

    doc = {"@context": "https://schema.org", "@type": "JobPosting", "title": title,
           "hiringOrganization": {"@type": "Organization", "name": company}}  # fmt: skip
    return (
        '<html><head><script type="application/ld+json">'
        + json.dumps(doc)
        + "</script></head><body></body></html>"
    ).encode()


def _board(title: str = "Data Engineer", company: str = "Umbrella Labs") -> bytes:
    import json

    job = {"id": 1, "title": title, "company_name": company, "location": {"name": "Remote"},
           "absolute_url": "https://job-boards.greenhouse.example/t/jobs/1"}  # fmt: skip
    return json.dumps({"jobs": [job, {**job, "id": 2}]}).encode()


def _csv(*rows: str) -> bytes:
    return (
        "Company,Position,Date Applied,Stage,Notes\n" + "".join(r + "\n" for r in rows)
    ).encode()


GOOGLE = (INVITES / "google_meet.ics").read_bytes()
GENERIC = (TRACKERS / "generic.csv").read_bytes()
GREENHOUSE = (BOARDS / "greenhouse_acme.json").read_bytes()
ENCODED = "=?utf-8?q?Engineer=0D=0ABcc:_victim@evil.example?="


@dataclass(frozen=True)
class Case:
    """One malformed file for one reader, and the start of the line it must give."""

    reader: str  # ics, page, board, csv
    name: str
    data: Callable[[], bytes]
    says: str  # "afterview: " + this starts the one line
    args: tuple[str, ...] = ()


CASES = [
    # invitations
    Case("ics", "empty", lambda: b"", "invitation: not a calendar file"),
    Case("ics", "truncated", lambda: GOOGLE[: len(GOOGLE) // 2], "invitation: the file is cut short"),
    Case("ics", "binary", lambda: GARBAGE, "invitation: not a calendar file"),
    Case("ics", "binary inside", lambda: b"BEGIN:VCALENDAR\r\n" + GARBAGE + b"\r\nEND:VCALENDAR",
         "invitation: "),
    Case("ics", "huge", lambda: _ics(extra="DESCRIPTION:" + "x" * 2_100_000 + "\r\n"),
         "invitation: larger than 2 MB"),
    Case("ics", "utf-16 without BOM", lambda: GOOGLE.decode().encode("utf-16-le"),
         "invitation: not a calendar file"),
    Case("ics", "raw ESC in the title", lambda: _ics("Backend\x1b[2J Engineer - Brightwater"),
         "invitation: line 10 holds a control character"),
    Case("ics", "encoded line break in the title", lambda: _ics(ENCODED), "SUMMARY: holds an encoded word"),
    Case("ics", "escaped line break in the title", lambda: _ics("Engineer\\nBcc: x@evil.example"),
         "SUMMARY: expected one line"),
    Case("ics", "override in a name", lambda: _ics(
        extra="ATTENDEE;CN=Ana \u202eZepol:mailto:ana@brightwater.example\r\n"),
        "ATTENDEE CN: text-direction override"),
    Case("ics", "RFC 6868 line break in a name", lambda: _ics(
        extra='ATTENDEE;CN="Ana^nBcc: x@evil.example":mailto:ana@brightwater.example\r\n'),
        "ATTENDEE CN: expected one line"),
    Case("ics", "year 9999", lambda: _ics().replace(b"20260917T110000", b"99990917T110000"),
         "DTSTART: expected a year from 1990 to 2100"),
    Case("ics", "huge SEQUENCE", lambda: _ics(extra="SEQUENCE:" + "9" * 40 + "\r\n"), "SEQUENCE: "),
    # posting pages
    Case("page", "empty", lambda: b"", "FILE: no job posting"),
    Case("page", "truncated", lambda: _page()[:60], "FILE: no job posting"),
    Case("page", "binary", lambda: GARBAGE, "FILE: no job posting"),
    Case("page", "huge", lambda: b"<html>" + b"x" * (5 * 1024 * 1024 + 10), "FILE: the page is over 5 MB"),
    Case("page", "utf-16 without BOM", lambda: _page().decode().encode("utf-16-le"),
         "FILE: no job posting"),
    Case("page", "control character in the title", lambda: _page("Data\x1b[2J Engineer"),
         "posting title: expected one line"),
    Case("page", "encoded line break in the company", lambda: _page(company=ENCODED),
         "posting hiringOrganization: holds an encoded word"),
    Case("page", "override in the title", lambda: _page("Data \u202ereenignE"),
         "posting title: text-direction override"),
    # job boards (served by a local HTTP server)
    Case("board", "empty", lambda: b"", "BOARD: greenhouse:t: the board did not answer with JSON"),
    Case("board", "truncated", lambda: GREENHOUSE[: len(GREENHOUSE) // 2], "BOARD: greenhouse:t: the board"),
    Case("board", "binary", lambda: GARBAGE, "BOARD: greenhouse:t: the board did not answer with JSON"),
    Case("board", "huge", lambda: b'{"jobs": [' + b" " * (2 * 1024 * 1024) + b"]}", "BOARD: the page is over 1 MB"),
    Case("board", "latin-1", lambda: _board("Ingénieur").decode().replace("\\u00e9", "é").encode("latin-1"),
         "BOARD: greenhouse:t: the board did not answer with JSON"),
    Case("board", "wrong shape", lambda: b'{"postings": []}', "BOARD: greenhouse:t: unexpected answer"),
    Case("board", "control character in every title", lambda: _board("Data\x07 Engineer"),
         "BOARD: no usable posting: greenhouse:t: jobs[0]: title: expected one line"),
    Case("board", "encoded line break in the company", lambda: _board(company=ENCODED),
         "BOARD: no usable posting: greenhouse:t: jobs[0]: company_name: holds an encoded word"),
    Case("board", "override in every title", lambda: _board("Data \u202ereenignE"),
         "BOARD: no usable posting: greenhouse:t: jobs[0]: title: text-direction override"),
    # tracker exports
    Case("csv", "empty", lambda: b"", "FILE: the file is empty"),
    Case("csv", "truncated", lambda: _csv('Acme,Engineer,2026-09-01,Applied,"a note cut sh'),
         "FILE: nothing to import: line 2: unclosed quote"),
    Case("csv", "binary", lambda: GARBAGE, "FILE: "),
    Case("csv", "huge", lambda: GENERIC * 40, "FILE: over 0 MB"),
    Case("csv", "wrong encoding", lambda: _csv("Café Crème,Barista,2026-09-02,Applied,").decode().encode("cp1252"),
         "FILE: nothing to import: line 2: not utf-8 text from here on", ("--encoding", "utf-8")),
    Case("csv", "utf-16 without BOM", lambda: GENERIC.decode().encode("utf-16-le"), "FILE: "),
    Case("csv", "control character", lambda: _csv("Acme\x1b[2J,Engineer,2026-09-01,Applied,"),
         "FILE: nothing to import: line 2: company: expected one line"),
    Case("csv", "encoded line break", lambda: _csv(f"Acme,{ENCODED},2026-09-01,Applied,"),
         "FILE: nothing to import: line 2: role: holds an encoded word"),
    Case("csv", "override", lambda: _csv("Ac\u202eme,Engineer,2026-09-01,Applied,"),
         "FILE: nothing to import: line 2: company: text-direction override"),
    Case("csv", "NUL in notes", lambda: _csv('Acme,Engineer,2026-09-01,Applied,"a\x00b"'),
         "FILE: nothing to import: line 2: notes: control characters"),
    Case("csv", "far date", lambda: _csv("Acme,Engineer,9999-12-31,Applied,"),
         "FILE: nothing to import: line 2: '9999-12-31' is not a plausible application date"),
]  # fmt: skip
#: one case of each reader, run on PostgreSQL too
SAMPLE = {("ics", "year 9999"), ("page", "encoded line break in the company"),
          ("board", "override in every title"), ("csv", "encoded line break")}  # fmt: skip


# -- the run -----------------------------------------------------------------------------------
class _Board(BaseHTTPRequestHandler):
    body: ClassVar[bytes] = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def board_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Board)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    monkeypatch.setenv("AFTERVIEW_BOARDS_BASE_URL", base)
    monkeypatch.setattr("afterview.sources.boards.MAX_BOARD", 1024 * 1024)
    monkeypatch.setattr("afterview.sources.fetch.time.sleep", lambda s: None)
    try:
        yield base
    finally:
        httpd.shutdown()


def _config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        'timezone = "Europe/Paris"\n[me]\nname = "Sam Rivera"\nemail = "sam@example.org"\n'
    )
    monkeypatch.setenv("AFTERVIEW_CONFIG", str(cfg))
    # a file of 40 copies of generic.csv is "huge" against a limit of 32 KB
    monkeypatch.setattr("afterview.services.tracker_import.MAX_FILE", 32 * 1024)


def _run(av: Afterview, case: Case, tmp_path: Path, board_server: str) -> None:
    av.ok("demo", now=NOW)
    before = av.ok("export", now=NOW).out
    data = case.data()
    if case.reader == "board":
        _Board.body = data
        r = av("lead", "board", "greenhouse:t", *case.args, now=NOW)
    else:
        f = tmp_path / f"file.{case.reader}"
        f.write_bytes(data)
        command = {
            "ics": ("interview", "import", str(f)),
            "page": ("lead", "add", str(f)),
            "csv": ("import-tracker", str(f), "--from", "generic"),
        }[case.reader]
        r = av(*command, *case.args, now=NOW)
    assert r.code == 2, (r.code, r.err, r.out)
    assert r.out == ""
    assert r.err.count("\n") == 1 and r.err.endswith("\n"), r.err
    assert r.err.startswith(f"afterview: {case.says}"), r.err
    assert "Traceback" not in r.err and not has_control(r.err[:-1]), r.err
    assert av.ok("export", now=NOW).out == before


@pytest.mark.parametrize("case", CASES, ids=[f"{c.reader}: {c.name}" for c in CASES])
def test_malformed_file_on_sqlite(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, board_server: str
) -> None:
    url = str(tmp_path / "afterview.db")
    monkeypatch.setenv("AFTERVIEW_DB", url)
    _config(tmp_path, monkeypatch)
    _run(Afterview(url), case, tmp_path, board_server)


PG_CASES = [c for c in CASES if (c.reader, c.name) in SAMPLE]


@pytest.mark.postgres
@pytest.mark.parametrize("case", PG_CASES, ids=[f"{c.reader}: {c.name}" for c in PG_CASES])
def test_malformed_file_on_postgresql(
    case: Case,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    board_server: str,
    postgres_server: object,
) -> None:
    schema = postgres_server.create_schema()  # type: ignore[attr-defined]
    url = postgres_server.url(schema)  # type: ignore[attr-defined]
    monkeypatch.setenv("AFTERVIEW_DB", url)
    _config(tmp_path, monkeypatch)
    try:
        _run(Afterview(url), case, tmp_path, board_server)
    finally:
        postgres_server.drop_schema(schema)  # type: ignore[attr-defined]


def test_the_table_covers_every_reader_and_kind() -> None:
    for reader in ("ics", "page", "board", "csv"):
        names = " ".join(c.name for c in CASES if c.reader == reader)
        for kind in ("empty", "truncated", "binary", "huge"):
            assert kind in names, (reader, kind)
        assert "utf-16" in names or "encoding" in names or "latin-1" in names, reader
        assert "override" in names and "encoded line break" in names, reader
        assert "control character" in names or "ESC" in names, reader
    assert {c.reader for c in PG_CASES} == {"ics", "page", "board", "csv"}
