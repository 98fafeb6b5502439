"""The data dir's layout: every path the knowledge base keeps under it, and the names of the
temporary files its writers stage there. Backup, restore and doctor ask this object instead
of spelling paths again.

::

    <root>/files/<doc_id>.<kind>           stored originals (.pdf, .docx, .xlsx, .csv, ...)
    <root>/files/.<doc_id>.<pid>.tmp       an original being copied in
    <root>/chroma/  <root>/chroma.lock     embedded Chroma, and its one-process lock
    <root>/lexical/<collection>/gen-<N>/   the BM25 index at a collection's generation N
    <root>/lexical/<collection>/gen-<N>.tmp-<pid>-<thread>/   an index being saved
    <root>/locks/<doc_id>.lock             per-document writer locks
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

_ORIGINAL = re.compile(r"^([0-9a-f]{64})\.([a-z]{1,8})$")
_PDF_STAGING = re.compile(r"^\.[0-9a-f]+\.(\d+)\.tmp$")
_GENERATION = re.compile(r"^gen-(\d+)$")
_GENERATION_STAGING = re.compile(r"^gen-\d+\.tmp-(\d+)-\d+$")


@dataclass(frozen=True)
class DataLayout:
    """Where the knowledge base keeps each thing under one data dir."""

    root: Path

    @property
    def files(self) -> Path:
        """The folder of stored original files."""
        return self.root / "files"

    def original(self, doc_id: str, kind: str) -> Path:
        """Where a document's original file is kept (``kind``: pdf, docx, ...)."""
        return self.files / f"{doc_id}.{kind}"

    @staticmethod
    def stored_original(path: Path) -> tuple[str, str] | None:
        """The document id and kind of a stored original, or None for any other file."""
        found = _ORIGINAL.match(path.name)
        return (found.group(1), found.group(2)) if found else None

    def pdf_staging(self, doc_id: str) -> Path:
        """Where this process stages an original before renaming it into place."""
        return self.files / f".{doc_id}.{os.getpid()}.tmp"

    @property
    def chroma(self) -> Path:
        """The embedded Chroma store's folder."""
        return self.root / "chroma"

    @property
    def chroma_lock(self) -> Path:
        """The lock file that makes the embedded Chroma folder one process's."""
        return self.root / "chroma.lock"

    @property
    def lexical(self) -> Path:
        """The folder of lexical indexes, one subfolder per collection."""
        return self.root / "lexical"

    def lexical_collection(self, collection: str) -> Path:
        """The folder of one collection's lexical index generations."""
        return self.lexical / collection

    def lexical_generation(self, collection: str, generation: int) -> Path:
        """The folder of a collection's lexical index at one generation."""
        return self.lexical_collection(collection) / f"gen-{generation}"

    @staticmethod
    def lexical_staging(folder: Path) -> Path:
        """Where this thread stages a lexical index folder before renaming it into place."""
        return folder.with_name(f"{folder.name}.tmp-{os.getpid()}-{threading.get_ident()}")

    @property
    def locks(self) -> Path:
        """The folder of per-document lock files."""
        return self.root / "locks"

    def document_lock(self, doc_id: str) -> Path:
        """The lock file a writer of this document holds."""
        return self.locks / f"{doc_id}.lock"

    @staticmethod
    def generation_of(folder: Path) -> int | None:
        """The generation a lexical index folder holds, or None if it is not one."""
        found = _GENERATION.match(folder.name)
        return int(found.group(1)) if found else None

    @staticmethod
    def staging_writer(path: Path) -> int | None:
        """The process id of the writer that staged this temporary file or folder, or None
        when the path is not a staged one (PDF copies and lexical index folders alike)."""
        found = _PDF_STAGING.match(path.name) or _GENERATION_STAGING.match(path.name)
        return int(found.group(1)) if found else None
