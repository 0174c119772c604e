"""A job site on this computer: a real HTTP server (http.server, in a thread) serving
posting pages with JSON-LD, counting the requests each path gets. The web app's tests
read postings from it, so no fetch ever leaves the machine."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

POSTING: dict[str, Any] = {
    "@context": "https://schema.org",
    "@type": "JobPosting",
    "title": "Senior Data Engineer",
    "hiringOrganization": {"@type": "Organization", "name": "Acme Analytics"},
    "jobLocation": {
        "@type": "Place",
        "address": {"@type": "PostalAddress", "addressLocality": "Berlin", "addressCountry": "DE"},
    },
    "baseSalary": {
        "@type": "MonetaryAmount",
        "currency": "EUR",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 70000,
            "maxValue": 85000,
            "unitText": "YEAR",
        },
    },
    "datePosted": "2026-09-01T08:00:00+02:00",
    "validThrough": "2026-10-31",
}


def job_page(*blocks: object, title: str = "Senior Data Engineer - Acme careers") -> bytes:
    """A posting page: a title, and each block as a JSON-LD script."""
    scripts = "".join(
        '<script type="application/ld+json">'
        + (b if isinstance(b, str) else json.dumps(b).replace("</", "<\\/"))
        + "</script>"
        for b in blocks
    )
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{title}</title>"
        f"{scripts}</head><body><h1>{title}</h1><p>Apply now.</p></body></html>"
    ).encode()


class JobSite:
    """The pages served (path -> (status, body)) and the requests each path got."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.pages: dict[str, tuple[int, bytes]] = {}
        self.hits: dict[str, int] = {}

    def at(self, path: str) -> str:
        return self.url + path

    def total_hits(self) -> int:
        return sum(self.hits.values())


@contextmanager
def serve_job_site(default: bytes | None = None) -> Iterator[JobSite]:
    """Serve a job site on 127.0.0.1 (a free port) for the block; `default` is served
    for any path not in `pages` (else 404)."""
    site = JobSite("")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.hits[self.path] = site.hits.get(self.path, 0) + 1
            fallback = (200, default) if default is not None else (404, b"not found")
            status, body = site.pages.get(self.path.split("?")[0], fallback)
            self.send_response(status)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
