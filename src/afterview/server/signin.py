"""Signing in to a server: passwords, sessions, lockout, one-time links.

- A session is a random token (256 bits) in an `HttpOnly`, `SameSite=Lax` cookie; the
  database keeps its SHA-256 only. Signing in always makes a new one (the one the browser
  had before is ended: no session fixation). A session ends 12 hours after its last use
  and 14 days after sign-in, at sign-out, at "sign out everywhere", when the password
  changes and when the account is disabled.
- Five wrong passwords in a row lock the account's sign-in for 15 minutes; each wrong
  one after a pause, before a right one, doubles the next pause (at most a day). While
  paused no password is checked (a right one is refused too, and a wrong one is not
  counted); the answer is the same as for a wrong password, so it tells nobody which
  addresses have accounts. A reset link lifts the pause. An unknown email costs as long
  as a known one.
- One-time links (a password reset: 1 hour; an invitation: 7 days) are random tokens
  kept by their hash, used once.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import NamedTuple

from afterview.errors import BadInput, Refused
from afterview.parsing import check_email
from afterview.server import passwords
from afterview.store import server_accounts, server_sessions
from afterview.store.db import Database

SESSION_IDLE = timedelta(hours=12)
SESSION_MAX = timedelta(days=14)
LOCK_AFTER = 5
LOCK_FOR = timedelta(minutes=15)
LOCK_MAX = timedelta(days=1)
#: A session's last use is written at most this often (not at every request)
SEEN_EVERY = timedelta(minutes=1)
LINK_LIFETIME = {"reset": timedelta(hours=1), "invite": timedelta(days=7)}
WRONG = (
    "wrong email or password (after five wrong ones in a row, signing in pauses for a while; "
    "“Forgot your password?” lifts the pause)"
)


class SignInRefused(Refused):
    """Sign-in refused: wrong email or password, locked, or disabled (the message says
    which only when it tells nothing to someone without the password)."""


class Session(NamedTuple):
    """A new session: the cookie's token (shown once) and its account."""

    token: str
    account: int
    expires_at: datetime


