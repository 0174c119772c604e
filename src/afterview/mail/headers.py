"""Header values that cannot inject other headers: names, subjects and addresses checked.

A CR or LF inside a name, a subject or an address would let the value start a new
header (`Bcc:` …) or end the header block; NUL and other control characters have
no business there either. Such values are refused with a one-line error naming
the field, never cleaned up silently.
"""

from __future__ import annotations

import ipaddress
import re

from afterview.errors import BadInput

# C0 and C1 controls and every other character `str.splitlines` breaks a line at
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ADDRESS = re.compile(
    r"^[^@\s<>()\[\],;:\"\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
MAX_HEADER_TEXT = 900


def check_header_text(value: str, field: str) -> str:
    """Return `value` if it is safe in a header: no CR, LF or other control characters."""
    if _CONTROL.search(value):
        raise BadInput(field, "must not contain line breaks or control characters")
    if len(value) > MAX_HEADER_TEXT:
        raise BadInput(field, f"longer than {MAX_HEADER_TEXT} characters")
    return value


def check_address(value: str, field: str) -> str:
    """Return `value` if it is one plain e-mail address (`name@example.org`), else refuse it."""
    check_header_text(value, field)
    address = value.strip()
    if not _ADDRESS.match(address):
        raise BadInput(field, f"expected one e-mail address like name@example.org, got {value!r}")
    return address


def check_host(value: str, field: str) -> str:
    """Return a host name or IP address, refusing spaces, schemes and control characters."""
    check_header_text(value, field)
    host = value.strip().rstrip(".")
    if not host or (any(c in host for c in " /@:") and not _is_ipv6(host)):
        raise BadInput(field, f"expected a host name like smtp.example.org, got {value!r}")
    return host


def _is_ipv6(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).version == 6
    except ValueError:
        return False


def is_loopback(host: str) -> bool:
    """True for `localhost` and loopback addresses: the only hosts plaintext is fine for."""
    name = host.strip().rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return False


def domain_of(address: str) -> str:
    """Return the lower-case domain of an e-mail address."""
    return address.rsplit("@", 1)[-1].lower()
