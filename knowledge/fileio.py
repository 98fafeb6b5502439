"""File helpers: the one file hash, and the one write-to-temp-then-rename."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from knowledge.errors import StorageFull

_FULL = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes (a document's id is the hash of its PDF)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def write_atomically(target: Path, staging: Path, write: Callable[[Path], object]) -> None:
    """Have ``write(staging)`` make a file or folder, then rename it onto ``target``.

    A reader sees the whole target or none of it. A staged file is synced to disk before the
    rename; whatever is left at ``staging`` afterwards (after a failure) is removed. A full
    disk raises StorageFull; other errors pass through.
    """
    try:
        write(staging)
        if staging.is_file():
            with staging.open("rb+") as handle:
                os.fsync(handle.fileno())
        os.replace(staging, target)
    except OSError as error:
        if error.errno in _FULL:
            raise StorageFull(target, error) from error
        raise
    finally:
        if staging.is_dir() and not staging.is_symlink():
            shutil.rmtree(staging, ignore_errors=True)
        else:
            staging.unlink(missing_ok=True)
