"""The OAuth2 options of `afterview mail setup` (the sign-in itself is `mail login`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])


def oauth_options(f: F) -> F:
    """Add `--auth`, `--oauth-provider`, `--oauth-client-id`, `--oauth-client-secret-stdin`."""
    for option in reversed(
        (
            click.option(
                "--auth",
                default="password",
                show_default=True,
                metavar="password|oauth2",
                help="Log in with a password, or an OAuth2 token (`afterview mail login`).",
            ),
            click.option(
                "--oauth-provider", metavar="google|microsoft", help="With --auth oauth2."
            ),
            click.option(
                "--oauth-client-id",
                metavar="ID",
                help="The client id you registered (README: Mail providers).",
            ),
            click.option(
                "--oauth-client-secret-stdin",
                is_flag=True,
                help="Read the client's secret from stdin (Google desktop clients have one).",
            ),
        )
    ):
        f = option(f)
    return f
