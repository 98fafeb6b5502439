"""Open a knowledge base in a data dir from the family configs: the one wiring of its parts."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from knowledge.base import KnowledgeBase
from knowledge.embedders.base import Embedder
from knowledge.files import FileStore
from knowledge.formats.kinds import ParseLimits
from knowledge.layout import DataLayout
from knowledge.lexical.factory import LexicalConfig, make_lexical_store
from knowledge.locks import DocumentLocks
from knowledge.options import ChunkingOptions, RetrievalOptions
from knowledge.registry import Registry
from knowledge.vector_stores.factory import VectorStoreConfig, make_vector_store


def open_knowledge_base(
    data_dir: Path,
    *,
    engine: Engine,
    embedder: Embedder,
    vectors: VectorStoreConfig,
    lexical: LexicalConfig | None = None,
    parse_limits: ParseLimits | None = None,
    chunking: ChunkingOptions | None = None,
    retrieval: RetrievalOptions | None = None,
) -> KnowledgeBase:
    """The knowledge base kept in ``data_dir`` (created if needed), its registry on ``engine``
    (disposed of if the vector store cannot be opened)."""
    layout = DataLayout(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        store = make_vector_store(vectors, layout)
    except BaseException:
        engine.dispose()
        raise
    return KnowledgeBase(
        layout=layout,
        registry=Registry(engine),
        vectors=store,
        lexical=make_lexical_store(lexical or LexicalConfig(), layout),
        embedder=embedder,
        files=FileStore(layout),
        locks=DocumentLocks(layout),
        parse_limits=parse_limits,
        chunking=chunking,
        retrieval=retrieval,
    )
