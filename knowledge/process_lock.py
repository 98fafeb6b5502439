"""Process-wide exclusive locks on files: one process owns a resource, its threads share it."""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path
from typing import IO

from knowledge.errors import StoreUnavailable

_held: dict[Path, tuple[IO[str], int]] = {}
_guard = threading.Lock()


def holder_pid(path: Path) -> int | None:
    """The pid written into a lock file, if it names one."""
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def acquire(path: Path, what: str, advice: str) -> None:
    """Take (or re-enter) this process's exclusive lock on ``path``; never waits.

    Raises StoreUnavailable naming the holder when another process has it.
    """
    key = path.resolve()
    with _guard:
        if key in _held:
            handle, count = _held[key]
            _held[key] = (handle, count + 1)
            return
        key.parent.mkdir(parents=True, exist_ok=True)
        handle = key.open("a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            pid = holder_pid(key)
            holder = f"process {pid}" if pid else "another process"
            raise StoreUnavailable(f"{what} is in use by {holder}; {advice}") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        _held[key] = (handle, 1)


def release(path: Path) -> None:
    """Give back one hold taken with ``acquire``; the lock goes when the last is given back."""
    key = path.resolve()
    with _guard:
        if key not in _held:
            return
        handle, count = _held[key]
        if count > 1:
            _held[key] = (handle, count - 1)
            return
        del _held[key]
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        handle.close()


def held_elsewhere(path: Path) -> bool:
    """Whether another process holds the lock on ``path`` right now."""
    key = path.resolve()
    with _guard:
        if key in _held:
            return False
    if not key.exists():
        return False
    with key.open("a") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    return False