def token_hash(token: str) -> str:
    """How a token is kept: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def normal_email(text: str) -> str:
    """An email as accounts are found by it: trimmed, lower case, checked."""
    return check_email(text.strip(), "email").lower()


def _lock_until(failed: int, now: datetime) -> datetime | None:
    if failed < LOCK_AFTER:
        return None
    doubled: timedelta = LOCK_FOR * (2 ** min(failed - LOCK_AFTER, 10))
    return now + min(doubled, LOCK_MAX)


def sign_in(
    db: Database, email: str, password: str, now: datetime, old_token: str | None = None
) -> Session:
    """Check the password and open a new session (ending `old_token`'s); raise
    `SignInRefused` otherwise. The connection is kept to the account afterwards."""
    try:
        email = normal_email(email)
    except BadInput:
        passwords.verify(None, password)
        raise SignInRefused(WRONG) from None
    if len(password) > passwords.MAX_LENGTH:
        raise SignInRefused(WRONG)
    account = server_accounts.account_of_email(db, email)
    if account is None:
        passwords.verify(None, password)  # as long as a real check
        raise SignInRefused(WRONG)
    db.use_account(account)
    token = secrets.token_urlsafe(32)
    expires = now + SESSION_IDLE
    # The login row stays locked while the password is checked: attempts at the same
    # address take turns, so each wrong one is counted (none slips past the pause).
    with db.unrecorded(), db.transaction():
        login = server_accounts.get_login(db, account, lock=True)
        if login is None:
            outcome = WRONG
        elif login.locked_until is not None and now < login.locked_until:
            passwords.verify(None, password)  # as long, and the same words: no oracle
            outcome = WRONG
        elif not passwords.verify(login.password_hash, password):
            failed = login.failed_logins + 1
            server_sessions.record_attempt(db, account, failed, _lock_until(failed, now))
            outcome = WRONG
        elif login.disabled_at is not None:
            outcome = "this account is disabled; ask the career centre"
        else:
            outcome = ""
            server_sessions.record_attempt(db, account, 0, None)
            if login.password_hash and passwords.needs_rehash(login.password_hash):
                server_accounts.set_password(db, account, passwords.hash_password(password), now)
            if old_token:
                server_sessions.end_session(db, token_hash(old_token))
            server_sessions.add_session(db, account, token_hash(token), now, expires)
    if outcome:
        raise SignInRefused(outcome)
    return Session(token, account, expires)


def _found(
    db: Database, token: str | None, lookup: Callable[[Database, str], int | None]
) -> int | None:
    """The account a token names (`lookup` finds it by the token's hash, whatever account
    is set), the connection kept to it; None for no token, a token too long to be one of
    ours, or one that names nothing."""
    if not token or len(token) > 100:
        return None
    account = lookup(db, token_hash(token))
    if account is not None:
        db.use_account(account)
    return account


def resolve(db: Database, token: str | None, now: datetime) -> int | None:
    """The account of a session token still valid at `now`, or None (unknown, expired,
    ended, or its account disabled). Keeps the connection to that account."""
    account = _found(db, token, server_sessions.session_account)
    if account is None or token is None:
        return None
    hashed = token_hash(token)
    found = server_sessions.get_session(db, hashed)
    login = server_accounts.get_login(db, account)
    if found is None or login is None:
        return None
    if (
        login.disabled_at is not None
        or now >= found.expires_at
        or now >= found.created_at + SESSION_MAX
    ):
        with db.unrecorded(), db.transaction():
            server_sessions.end_session(db, hashed)
        return None
    if now - found.seen_at >= SEEN_EVERY:
        expires = min(now + SESSION_IDLE, found.created_at + SESSION_MAX)
        with db.unrecorded(), db.transaction():
            server_sessions.touch_session(db, hashed, now, expires)
    return account


def feed_account(db: Database, token: str) -> int | None:
    """The account whose calendar feed link has `token` (None: no such link); keeps the
    connection to it. The feed's route checks the token again as that account."""
    return _found(db, token, server_sessions.feed_account)


def login_words(db: Database, account: int) -> tuple[str, str]:
    """The email the account signs in with and its role (`""`, `seeker` without a login)."""
    login = server_accounts.get_login(db, account)
    return (login.email, login.role) if login else ("", "seeker")


def sign_out(db: Database, token: str | None) -> None:
    """End the session of `token` (nothing when there is none)."""
    if token is None or _found(db, token, server_sessions.session_account) is None:
        return
    with db.unrecorded(), db.transaction():
        server_sessions.end_session(db, token_hash(token))


def sign_out_everywhere(db: Database, account: int) -> int:
    """End every session of the account (a stolen cookie dies too); how many ended."""
    db.use_account(account)
    with db.unrecorded(), db.transaction():
        return server_accounts.end_sessions(db, account)


def make_link(db: Database, account: int, purpose: str, now: datetime) -> str:
    """A new one-time link's token for the account (older unused ones of the purpose go)."""
    token = secrets.token_urlsafe(32)
    db.use_account(account)
    with db.unrecorded(), db.transaction():
        server_sessions.add_token(
            db, account, token_hash(token), purpose, now, now + LINK_LIFETIME[purpose]
        )
    return token


def link_account(db: Database, token: str, purpose: str, now: datetime) -> int | None:
    """The account of a one-time link still good at `now` (unused, not expired), or None."""
    account = _found(db, token, server_sessions.token_account)
    if account is None:
        return None
    row = server_sessions.get_token(db, token_hash(token))
    if row is None or row.purpose != purpose or row.used_at is not None or now >= row.expires_at:
        return None
    return account


def use_link(db: Database, token: str, purpose: str, password: str, now: datetime) -> Session:
    """Set the account's password with a one-time link, end its other sessions, lift a
    lockout, and sign in; refused when the link is unknown, used or expired."""
    passwords.check_password(password)
    account = link_account(db, token, purpose, now)
    if account is None:
        raise Refused("this link was used already or has expired; ask for a new one")
    hashed = passwords.hash_password(password)
    session = secrets.token_urlsafe(32)
    expires = now + SESSION_IDLE
    with db.unrecorded(), db.transaction():
        if not server_sessions.use_token(db, token_hash(token), now):
            raise Refused("this link was used already; ask for a new one")
        server_accounts.set_password(db, account, hashed, now)
        server_accounts.end_sessions(db, account)
        server_sessions.add_session(db, account, token_hash(session), now, expires)
    return Session(session, account, expires)
