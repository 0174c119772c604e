"""CSV exports of other job trackers (Huntr, Teal, or any CSV with a column mapping),
read into application rows with a problem list by line; nothing is guessed silently.

The layouts and the rules: tests/sources/trackers/README.md. In short: UTF-8 (with or
without BOM), else Windows-1252 with a warning; `,` `;` or tab, whichever the header
uses; a date that reads two ways (03/04/2026) is a problem unless `date_order` is
given; an unknown stage is a problem unless mapped; a bad row is reported by its line
and the good rows still come through.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from typing import Any, BinaryIO, NamedTuple

from afterview.errors import BadInput

FIELDS = ("company", "role", "status", "applied_on", "url", "location", "notes")
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
    "generic": {
        "company": ("Company", "Company Name", "Employer", "Organization"),
        "role": ("Position", "Role", "Title", "Job Title", "Job Position", "Job"),
        "status": ("Stage", "Status", "State"),
        "applied_on": ("Date Applied", "Applied", "Applied On", "Application Date", "Date"),
        "url": ("Link", "URL", "Job URL", "Posting", "Job Link"),
        "location": ("City", "Location", "Place"),
        "notes": ("Notes", "Comments", "Comment"),
    },
}
_LEAD_WORDS = ("wishlist", "bookmarked", "applying", "saved", "interested", "to apply", "lead")
_APPLIED_WORDS = (
    "applied", "submitted", "screening", "phone screen", "interview", "interviewing", "offer",
    "negotiating", "accepted", "declined", "rejected", "not selected", "no response",
    "i withdrew", "withdrawn",
)  # fmt: skip
STAGES: dict[str, dict[str, str]] = {
    "huntr": {"wishlist": LEAD, "applied": APPLIED, "interview": APPLIED, "offer": APPLIED,
              "rejected": APPLIED},
    "teal": {"bookmarked": LEAD, "applying": LEAD, "applied": APPLIED, "interviewing": APPLIED,
             "negotiating": APPLIED, "accepted": APPLIED, "i withdrew": APPLIED,
             "not selected": APPLIED, "no response": APPLIED, "archived": BY_DATE},
    "generic": {**dict.fromkeys(_LEAD_WORDS, LEAD), **dict.fromkeys(_APPLIED_WORDS, APPLIED),
                "archived": BY_DATE},
}  # fmt: skip
DEFAULT_ORDER = {"teal": "month-first"}
_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}  # fmt: skip
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_DOTS = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_WORDS1 = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$")  # Sep 15, 2026
_WORDS2 = re.compile(r"^(\d{1,2}) ([A-Za-z]{3,9})\.?,? (\d{4})$")  # 15 Sep 2026
_SPACES = re.compile(r"\s+")


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


def detect_encoding(fh: BinaryIO, encoding: str | None) -> tuple[str, list[Note]]:
    """The encoding to read the file with, and a warning when it is not UTF-8. The file
    is checked in chunks (nothing kept), then rewound."""
    import codecs

    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise BadInput("--encoding", f"unknown encoding {encoding!r}") from None
        return encoding, []
    fh.seek(0)
    if fh.read(3) == codecs.BOM_UTF8:
        fh.seek(0)
        return "utf-8-sig", []
    fh.seek(0)
    check = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := fh.read(1 << 20):
            check.decode(chunk)
        check.decode(b"", final=True)
    except UnicodeDecodeError:
        fh.seek(0)
        return "cp1252", [Note(None, "not UTF-8; read as Windows-1252 (choose with --encoding)")]
    fh.seek(0)
    return "utf-8", []


def _lines(fh: BinaryIO, encoding: str, strict: bool) -> Iterator[str]:
    """The file's lines, decoded one by one (a line that does not decode stops there)."""
    import codecs

    fh.seek(0)
    if codecs.lookup(encoding).name.startswith(("utf-16", "utf-32")):  # "\n" is not one byte
        yield from io.TextIOWrapper(fh, encoding=encoding, newline="")
        return
    errors = "strict" if strict else "replace"
    if encoding == "utf-8-sig":
        if fh.read(3) != codecs.BOM_UTF8:
            fh.seek(0)
        encoding = "utf-8"
    for raw in fh:
        yield raw.decode(encoding, errors)


def _delimiter(fh: BinaryIO, encoding: str) -> str:
    fh.seek(0)
    header = fh.readline().decode(encoding, errors="replace")
    fh.seek(0)
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def read_date(text: str, order: str | None) -> tuple[str | None, str | None, str | None]:
    """`(YYYY-MM-DD, problem, reading)`: reading is "day-first" or "month-first" when
    the value told (a number above 12), for the file-wide warning."""
    value = text.strip()
    if not value:
        return None, None, None
    m = _ISO.match(value)
    if m:
        return _day(int(m[1]), int(m[2]), int(m[3]), value)
    m = _DOTS.match(value)
    if m:
        return _day(int(m[3]), int(m[2]), int(m[1]), value)
    m = _WORDS1.match(value) or _WORDS2.match(value)
    if m:
        word, day = (m[1], m[2]) if m.re is _WORDS1 else (m[2], m[1])
        month = _MONTHS.get(word[:3].lower())
        if month is None:
            return None, f"{value!r} is not a date", None
        return _day(int(m[3]), month, int(day), value)
    m = _SLASH.match(value)
    if not m:
        return None, f"{value!r} is not a date", None
    a, b, year = int(m[1]), int(m[2]), int(m[3])
    if order == "day-first":
        return _day(year, b, a, value)
    if order == "month-first":
        return _day(year, a, b, value)
    if a == b:
        return _day(year, a, b, value)
    if a > 12 and b <= 12:
        d, problem, _ = _day(year, b, a, value)
        return d, problem, "day-first"
    if b > 12 and a <= 12:
        d, problem, _ = _day(year, a, b, value)
        return d, problem, "month-first"
    if a > 12 and b > 12:
        return None, f"{value!r} is not a date", None
    return None, f"{value!r} reads as two dates; pick --day-first or --month-first", None


