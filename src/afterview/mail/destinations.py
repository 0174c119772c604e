"""Whether a mail server's host is on a network of the machine's own (for a server:
an account must not make the workers connect to the server's internal services)."""

from __future__ import annotations

import ipaddress
import socket


def internal_address(host: str) -> str | None:
    """The first address of `host` that is loopback, private, link-local or otherwise not
    public, or None when every address it resolves to is public (or it does not resolve:
    nothing can be reached at it)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            return str(address)
    return None
