"""`afterview mail login`: sign in with the OAuth2 provider and keep the tokens.

Microsoft signs in with a code typed at its address (the device-code flow), Google in
the browser on this computer (the loopback flow); `oauth_flows.py` runs either. The
tokens go with the other secrets (keyring, else the secrets file), never the database.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import NamedTuple

from afterview.errors import Refused
from afterview.mail import oauth2, oauth_flows, oauth_tokens
from afterview.services.context import Context
from afterview.services.outbox import require_settings


class Login(NamedTuple):
    """A completed sign-in: for whom, with which provider, where the tokens went, and
    whether the provider gave a refresh token (without one, the sign-in lasts an hour)."""

    user: str
    provider: str
    kept: str
    renewable: bool


def login(
    ctx: Context,
    say: Callable[[str], None],
    open_url: Callable[[str], object] | None,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Login:
    """Run the provider's flow for the account (`say` prints its instructions, `open_url`
    opens the browser, None: it is only printed) and keep the tokens it gives."""
    s = require_settings(ctx)
    if not s.oauth2 or s.oauth_provider is None or s.oauth_client_id is None:
        raise Refused(
            "the mail account logs in with a password; to use OAuth2, run `afterview mail "
            "setup ... --auth oauth2 --oauth-provider google|microsoft --oauth-client-id ID`"
        )
    p = oauth2.provider(s.oauth_provider)
    secret = oauth_tokens.client_secret(s)
    if p.flow == "device":
        tokens = oauth_flows.device_flow(
            p, s.oauth_client_id, secret, ctx.now, say, sleep=sleep, clock=clock
        )
    else:
        tokens = oauth_flows.loopback_flow(
            p, s.oauth_client_id, secret, ctx.now, say, open_url,
            login_hint=s.login_user, clock=clock,
        )  # fmt: skip
    kept = oauth_tokens.store_tokens(s, tokens)
    return Login(s.login_user, p.title, kept, tokens.refresh_token is not None)
