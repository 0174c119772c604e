"""Read a CV written as JSON Resume (`resume.json`), validated against the official schema.

The schema (v1.0.0, MIT) ships in `sources/jsonresume/` with its licence; nothing
is fetched. A validation error names the JSON path and the problem in one line
(field `resume`), e.g. `resume $.work[1].startDate: '2020/01' is not a date
(accepted: YYYY, YYYY-MM or YYYY-MM-DD)`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from afterview.core.profile import Certificate, Education, Month, Position, ProfileDoc
from afterview.errors import BadInput
from afterview.parsing import shown

FIELD = "resume"
DATES = "YYYY, YYYY-MM or YYYY-MM-DD"
#: Entries read from one section of the CV (a career has far fewer).
MAX_ITEMS = 500
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_BYTES = 5 * 1024 * 1024
SCHEMA_FILE = Path(__file__).with_name("jsonresume") / "schema.json"
_TYPES = {"string": "a string", "array": "a list", "object": "an object", "number": "a number"}


#: what to say when jsonschema is not installed (it comes with the `profile` extra)
MISSING = (
    "checking a resume needs jsonschema, which the base install leaves out: "
    "pipx inject afterview jsonschema, or pip install 'afterview[profile]'"
)


@cache
def _validator() -> Any:
    try:
        from jsonschema import Draft4Validator
    except ImportError:
        raise BadInput("resume", MISSING) from None

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


def json_path(parts: Iterable[str | int]) -> str:
    """`['work', 1, 'startDate']` -> `$.work[1].startDate`."""
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def load_resume(path: Path) -> dict[str, Any]:
    """Read and validate a JSON Resume file; BadInput names the path and problem."""
    if not path.is_file():
        what = "does not exist" if not path.exists() else "is not a regular file"
        raise BadInput(FIELD, f"{path} {what} (expected a JSON Resume file, resume.json)")
    if path.stat().st_size > MAX_BYTES:
        raise BadInput(FIELD, f"{path.name} is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput(f"{FIELD} $", f"{path.name} is not UTF-8 text") from None
    return parse_resume(text, path.name)


def parse_resume(text: str, name: str = "resume.json") -> dict[str, Any]:
    """Parse and validate the text of a JSON Resume document."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise BadInput(
            f"{FIELD} $", f"{name} is not JSON: {e.msg} at line {e.lineno} column {e.colno}"
        ) from None
    except RecursionError:
        raise BadInput(f"{FIELD} $", f"{name} is nested too deeply to be a CV") from None
    except ValueError as e:  # a number of thousands of digits, among others
        raise BadInput(f"{FIELD} $", f"{name} is not a CV: {str(e)[:80]}") from None
    errors = sorted(
        _validator().iter_errors(doc), key=lambda e: (list(map(str, e.absolute_path)), e.validator)
    )
    if errors:
        from jsonschema.exceptions import best_match

        first = best_match(errors)
        more = (
            f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
            if len(errors) > 1
            else ""
        )
        raise BadInput(f"{FIELD} {json_path(first.absolute_path)}", _problem(first) + more)
    assert isinstance(doc, dict)
    return doc


def _problem(error: Any) -> str:
    """A schema error in plain words."""
    kind, value = error.validator, error.instance
    if kind == "pattern":
        return f"{shown(str(value))} is not a date (accepted: {DATES})"
    if kind == "type":
        wanted = error.validator_value
        return f"expected {_TYPES.get(wanted, wanted)}, got {_json_type(value)}"
    if kind == "additionalProperties":
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        extra = sorted(set(value) - set(error.schema.get("properties", {})))
        return f"unknown section {', '.join(shown(str(k), 40) for k in extra[:5])} (accepted: {allowed})"
    if kind == "format":
        return f"{shown(str(value))} is not a valid {error.validator_value}"
    return str(error.message)[:200]


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def _month(text: str | None, *where: str | int) -> Month | None:
    """A schema-valid date as a Month; a month or day out of range is refused."""
    if not text:
        return None
    import datetime as _dt

    parts = [int(p) for p in text.split("-")]
    try:
        _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise BadInput(
            f"{FIELD} {json_path(where)}", f"{text!r} is not a real date (accepted: {DATES})"
        ) from None
    return Month(parts[0], parts[1] if len(parts) > 1 else None)


