"""File locks (``filelock``, flock underneath): released by the OS when a process dies.

Two kinds: a process-wide lock that makes a resource (the embedded Chroma folder) one
process's while its threads share it, and per-document locks that any two writers, threads
of one process included, contend for; neither ever waits.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from knowledge.errors import StoreUnavailable
from knowledge.layout import DataLayout

_held: dict[Path, FileLock] = {}
_guard = threading.Lock()


def _write_pid(descriptor: int) -> None:
    """Name this process in the lock file, so that a refused process can say who holds it."""
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)


def _file_lock(path: Path, *, shared_by_threads: bool) -> FileLock:
    # flock only (no soft fallback), and the lock file stays: other processes read its pid.
    return FileLock(
        path,
        thread_local=not shared_by_threads,
        fallback_to_soft=False,
        preserve_lock_file=True,
        on_acquired=_write_pid if shared_by_threads else None,
    )


def holder_pid(path: Path) -> int | None:
    """The pid written into a lock file, if it names one."""
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def acquire_process_lock(path: Path, what: str, advice: str) -> None:
    """Take (or re-enter) this process's exclusive lock on ``path``; never waits.

    Raises StoreUnavailable naming the holder when another process has it.
    """
    key = path.resolve()
    with _guard:
        lock = _held.get(key)
        if lock is None:
            key.parent.mkdir(parents=True, exist_ok=True)
            lock = _file_lock(key, shared_by_threads=True)
        try:
            lock.acquire(blocking=False)
        except Timeout:
            pid = holder_pid(key)
            holder = f"process {pid}" if pid else "another process"
            raise StoreUnavailable(f"{what} is in use by {holder}; {advice}") from None
        _held[key] = lock


def release_process_lock(path: Path) -> None:
    """Give back one hold taken with ``acquire_process_lock``; the lock goes with the last."""
    key = path.resolve()
    with _guard:
        lock = _held.get(key)
        if lock is None:
            return
        lock.release()
        if not lock.is_locked:
            del _held[key]


def held_elsewhere(path: Path) -> bool:
    """Whether another process holds the lock on ``path`` right now."""
    key = path.resolve()
    with _guard:
        if key in _held:
            return False
    if not key.exists():
        return False
    probe = _file_lock(key, shared_by_threads=False)
    try:
        probe.acquire(blocking=False)
    except Timeout:
        return True
    probe.release()
    return False


class DocumentLocks:
    """One lock file per document (``DataLayout.document_lock``); a writer holds its own."""

    def __init__(self, layout: DataLayout) -> None:
        self.layout = layout
        layout.locks.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def hold(self, doc_id: str) -> Iterator[bool]:
        """Try to take a document's lock without waiting; yields whether it was taken."""
        lock = _file_lock(self.layout.document_lock(doc_id), shared_by_threads=False)
        try:
            lock.acquire(blocking=False)
        except Timeout:
            yield False
            return
        try:
            yield True
        finally:
            lock.release()
