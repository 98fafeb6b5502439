"""Pick a vector store from a small config: the one place that knows every kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from knowledge.errors import StoreUnavailable, UnknownKind, require_module
from knowledge.layout import DataLayout
from knowledge.vector_stores.base import VectorStore

VectorStoreKind = Literal["chroma-embedded", "chroma-server"]


@dataclass(frozen=True)
class VectorStoreConfig:
    """Which vector store to open: Chroma embedded in the data dir (one process at a time),
    or a Chroma server at ``url`` that several processes share."""

    kind: VectorStoreKind = "chroma-embedded"
    url: str | None = None


def make_vector_store(config: VectorStoreConfig, layout: DataLayout) -> VectorStore:
    """Open the vector store the config names; an embedded one lives where ``layout`` says."""
    match config.kind:
        case "chroma-embedded":
            require_module("the Chroma vector store", "chromadb", "chromadb")
            from knowledge.vector_stores.chroma import ChromaVectorStore

            return ChromaVectorStore(path=layout.chroma, lock=layout.chroma_lock)
        case "chroma-server":
            require_module("the Chroma vector store", "chromadb", "chromadb")
            from knowledge.vector_stores.chroma import ChromaVectorStore

            if not config.url:
                raise StoreUnavailable("a Chroma server needs its URL")
            return ChromaVectorStore(url=config.url)
        case _:
            raise UnknownKind("vector store", config.kind, get_args(VectorStoreKind))
