"""The calendar feed's secret link: a random token per account, kept only as its hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from afterview.services.context import Context
from afterview.store import tokens


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def rotate(ctx: Context) -> str:
    """Make a new feed token (the old link stops working); return it, to show it once."""
    token = secrets.token_urlsafe(24)
    with ctx.db.transaction():
        tokens.save_token_hash(ctx.db, ctx.account, _hash(token), ctx.now)
    return token


def has_token(ctx: Context) -> bool:
    """True when a feed link was made for the account."""
    return tokens.token_hash(ctx.db, ctx.account) is not None


def valid(ctx: Context, token: str) -> bool:
    """True when `token` is the account's current feed token."""
    kept = tokens.token_hash(ctx.db, ctx.account)
    return kept is not None and hmac.compare_digest(kept, _hash(token))
