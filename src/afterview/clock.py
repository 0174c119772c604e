"""The one place that reads the system clock and the system's timezone."""

from __future__ import annotations

import os
from datetime import UTC, datetime

_ZONEINFO_DIRS = ("/usr/share/zoneinfo/", "/usr/lib/zoneinfo/", "/usr/share/lib/zoneinfo/")


def now() -> datetime:
    """Return the current moment, timezone-aware (UTC), to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def system_zone() -> str:
    """Return the IANA name of the system's zone (`TZ`, else /etc/localtime), or "UTC"."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz in ("UTC", "GMT") or (tz and "/" in tz and not tz.startswith("/")):
        return tz
    path = tz if tz.startswith("/") else "/etc/localtime"
    try:
        real = os.path.realpath(path)
    except OSError:
        return "UTC"
    for base in _ZONEINFO_DIRS:
        if real.startswith(base):
            return real[len(base) :].removeprefix("posix/").removeprefix("right/")
    return "UTC"
