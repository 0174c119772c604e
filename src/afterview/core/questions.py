"""The question bank's pure parts: a guess at what kind of question was asked, and
which questions are the same one asked again (at another company, in other words).

The guess is a small set of weighted phrases per tag, read from the wording alone;
the user can always set the tag by hand. It is measured against a labelled set of
questions in tests/core/data/ (accuracy reported by the test).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
from typing import NamedTuple

TAGS = ("behavioural", "technical", "motivation", "salary", "culture", "other")
#: other spellings taken for a tag
TAG_ALIASES = {"behavioral": "behavioural"}


def canonical_tag(text: str) -> str:
    """The tag `text` names (any case, US spelling too), or `text` as given when none."""
    folded = text.strip().lower()
    folded = TAG_ALIASES.get(folded, folded)
    return folded if folded in TAGS or folded == "guess" else text


# (pattern, weight) per tag; patterns are matched on the folded text (lower case, no accents).
_RULES: dict[str, tuple[tuple[str, float], ...]] = {
    "salary": (
        (r"\bsalar(y|ies)\b", 3),
        (r"\bcompensation\b|\bremuneration\b|\bpay ?(range|band|rise|raise)\b", 3),
        (
            r"\b(earn|earning|paid|pay you|package|bonus|equity|stock options?)\b|\bbenefits\b(?! of)",
            2,
        ),
        (r"\bhow much\b|\bexpectations?\b.*\b(money|pay|rate)\b|\bday rate\b|\bhourly rate\b", 2),
        (r"\b(raise|increase)\b.*\b(expect|want|looking)\b", 1),
        (
            r"\b(base (salary|pay)|band|total comp|comp|financially|money)\b|[£$€] ?[0-9]|\b[0-9]+ ?k\b(?! rows)",
            2.5,
        ),
    ),
    "behavioural": (
        (r"\btell (me|us) about a (time|situation|moment|project where)\b", 4),
        (
            r"\b(describe|walk (me|us) through|share|give (me |us )?an? example of) (a|an|one|the) (time|situation|occasion|moment)\b",
            4,
        ),
        (r"\bgive (me |us )?an? example\b|\bcan you think of a time\b", 3),
        (r"\bhave you ever\b", 1.5),
        (r"\bwhat would you do if\b|\bhow would you (handle|deal|respond|react)\b|\bimagine\b", 3),
        (r"\bhow did you (handle|deal|manage|resolve|cope|approach)\b", 3),
        (
            r"\b(conflicts?|disagree\w*|mistakes?|failures?|failed|setbacks?|pressure|stress\w*|deadlines?|difficult\w*|challeng\w*|proud|achievements?|accomplishments?)\b",
            2,
        ),
        (
            r"\b(weakness|weaknesses|strengths?|criticism|feedback you received|lead(ership)?)\b",
            1.5,
        ),
        (r"\btime when\b|\blast time\b", 2),
        (
            r"\btell (me|us) about (a|an|the) [\w -]+ (that|which|where|when) (went|you|was|had)\b|\bwent wrong\b",
            3,
        ),
        (r"\btell (me|us) about (a|an|the) \w+( \w+)? (you|that|which|where|when)\b", 3),
    ),
    "motivation": (
        (
            r"\bwhy (do|would) you want\b|\bwhy (this|our) (role|company|team|job|position|firm|school|hospital)\b",
            4,
        ),
        (
            r"\bwhy (are|were) you (leaving|looking)\b|\bwhy (did|do) you (leave|want to leave|apply)\b",
            4,
        ),
        (
            r"\bwhy (should|would) we hire\b|\bwhy us\b|\bwhy here\b|^why [\w&.-]+( [\w&.-]+)?\W*$",
            4,
        ),
        (
            r"\bwhere do you see yourself\b|\bin (five|5|ten|10) years\b|\bcareer (goals?|plans?|path)\b",
            4,
        ),
        (
            r"\b(motivates?|motivated|motivation|passionate|passion|drives you|excites? you|attracted|interest(s|ed)? you)\b",
            2.5,
        ),
        (
            r"\bwhat are you looking for\b|\bnext (step|move|role)\b|\blong[- ]term\b|\bambitions?\b",
            2.5,
        ),
        (
            r"\bwhy (did you )?(choose|chose|pick|pursue) (this|a career|teaching|nursing|sales)\b",
            2,
        ),
        (r"\bwhat do you know about (us|our|the company)\b|\bour (mission|product)\b", 2),
        (
            r"\bwhy did you (decide|move|switch|change)\b|\bwhy now\b|\bprompting\b|\bwhy would you (leave|pick|choose|join)\b",
            4,
        ),
        (
            r"\bwhy (logistics|teaching|nursing|sales|finance|design|marketing|this (industry|field|sector|career))\b",
            4,
        ),
        (
            r"\b(pick|choose) us\b|\bhoping to (learn|grow|get)\b|\b(learn|grow|develop) in your next\b",
            3,
        ),
    ),
    "culture": (
        (r"\b(culture|cultural fit|values|environment|atmosphere)\b", 2.5),
        (
            r"\b(work(ing)? style|work best|like to work|prefer to work|ideal (team|manager|boss|workplace|company))\b",
            3,
        ),
        (r"\b(remote\w*|hybrid|in the office|office days|from home)\b", 2.5),
        (
            r"\b(team ?(player|work)|collaborat\w*|colleagues|coworkers|co-workers|manage(d|r)? style|management style)\b",
            2,
        ),
        (r"\b(outside (of )?work|hobbies|free time|weekends?|relax|unwind|for fun)\b", 2.5),
        (
            r"\bhow do you (like to )?(receive|give) feedback\b|\bdescribe yourself\b|\bthree words\b",
            2,
        ),
        (
            r"\bcommunicat\w* (with|style)\b|\bpair programming\b|\bflat (organi[sz]ation|hierarchy|structure)\b",
            3,
        ),
        (r"\bhow (do|would) you feel (about|working)\b|\bsetup like that\b", 1.5),
    ),
    "technical": (
        (
            r"\b(design|architect\w*|implement\w*|algorithm\w*|complexity|big o|data structures?)\b",
            2.5,
        ),
        (
            r"\b(code|coding|program\w*|functions?|class(es)?|query|queries|sql|apis?|databases?|schemas?|index(es)?|cache|caching)\b",
            2,
        ),
        (
            r"\bdifference between\b|\bexplain (how|what|the)\b|\bhow does\b|\bwhat is (a|an|the)\b|\bhow (would|do) you (build|scale|optimi[sz]e|test|debug|model|calculate|measure|migrate)\b",
            2.5,
        ),
        (
            r"\b(python|java|javascript|typescript|golang|rust|c\+\+|c#|kotlin|swift|react|kafka|spark|kubernetes|docker|aws|azure|gcp|terraform|linux|git|excel|tableau|sap|salesforce)\b",
            2,
        ),
        (
            r"\b(latency|throughput|scal\w+|concurren\w*|thread\w*|memory|performance|security|encryption|network\w*|microservices?|pipeline)\b",
            1.5,
        ),
        (
            r"\b(ifrs|gaap|balance sheet|cash flow|depreciation|ledger|reconcil\w+|forecast\w*|kpis?|metrics?|conversion rate|ctr|roi|funnel|seo|campaign)\b",
            2,
        ),
        (
            r"\b(patient|medication|dosage|triage|lesson plan|curriculum|differentiat\w+|inventory|supply chain|forklift|procurement|pipeline management|prospecting|objection)\b",
            1.5,
        ),
        (
            r"\bwalk (me|us) through (your|the) (approach|process|solution|design)\b|\bcase\b|\bestimate\b",
            1.5,
        ),
        (
            r"\btrade-?offs?\b|\bvs\.?\b|\bversus\b|\bmethodolog\w*\b|\bfigure out (why|how)\b|\bnormal range\b",
            2.5,
        ),
        (
            r"\bwalk (me|us) through (the|a|an|how)\b|\bfinancial statements?\b|\bheart rate\b|\bblood pressure\b|\bescalate\b",
            2.5,
        ),
        (r"\b(rest|graphql|http|tcp|dns|oauth|css|html)\b", 2),
        (
            r"\bhow (would|do) you (evaluate|validate|monitor|deploy|secure|design|structure|train)\b|\b(model|dataset|regression|classifier|ranking)\b",
            2,
        ),
        (
            r"\bhow (would|do) you (move|migrate|set up|automate|roll out|ship)\b|\b(batch|streaming|production|deployment|outage|incident|data model|etl)\b",
            2,
        ),
    ),
    "other": (
        (
            r"\bnotice period\b|\b(start|starting) date\b|\bwhen (can|could) you start\b|\bavailab\w+\b",
            4,
        ),
        (
            r"\breloc\w+\b|\bvisa\b|\bwork permit\b|\bsponsorship\b|\bright to work\b|\bcommut\w+\b|\btravel\b",
            4,
        ),
        (
            r"\b(any|do you have( any)?) questions for (me|us)\b|\breferences?\b|\bhow did you hear\b|\bother (interviews|offers|processes)\b",
            4,
        ),
        (
            r"\bdriving licen[cs]e\b|\bshifts?\b|\bnights?\b|\bfull[- ]time\b|\bpart[- ]time\b|\bcontract length\b",
            3,
        ),
    ),
}


@cache
def _compiled() -> dict[str, tuple[tuple[re.Pattern[str], float], ...]]:
    """The rules compiled, on first use (every CLI command imports TAGS; few guess)."""
    return {tag: tuple((re.compile(p), w) for p, w in rules) for tag, rules in _RULES.items()}


# When two tags score the same, the more specific one wins.
_PRIORITY = ("salary", "other", "motivation", "behavioural", "culture", "technical")


def fold(text: str) -> str:
    """Lower case, accents dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def tag_scores(question: str) -> dict[str, float]:
    """The evidence for each tag in the question's wording."""
    text = fold(question)
    return {tag: sum(w for rx, w in rules if rx.search(text)) for tag, rules in _compiled().items()}


