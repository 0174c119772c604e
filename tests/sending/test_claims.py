"""Whose claim is stale: a worker gone, a reused pid, another host past the lease."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from afterview.services.worker import LEASE, _claimant_gone, worker_name

NOW = datetime(2026, 9, 15, 15, 0, tzinfo=UTC)


def test_this_worker_is_alive_and_a_finished_one_is_gone() -> None:
    assert not _claimant_gone(worker_name(), NOW, NOW)
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert _claimant_gone(f"{socket.gethostname()}:{done.stdout.strip()}:1", NOW, NOW)


def test_a_reused_pid_is_not_mistaken_for_the_old_worker() -> None:
    # same host and pid as this process, but another start time: the claimant is gone
    assert _claimant_gone(f"{socket.gethostname()}:{os.getpid()}:1", NOW, NOW)


def test_another_hosts_worker_is_trusted_until_the_lease_ends() -> None:
    claim = "elsewhere.example:4242:99"
    assert not _claimant_gone(claim, NOW, NOW + LEASE - timedelta(seconds=1))
    assert _claimant_gone(claim, NOW, NOW + LEASE + timedelta(seconds=1))
    assert _claimant_gone(None, None, NOW)
