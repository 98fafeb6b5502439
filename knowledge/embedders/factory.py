"""Pick an embedder from a small config: the one place that knows every kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from knowledge.embedders.base import Embedder, Precision
from knowledge.errors import UnknownKind, require_module

EmbedderKind = Literal["bundled-minilm", "sentence-transformers"]


@dataclass(frozen=True)
class EmbedderConfig:
    """Which embedder to build: the bundled all-MiniLM-L6-v2 (checked against its release
    hashes), or any sentence-transformers model by name or local path (``model``)."""

    kind: EmbedderKind = "bundled-minilm"
    model: str = ""
    device: str | None = None
    precision: Precision = "float32"
    offline: bool = False
    """Load the model from local files only: never ask a model hub (air-gapped servers)."""


def make_embedder(config: EmbedderConfig) -> Embedder:
    """The embedder the config names; its model is loaded on first use."""
    match config.kind:
        case "bundled-minilm":
            require_module("the bundled embedder", "sentence_transformers", "sentence-transformers")
            from knowledge.embedders import bundled
            from knowledge.embedders.sentence_transformer import SentenceTransformerEmbedder

            return SentenceTransformerEmbedder(
                str(bundled.bundled_embedder_folder()),
                device=config.device,
                model_id=bundled.MODEL_ID,
                precision=config.precision,
                # MiniLM was trained on English: its similarity of two Chinese texts is noise.
                languages=frozenset({"en"}),
                local_files_only=True,  # a folder inside a Python package
            )
        case "sentence-transformers":
            require_module(
                "a sentence-transformers embedder", "sentence_transformers", "sentence-transformers"
            )
            from knowledge.embedders.sentence_transformer import SentenceTransformerEmbedder

            return SentenceTransformerEmbedder(
                config.model,
                device=config.device,
                precision=config.precision,
                local_files_only=config.offline,
            )
        case _:
            raise UnknownKind("embedder", config.kind, get_args(EmbedderKind))
