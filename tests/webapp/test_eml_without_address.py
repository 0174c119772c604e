"""Downloading an .eml without an e-mail address set points to the Settings page, which has
the field (not to a file to edit), keeps what was typed, and downloads once it is set."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import IsolatedEnv
from tests.webapp.test_app import add_interview, post


def test_eml_without_an_address_points_to_settings(
    client: TestClient, env_isolated: IsolatedEnv
) -> None:
    env_isolated.config_file.write_text('timezone = "Europe/Paris"\n', encoding="utf-8")
    iv = add_interview(client)
    action = f"thank_you:{iv}:1"
    r = post(client, f"/drafts/{action}", {"subject": "Thanks", "body": "My words", "do": "eml"})
    assert r.status_code == 422
    assert "Settings page" in r.text and "config.toml" not in r.text
    assert 'href="/settings"' in r.text or "/settings" in r.text
    env_isolated.config_file.write_text(
        'timezone = "Europe/Paris"\n[me]\nname = "Sam"\nemail = "sam@example.org"\n',
        encoding="utf-8",
    )
    r = post(client, f"/drafts/{action}", {"subject": "Thanks", "body": "My words", "do": "eml"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("message/rfc822")
    assert b"My words" in r.content
