"""The stored original files, one per document, where the data dir's layout puts them."""

from __future__ import annotations

import shutil
from pathlib import Path

from knowledge.fileio import write_atomically
from knowledge.layout import DataLayout


class FileStore:
    """Keeps each document's original bytes at ``DataLayout.original(doc_id, kind)``."""

    def __init__(self, layout: DataLayout) -> None:
        self.layout = layout
        layout.files.mkdir(parents=True, exist_ok=True)

    def path(self, doc_id: str, kind: str) -> Path:
        """Where the original file of a document is kept."""
        return self.layout.original(doc_id, kind)

    def put(self, doc_id: str, kind: str, source: Path) -> Path:
        """Copy a file in atomically: a reader sees the whole file or none."""
        target = self.path(doc_id, kind)
        write_atomically(
            target,
            self.layout.pdf_staging(doc_id),
            lambda staging: shutil.copyfile(source, staging),
        )
        return target

    def remove(self, doc_id: str, kind: str) -> None:
        """Delete a document's file if it is there."""
        self.path(doc_id, kind).unlink(missing_ok=True)
