"""The CLI fixture of tests/cli, for the `serve` command's tests."""

from tests.cli.conftest import av  # noqa: F401
