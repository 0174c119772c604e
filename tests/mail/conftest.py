"""The CLI fixture of tests/cli, for the mail tests."""

from tests.cli.conftest import av  # noqa: F401
