"""BM25 (bm25s) over script-aware tokens, one index per collection, kept in the data dir.

The index is a cache derived from the registry's chunk texts: it is saved under the
collection's generation number, and rebuilt whenever that number has moved on (after an
ingest, a removal, or a crash between the two).
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path

import bm25s
import numpy as np

from knowledge.fileio import write_atomically
from knowledge.layout import DataLayout
from knowledge.lexical.base import ChunkSource
from knowledge.lexical.tokenize import tokenize

logger = logging.getLogger(__name__)
logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG


class Bm25Index:
    """An immutable BM25 index over chunk ids."""

    def __init__(self, retriever: bm25s.BM25 | None, chunk_ids: list[str]) -> None:
        self._retriever = retriever
        self.chunk_ids = chunk_ids

    @classmethod
    def build(cls, chunks: list[tuple[str, str]]) -> Bm25Index:
        """Index (chunk id, text) pairs."""
        if not chunks:
            return cls(None, [])
        retriever = bm25s.BM25()
        retriever.index([tokenize(text) or [""] for _, text in chunks], show_progress=False)
        return cls(retriever, [chunk_id for chunk_id, _ in chunks])

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """The k best-scoring chunk ids for a query, best first; only positive scores."""
        if self._retriever is None:
            return []
        vocabulary = self._retriever.vocab_dict
        tokens = [token for token in tokenize(query) if token in vocabulary]
        if not tokens:
            return []
        scores = self._retriever.get_scores(tokens)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.chunk_ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def document_frequencies(self, tokens: Iterable[str]) -> tuple[dict[str, int], int]:
        """How many chunks hold each token (0 for a token the index has never seen), and
        how many chunks the index holds."""
        if self._retriever is None:
            return dict.fromkeys(tokens, 0), 0
        vocabulary = self._retriever.vocab_dict
        pointers = self._retriever.scores["indptr"]
        found = {
            token: int(pointers[vocabulary[token] + 1] - pointers[vocabulary[token]])
            if token in vocabulary
            else 0
            for token in tokens
        }
        return found, int(self._retriever.scores["num_docs"])

    def save(self, directory: Path) -> None:
        """Write the index into a new directory, atomically (temp dir, then rename)."""
        try:
            write_atomically(directory, DataLayout.lexical_staging(directory), self._write)
        except OSError:
            if not directory.exists():  # another process saving the same generation is fine
                raise

    def _write(self, staging: Path) -> None:
        staging.mkdir(parents=True)
        if self._retriever is not None:
            self._retriever.save(str(staging / "bm25"))
        (staging / "chunk_ids.json").write_text(json.dumps(self.chunk_ids))

    @classmethod
    def load(cls, directory: Path) -> Bm25Index:
        """Read an index that ``save`` wrote."""
        chunk_ids = json.loads((directory / "chunk_ids.json").read_text())
        retriever = bm25s.BM25.load(str(directory / "bm25")) if chunk_ids else None
        return cls(retriever, chunk_ids)


class Bm25Store:
    """Keeps each collection's BM25 index current with the registry, on disk and in memory."""

    def __init__(self, layout: DataLayout) -> None:
        self.layout = layout
        self._cache: dict[str, tuple[int, Bm25Index]] = {}
        self._lock = threading.Lock()

    def index(self, collection: str, generation: int, source: ChunkSource) -> Bm25Index:
        """The collection's index at this generation: from memory, from disk, or rebuilt."""
        with self._lock:
            cached = self._cache.get(collection)
            if cached and cached[0] == generation:
                return cached[1]
            directory = self.layout.lexical_generation(collection, generation)
            try:
                index = Bm25Index.load(directory)
            except (OSError, ValueError):
                index = self._rebuild(collection, generation, source)
            self._cache[collection] = (generation, index)
            return index

    def _rebuild(self, collection: str, generation: int, source: ChunkSource) -> Bm25Index:
        logger.info("rebuilding the lexical index of %s at generation %d", collection, generation)
        index = Bm25Index.build(source())
        directory = self.layout.lexical_generation(collection, generation)
        shutil.rmtree(directory, ignore_errors=True)  # an unreadable leftover
        index.save(directory)
        for old in self.layout.lexical_collection(collection).iterdir():
            number = self.layout.generation_of(old)
            if number is not None and number < generation:
                shutil.rmtree(old, ignore_errors=True)
        return index

    def drop(self, collection: str) -> None:
        """Forget a collection's index, on disk and in memory."""
        with self._lock:
            self._cache.pop(collection, None)
            shutil.rmtree(self.layout.lexical_collection(collection), ignore_errors=True)
