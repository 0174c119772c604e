"""Header safety and mail settings: hostile values refused with one line naming the field."""

from __future__ import annotations

import pytest

from afterview.errors import BadInput
from afterview.mail.headers import check_address, check_header_text, check_host, is_loopback
from afterview.mail.settings import build_settings


@pytest.mark.parametrize(
    "value",
    [
        "Hello\r\nBcc: victim@example.org",
        "Hello\nX-Evil: 1",
        "Hello\rthere",
        "nul\x00byte",
        "tab\tin subject",  # a tab is a control character too
        "x" * 901,
    ],
)
def test_header_text_refuses_injection(value: str) -> None:
    with pytest.raises(BadInput, match=r"^subject: "):
        check_header_text(value, "subject")


@pytest.mark.parametrize(
    "value",
    [
        "ana@acme.example\r\nBcc: x@y.example",
        "Ana <ana@acme.example>",
        "ana@acme.example, bob@acme.example",
        "ana@@acme.example",
        "ana@acme",
        "ana acme@example.org",
        "ana@-acme.example",
        "",
    ],
)
def test_addresses_are_single_and_plain(value: str) -> None:
    with pytest.raises(BadInput, match=r"^to: "):
        check_address(value, "to")


def test_good_values_pass() -> None:
    assert (
        check_address(" ana.lopez+jobs@acme-corp.example ", "to")
        == "ana.lopez+jobs@acme-corp.example"
    )
    assert check_header_text("Thank you — Data Engineer interview", "subject")
    assert check_host("smtp.example.org.", "smtp_host") == "smtp.example.org"
    assert check_host("::1", "smtp_host") == "::1"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("localhost", True), ("127.0.0.1", True), ("127.8.9.1", True), ("::1", True),
     ("[::1]", True), ("smtp.localhost", True), ("mail.example.org", False), ("10.0.0.1", False)],
)  # fmt: skip
def test_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def _settings(**changes: object) -> object:
    values: dict[str, object] = {
        "smtp_host": "smtp.example.org",
        "smtp_port": None,
        "smtp_security": "starttls",
        "smtp_user": "sam@example.org",
        "from_address": "sam@example.org",
        "from_name": "Sam Rivera",
        "imap_host": None,
        "imap_port": None,
        "imap_security": None,
        "imap_user": None,
        "sent_folder": None,
        "my_addresses": (),
        "allow_insecure": False,
    }
    values.update(changes)
    return build_settings(**values)  # type: ignore[arg-type]


def test_defaults_ports_by_security() -> None:
    s = _settings()
    assert (s.smtp_port, s.smtp_security) == (587, "starttls")  # type: ignore[attr-defined]
    s = _settings(smtp_security="TLS", imap_host="imap.example.org")
    assert s.smtp_port == 465 and s.imap_port == 993 and s.imap_security == "tls"  # type: ignore[attr-defined]
    assert s.imap_user == "sam@example.org"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"smtp_security": "none"}, "smtp_security"),
        ({"smtp_security": "ssl"}, "smtp_security"),
        ({"smtp_port": 0}, "smtp_port"),
        ({"smtp_port": 70000}, "smtp_port"),
        ({"smtp_host": "smtp.example.org\r\nX: y"}, "smtp_host"),
        ({"smtp_host": "https://smtp.example.org"}, "smtp_host"),
        ({"from_address": "not an address"}, "from_address"),
        ({"from_name": "Sam\nBcc: x@y.example"}, "from_name"),
        ({"imap_host": "imap.example.org", "imap_security": "none"}, "imap_security"),
        ({"imap_port": 993}, "imap_host"),
        ({"my_addresses": ("me@x.example", "bad")}, "my_addresses"),
    ],
)
def test_bad_settings_name_the_field(changes: dict[str, object], field: str) -> None:
    """The settings name the field (`mail setup` words it as its option)."""
    with pytest.raises(BadInput) as err:
        _settings(**changes)
    assert str(err.value).startswith(f"{field}: ")
    assert "\n" not in str(err.value)


def test_plaintext_is_fine_on_loopback_or_when_allowed_explicitly() -> None:
    assert _settings(smtp_host="127.0.0.1", smtp_security="none").smtp_port == 25  # type: ignore[attr-defined]
    s = _settings(smtp_security="none", allow_insecure=True)
    assert s.allow_insecure  # type: ignore[attr-defined]
