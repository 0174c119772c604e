"""The server's settings: `server.toml`, written by `afterview server init`.

```toml
[server]
database = "postgresql://afterview_app:…@db.example.org/afterview"  # the application's role
admin_database = "postgresql://afterview_owner:…@db.example.org/afterview"  # migrations
url = "https://afterview.example.org"  # the address users open (links in mail)
secret_file = "/etc/afterview/server-secret"  # encrypts the accounts' mail secrets
```

The file holds database passwords: it is written 0600 and refused when group or others
may read it. `AFTERVIEW_SERVER_CONFIG` names another file.
"""

from __future__ import annotations

import os
import stat
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from afterview import paths
from afterview.errors import BadInput, StoreError
from afterview.textcheck import has_control, shown

FILE_NAME = "server.toml"


class ServerMail(NamedTuple):
    """The server's own mail (`[mail]` of server.toml): password-reset links and
    invitations go out through it. The password is AFTERVIEW_SERVER_SMTP_PASSWORD."""

    smtp_host: str
    smtp_port: int
    smtp_security: str
    smtp_user: str | None
    from_address: str


class ServerSettings(NamedTuple):
    """What `server.toml` says."""

    path: str
    database: str
    admin_database: str | None
    url: str
    secret_file: str
    mail: ServerMail | None = None


def settings_path() -> str:
    """`AFTERVIEW_SERVER_CONFIG`, else `server.toml` in the platform's config folder."""
    override = paths.env_setting("AFTERVIEW_SERVER_CONFIG")
    if override is not None:
        return os.path.abspath(os.path.expanduser(override))
    return os.path.join(paths.user_config_dir(), FILE_NAME)


def check_database_url(url: str, field: str) -> str:
    """A `postgresql://` URL: server mode keeps many accounts in PostgreSQL only."""
    if has_control(url) or not url.startswith(("postgresql://", "postgres://")):
        raise BadInput(field, "a postgresql://user[:password]@host[:port]/database URL")
    return url


def check_public_url(url: str, field: str = "url") -> str:
    """The address users open: https://host[:port][/path] (http:// for localhost only)."""
    try:
        parts = urlsplit(url) if not has_control(url) else None
        if parts is not None:
            parts.port  # noqa: B018 - raises on a port that is no number
    except ValueError:  # "https://[::1", a port of letters
        parts = None
    local = parts is not None and parts.hostname in ("localhost", "127.0.0.1", "::1")
    if (
        parts is None
        or not parts.hostname
        or parts.query
        or parts.fragment
        or parts.username
        or (parts.scheme != "https" and not (parts.scheme == "http" and local))
    ):
        raise BadInput(
            field, f"an https://host[/path] address (http:// only for localhost), got {shown(url)}"
        )
    return url.rstrip("/")


def render(s: ServerSettings) -> str:
    """The text of `server.toml` for `s`."""
    import tomlkit

    doc = tomlkit.document()
    doc.add(tomlkit.comment("afterview server settings, written by `afterview server init`."))
    doc.add(tomlkit.comment("It holds database passwords: keep it readable by afterview only."))
    table = tomlkit.table()
    table.add("database", s.database)
    if s.admin_database is not None:
        table.add("admin_database", s.admin_database)
    table.add("url", s.url)
    table.add("secret_file", s.secret_file)
    doc.add("server", table)
    if s.mail is not None:
        mail = tomlkit.table()
        for key, value in s.mail._asdict().items():
            if value is not None:
                mail.add(key, value)
        doc.add("mail", mail)
    return tomlkit.dumps(doc)


def load(path: str | None = None) -> ServerSettings:
    """Read and check `server.toml`; a missing file says to run `afterview server init`."""
    path = path or settings_path()
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise StoreError(
            f"server: no settings at {shown(path)}; run `afterview server init` first "
            "(or set AFTERVIEW_SERVER_CONFIG)"
        ) from None
    except OSError as exc:
        raise StoreError(f"server: cannot read {shown(path)} ({exc.strerror})") from None
    if os.name == "posix" and stat.S_IMODE(st.st_mode) & 0o077:
        raise StoreError(
            f"server: {shown(path)} holds database passwords and others may read it; "
            f"chmod 600 {path}"
        )
    import tomllib

    try:
        with open(path, "rb") as fh:
            raw = tomllib.loads(fh.read().decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise BadInput("server-config", f"{shown(path)} is not TOML text ({exc})") from None
    section = raw.get("server")
    if not isinstance(section, dict):
        raise BadInput("server-config", f"{shown(path)} has no [server] table")
    return ServerSettings(
        path=path,
        database=check_database_url(_text(section, "database", path), "server.database"),
        admin_database=(
            check_database_url(_text(section, "admin_database", path), "server.admin_database")
            if "admin_database" in section
            else None
        ),
        url=check_public_url(_text(section, "url", path), "server.url"),
        secret_file=_text(section, "secret_file", path),
        mail=_mail(raw.get("mail"), path),
    )


def _mail(section: Any, path: str) -> ServerMail | None:
    """The `[mail]` table, checked (None when there is none)."""
    if section is None:
        return None
    if not isinstance(section, dict):
        raise BadInput("mail", f"[mail] of {shown(path)} is a table")
    from afterview.mail.headers import check_address, check_host

    port = section.get("smtp_port", 587)
    security = section.get("smtp_security", "starttls")
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        raise BadInput("mail.smtp_port", "a port number, 1 to 65535")
    if security not in ("starttls", "tls", "none"):
        raise BadInput("mail.smtp_security", "starttls, tls or none")
    user = section.get("smtp_user")
    if user is not None and (not isinstance(user, str) or has_control(user)):
        raise BadInput("mail.smtp_user", "a login name on one line")
    return ServerMail(
        smtp_host=check_host(_text(section, "smtp_host", path, "mail"), "mail.smtp_host"),
        smtp_port=port,
        smtp_security=security,
        smtp_user=user,
        from_address=check_address(
            _text(section, "from_address", path, "mail"), "mail.from_address"
        ),
    )


def _text(section: dict[str, Any], key: str, path: str, table: str = "server") -> str:
    value = section.get(key)
    if not isinstance(value, str) or not value:
        raise BadInput(f"{table}.{key}", f"a string in [{table}] of {shown(path)}")
    return value