def guess_tag(question: str) -> str:
    """The most likely tag for a question; `other` when nothing points anywhere."""
    scores = tag_scores(question)
    best = max(scores.values())
    if best <= 0:
        return "other"
    return next(t for t in _PRIORITY if scores[t] == best)


# -- the same question asked again -------------------------------------------------------------
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "about",
        "your",
        "you",
        "me",
        "us",
        "we",
        "our",
        "my",
        "i",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "do",
        "did",
        "does",
        "can",
        "could",
        "would",
        "should",
        "will",
        "what",
        "why",
        "how",
        "when",
        "where",
        "who",
        "which",
        "that",
        "this",
        "it",
        "its",
        "tell",
        "describe",
        "give",
        "have",
        "has",
        "had",
        "any",
        "some",
        "so",
        "here",
        "there",
    ]
)
_WORD = re.compile(r"[a-z0-9+#]+")


def key_words(question: str) -> frozenset[str]:
    """The question's content words (stop words and a plural 's' dropped)."""
    out = set()
    for w in _WORD.findall(fold(question)):
        if w in _STOP or len(w) < 2:
            continue
        w = _singular(w)
        out.add(_SYNONYMS.get(w, _stem(w)))
    return frozenset(out)


_SYNONYMS = {
    "coworker": "colleague",
    "teammate": "colleague",
    "peer": "colleague",
    "boss": "manager",
}


