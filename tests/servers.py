"""Helpers for tests that start a real server process on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(
    command: list[str],
    ready_url: str,
    timeout_s: float = 120,
    *,
    env: dict[str, str] | None = None,
    log: Path | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a server, wait until ``ready_url`` answers, yield its process, and stop it
    afterwards.

    With ``log``, the server's output goes there and is shown if it does not start.
    """
    with (log or Path(os.devnull)).open("w") as output:
        server = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout_s
            while True:
                try:
                    with urllib.request.urlopen(ready_url, timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        shown = f":\n{log.read_text()}" if log else ""
                        pytest.fail(f"{command[0]} did not start (waited for {ready_url}){shown}")
                    time.sleep(0.2)
            yield server
        finally:
            server.terminate()
            server.wait(timeout=60)
