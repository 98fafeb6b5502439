"""Chroma as the vector store: embedded (``PersistentClient``) or a server (``HttpClient``)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from knowledge.embedders.base import Vectors
from knowledge.errors import StoreUnavailable
from knowledge.locks import acquire_process_lock, release_process_lock

logger = logging.getLogger(__name__)

_BATCH = 2000


class ChromaVectorStore:
    """Chroma, embedded (``PersistentClient``) or as a server (``HttpClient``)."""

    def __init__(
        self, *, path: Path | None = None, lock: Path | None = None, url: str | None = None
    ) -> None:
        """Open a server at ``url``, or the folder ``path`` held with the lock file ``lock``."""
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        self._lock: Path | None = None
        try:
            if url:
                parsed = urlparse(url)
                self._client: Any = chromadb.HttpClient(
                    host=parsed.hostname or "127.0.0.1",
                    port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                    ssl=parsed.scheme == "https",
                    settings=chroma_settings,
                )
            elif path and lock:
                # PersistentClient is not process-safe: two writers corrupt its files.
                acquire_process_lock(
                    lock,
                    f"the embedded Chroma store {path}",
                    "stop that process (e.g. `kbchat serve`) first, or run Chroma as a "
                    "server and set KBCHAT_CHROMA_URL so that several processes can share it",
                )
                self._lock = lock
                try:
                    self._client = chromadb.PersistentClient(
                        path=str(path), settings=chroma_settings
                    )
                except BaseException:
                    self.close()
                    raise
            else:
                raise StoreUnavailable(
                    "ChromaVectorStore needs a path and its lock, or a server URL"
                )
        except (ValueError, ConnectionError, RuntimeError) as error:
            where = url or path
            raise StoreUnavailable(
                f"cannot open the Chroma vector store at {where}: {error}"
            ) from error
        self._collections: dict[str, Any] = {}

    def _space(self, space: str) -> Any:
        if space not in self._collections:
            self._collections[space] = self._client.get_or_create_collection(
                name=space, metadata={"hnsw:space": "cosine"}, embedding_function=None
            )
        return self._collections[space]

    def upsert(
        self, space: str, ids: Sequence[str], vectors: Vectors, doc_ids: Sequence[str]
    ) -> None:
        """Store vectors in batches that Chroma accepts."""
        collection = self._space(space)
        for start in range(0, len(ids), _BATCH):
            stop = start + _BATCH
            collection.upsert(
                ids=list(ids[start:stop]),
                embeddings=np.asarray(vectors[start:stop], dtype=np.float32),
                metadatas=[{"doc_id": doc_id} for doc_id in doc_ids[start:stop]],
            )

    def query(self, space: str, vector: Vectors, k: int) -> list[tuple[str, float]]:
        """Nearest neighbours by cosine similarity (1 - Chroma's cosine distance)."""
        collection = self._space(space)
        if collection.count() == 0:
            return []
        result = collection.query(query_embeddings=[vector], n_results=k, include=["distances"])
        return [
            (chunk_id, 1.0 - float(distance))
            for chunk_id, distance in zip(result["ids"][0], result["distances"][0], strict=True)
        ]

    def delete_document(self, space: str, doc_id: str) -> None:
        """Delete a document's vectors by its metadata tag."""
        self._space(space).delete(where={"doc_id": doc_id})

    def document_ids(self, space: str) -> set[str]:
        """Every document id present in the space's metadata."""
        return set(self.document_counts(space))

    def document_counts(self, space: str) -> dict[str, int]:
        """Vectors per document id, from the space's metadata."""
        collection = self._space(space)
        counts: Counter[str] = Counter()
        for offset in range(0, collection.count(), _BATCH):
            page = collection.get(include=["metadatas"], limit=_BATCH, offset=offset)
            counts.update(str(meta["doc_id"]) for meta in page["metadatas"] or [] if meta)
        return dict(counts)

    def document_vectors(self, space: str, doc_id: str) -> tuple[list[str], Vectors]:
        """A document's chunk ids and float32 vectors, sorted by chunk id."""
        found = self._space(space).get(where={"doc_id": doc_id}, include=["embeddings"])
        ids = [str(chunk_id) for chunk_id in found["ids"]]
        embeddings = found["embeddings"]
        if not ids or embeddings is None:
            return [], np.zeros((0, 0), dtype=np.float32)
        order = sorted(range(len(ids)), key=ids.__getitem__)
        vectors = np.asarray(embeddings, dtype=np.float32)[order]
        return [ids[i] for i in order], vectors

    def spaces(self) -> list[str]:
        """Every collection of the Chroma client, by name."""
        return sorted(getattr(c, "name", c) for c in self._client.list_collections())

    def drop_space(self, space: str) -> None:
        """Delete the Chroma collection if it exists."""
        self._collections.pop(space, None)
        if space in self.spaces():
            self._client.delete_collection(space)

    def close(self) -> None:
        """Release the embedded store's process lock (once per store)."""
        if self._lock is not None:
            release_process_lock(self._lock)
            self._lock = None

    def count(self, space: str) -> int:
        """Number of vectors in the space."""
        return int(self._space(space).count())
