"""The CLI fixture of tests/cli, for the leads tests."""

from tests.cli.conftest import av  # noqa: F401