def _stem(w: str) -> str:
    """A crude stem, enough for 'expectations', 'expecting' and 'expected' to agree."""
    for suffix in ("ations", "ation", "ings", "ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    return w


def _singular(w: str) -> str:
    if len(w) <= 3:
        return w
    if w.endswith("sses"):
        return w[:-2]
    if w.endswith("ies"):
        return w[:-3] + "y"
    return w[:-1] if w.endswith("s") and not w.endswith("ss") else w


def similar(a: frozenset[str], b: frozenset[str], threshold: float = 0.6) -> bool:
    """True when two questions share most of their content words (Jaccard index above
    the threshold)."""
    if not a or not b:
        return False
    return len(a & b) / len(a | b) > threshold


class Asked(NamedTuple):
    """One question as asked: its id, text and the company that asked it."""

    id: int
    text: str
    company: str


def group_repeats(questions: Sequence[Asked], threshold: float = 0.6) -> list[list[Asked]]:
    """Questions grouped with the ones that are the same question in other words; groups
    in order of their first question, biggest groups first."""
    groups: list[tuple[frozenset[str], list[Asked]]] = []
    by_text: dict[str, int] = {}  # a folded text, and an exact set of words, to its group
    by_words: dict[frozenset[str], int] = {}
    company_words: dict[str, frozenset[str]] = {}
    for q in questions:
        # "Why Acme?" at Acme and "Why Globex?" at Globex are the same question.
        if q.company not in company_words:
            company_words[q.company] = key_words(q.company)
        words = key_words(q.text)
        if words & company_words[q.company]:
            words = (words - company_words[q.company]) | {"@company"}
        text = fold(q.text)
        n = by_text.get(text)
        if n is None and words:
            n = by_words.get(words)
        if n is None:
            n = next(
                (k for k, (seed, _) in enumerate(groups) if similar(words, seed, threshold)), None
            )
        if n is None:
            n = len(groups)
            groups.append((words, []))
            by_words.setdefault(words, n)
        by_text.setdefault(text, n)
        groups[n][1].append(q)
    order = sorted(range(len(groups)), key=lambda n: (-len(groups[n][1]), n))
    return [groups[n][1] for n in order]


def companies(group: Iterable[Asked]) -> list[str]:
    """The companies of a group, each once, in order of appearance."""
    seen: dict[str, None] = {}
    for q in group:
        seen.setdefault(q.company, None)
    return list(seen)
