"""The CLI fixture of tests/cli, for the calendar tests."""

from tests.cli.conftest import av  # noqa: F401
