"""CSV exports of other job trackers (Huntr, Teal, applyr, or any CSV with a column
mapping), read into application rows with a problem list by line; nothing is guessed
silently.

The layouts and the rules: tests/sources/trackers/README.md. In short: the text as
`sources/csv_text.py` reads it (a BOM, UTF-8, else Windows-1252 with a warning; CR LF,
LF or CR alone; a `sep=` first line); `,` `;` or tab, whichever the header uses; headers
matched ignoring case, `_`, `-` and `.` (`DATE_APPLIED` is `Date Applied`); a date that
reads two ways (03/04/2026) is a problem unless `date_order` is given; an unknown stage
is a problem unless mapped; every cell passes `afterview.textcheck` (a name is one line,
notes are text) and its length limit; a bad row is reported by its line and the good
rows still come through.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterator
from typing import Any, BinaryIO, NamedTuple

from afterview.errors import BadInput
from afterview.sources import csv_text
from afterview.sources.tracker_dates import read_date
from afterview.textcheck import check_line, check_text, shown

__all__ = ["PROFILES", "STAGES", "Note", "Parsed", "Row", "read_date", "read_tracker",
           "stream_tracker"]  # fmt: skip

FIELDS = ("company", "role", "status", "applied_on", "url", "location", "notes")
#: the longest value of each field (more is a problem of that row)
LIMITS = {"company": 200, "role": 200, "status": 100, "url": 2000, "location": 300,
          "notes": 20000}  # fmt: skip
LEAD, APPLIED, BY_DATE = "lead", "applied", "by date"

PROFILES: dict[str, dict[str, tuple[str, ...]]] = {
    "huntr": {
        "company": ("companyName",),
        "role": ("title",),
        "status": ("listName",),
        "url": ("url",),
        "location": ("location",),
    },
    "teal": {
        "company": ("Company", "Company Name"),
        "role": ("Job Position", "Position", "Job Title"),
        "status": ("Status",),
        "applied_on": ("Date Applied",),
        "url": ("Job URL", "URL", "Link"),
        "location": ("Location",),
        "notes": ("Notes",),
    },
    # applyr (github.com/andersbjorklundjensen/applyr-app): the data.csv of its backup
    # archive, written by csv-writer from the job records; notes are not exported
    "applyr": {
        "company": ("COMPANY",),
        "role": ("POSITION_TITLE",),
        "status": ("CURRENT_STATUS",),
        "applied_on": ("DATE_APPLIED",),
        "url": ("LINK_TO_POSTING",),
        "location": ("LOCATION",),
    },
    "generic": {
        "company": ("Company", "Company Name", "Employer", "Organization"),
        "role": ("Position", "Role", "Title", "Job Title", "Job Position", "Position Title",
                 "Job"),
        "status": ("Stage", "Status", "State", "Current Status"),
        "applied_on": ("Date Applied", "Applied", "Applied On", "Application Date", "Date"),
        "url": ("Link", "URL", "Job URL", "Posting", "Job Link", "Link to Posting"),
        "location": ("City", "Location", "Place"),
        "notes": ("Notes", "Comments", "Comment"),
    },
}  # fmt: skip
_LEAD_WORDS = ("wishlist", "bookmarked", "applying", "saved", "interested", "to apply", "lead")
_APPLIED_WORDS = (
    "applied", "submitted", "screening", "phone screen", "interview", "interviewing", "offer",
    "negotiating", "accepted", "declined", "rejected", "not selected", "no response",
    "i withdrew", "withdrawn", "under review", "offer received",
)  # fmt: skip
STAGES: dict[str, dict[str, str]] = {
    "huntr": {"wishlist": LEAD, "applied": APPLIED, "interview": APPLIED, "offer": APPLIED,
              "rejected": APPLIED},
    "teal": {"bookmarked": LEAD, "applying": LEAD, "applied": APPLIED, "interviewing": APPLIED,
             "negotiating": APPLIED, "accepted": APPLIED, "i withdrew": APPLIED,
             "not selected": APPLIED, "no response": APPLIED, "archived": BY_DATE},
    "applyr": {"applied": APPLIED, "interviewing": APPLIED, "under review": APPLIED,
               "offer received": APPLIED, "rejected": APPLIED},
    "generic": {**dict.fromkeys(_LEAD_WORDS, LEAD), **dict.fromkeys(_APPLIED_WORDS, APPLIED),
                "archived": BY_DATE},
}  # fmt: skip
DEFAULT_ORDER = {"teal": "month-first"}
_SPACES = re.compile(r"\s+")
_HEADER_GAPS = re.compile(r"[\s_.-]+")


class Row(NamedTuple):
    """One application read from the file."""

    line: int
    company: str
    role: str
    status: str  # lead or applied
    source_status: str | None
    applied_on: str | None
    url: str | None
    location: str | None
    notes: str | None


class Note(NamedTuple):
    """A problem (the row is left out) or a warning (the row comes in), by line."""

    line: int | None
    text: str


class Parsed(NamedTuple):
    """What a file gives: rows, problems, warnings, and how it was read."""

    rows: list[Row]
    problems: list[Note]
    warnings: list[Note]
    encoding: str
    delimiter: str
    mapping: dict[str, str]


def _clean(value: str | None) -> tuple[str | None, bool]:
    """One line: trimmed, runs of white space (line breaks too) made one space; True when
    line breaks or runs of spaces were joined. `textcheck` then judges what is left."""
    if not value:
        return None, False
    stripped = value.strip()
    if stripped.isprintable() and "  " not in stripped:  # the usual cell: nothing to join
        return (stripped or None), False
    joined = _SPACES.sub(" ", stripped)
    return (joined or None), joined != stripped


def read_tracker(
    data: bytes,
    kind: str,
    *,
    columns: dict[str, str] | None = None,
    stages: dict[str, str] | None = None,
    date_order: str | None = None,
    encoding: str | None = None,
) -> Parsed:
    """Read a tracker's CSV export. `columns` maps our fields to headers (over the
    profile's), `stages` maps more stage names to `lead` or `applied`."""
    stream = stream_tracker(
        data, kind, columns=columns, stages=stages, date_order=date_order, encoding=encoding
    )
    rows = list(stream.rows)
    return Parsed(
        rows, stream.problems, stream.warnings, stream.encoding, stream.delimiter, stream.mapping
    )


