"""An embedder over any sentence-transformers model name or local path."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.embedders.base import Precision, Vectors
from knowledge.errors import StoreUnavailable

logger = logging.getLogger(__name__)


def cpu_has_bf16() -> bool:
    """Whether this CPU computes bfloat16 natively (AVX-512 BF16 or AMX), per /proc/cpuinfo."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


class SentenceTransformerEmbedder:
    """Embedder over any sentence-transformers model name or local path, loaded lazily."""

    def __init__(
        self,
        model: str,
        *,
        device: str | None = None,
        batch_size: int = 32,
        model_id: str | None = None,
        query_prefix: str = "",
        document_prefix: str = "",
        precision: Precision = "float32",
        languages: frozenset[str] | None = None,
        local_files_only: bool = False,
    ) -> None:
        self._model_path = model
        self._local_files_only = local_files_only
        self._languages = languages
        self._device = device
        self._batch_size = batch_size
        self._model_id = model_id or model
        self._query_prefix = query_prefix
        self._document_prefix = document_prefix
        self._precision_setting = precision
        self._bfloat16 = precision == "bfloat16"
        self._model: Any = None
        self._loading = threading.Lock()
        # One passage batch at a time per process: on CPU, torch already uses every core for
        # one batch, and concurrent batches would each hold their own attention buffers.
        # Queries are small and are not held up by it.
        self._documents = threading.Lock()

    @property
    def model_id(self) -> str:
        """The configured model name (not the local path it was loaded from)."""
        return self._model_id

    def reads(self, language: str) -> bool:
        """Whether the model reads the language: any, unless it was given the ones it does."""
        return self._languages is None or language in self._languages

    def _load(self) -> Any:
        with self._loading:
            return self._model or self._open()

    def _open(self) -> Any:
        if self._model is None:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
            try:
                self._model = SentenceTransformer(
                    self._model_path,
                    device=self._device,
                    local_files_only=self._local_files_only,
                )
            except OSError as error:
                raise StoreUnavailable(
                    f"cannot load the embedding model {self._model_id!r} ({error}); set "
                    "KBCHAT_EMBEDDING_MODEL to an installed model name or a local directory"
                ) from error
            if self._precision_setting == "auto":
                self._bfloat16 = self._model.device.type == "cpu" and cpu_has_bf16()
            logger.info(
                "loaded embedding model %s on %s (%s)",
                self._model_id,
                self._model.device,
                "bfloat16" if self._bfloat16 else "float32",
            )
        return self._model

    def _precision(self, model: Any) -> AbstractContextManager[object]:
        """bfloat16 autocast where asked for: twice as fast on CPUs with native bf16, and
        within 1e-4 cosine of float32 on all-MiniLM-L6-v2 (docs/benchmarks.md)."""
        if not self._bfloat16:
            return nullcontext()
        import torch

        return torch.autocast(device_type=model.device.type, dtype=torch.bfloat16)

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        """Embed passages in batches, normalized for cosine similarity."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        model = self._load()
        with self._documents, self._precision(model):
            vectors = model.encode(
                [self._document_prefix + text for text in texts],
                batch_size=self._batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> Vectors:
        """Embed one query, normalized for cosine similarity."""
        model = self._load()
        vector = model.encode(
            [self._query_prefix + text],
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vector[0], dtype=np.float32)
