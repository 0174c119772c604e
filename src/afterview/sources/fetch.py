"""Fetching a page over HTTP(S) for a lead: timeouts, a few retries, a size cap, at
most 5 redirects and only to web addresses, and a deadline for the whole fetch."""

from __future__ import annotations

import time
from urllib.parse import urljoin

from afterview.errors import BadInput
from afterview.textcheck import check_line, shown

TIMEOUT = 15.0  # for each connect and each read
DEADLINE = 30.0  # for the whole fetch, a slow drip included
RETRIES = 2  # after the first try, for a timeout, a dropped connection, 429 or 5xx
MAX_REDIRECTS = 5
USER_AGENT = "afterview (job-search assistant; one page, on the user's request)"


def _web(url: str) -> bool:
    return url.lower().startswith(("https://", "http://"))


def fetch(url: str, limit: int, field: str = "URL") -> bytes:
    """Return the body of `url` (at most `limit` bytes) or raise `BadInput` saying why."""
    import httpx

    if not _web(url):
        raise BadInput(field, f"expected an http(s):// address, got {url[:60]!r}")
    check_line(url, field, limit=2000)
    if any(c.isspace() for c in url.strip()):
        raise BadInput(field, f"an address holds no spaces, got {shown(url)}")
    last = ""
    start = time.monotonic()
    for attempt in range(RETRIES + 1):
        if attempt:
            time.sleep(0.5 * 2 ** (attempt - 1))
        try:
            status, body = _get(url, limit, field, start)
        except httpx.TimeoutException:
            last = f"no answer within {TIMEOUT:g} s"
            continue
        except httpx.TransportError as exc:
            last = f"cannot connect ({type(exc).__name__})"
            continue
        except (httpx.RequestError, httpx.InvalidURL) as exc:
            raise BadInput(field, f"{shown(url, 80)}: {type(exc).__name__}") from None
        if status == 429 or status >= 500:
            last = f"the server answered {status}"
            continue
        if status >= 400:
            raise BadInput(field, f"{url[:80]} answered {status}")
        return body
    raise BadInput(field, f"{url[:80]}: {last} (tried {RETRIES + 1} times)")


def _get(url: str, limit: int, field: str, start: float) -> tuple[int, bytes]:
    """One try: follow redirects by hand (web addresses only, at most 5)."""
    import httpx as h

    for _ in range(MAX_REDIRECTS + 1):
        with h.stream(
            "GET",
            url,
            timeout=TIMEOUT,
            follow_redirects=False,
            headers={"user-agent": USER_AGENT, "accept": "text/html,*/*;q=0.5"},
        ) as r:
            if r.is_redirect:
                target = urljoin(url, r.headers.get("location", ""))
                if not _web(target):
                    raise BadInput(field, f"{url[:80]} redirects to a non-web address")
                url = target
                continue
            if r.status_code >= 400:
                return r.status_code, b""
            body = bytearray()
            for chunk in r.iter_bytes():
                body += chunk
                if len(body) > limit:
                    raise BadInput(field, f"the page is over {limit // 1048576} MB")
                if time.monotonic() - start > DEADLINE:
                    raise BadInput(field, f"{url[:80]}: still sending after {DEADLINE:g} s")
            return r.status_code, bytes(body)
    raise BadInput(field, f"more than {MAX_REDIRECTS} redirects")
