"""The Settings page's mail form: a provider fills the servers, what is typed wins, and a
bad provider or no server is refused on the page with nothing saved."""

from __future__ import annotations

from fastapi.testclient import TestClient
from markupsafe import escape

from afterview.mail.providers import PROVIDERS
from tests.webapp.test_app import post


def _mailbox_facts(c: TestClient) -> str:
    page = c.get("/settings").text
    return page.split('id="mail-h"', 1)[1].split("</dl>", 1)[0]


def test_the_form_lists_the_providers_and_what_each_needs(client: TestClient) -> None:
    page = client.get("/settings").text
    for p in PROVIDERS.values():
        assert f'<option value="{p.name}">{p.title}</option>' in page
        assert str(escape(p.needs)) in page


def test_a_provider_fills_the_servers_and_typed_values_win(client: TestClient) -> None:
    r = post(client, "/settings/mail", {"provider": "icloud", "from_address": "sam@icloud.com"})
    assert r.status_code == 303, r.text
    facts = _mailbox_facts(client)
    assert "smtp.mail.me.com:587 (starttls)" in facts and "imap.mail.me.com:993 (tls)" in facts
    assert "Sent Messages" in facts and "sam@icloud.com" in facts

    r = post(
        client,
        "/settings/mail",
        {"provider": "fastmail", "smtp_security": "starttls", "from_address": "sam@fm.test"},
    )
    assert r.status_code == 303, r.text
    assert "smtp.fastmail.com:587 (starttls)" in _mailbox_facts(client)


def test_a_bad_provider_or_no_server_is_refused_and_nothing_saved(client: TestClient) -> None:
    for fields, words in (
        ({"provider": "gmial"}, "expected one of gmail"),
        ({}, "needed unless"),
    ):
        r = post(client, "/settings/mail", {**fields, "from_address": "sam@example.org"})
        assert r.status_code in (400, 422), r.status_code
        assert words in r.text
    assert "Not set up" in client.get("/settings").text


def test_oauth2_is_kept_when_the_form_is_saved_again(client: TestClient) -> None:
    fields = {
        "provider": "outlook",
        "from_address": "sam@outlook.com",
        "auth": "oauth2",
        "oauth_client_id": "0f1e2d3c-aaaa-bbbb",
    }
    assert post(client, "/settings/mail", fields).status_code == 303
    page = client.get("/settings").text
    assert '<option value="oauth2" selected>' in page
    assert 'value="0f1e2d3c-aaaa-bbbb"' in page and "<option selected>microsoft</option>" in page
    assert "afterview mail login" in page
    # saved again as the page shows it: still OAuth2 with Microsoft
    again = {**fields, "oauth_provider": "microsoft"}
    assert post(client, "/settings/mail", again).status_code == 303
    assert '<option value="oauth2" selected>' in client.get("/settings").text