def _clean(value: Any) -> str:
    """A schema-checked text without control characters (a NUL cannot be stored)."""
    return _CONTROLS.sub("", value).strip() if isinstance(value, str) else ""


def _limit(doc: dict[str, Any], section: str) -> list[Any]:
    items = doc.get(section) or []
    if len(items) > MAX_ITEMS:
        raise BadInput(
            f"{FIELD} {json_path([section])}",
            f"at most {MAX_ITEMS} entries are read, got {len(items)}",
        )
    return list(items)


def _position(w: dict[str, Any], n: int) -> Position:
    start = _month(w.get("startDate"), "work", n, "startDate")
    end = _month(w.get("endDate"), "work", n, "endDate")
    if start and end and end.last < start.first:
        raise BadInput(
            f"{FIELD} {json_path(['work', n, 'endDate'])}",
            f"{end.label()} is before the startDate, {start.label()}",
        )
    return Position(
        _clean(w.get("name")) or _clean(w.get("company")), _clean(w.get("position")), start, end
    )


def resume_document(doc: dict[str, Any], notes: list[str]) -> ProfileDoc:
    """The CV as a ProfileDoc. Skills are each skill's keywords, or its name when it has none
    (a name with keywords is a heading, such as 'Web Development')."""
    basics = doc.get("basics") or {}
    positions = []
    for n, w in enumerate(_limit(doc, "work")):
        if "company" in w and not isinstance(w["company"], str):
            raise BadInput(
                f"{FIELD} {json_path(['work', n, 'company'])}",
                f"expected a string, got {_json_type(w['company'])}",
            )
        p = _position(w, n)
        if not p.company:
            notes.append(f"resume {json_path(['work', n])}: no company name (name); left out")
            continue
        positions.append(p)
    education = tuple(
        Education(
            _clean(e.get("institution")),
            " in ".join(x for x in (_clean(e.get("studyType")), _clean(e.get("area"))) if x),
            _month(e.get("startDate"), "education", n, "startDate"),
            _month(e.get("endDate"), "education", n, "endDate"),
        )
        for n, e in enumerate(_limit(doc, "education"))
        if _clean(e.get("institution"))
    )
    certificates = tuple(
        Certificate(
            _clean(c.get("name")),
            _clean(c.get("issuer")),
            _month(c.get("date"), "certificates", n, "date"),
        )
        for n, c in enumerate(_limit(doc, "certificates"))
        if _clean(c.get("name"))
    )
    skills: list[str] = []
    for s in _limit(doc, "skills"):
        keywords = [_clean(k) for k in s.get("keywords") or [] if _clean(k)]
        skills.extend(keywords or ([_clean(s.get("name"))] if _clean(s.get("name")) else []))
    if len(skills) > MAX_ITEMS:
        raise BadInput(
            f"{FIELD} $.skills",
            f"at most {MAX_ITEMS} skills and keywords are read, got {len(skills)}",
        )
    return ProfileDoc(
        headline=_clean(basics.get("label")),
        summary=_clean(basics.get("summary")),
        positions=tuple(positions),
        education=education,
        certificates=certificates,
        skills=tuple(skills),
        languages=tuple(
            _clean(x.get("language")) for x in _limit(doc, "languages") if _clean(x.get("language"))
        ),
        projects=tuple(
            _clean(x.get("name")) for x in _limit(doc, "projects") if _clean(x.get("name"))
        ),
        emails=(_clean(basics.get("email")),) if _clean(basics.get("email")) else (),
    )


def read_resume(path: Path) -> tuple[ProfileDoc, list[str]]:
    """Read, validate and convert a JSON Resume file: the CV and notes on what was left out."""
    notes: list[str] = []
    return resume_document(load_resume(path), notes), notes


def read_resume_bytes(data: bytes, name: str) -> tuple[ProfileDoc, list[str]]:
    """The same as `read_resume` for an uploaded file's bytes."""
    if len(data) > MAX_BYTES:
        raise BadInput(FIELD, f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput(f"{FIELD} $", f"{name} is not UTF-8 text") from None
    notes: list[str] = []
    return resume_document(parse_resume(text, name), notes), notes
