"""Secrets never reach an error line, a log or a page.

Whoever handles a secret (a database URL's password, a mail password) hands it
to `remember` first; `redact` then replaces it in any text about to be shown,
also in the pieces a driver may print of it (a password holding `@` or `%` is
often cut there: `failed to resolve host 'cr@et@db.example'`) and in its
percent-decoded form.
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import parse_qsl, unquote

MASK = "***"
_SECRETS: set[str] = set()
_SEPARATORS = re.compile(r"([@:/?#%])")
_MIN_PIECE = 3
#: A secret shorter than this is not looked for: it would mask ordinary words ("wrong")
#: in every message, and is no secret worth the name
MIN_SECRET = 6


def _pieces(secret: str) -> set[str]:
    """The secret, its decoded form, and every run of it between separators (3 characters
    or more: a driver may print a password cut at a separator)."""
    out = {secret}
    with contextlib.suppress(UnicodeDecodeError):
        out.add(unquote(secret, errors="strict"))
    parts = _SEPARATORS.split(secret)
    words = parts[::2]
    for i in range(len(words)):
        for j in range(i, len(words)):
            run = "".join(parts[2 * i : 2 * j + 1])
            if len(run) >= _MIN_PIECE:
                out.add(run)
    return {p for p in out if p}


def url_secrets(url: str) -> set[str]:
    """The secrets a URL holds: the password of its user part, and `password=` values."""
    found: set[str] = set()
    _scheme, sep, rest = url.partition("://")
    if not sep:
        return found
    location, _q, query = rest.partition("?")
    if "@" in location:
        userinfo = location.rsplit("@", 1)[0]
        if ":" in userinfo:
            found.add(userinfo.split(":", 1)[1])
        # a password holding '@' may be cut at any '@' by a parser: keep what follows each
        cuts = (p.split(":", 1)[1] for p in userinfo.split("@") if ":" in p)
        found.update(c for c in cuts if len(c) >= _MIN_PIECE)
    for key, value in parse_qsl(query, keep_blank_values=False):
        if "password" in key.lower():
            found.add(value)
    for m in re.finditer(r"password=([^&\s]+)", rest, re.IGNORECASE):
        found.add(m.group(1))
    return {s for s in found if s}


def remember(secret: str | None) -> None:
    """Hide `secret` (and its pieces) from every text `redact` sees from now on."""
    if secret and len(secret) >= MIN_SECRET:
        _SECRETS.update(_pieces(secret))


def forget_all() -> None:
    """Forget every secret remembered (a new run in the same process, such as a test)."""
    _SECRETS.clear()


def remember_url(url: str) -> None:
    """Hide the secrets a URL holds, however short: what stands in a URL's password
    place is a password."""
    for s in url_secrets(url):
        _SECRETS.update(_pieces(s))


def redact(text: str) -> str:
    """`text` with every remembered secret replaced by `***` (longest first)."""
    if not _SECRETS:
        return text
    for secret in sorted(_SECRETS, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def redacted_url(url: str) -> str:
    """A URL to show: its password replaced by `***`."""
    remember_url(url)
    return redact(url)