class Stream(NamedTuple):
    """A file being read: `rows` yields as it goes; the notes fill in meanwhile (complete
    once `rows` is exhausted)."""

    rows: Iterator[Row]
    problems: list[Note]
    warnings: list[Note]
    encoding: str
    delimiter: str
    mapping: dict[str, str]


def stream_tracker(
    data: bytes | BinaryIO,
    kind: str,
    *,
    columns: dict[str, str] | None = None,
    stages: dict[str, str] | None = None,
    date_order: str | None = None,
    encoding: str | None = None,
) -> Stream:
    """`read_tracker` one row at a time, from bytes or a seekable binary file (read as it
    goes: memory stays flat however long the file)."""
    if kind not in PROFILES:
        raise BadInput("from", f"expected {', '.join(PROFILES)}, got {shown(kind)}")
    fh: BinaryIO = io.BytesIO(data) if isinstance(data, bytes) else data
    used, guessed = csv_text.detect_encoding(fh, encoding)
    warnings = [Note(None, guessed)] if guessed else []
    order = date_order or DEFAULT_ORDER.get(kind)
    stage_map = {**STAGES[kind], **{k.strip().lower(): v for k, v in (stages or {}).items()}}
    text = csv_text.lines(fh, used, strict=encoding is not None)
    try:
        top = csv_text.head(text)
    except UnicodeError:  # UTF-16 without its BOM raises the base class
        raise BadInput("encoding", f"line 1 is not {used} text") from None
    csv_text.raise_cell_limit()
    reader = csv.reader(itertools.chain([top.header], text), delimiter=top.delimiter,
                        strict=True)  # fmt: skip
    problems: list[Note] = []
    try:
        header = [h.strip().lstrip("\ufeff").strip() for h in next(reader)]
    except csv.Error as exc:
        raise BadInput("FILE", f"line {top.line}: not a CSV header ({exc})") from None
    except UnicodeError:
        raise BadInput("encoding", f"line {top.line} is not {used} text") from None
    mapping = _mapping(header, kind, columns)
    for need in ("company", "role"):
        if need not in mapping:
            names = (columns or {}).get(need) or ", ".join(PROFILES[kind][need])
            hint = f"; name it with --column {need}=HEADER" if kind == "generic" else ""
            problems.append(Note(top.line, f"no {need} column (looked for {names}){hint}"))
    if problems:
        return Stream(iter(()), problems, warnings, used, top.delimiter, mapping)
    rows = _records(reader, header, mapping, stage_map, order, kind, problems, warnings, top.line)
    return Stream(rows, problems, warnings, used, top.delimiter, mapping)


def _csv_problem(exc: csv.Error) -> tuple[str, bool]:
    """What a `csv.Error` means for the user, and whether the rest can still be read."""
    text = str(exc)
    if "field larger than field limit" in text:
        limit = csv_text.MAX_CELL // (1024 * 1024)
        return f"a cell over {limit} MB; the rest of the file could not be read", False
    if "unexpected end of data" in text or "EOF" in text:
        return "unclosed quote; the rest of the file could not be read", False
    if "NUL" in text:
        return "holds a NUL character (is this really a CSV file?)", True
    return f"malformed quoting ({text})", True


