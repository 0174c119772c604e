"""On a server each account's settings are its own: a seeker who sets their time zone
sees their moments in it, another seeker and the centre's file are untouched, and the
centre's notification channels never become an account's. Real PostgreSQL as the
application's role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.conftest import IsolatedEnv
from tests.server.conftest import ServerDb, add_account, csrf, sign_in

pytestmark = pytest.mark.postgres
CENTRE = (
    '# the centre\'s settings\ntimezone = "Europe/Paris"\n\n[notify]\n'
    'channels = ["json://localhost/centre"]\n'
)


def test_each_account_keeps_its_own_settings(
    server_db: ServerDb, server_app: Callable[[], TestClient], env_isolated: IsolatedEnv
) -> None:
    add_account(server_db.owner, "ana@example.org", demo=True)
    add_account(server_db.owner, "ben@example.org", demo=True)
    ana, ben = server_app(), server_app()
    env_isolated.config_file.write_text(CENTRE, encoding="utf-8")
    sign_in(ana, "ana@example.org")
    sign_in(ben, "ben@example.org")
    assert ana.get("/api/settings").json()["notify"]["channels"] == []  # not the centre's
    r = ana.post(
        "/settings",
        data={"timezone": "America/New_York", "name": "Ana Ruiz", "playbook.weekly_target": "8"},
        headers=csrf(ana),
    )
    assert r.status_code == 303, r.text[:300]
    mine, theirs = ana.get("/api/settings").json(), ben.get("/api/settings").json()
    assert (mine["timezone"], mine["name"]) == ("America/New_York", "Ana Ruiz")
    assert theirs["timezone"] == "Europe/Paris" and theirs["name"] is None
    assert env_isolated.config_file.read_text(encoding="utf-8") == CENTRE
    offsets = {c: c.get("/api/today").json()["at"][-6:] for c in (ana, ben)}
    assert offsets[ana] in ("-05:00", "-04:00") and offsets[ben] in ("+01:00", "+02:00")
    targets = {c: {p["key"]: p["value"] for p in c.get("/api/settings").json()["playbook"]}
               ["weekly_target"] for c in (ana, ben)}  # fmt: skip
    assert targets == {ana: 8, ben: 5}
    refused = ana.post("/settings", data={"add_channel": "json://localhost/mine"},
                       headers=csrf(ana))  # fmt: skip
    assert refused.status_code == 422 and "centre" in refused.text
    stored = server_db.owner.query("SELECT account_id, body FROM account_config")
    assert len(stored) == 1 and "channels" not in stored[0][1]
    assert "America/New_York" in stored[0][1]