def _day(y: int, m: int, d: int, value: str) -> tuple[str | None, str | None, None]:
    try:
        day = date(y, m, d)
    except ValueError:
        return None, f"{value[:40]!r} is not a date", None
    if not 1990 <= day.year <= 2100:
        return None, f"{value[:40]!r} is not a plausible application date", None
    return day.isoformat(), None, None


def _clean(value: str | None, limit: int = 200) -> tuple[str | None, bool]:
    """One line of printable text, cut at `limit`; True when line breaks or runs of
    spaces were joined."""
    if not value:
        return None, False
    stripped = value.strip()
    if stripped.isprintable() and "  " not in stripped:  # the usual cell: nothing to do
        return (stripped[:limit] or None), False
    joined = _SPACES.sub(" ", stripped)
    changed = joined != stripped
    if not joined.isprintable():
        joined = "".join(c for c in joined if c.isprintable())
    return (joined[:limit] or None), changed


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
        raise BadInput("--from", f"expected huntr, teal or generic, got {kind!r}")
    fh: BinaryIO = io.BytesIO(data) if isinstance(data, bytes) else data
    used, warnings = detect_encoding(fh, encoding)
    delimiter = _delimiter(fh, used)
    order = date_order or DEFAULT_ORDER.get(kind)
    stage_map = {**STAGES[kind], **{k.strip().lower(): v for k, v in (stages or {}).items()}}
    reader = csv.reader(_lines(fh, used, strict=encoding is not None), delimiter=delimiter,
                        strict=True)  # fmt: skip
    problems: list[Note] = []
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise BadInput("FILE", "the file is empty") from None
    except csv.Error as exc:
        raise BadInput("FILE", f"line 1: not a CSV header ({exc})") from None
    except UnicodeDecodeError:
        raise BadInput("--encoding", f"line 1 is not {used} text") from None
    mapping = _mapping(header, kind, columns)
    for need in ("company", "role"):
        if need not in mapping:
            names = (columns or {}).get(need) or PROFILES[kind][need][0]
            problems.append(Note(1, f"no {need} column ({names!r})"))
    if problems:
        return Stream(iter(()), problems, warnings, used, delimiter, mapping)
    rows = _records(reader, header, mapping, stage_map, order, kind, problems, warnings)
    return Stream(rows, problems, warnings, used, delimiter, mapping)


def _records(
    reader: Any, header: list[str], mapping: dict[str, str], stage_map: dict[str, str],
    order: str | None, kind: str, problems: list[Note], warnings: list[Note],
) -> Iterator[Row]:  # fmt: skip
    where = {field: header.index(name) for field, name in mapping.items()}
    readings: dict[str, int] = {}
    undated = 0
    last_line = 1
    while True:
        start = last_line + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error:
            problems.append(Note(start, "unclosed quote; the rest of the file could not be read"))
            break
        except UnicodeDecodeError as exc:
            problems.append(Note(start, f"not {exc.encoding} text from here on; try --encoding"))
            break
        last_line = reader.line_num
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


def _mapping(header: list[str], kind: str, columns: dict[str, str] | None) -> dict[str, str]:
    lowered = {h.lower(): h for h in header}
    out: dict[str, str] = {}
    for field, names in PROFILES[kind].items():
        for name in names:
            if name.lower() in lowered:
                out[field] = lowered[name.lower()]
                break
    for field, name in (columns or {}).items():
        if field not in FIELDS:
            raise BadInput("--column", f"unknown field {field!r}; known: {', '.join(FIELDS)}")
        if name.lower() not in lowered:
            raise BadInput("--column", f"the file has no column {name!r}")
        out[field] = lowered[name.lower()]
    return out


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
    if not company:
        return None, "missing company", [], None
    if not role:
        return None, "missing role", [], None
    applied_on, problem, reading = read_date(get.get("applied_on") or "", order)
    if problem:
        return None, problem, [], None
    raw_stage = (get.get("status") or "").strip()
    stage = stage_map.get(raw_stage.lower(), BY_DATE if not raw_stage else "")
    if not stage:
        return None, f"unknown stage {raw_stage[:60]!r}; map it with --status", [], None
    if stage == BY_DATE:
        stage = APPLIED if applied_on else LEAD
    if stage == APPLIED and applied_on is None and "applied_on" in where:
        notes.append(Note(line, "stage means applied but the date is empty"))
    url, _ = _clean(get.get("url"), 2000)
    if url and not url.lower().startswith(("https://", "http://")):
        notes.append(Note(line, f"link {url!r} is not a web address; url left empty"))
        url = None
    location, _ = _clean(get.get("location"), 300)
    notes_raw = get.get("notes") or ""
    if not notes_raw.isprintable():
        notes_raw = "".join(c for c in notes_raw if c.isprintable() or c in "\n\t")
    notes_text = notes_raw.strip()[:20000] or None
    row = Row(
        line, company[:200], role[:200], stage, raw_stage or None, applied_on,
        url, location, notes_text,
    )  # fmt: skip
    return row, None, notes, reading
