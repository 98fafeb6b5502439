"""kbchat's knowledge base: documents in, cited pages and sections out.

A plain library: it imports nothing of kbchat's and reads no settings. Open one with
``open_knowledge_base(data_dir, engine=..., embedder=make_embedder(EmbedderConfig(...)),
vectors=VectorStoreConfig(...))``, then ``ingest``, ``search``, ``remove`` and ``move`` on the
``KnowledgeBase``. Each swappable part is a family with a protocol, a config naming its
``kind``, and a factory: embedders (``knowledge/embedders/``), vector stores
(``knowledge/vector_stores/``) and lexical indexes (``knowledge/lexical/``). ``DataLayout``
owns every path under the data dir; ``diagnose``/``repair``, ``copy_knowledge`` and
``restore_knowledge`` keep the data sound and safe. Everything others may use is in
``__all__``; other modules are internal.
"""

import ast
import importlib
from pathlib import Path
from typing import TYPE_CHECKING

# The face is loaded lazily (as SPEC 1's lazy_loader does): a child process that needs one
# module (the PDF parser's worker, one per upload) must not pay for importing the database,
# the embedder and the vector store first. Type checkers read the imports below; at run time
# the same imports say where each name lives.
if TYPE_CHECKING:
    from knowledge.base import KnowledgeBase
    from knowledge.chunking import sentence_spans, split_sentences
    from knowledge.embedders.base import Embedder, Precision, Vectors, model_key
    from knowledge.embedders.bundled import MODEL_ID as BUNDLED_EMBEDDER_ID
    from knowledge.embedders.factory import EmbedderConfig, EmbedderKind, make_embedder
    from knowledge.embedding_state import VectorState, vector_state, vectors_share
    from knowledge.errors import (
        BackupError,
        DocumentBusy,
        DocumentNotFound,
        IngestBusy,
        IngestError,
        InvalidCollection,
        KnowledgeError,
        MissingPackage,
        StorageFull,
        StoreUnavailable,
        UnknownKind,
    )
    from knowledge.fileio import sha256_file, write_atomically
    from knowledge.formats.kinds import KINDS, READABLE, ParseLimits, kind_of
    from knowledge.formats.model import ParsedDocument, Place, Section, Table, Unit, row_line
    from knowledge.formats.parse import parse_document
    from knowledge.layout import DataLayout
    from knowledge.lexical.base import ChunkSource, LexicalIndex, LexicalStore
    from knowledge.lexical.factory import LexicalConfig, LexicalKind, make_lexical_store
    from knowledge.lexical.tokenize import FUNCTION_HAN, content_tokens, query_terms
    from knowledge.maintenance.backup import KnowledgeCopy, copy_knowledge
    from knowledge.maintenance.doctor import Diagnosis, Problem, diagnose, repair
    from knowledge.maintenance.restore import clear_knowledge, holds_knowledge, restore_knowledge
    from knowledge.opening import open_knowledge_base
    from knowledge.options import (
        ChunkingOptions,
        IngestResult,
        ProgressCallback,
        RetrievalOptions,
        check_collection,
        space_name,
    )
    from knowledge.page_image import (
        PageImageError,
        PageImageLimits,
        PageLayout,
        cjk_font_found,
        marked_spans,
        page_layout,
        render_page,
    )
    from knowledge.protocols import DocumentRegistry, FileStorage
    from knowledge.retrieval import (
        SearchHit,
        convex_fusion,
        page_hits,
        relevance,
        rerank_by_coverage,
    )
    from knowledge.tables import (
        Chunk,
        CollectionState,
        Document,
        DocumentSection,
        DocumentStatus,
        MovedDocument,
    )
    from knowledge.text import (
        CJK_LETTER_RANGES,
        CJK_RANGES,
        HAN_RANGES,
        Language,
        detect_language,
        estimate_tokens,
    )
    from knowledge.vector_stores.base import VectorIndex, VectorMaintenance, VectorStore
    from knowledge.vector_stores.factory import (
        VectorStoreConfig,
        VectorStoreKind,
        make_vector_store,
    )


def _where_names_live() -> dict[str, tuple[str, str]]:
    """Each face name's (module, name there), read from the imports above."""
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If))
    return {
        alias.asname or alias.name: (node.module, alias.name)
        for node in block.body
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    }


_WHERE = _where_names_live()


def __getattr__(name: str) -> object:
    """Import a face name's module on first use."""
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _WHERE[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The face's names."""
    return sorted(__all__)


__all__ = [
    # the knowledge base and how to open it
    "KnowledgeBase",
    "open_knowledge_base",
    "ChunkingOptions",
    "RetrievalOptions",
    "ParseLimits",
    "IngestResult",
    "ProgressCallback",
    "check_collection",
    "space_name",
    # its rows and hits
    "Document",
    "DocumentSection",
    "DocumentStatus",
    "VectorState",
    "vector_state",
    "vectors_share",
    "Chunk",
    "CollectionState",
    "MovedDocument",
    "SearchHit",
    "relevance",
    # retrieval steps, for benchmarks that sweep them
    "convex_fusion",
    "page_hits",
    "rerank_by_coverage",
    # errors
    "KnowledgeError",
    "IngestError",
    "IngestBusy",
    "DocumentBusy",
    "DocumentNotFound",
    "InvalidCollection",
    "StoreUnavailable",
    "StorageFull",
    "BackupError",
    "UnknownKind",
    "MissingPackage",
    # families: protocols, configs, factories
    "Embedder",
    "BUNDLED_EMBEDDER_ID",
    "Vectors",
    "Precision",
    "EmbedderConfig",
    "EmbedderKind",
    "make_embedder",
    "model_key",
    "VectorIndex",
    "VectorMaintenance",
    "VectorStore",
    "VectorStoreConfig",
    "VectorStoreKind",
    "make_vector_store",
    "LexicalIndex",
    "LexicalStore",
    "ChunkSource",
    "LexicalConfig",
    "LexicalKind",
    "make_lexical_store",
    "DocumentRegistry",
    "FileStorage",
    # the data dir and its upkeep
    "DataLayout",
    "Diagnosis",
    "Problem",
    "diagnose",
    "repair",
    "KnowledgeCopy",
    "copy_knowledge",
    "holds_knowledge",
    "clear_knowledge",
    "restore_knowledge",
    # documents read into sections, and PDF pages (the web viewer)
    "KINDS",
    "READABLE",
    "kind_of",
    "ParsedDocument",
    "parse_document",
    "Section",
    "Table",
    "row_line",
    "Place",
    "Unit",
    "PageImageError",
    "PageImageLimits",
    "PageLayout",
    "cjk_font_found",
    "marked_spans",
    "page_layout",
    "render_page",
    # text helpers
    "HAN_RANGES",
    "CJK_LETTER_RANGES",
    "CJK_RANGES",
    "Language",
    "detect_language",
    "estimate_tokens",
    "sentence_spans",
    "split_sentences",
    "content_tokens",
    "query_terms",
    "FUNCTION_HAN",
    "sha256_file",
    "write_atomically",
]
