"""Each family's factory builds the kind its config names, and refuses an unknown one by name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from knowledge import (
    DataLayout,
    EmbedderConfig,
    LexicalConfig,
    StoreUnavailable,
    UnknownKind,
    VectorStoreConfig,
    make_embedder,
    make_lexical_store,
    make_vector_store,
)
from knowledge.embedders.bundled import MODEL_ID
from knowledge.lexical.bm25 import Bm25Store
from knowledge.vector_stores.chroma import ChromaVectorStore


def test_the_bundled_embedder_reads_english_only_under_its_model_id() -> None:
    embedder = make_embedder(EmbedderConfig("bundled-minilm"))
    assert embedder.model_id == MODEL_ID == "sentence-transformers/all-MiniLM-L6-v2"
    assert embedder.reads("en") and not embedder.reads("zh-TW")


def test_a_sentence_transformers_embedder_is_named_by_its_model() -> None:
    embedder = make_embedder(EmbedderConfig("sentence-transformers", model="/models/bge-m3"))
    assert embedder.model_id == "/models/bge-m3"
    assert embedder.reads("zh-TW")  # not loaded: the model is only opened on first use


def test_the_embedded_chroma_store_lives_where_the_layout_says(tmp_path: Path) -> None:
    layout = DataLayout(tmp_path)
    store = make_vector_store(VectorStoreConfig("chroma-embedded"), layout)
    try:
        assert isinstance(store, ChromaVectorStore)
        assert layout.chroma.is_dir()
        assert layout.chroma_lock.read_text().strip().isdigit()
    finally:
        store.close()


def test_a_chroma_server_without_its_url_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="needs its URL"):
        make_vector_store(VectorStoreConfig("chroma-server"), DataLayout(tmp_path))


def test_the_bm25_store_keeps_its_indexes_where_the_layout_says(tmp_path: Path) -> None:
    layout = DataLayout(tmp_path)
    store = make_lexical_store(LexicalConfig("bm25"), layout)
    assert isinstance(store, Bm25Store)
    index = store.index("default", 3, lambda: [("c1", "night shift nurses"), ("c2", "門診時間")])
    assert [chunk_id for chunk_id, _ in index.search("nurses", 5)] == ["c1"]
    assert (layout.lexical_generation("default", 3) / "chunk_ids.json").is_file()


@pytest.mark.parametrize(
    ("make", "config", "family"),
    [
        (lambda c, _layout: make_embedder(c), EmbedderConfig("qdrant"), "embedder"),  # type: ignore[arg-type]
        (make_vector_store, VectorStoreConfig("qdrant"), "vector store"),  # type: ignore[arg-type]
        (make_lexical_store, LexicalConfig("splade"), "lexical index"),  # type: ignore[arg-type]
    ],
)
def test_an_unknown_kind_is_refused_naming_the_known_ones(
    tmp_path: Path, make: Any, config: Any, family: str
) -> None:
    with pytest.raises(UnknownKind) as refused:
        make(config, DataLayout(tmp_path))
    message = str(refused.value)
    assert f"unknown {family} kind" in message
    assert repr(config.kind) in message
    assert "choose one of" in message
