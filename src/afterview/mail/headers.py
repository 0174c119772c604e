"""Header values that cannot inject other headers: names, subjects and addresses checked.

A CR or LF inside a name, a subject or an address would let the value start a new
header (`Bcc:` …) or end the header block, whether typed as it is or hidden in an
RFC 2047 encoded word (`=?utf-8?q?=0D=0A?=`, which the mail library decodes on
the way out); NUL and other control characters have no business there either.
Such values are refused with a one-line error naming the field, never cleaned
up silently (`afterview.textcheck` holds the check).
"""

from __future__ import annotations

import ipaddress
import re

from afterview.errors import BadInput
from afterview.textcheck import MAX_HEADER_TEXT, check_header_text, shown

_ADDRESS = re.compile(
    r"^[^@\s<>()\[\],;:\"\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)

__all__ = ["MAX_HEADER_TEXT", "check_address", "check_header_text", "check_host"]


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
    wanted = f"expected a host name or an IP address, got {shown(value)}"
    if not host or len(host) > 253 or host.startswith("-"):
        raise BadInput(field, wanted)
    if any(c in host for c in " /@:") and not _is_ipv6(host):
        raise BadInput(field, wanted)
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
