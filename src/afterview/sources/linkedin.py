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
from collections.abc import Callable, Iterator
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
#: Rows read from one file: a profile has far fewer (LinkedIn shows 100 skills at most).
MAX_ROWS = 2_000
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
        zips: list[str] = []
        raw, notes = read_members(path, _wanted(zips), FIELD)
        notes += [f"holds {z}" for z in zips[:1]]
    elif path.exists():
        raise BadInput(FIELD, f"{path} is not a regular file or folder")
    else:
        raise BadInput(FIELD, f"{path} does not exist (expected the export's .zip or its folder)")
    return _parsed(raw, notes, path.name)


def read_export_bytes(data: bytes, name: str) -> tuple[ProfileDoc, list[str]]:
    """Read an uploaded export zip (its bytes, held in memory) into a ProfileDoc, with notes."""
    zips: list[str] = []
    raw, notes = read_members(data, _wanted(zips), FIELD, name=name)
    notes += [f"holds {z}" for z in zips[:1]]
    return _parsed(raw, notes, name)


def _wanted(zips: list[str]) -> Callable[[str], str | None]:
    """`file_key`, noting the zips inside the zip (someone zipped the export again)."""

    def want(member: str) -> str | None:
        if member.lower().endswith(".zip"):
            zips.append(member)
            return None
        return file_key(member)

    return want


def _parsed(
    raw: dict[str, tuple[str, bytes]], notes: list[str], name: str
) -> tuple[ProfileDoc, list[str]]:
    if "positions" not in raw and "profile" not in raw:
        inner = next((n for n in notes if n.startswith("holds ")), None)
        if inner:
            raise BadInput(FIELD, f"{name} {inner}: unzip it and give that one")
        raise BadInput(
            FIELD,
            f"no Positions.csv or Profile.csv in {name}: expected LinkedIn's data export (the .zip or its folder)",
        )
    notes[:] = [n for n in notes if not n.startswith("holds ")]
    tables: dict[str, list[dict[str, str]]] = {}
    absent = [name for key, name in FILES.items() if key not in raw]
    if absent:
        # LinkedIn leaves out the file of a section never filled in.
        notes.append(f"not in the export (sections you never filled in): {', '.join(absent)}")
    for key in FILES:
        if key in raw:
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
        if p.is_symlink():
            raise BadInput(FIELD, f"{p.name} is a symbolic link: point to the export's own files")
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
            if not p.is_dir():
                yield p  # refused by name if it is one of the export's files
            continue
        if p.is_dir():
            if depth > 0:
                yield from _walk(p, depth - 1)
        else:
            yield p


def _fold(header: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", header.replace("\ufeff", "").casefold()).split())


def _text(data: bytes, member: str, notes: list[str]) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise BadInput(FIELD, f"{member} is not valid UTF-16 text") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        notes.append(f"{member}: not UTF-8; read as Windows-1252")
        return data.decode("cp1252", errors="replace")


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _delimiter(text: str) -> str:
    """`,` as LinkedIn writes; `;` or a tab when a spreadsheet re-saved the file so."""
    head = next(
        (line for line in text.splitlines()[:30] if line.strip() and not line.startswith("Notes")),
        "",
    )
    counts = {d: head.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


#: The longest cell a LinkedIn export file holds (a long About or job description is ~10 KB)
MAX_CELL = 128 * 1024


def _table(key: str, member: str, data: bytes, notes: list[str]) -> list[dict[str, str]]:
    """Rows of one export file as `{field: cell}`, after the preamble and header. A row
    with fewer cells than the header is kept, its missing cells marked unknown."""
    columns = COLUMNS[key]
    known = {alias: field for field, aliases in columns.items() for alias in aliases}
    text = _text(data, member, notes)
    if _CONTROLS.search(text):
        notes.append(f"{member}: control characters (such as NUL) removed")
        text = _CONTROLS.sub("", text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    rows: list[dict[str, str]] = []
    index: dict[str, int] | None = None
    try:
        for row in reader:
            # csv's own cell limit is process-wide (another reader may raise it): check here
            if any(len(cell) > MAX_CELL for cell in row):
                raise BadInput(
                    FIELD,
                    f"{member} line {reader.line_num}: a cell over {MAX_CELL // 1024} KB; "
                    "is this LinkedIn's export?",
                )
            if index is None:
                index = _header(row, columns, known)
                continue
            if not any(cell.strip() for cell in row):
                continue
            if len(rows) >= MAX_ROWS:
                raise BadInput(
                    FIELD, f"{member} has more than {MAX_ROWS} rows: is this LinkedIn's export?"
                )
            cells = {f: row[i].strip() for f, i in index.items() if i < len(row)}
            missing = sorted(f for f in index if f not in cells)
            if missing:
                notes.append(
                    f"{member} line {reader.line_num}: a short row; {', '.join(missing)} unknown"
                )
            rows.append(
                cells | {"_line": str(reader.line_num)} | {f"_unknown_{f}": "1" for f in missing}
            )
    except csv.Error as e:
        problem = "a quoted cell is never closed" if "end of data" in str(e) else str(e)
        raise BadInput(FIELD, f"{member} line {reader.line_num}: {problem}") from None
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
        end = _month(row, "end", "Positions.csv", notes)
        unknown = "_unknown_end" in row or (end is None and bool(row.get("end")))
        positions.append(
            Position(
                row["company"],
                row.get("title", ""),
                _month(row, "start", "Positions.csv", notes),
                end,
                end_known=not unknown,
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
        has_profile="profile" in tables,
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
