"""What kind of message a mail is: written by a person, sent by software on its own, or an
automatic answer (pure rules; the mailbox is read elsewhere).

Only two kinds can be the employer's answer:

- `personal`: a person wrote it;
- `notification`: software sent it on its own, about something that happened (a
  rejection or an interview invitation from an applicant-tracking system, say).

These never are:

- `auto_reply`: software answering a message (an out-of-office, a vacation notice,
  "we received your e-mail"). RFC 3834's `Auto-Submitted: auto-replied`, `Precedence:
  auto_reply`, the `X-Autoreply` family, a subject such as "Automatic reply:" or
  "Abwesenheitsnotiz" in a dozen languages, or any mark of software (`Auto-Submitted`,
  Outlook's `X-Auto-Response-Suppress`, `Precedence: bulk`) on a message that answers
  one of ours: software that answers what we sent is an auto-responder;
- `report`: a delivery report or a bounce;
- `bulk`: mass mail (`Precedence: bulk|junk|list`, `List-Id`, `List-Unsubscribe`): a
  newsletter from the company's domain is not an answer. It still counts when it comes
  from an interviewer's own address or through an applicant-tracking system that names
  the company, since those send rejections in bulk too (see `core.replies`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from enum import Enum


class MailKind(Enum):
    """Who or what wrote a message."""

    PERSONAL = "personal"
    NOTIFICATION = "notification"
    AUTO_REPLY = "auto_reply"
    BULK = "bulk"
    REPORT = "report"


#: The headers `classify` reads (lower case), for the mailbox reader to fetch.
HEADERS = (
    "auto-submitted",
    "precedence",
    "x-autoreply",
    "x-autorespond",
    "x-auto-response",
    "x-autoresponder",
    "x-auto-response-suppress",
    "x-ms-exchange-generated-message-source",
    "x-ms-exchange-parent-message-id",
    "list-id",
    "list-unsubscribe",
    "content-type",
)

_ROBOTS = frozenset(["mailer-daemon", "postmaster", "mail-daemon"])
_AUTORESPONDER_HEADERS = ("x-autoreply", "x-autorespond", "x-auto-response", "x-autoresponder")
_NO = frozenset(["", "no", "false", "0", "none"])

#: Phrases that say "automatic answer" wherever they stand in a subject (casefolded,
#: accents kept). Written from the subjects mail programs put on such answers.
_AUTO_PHRASES = (
    # English
    "automatic reply", "automated reply", "auto reply", "auto-reply", "autoreply",
    "automatic response", "auto response", "auto-response", "autoresponse",
    "out of office", "out of the office", "out-of-office", "vacation reply",
    # German
    "abwesenheitsnotiz", "abwesenheitsmeldung", "automatische antwort", "nicht im büro",
    "außer haus", "ausser haus",
    # French
    "réponse automatique", "reponse automatique", "absence du bureau", "absent du bureau",
    "absente du bureau", "message d'absence",
    # Spanish
    "respuesta automática", "respuesta automatica", "fuera de la oficina", "fuera de oficina",
    # Italian
    "risposta automatica", "fuori ufficio", "fuori sede",
    # Portuguese
    "resposta automática", "resposta automatica", "fora do escritório", "fora do escritorio",
    # Dutch
    "automatisch antwoord", "niet op kantoor", "afwezigheidsbericht",
    # Nordic
    "autosvar", "automatisk svar", "automaattinen vastaus",
    # Polish, Czech
    "automatyczna odpowiedź", "poza biurem", "automatická odpověď", "mimo kancelář",
    # Russian, Turkish
    "автоматический ответ", "автоответ", "нет в офисе", "otomatik yanıt", "otomatik cevap",
    # Chinese, Japanese, Korean
    "自动回复", "自動回覆", "自動回复", "自動応答", "自動返信", "자동 응답",
)  # fmt: skip
#: Words that say so only as a subject's first word ("Absence: back on Monday").
_AUTO_FIRST_WORDS = frozenset(
    [
        "ooo", "absence", "absent", "absente", "abwesend", "abwesenheit", "ausente", "ausencia",
        "ausência", "assente", "afwezig", "frånvaro", "fravær", "fraværende", "poissa",
        "nieobecność", "不在",
    ]
)  # fmt: skip
#: Subjects of delivery reports from servers that do not send multipart/report.
_REPORT_STARTS = (
    "undeliverable", "undelivered mail", "delivery status notification", "delivery failure",
    "mail delivery failed", "returned mail", "failure notice", "unzustellbar",
    "non remis", "no se puede entregar", "non recapitabile",
)  # fmt: skip
#: What a person's answer starts with: "Re: Automatic reply: …" is someone answering one.
_REPLY_PREFIX = re.compile(
    r"^\s*(?:re|aw|sv|vs|antw|antwort|réf|ref|rif|odp|ynt|回复|答复|返信)\s*(?:\[\d+\])?\s*[:：]",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W_]+")
#: Tags a mail system puts before a subject: "[EXTERNAL]", "(ext)", "*spam*"
_TAGS = re.compile(r"^(?:\s*(?:\[[^\]]{0,30}\]|\([^)]{0,30}\)|\*[^*]{0,30}\*|<[^>]{0,30}>))+\s*")


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def auto_subject(subject: str) -> bool:
    """True when a subject is one mail programs put on an automatic answer: it starts with
    one of their phrases (after a tag such as "[EXTERNAL]"), or holds one as a label
    followed by ':', or its first word is one such as "Absence:" with its colon.

    A subject that starts as a person's answer ("Re: …") is not one, whatever follows, and
    neither is a person's sentence that mentions an absence ("Your interview: I am out of
    office next week", "Absence of news – update on your application").
    """
    text = _fold(subject)
    if not text or _REPLY_PREFIX.match(text):
        return False
    bare = _TAGS.sub("", text)
    starts = (bare, text.lstrip("[(<*- "))  # after a tag, or in one: "[Out of office] …"
    for p in _AUTO_PHRASES:
        if any(t.startswith(p) and not t[len(p) : len(p) + 1].isalnum() for t in starts):
            return True
        at = bare.find(p + ":")
        if at > 0 and not bare[at - 1].isalnum():
            return True
    first = _WORD.match(bare)
    if first is None or first.group(0) not in _AUTO_FIRST_WORDS:
        return False
    if first.group(0) == "ooo":  # no sentence starts so
        return True
    rest = bare[first.end() :].lstrip()
    return not rest or rest.startswith((":", "-", "–", "(", "/"))


def report_subject(subject: str) -> bool:
    """True when a subject is a delivery report's."""
    return _fold(subject).startswith(_REPORT_STARTS)


