"""A profile document — the CV or the LinkedIn profile — in the one shape the check compares.

Dates on a CV and on LinkedIn are months or bare years; `Month` keeps that
precision so two dates are compared only as finely as both are known. Names are
compared through keys that ignore case, accents, punctuation and (for employers)
legal suffixes such as "Inc." or "GmbH".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, or a whole year when `month` is None."""

    year: int
    month: int | None = None

    @property
    def first(self) -> int:
        """The first month covered, as a month count (year * 12 + month - 1)."""
        return self.year * 12 + (self.month or 1) - 1

    @property
    def last(self) -> int:
        """The last month covered, as a month count."""
        return self.year * 12 + (self.month or 12) - 1

    def same(self, other: Month) -> bool:
        """True when the two dates agree as far as both are known (a year matches its months)."""
        if self.month is None or other.month is None:
            return self.year == other.year
        return (self.year, self.month) == (other.year, other.month)

    def label(self) -> str:
        """'Mar 2025', or '2025' for a bare year."""
        return f"{MONTH_NAMES[self.month - 1]} {self.year}" if self.month else str(self.year)

    def iso(self) -> str:
        """'2025-03', or '2025' for a bare year."""
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}"

    def shifted(self, months: int) -> Month:
        """The same precision, `months` later (earlier when negative); a bare year moves by years."""
        if self.month is None:
            return Month(self.year + months)
        n = self.first + months
        return Month(n // 12, n % 12 + 1)


@dataclass(frozen=True)
class Position:
    """A job held: no end date means it is the current one, unless `end_known` is False
    (the export's end cell was missing or unreadable: the end is then simply unknown)."""

    company: str
    title: str
    start: Month | None = None
    end: Month | None = None
    end_known: bool = True

    @property
    def current(self) -> bool:
        """True when the position has no end date (and that is known)."""
        return self.end is None and self.end_known

    def span(self) -> str:
        """'Mar 2021 – Jan 2024', 'Mar 2021 – now', 'Mar 2021 – ?'."""
        start = self.start.label() if self.start else "?"
        end = self.end.label() if self.end else ("now" if self.end_known else "?")
        return f"{start} – {end}"

    def label(self) -> str:
        """'Senior Data Engineer at Acme (Mar 2025 – now)'."""
        return f"{self.title or 'a role'} at {self.company} ({self.span()})"


@dataclass(frozen=True)
class Education:
    """A school attended."""

    school: str
    degree: str = ""
    start: Month | None = None
    end: Month | None = None


@dataclass(frozen=True)
class Certificate:
    """A licence or certification."""

    name: str
    issuer: str = ""
    date: Month | None = None


@dataclass(frozen=True)
class ProfileDoc:
    """What one side (the CV or LinkedIn) says about the person. `has_profile` is False
    when the headline and summary are unknown (an export without Profile.csv)."""

    headline: str = ""
    summary: str = ""
    positions: tuple[Position, ...] = ()
    education: tuple[Education, ...] = ()
    certificates: tuple[Certificate, ...] = ()
    skills: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    has_profile: bool = True


def current_positions(positions: tuple[Position, ...]) -> list[Position]:
    """The positions held now (a main job and side jobs alike)."""
    return [p for p in positions if p.current]


def latest_position(positions: tuple[Position, ...]) -> Position | None:
    """The position an interviewer reads as the latest: a current one (the most recently
    started), else the one that ended last."""

    def key(p: Position) -> tuple[int, int, int]:
        end = p.end.last if p.end else 10**9
        start = p.start.first if p.start else -1
        return (1 if p.current else 0, end, start)

    return max(positions, key=key) if positions else None


_LEGAL = frozenset(
    [
        "inc",
        "incorporated",
        "llc",
        "ltd",
        "limited",
        "gmbh",
        "mbh",
        "ag",
        "kg",
        "kgaa",
        "ohg",
        "ug",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "plc",
        "corp",
        "corporation",
        "co",
        "company",
        "lp",
        "llp",
        "pty",
        "pvt",
        "pte",
        "oy",
        "oyj",
        "ab",
        "as",
        "asa",
        "aps",
        "se",
        "kft",
        "sro",
        "sl",
    ]
)
_WORD = re.compile(r"(?:(?<![^\W_])\.)?[^\W_]+[+#]*|[+#]+")
_INITIALS = re.compile(r"\b(?:[^\W\d_]\.){2,}")
_ABBREVIATIONS = {
    "sr": "senior",
    "snr": "senior",
    "jr": "junior",
    "mgr": "manager",
    "eng": "engineer",
    "engr": "engineer",
    "dev": "developer",
    "swe": "software engineer",
    "vp": "vice president",
    "&": "and",
}


_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "æ": "ae", "đ": "d", "ð": "d", "þ": "th", "œ": "oe", "ı": "i"}
)


