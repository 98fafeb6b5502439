"""Which chunks get vectors, and embedding a ready document's pending ones after ingest.

A document is searchable by words as soon as its rows are stored; its vectors may come later
(in a background thread of the web app), each batch counted in the registry so that a
restart resumes where the last one stopped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from knowledge.embedders.base import Embedder
from knowledge.options import ProgressCallback
from knowledge.tables import Chunk, Document, DocumentStatus
from knowledge.text import languages_in

if TYPE_CHECKING:
    from knowledge.base import KnowledgeBase

EMBED_BATCH = 64
"""Chunks embedded and counted at a time: a crash loses at most one batch's work."""


def embeddable(embedder: Embedder, rows: Sequence[Chunk]) -> list[Chunk]:
    """The rows written (at least partly) in a language the embedder reads, in chunk-id
    order: the ones that get vectors (an English-only model's vectors of Chinese text add
    nothing to recall, but a bilingual page's English half is worth its vector)."""
    wanted = [row for row in rows if any(map(embedder.reads, languages_in(row.text)))]
    return sorted(wanted, key=lambda row: row.chunk_id)


def plan_vectors(embedder: Embedder, document: Document, rows: Sequence[Chunk]) -> list[Chunk]:
    """Set a new document's vector counts (all pending, but those the embedder does not
    read, which are skipped); return the rows to embed, in order."""
    wanted = embeddable(embedder, rows)
    document.vectors_pending, document.vectors_skipped = len(wanted), len(rows) - len(wanted)
    return wanted


def store_vectors(
    kb: KnowledgeBase, document: Document, rows: Sequence[Chunk], progress: ProgressCallback | None
) -> None:
    """Embed rows, store their vectors in the document's space and count each batch off the
    document's pending vectors (a crash resumes after the last batch counted)."""
    space = kb.space(document.collection)
    for start in range(0, len(rows), EMBED_BATCH):
        batch = rows[start : start + EMBED_BATCH]
        vectors = kb.embedder.embed_documents([row.text for row in batch])
        kb.vectors.upsert(
            space, [row.chunk_id for row in batch], vectors, [row.doc_id for row in batch]
        )
        kb.registry.record_embedded(document.doc_id, len(batch))
        if progress:
            progress("embed", min(start + EMBED_BATCH, len(rows)), len(rows))


def embed_pending(kb: KnowledgeBase, progress: ProgressCallback | None = None) -> int:
    """Embed the rest of every ready document with pending vectors, each under its lock: one
    being ingested or removed right now is left to that writer (or to the next call), and one
    removed meanwhile is skipped, so no vector outlives its document. Returns how many
    documents were completed."""
    completed = 0
    for pending in kb.registry.pending_vectors():
        with kb.locks.hold(pending.doc_id) as taken:
            document = kb.registry.get(pending.doc_id) if taken else None
            if document is None or document.status != DocumentStatus.READY:
                continue
            wanted = embeddable(kb.embedder, kb.registry.chunks_of(document.doc_id))
            done = max(0, len(wanted) - document.vectors_pending)
            kb.embed_chunks(document, wanted[done:], progress)
            completed += 1
    return completed
