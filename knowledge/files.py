"""The stored original PDFs, and per-document locks that tell live writers from crashed ones."""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from knowledge.errors import StorageFull

_FULL = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)


class FileStore:
    """Keeps each document's original bytes at ``files/<doc_id>.pdf``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, doc_id: str) -> Path:
        """Where the original PDF of a document is kept."""
        return self.root / f"{doc_id}.pdf"

    def put(self, doc_id: str, source: Path) -> Path:
        """Copy a file in atomically: a reader sees the whole file or none."""
        target = self.path(doc_id)
        staging = target.with_name(f".{doc_id}.{os.getpid()}.tmp")
        try:
            shutil.copyfile(source, staging)
            with staging.open("rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(staging, target)
        except OSError as error:
            if error.errno in _FULL:
                raise StorageFull(target, error) from error
            raise
        finally:
            staging.unlink(missing_ok=True)
        return target

    def remove(self, doc_id: str) -> None:
        """Delete a document's file if it is there."""
        self.path(doc_id).unlink(missing_ok=True)


class DocumentLocks:
    """Advisory file locks, one per document, released by the OS when a process dies."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def hold(self, doc_id: str) -> Iterator[bool]:
        """Try to take a document's lock without waiting; yields whether it was taken."""
        with (self.root / f"{doc_id}.lock").open("a") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
