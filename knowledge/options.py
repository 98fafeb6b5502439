"""The knowledge base's options, collection names, and what an ingest reports."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from knowledge.embedders.base import model_key
from knowledge.errors import InvalidCollection

ProgressCallback = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` during long work."""

_COLLECTION_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")


def check_collection(name: str) -> str:
    """Return the name if it is a valid collection name, else raise InvalidCollection."""
    if not _COLLECTION_NAME.fullmatch(name):
        raise InvalidCollection(name)
    return name


def space_name(collection: str, model_id: str) -> str:
    """The vector-store space of a collection under one embedding model."""
    return f"{collection}--{model_key(model_id)}"


@dataclass(frozen=True)
class IngestResult:
    """What ingesting one file did: ``added`` it, or found it ``unchanged``."""

    file: str
    doc_id: str
    collection: str
    pages: int
    chunks: int
    status: str

    def to_json(self) -> dict[str, object]:
        """The JSON shape printed by ``kbchat ingest --json``."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class ChunkingOptions:
    """Chunk sizes in estimated subword tokens (all-MiniLM-L6-v2 reads at most 256)."""

    max_tokens: int = 240
    overlap_tokens: int = 30


@dataclass(frozen=True)
class RetrievalOptions:
    """How hybrid search fuses its two sides."""

    lexical_weight: float = 0.8
    candidates: int = 100
    coverage_weight: float = 1.0
    """Weight of the share of question terms a page's best chunk contains, added to the
    fused score when the best pages are re-ranked (bench/coverage_sweep.py)."""
    rerank_depth: int = 20
