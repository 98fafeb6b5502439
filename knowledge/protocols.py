"""What the knowledge base needs of its document registry and its file store.

The embedder, vector store and lexical index families have their own folders and protocols;
these two have one implementation each (``Registry`` on SQL, ``FileStore`` on disk).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

from knowledge.tables import Chunk, Document, DocumentSection, DocumentStatus


class DocumentRegistry(Protocol):
    """Which documents the knowledge base holds, their chunk texts, and each collection's
    change counter (its generation)."""

    def get(self, doc_id: str) -> Document | None:
        """The document with exactly this id, if any."""
        ...

    def resolve(self, id_or_prefix: str) -> Document:
        """The one document whose id starts with the prefix; DocumentNotFound otherwise."""
        ...

    def record_move(self, old_id: str, new_id: str) -> None:
        """Remember that a document now has another id."""
        ...

    def moved_to(self, old_id: str) -> Document | None:
        """The document an old id moved to, if it still exists."""
        ...

    def documents(
        self, collection: str | None = None, status: DocumentStatus | None = None
    ) -> list[Document]:
        """Documents, newest first, optionally of one collection or status."""
        ...

    def collections(self) -> list[str]:
        """Names of collections that hold at least one ready document."""
        ...

    def add_indexing(
        self,
        document: Document,
        chunks: Sequence[Chunk],
        sections: Sequence[DocumentSection] = (),
    ) -> None:
        """Record a document being indexed, with its chunks and sections, in one transaction."""
        ...

    def sections_of(
        self, doc_id: str, numbers: Iterable[int] | None = None
    ) -> dict[int, DocumentSection]:
        """A document's stored sections by number (all, or the given numbers)."""
        ...

    def mark_ready(self, doc_id: str) -> None:
        """Make a fully indexed document searchable."""
        ...

    def mark_removing(self, doc_id: str) -> None:
        """Hide a document from search before its parts are deleted."""
        ...

    def record_embedded(self, doc_id: str, count: int) -> None:
        """Count more of a document's chunks as embedded."""
        ...

    def reset_vectors(self, doc_id: str, pending: int, skipped: int) -> None:
        """Set a document's vector counts anew."""
        ...

    def pending_vectors(self) -> list[Document]:
        """Ready documents whose vectors are not all stored yet, oldest first."""
        ...

    def unfinished(self) -> list[Document]:
        """Documents left half-ingested or half-removed."""
        ...

    def delete(self, doc_id: str) -> None:
        """Delete a document row and its chunks."""
        ...

    def generation(self, collection: str) -> int:
        """The collection's change counter (0 for a collection never written)."""
        ...

    def generations(self) -> dict[str, int]:
        """Every collection's change counter, including collections now empty."""
        ...

    def ready_chunks(self, collection: str) -> list[tuple[str, str]]:
        """(chunk id, text) of each chunk of the collection's ready documents, stably ordered."""
        ...

    def chunks_with_documents(self, chunk_ids: Iterable[str]) -> dict[str, tuple[Chunk, Document]]:
        """Ready chunks by id, each with its document."""
        ...

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """A document's chunk rows, in chunk-id order."""
        ...

    def chunk_counts(self) -> dict[str, int]:
        """How many chunk rows each document has."""
        ...

    def close(self) -> None:
        """Give back the database connections."""
        ...


class FileStorage(Protocol):
    """Keeps each document's original file (``kind``: pdf, docx, ...)."""

    def path(self, doc_id: str, kind: str) -> Path:
        """Where the original file of a document is kept."""
        ...

    def put(self, doc_id: str, kind: str, source: Path) -> Path:
        """Copy a file in atomically: a reader sees the whole file or none."""
        ...

    def remove(self, doc_id: str, kind: str) -> None:
        """Delete a document's file if it is there."""
        ...
