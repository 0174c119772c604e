"""Fetching a page over HTTP(S) for a lead: timeouts, a few retries, a size cap."""

from __future__ import annotations

import time

from afterview.errors import BadInput

TIMEOUT = 15.0
RETRIES = 2  # after the first try, for a timeout, a dropped connection, 429 or 5xx
USER_AGENT = "afterview (job-search assistant; one page, on the user's request)"


def fetch(url: str, limit: int, field: str = "URL") -> bytes:
    """Return the body of `url` (at most `limit` bytes) or raise `BadInput` saying why."""
    import httpx

    if not url.lower().startswith(("https://", "http://")):
        raise BadInput(field, f"expected an http(s):// address, got {url[:60]!r}")
    last = ""
    for attempt in range(RETRIES + 1):
        if attempt:
            time.sleep(0.5 * 2 ** (attempt - 1))
        try:
            with httpx.stream(
                "GET",
                url,
                timeout=TIMEOUT,
                follow_redirects=True,
                headers={"user-agent": USER_AGENT, "accept": "text/html,*/*;q=0.5"},
            ) as r:
                if r.status_code == 429 or r.status_code >= 500:
                    last = f"the server answered {r.status_code}"
                    continue
                if r.status_code >= 400:
                    raise BadInput(field, f"{url[:80]} answered {r.status_code}")
                body = bytearray()
                for chunk in r.iter_bytes():
                    body += chunk
                    if len(body) > limit:
                        raise BadInput(field, f"the page is over {limit // 1048576} MB")
                return bytes(body)
        except httpx.TimeoutException:
            last = f"no answer within {TIMEOUT:g} s"
        except httpx.TransportError as exc:
            last = f"cannot connect ({type(exc).__name__})"
        except httpx.InvalidURL as exc:
            raise BadInput(field, f"not a usable address ({exc})") from None
    raise BadInput(field, f"{url[:80]}: {last} (tried {RETRIES + 1} times)")
