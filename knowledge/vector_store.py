"""Vector storage behind one protocol; Chroma (embedded or server) is the implementation."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Protocol
from urllib.parse import urlparse

import numpy as np

from knowledge.embedding import Vectors
from knowledge.errors import StoreUnavailable

logger = logging.getLogger(__name__)

_BATCH = 2000


class VectorStore(Protocol):
    """Stores chunk vectors in named spaces (one per collection and embedding model)."""

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

    def document_ids(self, space: str) -> set[str]:
        """The document ids that have vectors in a space."""
        ...

    def count(self, space: str) -> int:
        """How many vectors a space holds."""
        ...


class ChromaVectorStore:
    """Chroma, embedded (``PersistentClient``) or as a server (``HttpClient``)."""

    def __init__(self, *, path: str | None = None, url: str | None = None) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        try:
            if url:
                parsed = urlparse(url)
                self._client: Any = chromadb.HttpClient(
                    host=parsed.hostname or "127.0.0.1",
                    port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                    ssl=parsed.scheme == "https",
                    settings=chroma_settings,
                )
            elif path:
                self._client = chromadb.PersistentClient(path=path, settings=chroma_settings)
            else:
                raise StoreUnavailable("ChromaVectorStore needs a path or a server URL")
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
        collection = self._space(space)
        found: set[str] = set()
        total = collection.count()
        for offset in range(0, total, _BATCH):
            page = collection.get(include=["metadatas"], limit=_BATCH, offset=offset)
            found.update(str(meta["doc_id"]) for meta in page["metadatas"] or [] if meta)
        return found

    def count(self, space: str) -> int:
        """Number of vectors in the space."""
        return int(self._space(space).count())
