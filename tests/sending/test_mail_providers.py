"""`mail setup --provider NAME`: the provider's servers filled in, the user's options winning,
what the provider needs said, and a preset that logs in to real servers."""

from __future__ import annotations

import json

import pytest

from afterview.errors import BadInput
from afterview.mail.providers import PROVIDERS, find_provider, with_provider
from tests.cli.helpers import Afterview
from tests.mailservers import ME, ME_PASSWORD, DovecotServer, SmtpServer

NOW = "2026-09-15T15:10"


@pytest.mark.parametrize("name", sorted(PROVIDERS))
def test_each_provider_fills_both_servers_and_the_login(av: Afterview, name: str) -> None:
    p = PROVIDERS[name]
    r = av("mail", "setup", "--provider", name.upper(), "--from", "sam@example.org", now=NOW)
    assert r.code == 0, r.err
    assert f"smtp: {p.smtp_host}:{p.smtp_port} ({p.smtp_security})" in r.out
    assert f"imap: {p.imap_host}:{p.imap_port} ({p.imap_security})" in r.out
    assert "smtp_user: sam@example.org" in r.out and "imap_user: sam@example.org" in r.out
    assert f"sent_folder: {p.sent_folder or 'none'}" in r.out
    assert f"{p.title}: {p.needs}." in r.out
    shown = av("mail", "show", "--json", now=NOW).json()
    assert shown["smtp"] == f"{p.smtp_host}:{p.smtp_port} ({p.smtp_security})"


def test_options_given_win_over_the_preset(av: Afterview) -> None:
    r = av(
        "mail", "setup", "--provider", "outlook", "--smtp-host", "smtp.office365.com",
        "--smtp-security", "tls", "--imap-user", "login@example.org", "--sent-folder", "Sent Items",
        "--from", "sam@example.org", "--json", now=NOW,
    )  # fmt: skip
    assert r.code == 0, r.err
    view = r.json()
    # tls without a port: the port follows the security given, not the preset's 587
    assert view["smtp"] == "smtp.office365.com:465 (tls)"
    assert view["imap"] == "outlook.office365.com:993 (tls)"
    assert view["imap_user"] == "login@example.org" and view["sent_folder"] == "Sent Items"


def test_an_unknown_provider_or_no_host_is_refused_and_nothing_saved(av: Afterview) -> None:
    bad = av("mail", "setup", "--provider", "gmial", "--from", "sam@example.org", now=NOW)
    assert bad.code == 2 and bad.out == ""
    assert bad.err.strip() == (
        "afterview: --provider: expected one of gmail, outlook, icloud, fastmail, yahoo, "
        "proton-bridge, got 'gmial'"
    )
    none = av("mail", "setup", "--from", "sam@example.org", now=NOW)
    assert none.code == 2
    assert "--smtp-host: needed unless --provider names your provider" in none.err
    shown = av("mail", "show", now=NOW)
    assert shown.code != 0 and "mail setup" in shown.err


def test_the_merge_is_pure_and_leaves_a_setup_without_provider_alone() -> None:
    given = {"smtp_host": "mail.example.org", "smtp_security": None, "from_address": "a@b.c"}
    assert with_provider(None, given) == {**given, "smtp_security": "starttls"}
    assert with_provider("icloud", {"from_address": "a@b.c"})["sent_folder"] == "Sent Messages"
    with pytest.raises(BadInput) as err:
        find_provider("")
    assert err.value.field == "provider"


def test_the_proton_bridge_preset_logs_in_to_real_servers_on_this_machine(
    av: Afterview, smtpd: SmtpServer, mailbox: DovecotServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bridge listens on 127.0.0.1 without TLS: the test servers do the same, on their own
    ports, and the preset must log in to both with nothing but the ports changed."""
    monkeypatch.setenv("AFTERVIEW_SMTP_PASSWORD", ME_PASSWORD)
    monkeypatch.setenv("AFTERVIEW_IMAP_PASSWORD", ME_PASSWORD)
    r = av(
        "mail", "setup", "--provider", "proton-bridge", "--from", ME,
        "--smtp-port", str(smtpd.port), "--imap-port", str(mailbox.port), now=NOW,
    )  # fmt: skip
    assert r.code == 0, r.err
    checks = av("mail", "check", "--json", now=NOW)
    assert checks.code == 0, checks.out
    assert [c["ok"] for c in checks.json()] == [True, True]


def test_a_well_known_port_alone_brings_its_security() -> None:
    filled = with_provider("gmail", {"from_address": "a@b.c", "smtp_port": 465})
    assert (filled["smtp_port"], filled["smtp_security"]) == (465, "tls")
    odd = with_provider("gmail", {"from_address": "a@b.c", "smtp_port": 2525})
    assert (odd["smtp_port"], odd["smtp_security"]) == (2525, "starttls")  # the preset's


def test_oauth2_with_gmail_or_outlook_means_that_providers_sign_in(av: Afterview) -> None:
    assert with_provider("gmail", {"auth": "oauth2"})["oauth_provider"] == "google"
    assert with_provider("outlook", {"auth": "oauth2"})["oauth_provider"] == "microsoft"
    r = av(
        "mail", "setup", "--provider", "outlook", "--from", "sam@outlook.com",
        "--auth", "oauth2", "--oauth-client-id", "0f1e2d3c-aaaa-bbbb", "--json", now=NOW,
    )  # fmt: skip
    assert r.code == 0, r.err
    shown = av("mail", "show", "--json", now=NOW).json()
    assert "microsoft" in json.dumps(shown).lower()