def _token(value: str | None) -> str:
    """The first token of a header value, lower case (`auto-replied; owner=…` -> `auto-replied`)."""
    return (value or "").split(";")[0].strip().lower()


def classify(
    headers: Mapping[str, str], sender: str, subject: str, *, answers_ours: bool
) -> MailKind:
    """Return the kind of a message from its headers (names in lower case), its sender's
    address, its subject, and whether it answers a message we sent (In-Reply-To/References).
    """
    content_type = _token(headers.get("content-type"))
    if content_type == "multipart/report" or sender.partition("@")[0].lower() in _ROBOTS:
        return MailKind.REPORT
    if report_subject(subject):
        return MailKind.REPORT
    submitted = _token(headers.get("auto-submitted"))
    precedence = _token(headers.get("precedence"))
    if submitted == "auto-replied" or precedence == "auto_reply":
        return MailKind.AUTO_REPLY
    if any(
        h in headers and _token(headers[h]) not in ("no", "false", "0")
        for h in _AUTORESPONDER_HEADERS
    ):
        return MailKind.AUTO_REPLY
    if auto_subject(subject):
        return MailKind.AUTO_REPLY
    bulk = precedence in ("bulk", "junk", "list") or bool(
        headers.get("list-id") or headers.get("list-unsubscribe")
    )
    software = (
        submitted not in _NO
        or _token(headers.get("x-auto-response-suppress")) not in _NO
        or bool(headers.get("x-ms-exchange-generated-message-source"))
        or bulk
    )
    if software and (answers_ours or bool(headers.get("x-ms-exchange-parent-message-id"))):
        return MailKind.AUTO_REPLY
    if bulk:
        return MailKind.BULK
    return MailKind.NOTIFICATION if software else MailKind.PERSONAL
