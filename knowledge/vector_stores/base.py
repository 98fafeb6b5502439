"""What a vector store is. Search and writes (what ingest and retrieval need) are one
protocol; the maintenance that only doctor, backup and restore need is another."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from knowledge.embedders.base import Vectors


class VectorIndex(Protocol):
    """Stores chunk vectors in named spaces (one per collection and embedding model) and
    finds the nearest ones."""

    def upsert(
        self, space: str, ids: Sequence[str], vectors: Vectors, doc_ids: Sequence[str]
    ) -> None:
        """Store vectors under chunk ids, each tagged with its document id."""
        ...

    def query(self, space: str, vector: Vectors, k: int) -> list[tuple[str, float]]:
        """The k nearest chunk ids with their cosine similarity, best first."""
        ...

    def delete_document(self, space: str, doc_id: str) -> None:
        """Remove every vector of one document."""
        ...

    def close(self) -> None:
        """Give back what the store holds (the embedded store's process lock)."""
        ...


class VectorMaintenance(Protocol):
    """What checking, backing up and restoring a store needs beyond search."""

    def spaces(self) -> list[str]:
        """The names of every space in the store."""
        ...

    def count(self, space: str) -> int:
        """How many vectors a space holds."""
        ...

    def document_counts(self, space: str) -> dict[str, int]:
        """How many vectors each document has in a space."""
        ...

    def document_vectors(self, space: str, doc_id: str) -> tuple[list[str], Vectors]:
        """The chunk ids and vectors of one document, in id order."""
        ...

    def drop_space(self, space: str) -> None:
        """Delete a space and all its vectors."""
        ...


class VectorStore(VectorIndex, VectorMaintenance, Protocol):
    """A vector store with both faces: what a knowledge base is given."""
