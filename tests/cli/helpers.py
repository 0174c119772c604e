"""Running the real CLI in-process against a real database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from click.testing import CliRunner

from afterview.cli.main import load_cli

cli = load_cli()


@dataclass
class Run:
    """The outcome of one command."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


class Afterview:
    """Calls `afterview --db URL ...` the way a user would, in-process."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url

    def __call__(self, *args: str, now: str | None = None, input: str | None = None) -> Run:
        argv = ["--db", self.db_url]
        if now:
            argv += ["--now", now]
        result = CliRunner().invoke(cli, [*argv, *args], input=input, catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    def ok(self, *args: str, now: str | None = None, input: str | None = None) -> Run:
        r = self(*args, now=now, input=input)
        assert r.code == 0, f"exit {r.code}: {r.err}{r.out}"
        return r
