"""Real mail servers for the mail tests: a private Dovecot (IMAP) and aiosmtpd (SMTP).

- `DovecotServer`: a throwaway Dovecot on 127.0.0.1 and a free port, in its own temp
  folder, plaintext auth, maildir storage, users `me@local.test` / `secret` and
  `other@local.test` / `secret2` (shared/testing/RECIPES.md). `append()` puts a raw
  message into a folder over IMAP, `reset()` empties a user's mailbox. Given
  `tls=(cert, key)`, it offers STARTTLS on `port` and IMAPS on `tls_port`. Given
  `oauth2=INTROSPECTION_URL`, it also accepts OAuth2 tokens (an `oauth2` passdb asking
  that RFC 7662 endpoint, `tests/oauth_provider.py`) with `oauth2_mechanisms`
  (XOAUTH2 and/or OAUTHBEARER); the users' passwords keep working.
- `SmtpServer`: aiosmtpd in a thread of the test process, AUTH PLAIN/LOGIN without TLS
  (`me@local.test` / `secret`; given `oauth2=`, a function from an access token to its
  user, XOAUTH2 and OAUTHBEARER too), recording each delivered message, with fault injection
  (`fail_next`, `drop_next`, `stop`); `implicit_tls` makes it an SMTPS port (TLS from
  the first byte), `starttls` offers STARTTLS.
- `SmtpProcess`: the same SMTP server in a child process that appends the Message-ID of
  each delivered message to a file (fsynced per message), for crash tests.

The fixtures that use these live in tests/conftest.py (`dovecot`, `mailbox`, `smtpd`,
`smtp_process`). Run `python -m tests.mailservers smtp-child --out FILE` to start the child
server by hand; it prints `PORT <n>` once it listens.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import contextlib
import email
import email.policy
import grp
import os
import pwd
import re
import select
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Any, AnyStr, Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from imapclient import IMAPClient

HOST = "127.0.0.1"
ME = "me@local.test"
ME_PASSWORD = "secret"
OTHER = "other@local.test"
OTHER_PASSWORD = "secret2"
#: The IMAP users of `DovecotServer`, address -> password.
IMAP_USERS: Mapping[str, str] = {ME: ME_PASSWORD, OTHER: OTHER_PASSWORD}
#: The users `SmtpServer` and `SmtpProcess` accept for AUTH, login -> password.
SMTP_USERS: Mapping[str, str] = {ME: ME_PASSWORD, OTHER: OTHER_PASSWORD}

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _tail(path: Path, lines: int) -> str:
    with contextlib.suppress(OSError), path.open(encoding="utf-8", errors="replace") as fh:
        return "".join(fh.readlines()[-lines:])
    return ""


# -- IMAP: a private Dovecot ----------------------------------------------------------------------
class DovecotUnavailable(Exception):
    """The private Dovecot could not be started; the message says why (with its log)."""


def find_dovecot() -> str | None:
    """The `dovecot` binary (Debian puts it in /usr/sbin, which may not be on PATH)."""
    found = shutil.which("dovecot")
    if found:
        return found
    return "/usr/sbin/dovecot" if os.access("/usr/sbin/dovecot", os.X_OK) else None


_DOVECOT_CONF = """\
# A private test instance (tests/mailservers.py); Dovecot 2.3 syntax.
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
protocols = imap
listen = {host}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_verbose = yes
auth_failure_delay = 0
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = 1
mail_location = maildir:{base}/mail/%u
mail_fsync = never
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base}/users
}}
userdb {{
  driver = static
  args = uid={user} gid={group} home={base}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
# No growing delay after a failed login (a test may try a wrong password on purpose).
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
protocol imap {{
  mail_max_userip_connections = 100
}}
"""


_DOVECOT_ERROR = re.compile(r"\b(Fatal|Error|Panic):")
_NOT_SELECTABLE = {b"\\noselect", b"\\nonexistent"}


class DovecotServer:
    """A private Dovecot for tests; `start()` it, `stop()` it (also a context manager).

    `user` / `password` are `me@local.test` / `secret`; `users` maps every user to its
    password. Start-up failures raise `DovecotUnavailable` with the end of the log, after
    killing whatever was started.
    """

    host = HOST

    def __init__(
        self,
        users: Mapping[str, str] = IMAP_USERS,
        user: str = ME,
        tls: tuple[Path, Path] | None = None,
        oauth2: str | None = None,
        oauth2_mechanisms: Sequence[str] = ("xoauth2", "oauthbearer"),
    ) -> None:
        self.users: dict[str, str] = dict(users)
        #: the introspection endpoint of the oauth2 passdb (None: passwords only)
        self.oauth2 = oauth2
        self.oauth2_mechanisms = tuple(oauth2_mechanisms)
        self.user = user
        self.password = self.users[user]
        self.port = 0
        #: (certificate, key) PEM files: TLS on (STARTTLS on `port`, IMAPS on `tls_port`)
        self.tls = tls
        self.tls_port = 0
        self.base: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None

    # paths ---------------------------------------------------------------------------------
    @property
    def log_path(self) -> Path:
        """Dovecot's own log (`log_path`); its stdout/stderr go to `output.log` beside it."""
        assert self.base is not None
        return self.base / "dovecot.log"

    def log_tail(self, lines: int = 20) -> str:
        """Dovecot's first errors, then the last lines of its log and of its stdout/stderr."""
        if self.base is None:
            return ""
        text = "\n".join(
            _tail(path, 10_000).rstrip() for path in (self.log_path, self.base / "output.log")
        ).strip()
        errors = [line for line in text.splitlines() if _DOVECOT_ERROR.search(line)][:8]
        last = "\n".join(text.splitlines()[-lines:])
        if all(line in last for line in errors):
            return last
        return "\n".join(errors) + f"\n--- the log's last {lines} lines ---\n" + last

    # life cycle ------------------------------------------------------------------------------
    def start(self, timeout: float = 30.0) -> None:
        """Start Dovecot on a free port and wait until a user can log in."""
        try:
            self._start(timeout)
        except BaseException:
            self.stop()
            raise

    def _start(self, timeout: float) -> None:
        binary = find_dovecot()
        if binary is None:
            raise DovecotUnavailable(
                "no dovecot binary on PATH or in /usr/sbin "
                "(install Debian's `dovecot-imapd`; scripts/test does)"
            )
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("nobody")
                group = grp.getgrgid(owner.pw_gid).gr_name
            except KeyError:
                raise DovecotUnavailable("running as root but there is no `nobody` user") from None
        else:  # Dovecot runs rootless when every process is the current user.
            owner = pwd.getpwuid(os.getuid())
            group = grp.getgrgid(os.getgid()).gr_name
        # /tmp keeps the socket paths short and is reachable by `nobody`.
        self.base = Path(tempfile.mkdtemp(prefix="afterview-dovecot-", dir="/tmp"))
        self.base.chmod(0o755)
        (self.base / "mail").mkdir()
        (self.base / "state").mkdir()
        if os.geteuid() == 0:
            os.chown(self.base / "mail", owner.pw_uid, owner.pw_gid)
        users = self.base / "users"
        users.write_text("".join(f"{u}:{{PLAIN}}{p}\n" for u, p in self.users.items()))
        users.chmod(0o644)
        conf = self.base / "dovecot.conf"
        last = ""
        for _attempt in range(3):
            self.port = free_port()
            self.tls_port = free_port() if self.tls else 0
            text = _DOVECOT_CONF.format(
                base=self.base, host=self.host, port=self.port, user=owner.pw_name, group=group
            )
            if self.tls:
                cert, key = self.tls
                text = text.replace(
                    "ssl = no\n", f"ssl = yes\nssl_cert = <{cert}\nssl_key = <{key}\n"
                )
                text = text.replace(
                    "  inet_listener imaps {\n    port = 0\n  }",
                    f"  inet_listener imaps {{\n    port = {self.tls_port}\n    ssl = yes\n  }}",
                )
            if self.oauth2:
                text = self._with_oauth2(text)
            conf.write_text(text)
            self.log_path.unlink(missing_ok=True)  # so each attempt reads only its own log
            with (self.base / "output.log").open("wb") as out:
                self._proc = subprocess.Popen(
                    [binary, "-F", "-c", str(conf)],
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group: Ctrl-C stays with pytest
                )
            atexit.register(self.stop)
            if self._wait_ready(time.monotonic() + timeout):
                break
            last = self.log_tail()
            if self._proc is not None and self._proc.poll() is None:
                last = f"(no IMAP greeting within {timeout:g}s)\n{last}"
            self._kill()
            if "Address already in use" not in last:  # only a lost race for the port is retried
                break
        else:
            raise DovecotUnavailable(f"port races on every attempt; Dovecot said:\n{last}")
        if self._proc is None:
            raise DovecotUnavailable(f"{self._version(binary)} did not start:\n{last}")
        try:
            with self.client():
                pass
        except Exception as exc:
            raise DovecotUnavailable(
                f"{self._version(binary)} started on port {self.port} but {self.user} cannot "
                f"log in ({exc}):\n{self.log_tail()}"
            ) from None

    def _with_oauth2(self, text: str) -> str:
        """The config with an oauth2 passdb beside the passwords' (Dovecot 2.3 syntax)."""
        assert self.base is not None and self.oauth2 is not None
        ext = self.base / "dovecot-oauth2.conf.ext"
        ext.write_text(
            "introspection_mode = post\n"
            f"introspection_url = {self.oauth2}\n"
            "force_introspection = yes\n"
            "username_attribute = email\n"
            "active_attribute = active\n"
            "active_value = true\n"
        )
        ext.chmod(0o644)
        mechanisms = " ".join(self.oauth2_mechanisms)
        text = text.replace(
            "auth_mechanisms = plain login\n", f"auth_mechanisms = plain login {mechanisms}\n"
        )
        return text.replace(
            "passdb {\n  driver = passwd-file\n",
            f"passdb {{\n  driver = oauth2\n  mechanisms = {mechanisms}\n  args = {ext}\n}}\n"
            "passdb {\n  driver = passwd-file\n  mechanisms = plain login\n",
        )

    @staticmethod
    def _version(binary: str) -> str:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            res = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10)
            return f"Dovecot {res.stdout.strip()}"
        return "Dovecot"

    def _wait_ready(self, deadline: float) -> bool:
        """True once the port greets with `* OK`; False if Dovecot exits or time runs out."""
        assert self._proc is not None
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                return False
            if "Fatal:" in _tail(self.log_path, 200):  # e.g. the auth process cannot start
                return False
            with (
                contextlib.suppress(OSError),
                socket.create_connection((self.host, self.port), timeout=2) as s,
            ):
                if s.recv(64).startswith(b"* OK"):
                    return True
            time.sleep(0.05)
        return False

    def _kill(self) -> None:
        """End the master (SIGTERM, then SIGKILL to its process group) and reap it."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            # In foreground mode the master is our child; run/master.pid names the same pid.
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)

    def stop(self) -> None:
        """Stop Dovecot and remove its folder (safe to call twice)."""
        self._kill()
        atexit.unregister(self.stop)
        if self.base is not None:
            shutil.rmtree(self.base, ignore_errors=True)
            self.base = None

    def __enter__(self) -> DovecotServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # helpers over IMAP ---------------------------------------------------------------------
    def client(self, user: str | None = None, timeout: float = 10.0) -> IMAPClient:
        """A new IMAPClient logged in as `user` (default `self.user`); log it out after use."""
        user = user or self.user
        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=timeout)
        try:
            client.login(user, self.users[user])
        except BaseException:
            with contextlib.suppress(Exception):
                client.shutdown()
            raise
        return client

    def append(
        self,
        user: str,
        folder: str,
        message_bytes: bytes,
        flags: Iterable[str | bytes] = (),
        internaldate: datetime | None = None,
    ) -> int:
        """APPEND a raw RFC 5322 message to `folder` of `user` (created if missing).

        `internaldate` is the message's INTERNALDATE (a naive datetime is local time).
        Returns the new message's UID.
        """
        with self.client(user) as c:
            if not c.folder_exists(folder):
                c.create_folder(folder)
            response = c.append(folder, message_bytes, flags=tuple(flags), msg_time=internaldate)
        found = re.search(rb"\[APPENDUID \d+ (\d+)\]", response)
        if found is None:
            raise AssertionError(f"no APPENDUID in the APPEND response {response!r}")
        return int(found.group(1))

    def reset(self, user: str) -> None:
        """Empty `user`'s mailbox: delete every folder but INBOX and every message in INBOX."""
        with self.client(user) as c:
            others: list[tuple[int, str]] = []
            for flags, delimiter, name in c.list_folders():
                if name.upper() == "INBOX" or {f.lower() for f in flags} & _NOT_SELECTABLE:
                    continue
                delim = delimiter.decode() if isinstance(delimiter, bytes) else delimiter
                others.append((name.count(delim) if delim else 0, name))
            # Children before parents, so no folder is deleted while it has children.
            for _depth, name in sorted(others, reverse=True):
                c.delete_folder(name)
            for name in c.list_sub_folders():
                if name.upper() != "INBOX":
                    c.unsubscribe_folder(name)
            c.select_folder("INBOX")
            uids = c.search("ALL")
            if uids:
                c.delete_messages(uids)
                c.expunge()
            c.close_folder()


# -- SMTP: aiosmtpd --------------------------------------------------------------------------------
@dataclass(frozen=True)
class SmtpMessage:
    """One message the SMTP server accepted."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    message: EmailMessage
    login: str | None  # the AUTH user, None if the client did not authenticate


@dataclass(frozen=True)
class _Fault:
    kind: Literal["reply", "drop", "drop_after_data"]
    code: int = 0
    text: str = ""


def _parse(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _authenticator(users: Mapping[str, str]) -> Any:
    def authenticate(
        server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            login = auth_data.login.decode("utf-8", "replace")
            password = auth_data.password.decode("utf-8", "replace")
            if login in users and users[login] == password:
                return AuthResult(success=True, auth_data=auth_data)
        # handled=False: aiosmtpd answers "535 5.7.8 Authentication credentials invalid".
        return AuthResult(success=False, handled=False)

    return authenticate


def _login_of(session: Session) -> str | None:
    data = session.auth_data if session.authenticated else None
    return data.login.decode("utf-8", "replace") if isinstance(data, LoginPassword) else None


class _FaultySMTP(SMTP):
    """aiosmtpd's SMTP with two hooks: drop the connection mid-DATA, or instead of a reply."""

    def __init__(self, handler: Any, *, owner: SmtpServer, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self._owner = owner
        self.close_after_reply = False
        self.drop_instead_of_reply = False

    async def smtp_DATA(self, arg: str) -> None:
        wants_data = self.envelope is not None and bool(self.envelope.rcpt_tos) and not arg
        if wants_data and self._owner._take_fault(("drop",)) is not None:
            self._owner._count_attempt()
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            with contextlib.suppress(Exception):  # read one line of the message, then cut
                await asyncio.wait_for(self._reader.readuntil(b"\r\n"), timeout=5)
            self._abort()
            return
        await super().smtp_DATA(arg)
        if self.close_after_reply and self.transport is not None:
            self.close_after_reply = False
            self.transport.close()

    async def push(self, status: AnyStr) -> None:
        if self.drop_instead_of_reply:
            self.drop_instead_of_reply = False
            self._abort()
            return
        await super().push(status)

    def _abort(self) -> None:
        """Cut the connection at once (no graceful close, unsent data is dropped)."""
        if isinstance(self.transport, asyncio.Transport):
            self.transport.abort()
        elif self.transport is not None:
            self.transport.close()


class _RecordingHandler:
    def __init__(self, owner: SmtpServer) -> None:
        self._owner = owner

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        owner = self._owner
        owner._count_attempt()
        fault = owner._take_fault(("reply", "drop_after_data"))
        if fault is not None and fault.kind == "reply":
            if fault.code == 421 and isinstance(server, _FaultySMTP):
                server.close_after_reply = True  # 421 means the server closes the channel
            return f"{fault.code} {fault.text}"
        data = envelope.original_content or b""
        record = SmtpMessage(
            mail_from=envelope.mail_from or "",
            rcpt_tos=list(envelope.rcpt_tos),
            data=data,
            message=_parse(data),
            login=_login_of(session),
        )
        with owner._lock:
            owner.messages.append(record)
        if fault is not None and isinstance(server, _FaultySMTP):  # delivered, but no reply
            server.drop_instead_of_reply = True
        return "250 2.0.0 OK queued"


class _OAuthHandler(_RecordingHandler):
    """Also AUTH XOAUTH2 and OAUTHBEARER, the token checked by the owner's `oauth2`."""

    async def _token_auth(self, server: SMTP, args: list[str]) -> AuthResult:
        import base64
        import binascii

        if len(args) > 1:
            try:
                raw = base64.b64decode(args[1], validate=True)
            except binascii.Error:
                return AuthResult(success=False, handled=False)
        else:
            got = await server.challenge_auth("")
            if not isinstance(got, bytes):
                return AuthResult(success=False, handled=True)
            raw = got
        fields = dict(
            part.split("=", 1)
            for part in raw.decode("utf-8", "replace").split("\x01")
            if "=" in part
        )
        token = fields.get("auth", "").removeprefix("Bearer ")
        check = self._owner.oauth2
        user = check(token) if check is not None and token else None
        if user is None:
            # RFC 7628 3.2.2: an error challenge; the client answers it, then 535
            await server.challenge_auth(b'{"status":"invalid_token"}')
            return AuthResult(success=False, handled=False)
        return AuthResult(success=True, auth_data=LoginPassword(user.encode(), b""))

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        return await self._token_auth(server, args)

    async def auth_OAUTHBEARER(self, server: SMTP, args: list[str]) -> AuthResult:
        return await self._token_auth(server, args)


class _Controller(Controller):
    def __init__(self, owner: SmtpServer, handler: Any, **kwargs: Any) -> None:
        self._owner = owner
        super().__init__(handler, **kwargs)

    def factory(self) -> SMTP:
        return _FaultySMTP(self.handler, owner=self._owner, **self.SMTP_kwargs)


@dataclass
class SmtpServer:
    """An aiosmtpd server in a thread on 127.0.0.1 that records what it is sent.

    AUTH PLAIN/LOGIN is offered without TLS and accepts `users` (wrong ones get 535);
    `auth_required=True` makes MAIL before AUTH fail with 530. Faults queue up in the order
    they are set and each one takes the next DATA transaction.
    """

    users: Mapping[str, str] = field(default_factory=lambda: dict(SMTP_USERS))
    auth_required: bool = False
    #: TLS from the first byte (an SMTPS port, 465-style) with this server context
    implicit_tls: ssl.SSLContext | None = None
    #: STARTTLS offered with this server context
    starttls: ssl.SSLContext | None = None
    #: AUTH XOAUTH2/OAUTHBEARER too: the user of a live access token, else None
    oauth2: Callable[[str], str | None] | None = None
    host: str = HOST
    port: int = 0
    messages: list[SmtpMessage] = field(default_factory=list)
    data_attempts: int = 0  # DATA transactions, delivered or not (each fault counts one)
    _faults: list[_Fault] = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _controller: _Controller | None = field(default=None, repr=False)

    # life cycle ------------------------------------------------------------------------------
    def start(self) -> None:
        """Start listening: on a free port the first time, on the same port after `stop()`."""
        if self._controller is not None:
            return
        fixed = self.port != 0
        for attempt in range(5):
            port = self.port if fixed else free_port()
            controller = _Controller(
                self,
                (_OAuthHandler if self.oauth2 is not None else _RecordingHandler)(self),
                hostname=self.host,
                port=port,
                ready_timeout=10.0,
                server_hostname="smtp.local.test",  # no getfqdn() (a DNS look-up) per connection
                authenticator=_authenticator(self.users),
                auth_require_tls=False,
                auth_required=self.auth_required,
                ssl_context=self.implicit_tls,
                **({"tls_context": self.starttls} if self.starttls is not None else {}),
            )
            try:
                controller.start()
            except OSError:
                with contextlib.suppress(Exception):
                    controller.stop(no_assert=True)
                if fixed or attempt == 4:
                    raise
                continue
            self.port = port
            self._controller = controller
            return

    def stop(self) -> None:
        """Stop listening and cut open connections: new connections are refused."""
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    @property
    def running(self) -> bool:
        return self._controller is not None

    # faults --------------------------------------------------------------------------------
    def fail_next(self, code: int, text: str, times: int = 1) -> None:
        """Answer the next `times` DATA transactions with `code text` (e.g. 451, 550).

        The reply comes after the message data, so smtplib raises `SMTPDataError`; with 421
        the server also closes the connection, as RFC 5321 says.
        """
        with self._lock:
            self._faults.extend(_Fault("reply", code, text) for _ in range(times))

    def drop_next(self, times: int = 1, *, after_data: bool = False) -> None:
        """Cut the connection in the next `times` DATA transactions.

        By default mid-DATA: after the 354 and one line of the message, nothing recorded.
        With `after_data=True` the whole message is received and recorded, then the
        connection is cut instead of the 250 reply (the client cannot know it was sent).
        Either way smtplib raises `SMTPServerDisconnected`.
        """
        kind: Literal["drop", "drop_after_data"] = "drop_after_data" if after_data else "drop"
        with self._lock:
            self._faults.extend(_Fault(kind) for _ in range(times))

    def clear_faults(self) -> None:
        """Forget the faults not yet used."""
        with self._lock:
            self._faults.clear()

    def _take_fault(self, kinds: Sequence[str]) -> _Fault | None:
        with self._lock:
            if self._faults and self._faults[0].kind in kinds:
                return self._faults.pop(0)
            return None

    def _count_attempt(self) -> None:
        with self._lock:
            self.data_attempts += 1

    # reading ---------------------------------------------------------------------------------
    def wait_for(self, count: int, timeout: float = 10.0) -> list[SmtpMessage]:
        """Wait until at least `count` messages arrived; return them (AssertionError if not)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"expected {count} message(s) within {timeout}s, got {len(self.messages)}"
                )
            time.sleep(0.02)
        with self._lock:
            return list(self.messages)


# -- SMTP in a child process -----------------------------------------------------------------------
class SmtpProcess:
    """aiosmtpd in a child process that logs each delivered message's Message-ID to a file.

    One line per message: its Message-ID (`-` when it has none), the AUTH login and the From
    header, tab-separated, appended and fsynced before the 250
    reply; with `delay` the reply then waits that many seconds (a window to crash the
    sender in). AUTH as in `SmtpServer`. `kill()` is SIGKILL, `stop()` SIGTERM.
    """

    host = HOST

    def __init__(self, out_file: str | os.PathLike[str], *, delay: float = 0.0) -> None:
        self.out_file = Path(out_file)
        self.delay = delay
        self.port = 0
        self.log_path = self.out_file.with_name(self.out_file.name + ".log")
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def start(self, timeout: float = 20.0) -> None:
        """Start the child and wait for the port it listens on."""
        if self._proc is not None and self._proc.poll() is None:
            return
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
        self.out_file.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "tests.mailservers", "smtp-child", "--host", self.host,
                 "--out", str(self.out_file), "--delay", str(self.delay)],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=log,
                start_new_session=True,
            )  # fmt: skip
        atexit.register(self.kill)
        assert self._proc.stdout is not None
        ready, _, _ = select.select([self._proc.stdout], [], [], timeout)
        line = self._proc.stdout.readline() if ready else b""
        found = re.fullmatch(rb"PORT (\d+)\s*", line)
        if found is None:
            self.kill()
            raise RuntimeError(
                f"the SMTP child did not start (said {line!r}):\n{_tail(self.log_path, 30)}"
            )
        self.port = int(found.group(1))

    def _end(self, sig: signal.Signals) -> int | None:
        proc, self._proc = self._proc, None
        atexit.unregister(self.kill)
        if proc is None:
            return None
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, sig)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()
        return proc.returncode

    def stop(self) -> int | None:
        """SIGTERM the child and reap it; returns its exit code."""
        return self._end(signal.SIGTERM)

    def kill(self) -> int | None:
        """SIGKILL the child (a crash) and reap it; returns its exit code."""
        return self._end(signal.SIGKILL)

    def delivered_ids(self) -> list[str]:
        """The Message-IDs delivered so far, in order (duplicates kept)."""
        return [d[0] for d in self.delivered()]

    def delivered(self) -> list[tuple[str, str, str]]:
        """What was delivered so far, in order: (Message-ID, the AUTH login that sent it,
        the From header)."""
        try:
            text = self.out_file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        return [tuple(([*line.split("\t"), "-", "-"])[:3]) for line in text.splitlines()]  # type: ignore[misc]

    def __enter__(self) -> SmtpProcess:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class _FileLoggingHandler:
    def __init__(self, out: Path, delay: float) -> None:
        self._out = out
        self._delay = delay

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        data = envelope.original_content or b""
        headers = email.message_from_bytes(data, policy=email.policy.default)
        message_id = str(headers.get("Message-ID", "")).strip() or "-"
        login = getattr(session.auth_data, "login", b"-") or b"-"
        sender = str(headers.get("From", "")).strip() or "-"
        line = "\t".join((message_id, login.decode("utf-8", "replace"), sender))
        with self._out.open("ab") as fh:
            fh.write(line.encode("utf-8", "replace") + b"\n")
            fh.flush()
            os.fsync(fh.fileno())
        if self._delay > 0:
            await asyncio.sleep(self._delay)
        return "250 2.0.0 OK queued"


async def _serve_child(host: str, out: Path, delay: float) -> None:
    handler = _FileLoggingHandler(out, delay)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(
            handler,
            hostname="smtp.local.test",
            authenticator=_authenticator(SMTP_USERS),
            auth_require_tls=False,
            enable_SMTPUTF8=True,
        ),
        host=host,
        port=0,
    )
    port = server.sockets[0].getsockname()[1]
    sys.stdout.write(f"PORT {port}\n")
    sys.stdout.flush()
    async with server:
        await server.serve_forever()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mailservers")
    sub = parser.add_subparsers(dest="command", required=True)
    child = sub.add_parser("smtp-child", help="run the SmtpProcess server in the foreground")
    child.add_argument("--host", default=HOST)
    child.add_argument("--out", required=True, type=Path)
    child.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve_child(args.host, args.out, args.delay))
    return 0


if __name__ == "__main__":
    sys.exit(main())
