"""The CLI fixture of tests/cli, for the sending tests."""

from tests.cli.conftest import av  # noqa: F401