def _records(
    reader: Any, header: list[str], mapping: dict[str, str], stage_map: dict[str, str],
    order: str | None, kind: str, problems: list[Note], warnings: list[Note], header_line: int,
) -> Iterator[Row]:  # fmt: skip
    where = {field: header.index(name) for field, name in mapping.items()}
    readings: dict[str, int] = {}
    undated = 0
    offset = header_line - 1  # lines before the header (a sep= line) that csv did not see
    last_line = header_line
    while True:
        start = last_line + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            what, go_on = _csv_problem(exc)
            problems.append(Note(start, what))
            if not go_on:
                break
            last_line = reader.line_num + offset
            continue
        except UnicodeError as exc:
            used = getattr(exc, "encoding", "") or "that encoding's"
            problems.append(Note(start, f"not {used} text from here on; try --encoding"))
            break
        last_line = reader.line_num + offset
        if not any(v.strip() for v in record):
            continue
        if len(record) != len(header):
            problems.append(Note(start, f"{len(record)} fields, the header has {len(header)}"))
            continue
        row, problem, notes, reading = _row(record, where, start, stage_map, order)
        warnings += notes
        if reading:
            readings.setdefault(reading, start)
        if problem:
            problems.append(Note(start, problem))
        elif row is not None:
            undated += row.status == APPLIED and row.applied_on is None
            yield row
    if len(readings) == 2:
        warnings.append(
            Note(
                None,
                f"dates are day-first on line {readings['day-first']} and month-first on "
                f"line {readings['month-first']}",
            )
        )
    if kind == "huntr" and undated:
        warnings.append(
            Note(
                None,
                f"a Huntr jobs export has no application date: {undated} applied rows "
                "imported without applied_on",
            )
        )


def header_key(name: str) -> str:
    """A header as matched: case, `_`, `-`, `.` and runs of spaces ignored."""
    return _HEADER_GAPS.sub(" ", name).strip().lower()


def _mapping(header: list[str], kind: str, columns: dict[str, str] | None) -> dict[str, str]:
    keyed: dict[str, str] = {}
    for h in header:
        keyed.setdefault(header_key(h), h)
    out: dict[str, str] = {}
    for field, names in PROFILES[kind].items():
        for name in names:
            if header_key(name) in keyed:
                out[field] = keyed[header_key(name)]
                break
    for field, name in (columns or {}).items():
        if field not in FIELDS:
            raise BadInput("column", f"unknown field {shown(field)}; known: {', '.join(FIELDS)}")
        if header_key(name) not in keyed:
            raise BadInput("column", f"the file has no column {shown(name)}")
        out[field] = keyed[header_key(name)]
    return out


def _checked(value: str | None, field: str) -> str | None:
    """A cell through textcheck: a line, or (notes) a text; `BadInput` names the field."""
    if value is None:
        return None
    # The usual cell, in a file of 50,000 rows: printable (no control, line break,
    # override or lone surrogate: all non-printable) and no encoded word: check_line
    # would only strip it and measure it.
    if value.isprintable() and "=?" not in value and len(value.strip()) <= LIMITS[field]:
        return value.strip() or None
    if field == "notes":
        return check_text(value, field, limit=LIMITS[field], empty=True) or None
    return check_line(value, field, limit=LIMITS[field], empty=True) or None


def _row(
    record: list[str], where: dict[str, int], line: int, stage_map: dict[str, str],
    order: str | None,
) -> tuple[Row | None, str | None, list[Note], str | None]:  # fmt: skip
    get = {f: record[i] for f, i in where.items()}
    notes: list[Note] = []
    company, changed = _clean(get.get("company"))
    if changed:
        notes.append(Note(line, "company had a line break or extra spaces; joined with one space"))
    role, _ = _clean(get.get("role"))
    raw_stage = " ".join((get.get("status") or "").split())
    url, _ = _clean(get.get("url"))
    location, _ = _clean(get.get("location"))
    notes_raw = (get.get("notes") or "").strip() or None
    try:
        company = _checked(company, "company")
        role = _checked(role, "role")
        raw_stage = _checked(raw_stage, "status") or ""
        url = _checked(url, "url")
        location = _checked(location, "location")
        notes_text = _checked(notes_raw, "notes")
    except BadInput as exc:
        return None, str(exc), [], None
    if not company:
        return None, "missing company", [], None
    if not role:
        return None, "missing role", [], None
    applied_on, problem, reading = read_date(get.get("applied_on") or "", order)
    if problem:
        return None, problem, [], None
    stage = stage_map.get(raw_stage.lower(), BY_DATE if not raw_stage else "")
    if not stage:
        return None, f"unknown stage {shown(raw_stage)}; map it with --status", [], None
    if stage == BY_DATE:
        stage = APPLIED if applied_on else LEAD
    if stage == APPLIED and applied_on is None and "applied_on" in where:
        notes.append(Note(line, "stage means applied but the date is empty"))
    if url and not url.lower().startswith(("https://", "http://")):
        notes.append(Note(line, f"link {shown(url)} is not a web address; url left empty"))
        url = None
    row = Row(
        line, company, role, stage, raw_stage or None, applied_on, url, location, notes_text,
    )  # fmt: skip
    return row, None, notes, reading
