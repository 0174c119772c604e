"""The CLI fixture of tests/cli, for the sources' command tests."""

from tests.cli.conftest import av  # noqa: F401
