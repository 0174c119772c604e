"""schemathesis against the API's OpenAPI schema, in-process (no network): whatever
the generated requests, no 5xx, and every response conforms to the schema.

The cases are generated per operation from `operation.as_strategy()` and run by
hypothesis (schemathesis's own pytest plugin does not load under pytest 9 here).

`POST /api/leads/read` fetches the address it is given: a generated address that
could reach the network (any string holding "http") is replaced by a page of a job
site served on this computer, so every fetch stays here, and so is one string in
three, so the reading runs too; other strings are sent as generated (the API refuses
them before any fetch).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from afterview.web.app import create_app
from afterview.web.runtime import WebSettings
from tests.webapp.jobsite import POSTING, JobSite, job_page, serve_job_site

# Schema-valid input can still be refused (a date that does not exist, a rule of the
# playbook): the checks are no 5xx, and every response as the schema documents it.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
NOW = datetime(2026, 9, 15, 15, 30, tzinfo=UTC)
TOKEN = "t" * 43
HOSTS = ("127.0.0.1", "localhost", "testserver")


def _app(folder: Path) -> Any:
    from afterview.config import load_config
    from afterview.services.context import Context, open_database
    from afterview.services.demo import fill_demo

    config = str(folder / "config.toml")  # absent: every default
    db_file = str(folder / "afterview.db")
    db = open_database(db_file)
    try:
        fill_demo(Context(db, load_config(config), NOW))
    finally:
        db.close()
    settings = WebSettings(
        db_target=db_file, clock=lambda: NOW, allowed_hosts=HOSTS, config_path=config
    )
    return create_app(settings)


@pytest.fixture(scope="module")
def api_schema() -> Any:
    with tempfile.TemporaryDirectory() as folder:
        yield schemathesis.openapi.from_asgi("/api/openapi.json", _app(Path(folder)))


@pytest.fixture(scope="module")
def job_site() -> Iterator[JobSite]:
    with serve_job_site(default=job_page(POSTING)) as site:
        yield site


def _local(case: Any, site: JobSite) -> None:
    """Point an address that could leave this computer at the local job site; so the
    reading runs too, one generated string in three is replaced by a page there."""
    body = case.body
    if not isinstance(body, dict) or not isinstance(body.get("url"), str):
        return
    url = body["url"]
    if "http" in url.lower() or len(url) % 3 == 0:
        body["url"] = site.at(f"/jobs/{len(url)}")


def _operations(schema: Any) -> list[Any]:
    return [op.ok() for op in schema.get_all_operations()]


def test_the_schema_lists_every_api_route(api_schema: Any) -> None:
    paths = {f"{op.method.upper()} {op.path}" for op in _operations(api_schema)}
    assert "GET /api/today" in paths and "POST /api/interviews" in paths
    assert "PUT /api/drafts/{action_id}" in paths
    assert not any(p.split()[1].startswith(("/interviews", "/drafts")) for p in paths)


def test_api_conforms(api_schema: Any, job_site: JobSite) -> None:
    for op in _operations(api_schema):

        @given(case=op.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
        def run(case: Any) -> None:
            if case.operation.path == "/api/leads/read":
                _local(case, job_site)
            case.call_and_validate(
                headers={"X-CSRF-Token": TOKEN},
                cookies={"afterview_csrf": TOKEN},
                checks=CHECKS,
            )

        try:
            run()
        except Exception as exc:
            raise AssertionError(f"{op.method.upper()} {op.path}: {exc}") from exc
    assert job_site.total_hits() > 0  # the leads reader was tried on a page, here
