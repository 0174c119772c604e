"""Mail secrets on a server: a password given in the mail form is kept in the account's
rows sealed with the server secret (no table holds its bytes), never in a keyring or
the process's environment, opens for its account only, survives `server rotate-secret`
(the old key then opens nothing) and goes when the account is erased. Real PostgreSQL
as the application's role."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from afterview.mail.secret_store import binding
from afterview.mail.secrets import find_password
from afterview.server import secret
from afterview.server.secret_store import DatabaseSecrets
from afterview.server.settings import ServerSettings, render
from afterview.store import journal, server_accounts
from afterview.store.db import connect
from tests.cli.helpers import Afterview
from tests.server.conftest import ServerDb, add_account, csrf, sign_in

pytestmark = pytest.mark.postgres
PASSWORD = "s3cret-Pa55-for-smtp"
IMAP = "another-imap-pa55"


def _mail_form(client: TestClient) -> None:
    r = client.post(
        "/settings/mail",
        data={
            "smtp_host": "smtp.example.org", "smtp_port": "587", "smtp_security": "starttls",
            "from_address": "ana@example.org", "smtp_password": PASSWORD,
            "imap_host": "imap.example.org", "imap_port": "993", "imap_security": "tls",
            "imap_password": IMAP,
        },
        headers=csrf(client),
    )  # fmt: skip
    assert r.status_code == 303, r.text[:500]


def _every_text(server_db: ServerDb) -> str:
    owner = server_db.owner
    out = []
    for table in journal.tables(owner):
        for row in owner.query(f'SELECT * FROM "{table}"'):
            out.append(repr(row))
    return "\n".join(out)


def _opens(server_db: ServerDb, settings: ServerSettings, account: int) -> str | None:
    app = connect(server_db.app_url)
    store = DatabaseSecrets(account, secret.sealer(settings.secret_file), lambda: app,
                            lambda db: None)  # fmt: skip
    try:
        with binding(store):
            return find_password("smtp", "ana@example.org", "smtp.example.org")
    finally:
        app.close()


def test_a_password_is_sealed_in_its_accounts_rows_and_nowhere_else(
    server_db: ServerDb, server_app: Callable[[], TestClient], server_settings: ServerSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("AFTERVIEW_SMTP_PASSWORD", "the server's own, for nobody")
    ana = add_account(server_db.owner, "ana@example.org")
    ben = add_account(server_db.owner, "ben@example.org")
    c = server_app()
    sign_in(c, "ana@example.org")
    _mail_form(c)
    everything = _every_text(server_db)
    for word in (PASSWORD, IMAP, PASSWORD.encode().hex()):
        assert word not in everything
    rows = server_db.owner.query("SELECT account_id, name FROM account_secret ORDER BY name")
    assert [r[0] for r in rows] == [ana, ana]
    assert "in the server&#39;s database" in c.get("/settings").text
    assert _opens(server_db, server_settings, ana) == PASSWORD
    # another account finds nothing (not ana's, not the process's environment)
    assert _opens(server_db, server_settings, ben) is None
    # the account erased: its secrets go with it
    with server_db.owner.unrecorded(), server_db.owner.transaction():
        server_db.owner.use_account(ana)
        server_accounts.erase_account(server_db.owner, ana)
    assert server_db.owner.query("SELECT * FROM account_secret") == []


def test_rotating_the_server_secret_keeps_every_secret_and_drops_the_old_key(
    server_db: ServerDb, server_app: Callable[[], TestClient], server_settings: ServerSettings,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    ana = add_account(server_db.owner, "ana@example.org")
    c = server_app()
    sign_in(c, "ana@example.org")
    _mail_form(c)
    before = dict(server_db.owner.query("SELECT name, sealed FROM account_secret"))
    old_keys = secret.keys(server_settings.secret_file)
    Path(server_settings.path).write_text(render(server_settings))
    Path(server_settings.path).chmod(0o600)
    monkeypatch.setenv("AFTERVIEW_SERVER_CONFIG", server_settings.path)
    r = Afterview(str(tmp_path / "unused.db")).ok("server", "rotate-secret", "--json")
    assert r.json() == {"resealed": 2}
    new_keys = secret.keys(server_settings.secret_file)
    assert len(new_keys) == 1 and new_keys != old_keys
    after = dict(server_db.owner.query("SELECT name, sealed FROM account_secret"))
    assert set(after) == set(before) and all(after[k] != before[k] for k in after)
    assert _opens(server_db, server_settings, ana) == PASSWORD
    from cryptography.fernet import Fernet, InvalidToken

    with pytest.raises(InvalidToken):
        Fernet(old_keys[0]).decrypt(next(iter(after.values())).encode())
    # the running app reads the new key by itself
    assert "in the server&#39;s database" in c.get("/settings").text
