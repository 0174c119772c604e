"""Fixtures of the web app tests: the app in-process on a real database with a clock the
test moves, and the CLI fixture of tests/cli for the `serve` command's tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from afterview.web.app import create_app
from afterview.web.runtime import LOOPBACK_HOSTS, WebSettings
from tests.cli.conftest import av  # noqa: F401
from tests.conftest import IsolatedEnv

NOW = datetime(2026, 9, 15, 15, 30, tzinfo=UTC)  # 17:30 in Paris, the interview ended 17:00


class Clock:
    """A clock the test moves."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def client(db_url: str, env_isolated: IsolatedEnv, clock: Clock) -> Iterator[TestClient]:
    env_isolated.config_file.parent.mkdir(parents=True, exist_ok=True)
    env_isolated.config_file.write_text(
        '# my settings\ntimezone = "Europe/Paris"\n\n[me]\nname = "Sam Carter"\n'
        'email = "sam@example.org"\n',
        encoding="utf-8",
    )
    settings = WebSettings(
        db_target=db_url, clock=clock, allowed_hosts=(*LOOPBACK_HOSTS, "testserver")
    )
    with TestClient(create_app(settings), base_url="http://testserver") as c:
        c.get("/")  # the first response sets the CSRF cookie
        yield c