def fold(text: str) -> str:
    """Lower case without accents (Ł, Ø, Æ too), `&` read as 'and'."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("&", " and ").translate(_LETTERS))
    return "".join(c for c in text if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of a text, folded, punctuation dropped (C++, C# and .NET keep theirs)."""
    return _WORD.findall(fold(text))


def company_key(name: str) -> str:
    """'Acme Analytics GmbH & Co. KG' -> 'acme analytics': employers compare on this key."""
    # Dotted initials are one word: S.A. -> sa, L.L.C. -> llc.
    ws = words(_INITIALS.sub(lambda m: m.group(0).replace(".", ""), fold(name)))
    if ws and ws[0] == "the":
        ws = ws[1:]
    while len(ws) > 1 and (ws[-1] in _LEGAL or ws[-1] == "and"):
        ws.pop()
    return " ".join(ws) or fold(name).strip()


def title_words(title: str) -> list[str]:
    """A job title's words with common abbreviations spelled out ('Sr. Eng.' -> senior engineer)."""
    out: list[str] = []
    for w in words(title):
        out.extend(_ABBREVIATIONS.get(w, w).split())
    return out


def title_key(title: str) -> str:
    """Job titles compare on this key."""
    return " ".join(title_words(title))


_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def name_key(name: str) -> str:
    """Schools, certificates, languages and projects compare on this key (word order and a
    bracketed code such as '(SAA-C03)' ignored)."""
    bare = _BRACKETS.sub(" ", name) if _BRACKETS.sub(" ", name).strip() else name
    return " ".join(sorted(set(words(bare)) - {"the", "of", "and", "at", "in", "for"}))


_LEVELS = (
    ("doctorate", ("phd", "ph", "doctor", "doctorate", "dphil", "dr")),
    ("master", ("master", "masters", "msc", "ma", "ms", "mba", "meng", "mres", "mphil", "llm")),
    ("bachelor", ("bachelor", "bachelors", "bsc", "ba", "bs", "beng", "bba", "llb")),
    ("associate", ("associate", "diploma", "certificate", "hnd")),
)


def degree_level(degree: str) -> str | None:
    """'Master of Science - MSc' -> 'master'; None when no level is named."""
    ws = set(words(fold(degree).replace(".", "")))
    for level, names in _LEVELS:
        if ws & set(names):
            return level
    return None


_SKILL_ALIASES = {
    "js": "javascript",
    "ts": "typescript",
    "postgres": "postgresql",
    "psql": "postgresql",
    "k8s": "kubernetes",
    "golang": "go",
    "node": "nodejs",
    "reactjs": "react",
    "vuejs": "vue",
    "ml": "machinelearning",
    "ai": "artificialintelligence",
    "gcp": "googlecloudplatform",
    "googlecloud": "googlecloudplatform",
    "aws": "amazonwebservices",
    "sklearn": "scikitlearn",
}


def skill_key(skill: str) -> str:
    """Skills compare on this key: 'Node.js', 'NodeJS' and 'node' agree, as do 'k8s' and
    'Kubernetes'."""
    compact = "".join(words(skill))
    return _SKILL_ALIASES.get(compact, compact)


_VENDORS = ("apache", "microsoft", "google", "amazon", "adobe", "oracle", "ibm", "sap")


def skill_keys(skill: str) -> set[str]:
    """Every key a skill answers to, for LinkedIn's standard names: 'Python (Programming
    Language)' is Python, 'Apache Kafka' is Kafka, 'Amazon Web Services (AWS)' is AWS."""
    keys = {skill_key(skill)}
    inside = re.findall(r"\(([^)]*)\)", skill)
    bare = _BRACKETS.sub(" ", skill).strip()
    if bare:
        keys.add(skill_key(bare))
        first, _, rest = bare.partition(" ")
        if fold(first) in _VENDORS and rest.strip():
            keys.add(skill_key(rest))
    keys.update(skill_key(x) for x in inside if 0 < len(x) <= 12)
    return {k for k in keys if k}


def contains_words(text: str, phrase: str) -> bool:
    """True when the words of `phrase` appear in `text` as a run."""
    hay, needle = f" {' '.join(words(text))} ", " ".join(words(phrase))
    return bool(needle) and f" {needle} " in hay


class Severity(StrEnum):
    """How much a finding matters to someone who looks the candidate up."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


SEVERITY_ORDER = (Severity.HIGH, Severity.MEDIUM, Severity.LOW)


@dataclass(frozen=True)
class Finding:
    """One difference between the CV and the profile, and how to fix it."""

    kind: str
    severity: Severity
    what: str
    fix: str

    def as_json(self) -> dict[str, str]:
        """The porcelain shape of a finding."""
        return {
            "kind": self.kind,
            "severity": self.severity.value,
            "what": self.what,
            "fix": self.fix,
        }
