"""Shared fixtures: the real embedding model (loaded once), real knowledge bases in tmp dirs."""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from chat.factory import build_embedder, build_knowledge_base
from chat.settings import Settings
from knowledge.base import KnowledgeBase
from knowledge.embedding import Embedder

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DRCD = SHARED_DATA / "drcd-dev"
PUBMED = SHARED_DATA / "pubmedqa-dev"


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The bundled all-MiniLM-L6-v2, loaded once for the whole run."""
    return build_embedder(Settings())


@pytest.fixture
def make_kb(tmp_path: Path, embedder: Embedder) -> Callable[..., KnowledgeBase]:
    """Open a real knowledge base (SQLite, embedded Chroma, lexical index) in a temp data dir."""

    def make(data_dir: Path | None = None, **overrides: object) -> KnowledgeBase:
        settings = Settings(data_dir=data_dir or tmp_path / "data", **overrides)  # type: ignore[arg-type]
        return build_knowledge_base(settings, embedder=embedder)

    return make


@pytest.fixture
def kb(make_kb: Callable[..., KnowledgeBase]) -> KnowledgeBase:
    """An empty knowledge base."""
    return make_kb()


@pytest.fixture(scope="session")
def bundled_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled GGUF, joined from its installed part packages and hash-checked."""
    from serving.bundled import bundled_model_path

    return bundled_model_path(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="session")
def llama_backend(bundled_model: Path) -> Any:
    """The real in-process llama.cpp backend on the bundled model, loaded once."""
    from serving.bundled import BUNDLED_SHA256
    from serving.llamacpp import LlamaCppBackend

    backend = LlamaCppBackend(
        bundled_model, expected_sha256=BUNDLED_SHA256, n_ctx=2048, n_threads=2
    )
    backend.load()
    return backend
