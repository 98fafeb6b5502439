"""Run a snippet in a fresh interpreter and check which modules it imported."""

from __future__ import annotations

import subprocess
import sys


def output_without_importing(code: str, forbidden: str, timeout_s: float = 120) -> str:
    """The stdout of ``code`` run in a new Python process, which must end without having
    imported any module whose name starts with ``forbidden``."""
    check = f"\nimport sys\nassert not [m for m in sys.modules if m.startswith({forbidden!r})]\n"
    done = subprocess.run(
        [sys.executable, "-c", code + check], capture_output=True, text=True, timeout=timeout_s
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
