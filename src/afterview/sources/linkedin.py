"""Read LinkedIn's data export ("Get a copy of your data"): the zip, or its folder of CSVs.

Tolerant of what real exports do: a byte-order mark, header names that vary in
case and wording between export generations, files that are missing, file names
with a `_<id>` suffix or inside a dated folder, a "Notes:" preamble before the
header, month-year dates ("Jan 2020") next to bare years, an empty end date for
the current job. Problems that lose nothing important become notes; a file that
cannot be an export is refused with one line (field `linkedin`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from afterview.core.profile import Certificate, Education, Month, Position, ProfileDoc
from afterview.errors import BadInput
from afterview.sources.safe_zip import MB, read_members

FIELD = "linkedin"

#: The export's files this reader uses, by key, with their usual names.
FILES = {
    "profile": "Profile.csv",
    "positions": "Positions.csv",
    "education": "Education.csv",
    "skills": "Skills.csv",
    "certifications": "Certifications.csv",
    "projects": "Projects.csv",
    "languages": "Languages.csv",
    "email addresses": "Email Addresses.csv",
}

#: Header names seen in exports (folded: lower case, words only), by file and field.
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "profile": {"headline": ("headline",), "summary": ("summary", "about")},
    "positions": {
        "company": ("company name", "company", "organization", "organization name"),
        "title": ("title", "position", "job title"),
        "start": ("started on", "start date", "from"),
        "end": ("finished on", "end date", "to"),
    },
    "education": {
        "school": ("school name", "school", "institution"),
        "degree": ("degree name", "degree"),
        "start": ("start date", "started on"),
        "end": ("end date", "finished on"),
    },
    "certifications": {
        "name": ("name", "certification name", "certification"),
        "issuer": ("authority", "issuer", "issuing organization"),
        "date": ("started on", "start date", "issued on", "issue date"),
    },
    "skills": {"name": ("name", "skill", "skill name")},
    "languages": {"name": ("name", "language")},
    "projects": {"name": ("title", "name", "project name")},
    "email addresses": {"email": ("email address", "email", "address")},
}

MAX_DIR_FILES = 5_000
_SUFFIX = re.compile(r"(?:[ _-]+\d+|\s*\(\d+\))+$")
_MONTHS = {
    m: n
    for n, names in enumerate(
        (
            "jan january",
            "feb february",
            "mar march",
            "apr april",
            "may",
            "jun june",
            "jul july",
            "aug august",
            "sep sept september",
            "oct october",
            "nov november",
            "dec december",
        ),
        start=1,
    )
    for m in names.split()
}
_DATE_FORMS = (
    (re.compile(r"^([a-z]+)\.?\s+(\d{4})$"), "my"),  # Mar 2021, March 2021
    (re.compile(r"^(\d{4})$"), "y"),
    (re.compile(r"^(\d{4})-(\d{1,2})(?:-\d{1,2})?$"), "ym"),  # 2021-03, 2021-03-15
    (re.compile(r"^(\d{1,2})/(\d{4})$"), "my_num"),  # 03/2021
    (re.compile(r"^([a-z]+)\.?\s+\d{1,2},?\s+(\d{4})$"), "my"),  # Mar 15, 2021
    (re.compile(r"^\d{1,2}\s+([a-z]+)\.?,?\s+(\d{4})$"), "my"),  # 15 Mar 2021
)


def file_key(member: str) -> str | None:
    """The export file a path names ('Basic_…/Positions_123.csv' -> 'positions'), or None."""
    base = member.replace("\\", "/").rsplit("/", 1)[-1]
    if not base.lower().endswith(".csv"):
        return None
    stem = _SUFFIX.sub("", base[:-4]).replace("_", " ").strip().casefold()
    stem = " ".join(stem.split())
    return stem if stem in FILES else None


def parse_month(text: str) -> Month | None:
    """'Mar 2021' -> Month(2021, 3); '2019' -> Month(2019); '' -> None; raises ValueError otherwise."""
    t = " ".join(text.strip().casefold().split())
    if not t:
        return None
    for pattern, form in _DATE_FORMS:
        m = pattern.match(t)
        if not m:
            continue
        if form == "y":
            year, month = int(m.group(1)), None
        elif form == "ym":
            year, month = int(m.group(1)), int(m.group(2))
        elif form == "my_num":
            month, year = int(m.group(1)), int(m.group(2))
        else:
            if m.group(1) not in _MONTHS:
                break
            month, year = _MONTHS[m.group(1)], int(m.group(2))
        if not 1900 <= year <= 2100 or (month is not None and not 1 <= month <= 12):
            break
        return Month(year, month)
    raise ValueError(text)


def read_export(path: Path) -> tuple[ProfileDoc, list[str]]:
    """Read the export at `path` (a .zip or a folder) into a ProfileDoc, with notes."""
    if path.is_dir():
        raw, notes = _from_folder(path)
    elif path.is_file():
        raw, notes = read_members(path, file_key, FIELD)
    elif path.exists():
        raise BadInput(FIELD, f"{path} is not a regular file or folder")
    else:
        raise BadInput(FIELD, f"{path} does not exist (expected the export's .zip or its folder)")
    return _parsed(raw, notes, path.name)


def read_export_bytes(data: bytes, name: str) -> tuple[ProfileDoc, list[str]]:
    """Read an uploaded export zip (its bytes, held in memory) into a ProfileDoc, with notes."""
    raw, notes = read_members(data, file_key, FIELD, name=name)
    return _parsed(raw, notes, name)


def _parsed(
    raw: dict[str, tuple[str, bytes]], notes: list[str], name: str
) -> tuple[ProfileDoc, list[str]]:
    if "positions" not in raw and "profile" not in raw:
        raise BadInput(
            FIELD,
            f"no Positions.csv or Profile.csv in {name}: expected LinkedIn's data export (the .zip or its folder)",
        )
    tables: dict[str, list[dict[str, str]]] = {}
    for key, name in FILES.items():
        if key not in raw:
            notes.append(f"{name}: not in the export")
            continue
        member, data = raw[key]
        tables[key] = _table(key, member, data, notes)
    return _document(tables, notes), notes


def _from_folder(root: Path) -> tuple[dict[str, tuple[str, bytes]], list[str]]:
    found: dict[str, Path] = {}
    notes: list[str] = []
    seen = 0
    for p in sorted(_walk(root, depth=3)):
        seen += 1
        if seen > MAX_DIR_FILES:
            raise BadInput(
                FIELD,
                f"{root} holds more than {MAX_DIR_FILES} files: point to the export's own folder",
            )
        key = file_key(p.name)
        if key is None:
            continue
        if key in found:
            notes.append(
                f"ignored {p.relative_to(root)}: {found[key].relative_to(root)} was read instead"
            )
            continue
        found[key] = p
    out: dict[str, tuple[str, bytes]] = {}
    for key, p in found.items():
        if not p.is_file():
            raise BadInput(FIELD, f"{p.name} is not a regular file")
        if p.stat().st_size > 16 * MB:
            raise BadInput(FIELD, f"{p.name} is larger than 16 MB: is this LinkedIn's export?")
        out[key] = (str(p.relative_to(root)), p.read_bytes())
    return out, notes


def _walk(root: Path, depth: int) -> Iterator[Path]:
    try:
        entries = list(root.iterdir())
    except OSError as e:
        raise BadInput(FIELD, f"cannot read {root}: {e.strerror or e}") from None
    for p in entries:
        if p.is_symlink():
            continue
        if p.is_dir():
            if depth > 0:
                yield from _walk(p, depth - 1)
        else:
            yield p


def _fold(header: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", header.replace("\ufeff", "").casefold()).split())


def _text(data: bytes, member: str, notes: list[str]) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        notes.append(f"{member}: not UTF-8; read as Windows-1252")
        return data.decode("cp1252", errors="replace")


def _table(key: str, member: str, data: bytes, notes: list[str]) -> list[dict[str, str]]:
    """Rows of one export file as `{field: cell}`, after the preamble and header."""
    columns = COLUMNS[key]
    known = {alias: field for field, aliases in columns.items() for alias in aliases}
    reader = csv.reader(io.StringIO(_text(data, member, notes), newline=""))
    rows: list[dict[str, str]] = []
    index: dict[str, int] | None = None
    try:
        for row in reader:
            if index is None:
                index = _header(row, columns, known)
                continue
            if not any(cell.strip() for cell in row):
                continue
            rows.append(
                {f: (row[i].strip() if i < len(row) else "") for f, i in index.items()}
                | {"_line": str(reader.line_num)}
            )
    except csv.Error as e:
        raise BadInput(FIELD, f"{member} line {reader.line_num}: {e}") from None
    if index is None:
        notes.append(f"{member}: no header row with the usual columns; ignored")
    return rows


def _header(
    row: list[str], columns: dict[str, tuple[str, ...]], known: dict[str, str]
) -> dict[str, int] | None:
    """The column of each field when `row` is the header, else None (a preamble line)."""
    index: dict[str, int] = {}
    for i, cell in enumerate(row):
        field = known.get(_fold(cell))
        if field is not None and field not in index:
            index[field] = i
    first = next(iter(columns))
    return index if first in index or len(index) >= 2 else None


def _month(row: dict[str, str], field: str, member: str, notes: list[str]) -> Month | None:
    try:
        return parse_month(row.get(field, ""))
    except ValueError:
        notes.append(
            f"{member} line {row['_line']}: {field} date {row[field]!r} not understood; left out"
        )
        return None


def _document(tables: dict[str, list[dict[str, str]]], notes: list[str]) -> ProfileDoc:
    profile = (tables.get("profile") or [{}])[0]
    positions = []
    for row in tables.get("positions", []):
        if not row.get("company"):
            notes.append(f"Positions.csv line {row['_line']}: no company name; left out")
            continue
        positions.append(
            Position(
                row["company"],
                row.get("title", ""),
                _month(row, "start", "Positions.csv", notes),
                _month(row, "end", "Positions.csv", notes),
            )
        )
    education = tuple(
        Education(
            row["school"],
            row.get("degree", ""),
            _month(row, "start", "Education.csv", notes),
            _month(row, "end", "Education.csv", notes),
        )
        for row in tables.get("education", [])
        if row.get("school")
    )
    certificates = tuple(
        Certificate(
            row["name"], row.get("issuer", ""), _month(row, "date", "Certifications.csv", notes)
        )
        for row in tables.get("certifications", [])
        if row.get("name")
    )

    def names(key: str, field: str = "name") -> tuple[str, ...]:
        return tuple(row[field] for row in tables.get(key, []) if row.get(field))

    return ProfileDoc(
        headline=profile.get("headline", ""),
        summary=profile.get("summary", ""),
        positions=tuple(positions),
        education=education,
        certificates=certificates,
        skills=names("skills"),
        languages=names("languages"),
        projects=names("projects"),
        emails=names("email addresses", "email"),
    )
