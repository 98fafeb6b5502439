"""Where a ready document's meaning index stands, read from its two vector counts."""

from __future__ import annotations

from enum import StrEnum

from knowledge.tables import Document


class VectorState(StrEnum):
    """How far a document's chunk vectors have come; its words are searchable whatever
    this says."""

    DONE = "done"
    """Every chunk the embedder reads has its vector (others may be words only)."""
    PENDING = "pending"
    """No vector yet: the embedding is queued."""
    PARTIAL = "partial"
    """Some of its vectors are stored; the embedding goes on (or resumes after a restart)."""
    WORDS_ONLY = "words-only"
    """The embedder reads none of its chunks' language: searched by words alone."""


def vector_state(document: Document) -> VectorState:
    """Where a document's meaning index stands."""
    if document.vectors_skipped >= document.chunks:
        return VectorState.WORDS_ONLY
    if document.vectors_pending <= 0:
        return VectorState.DONE
    if document.vectors_pending >= document.chunks - document.vectors_skipped:
        return VectorState.PENDING
    return VectorState.PARTIAL


def vectors_share(document: Document) -> float:
    """The share of the chunks it can embed that are embedded (1.0 when there are none)."""
    wanted = document.chunks - document.vectors_skipped
    if wanted <= 0:
        return 1.0
    return max(0, wanted - document.vectors_pending) / wanted
