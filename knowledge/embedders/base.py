"""What an embedder is: texts in, unit-length vectors out, under a stable model id."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]
Precision = Literal["auto", "float32", "bfloat16"]
"""``auto`` computes in bfloat16 on CPUs that support it natively, else in float32."""


class Embedder(Protocol):
    """Turns texts into unit-length vectors; documents and queries may be encoded differently."""

    @property
    def model_id(self) -> str:
        """A stable name of the model, used to keep vectors of different models apart."""
        ...

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        """Embed passages for storage."""
        ...

    def embed_query(self, text: str) -> Vectors:
        """Embed one search query."""
        ...

    def reads(self, language: str) -> bool:
        """Whether its similarities mean something for text in ``language`` (``zh-TW``, ``en``)."""
        ...


def model_key(model_id: str) -> str:
    """A short, filesystem- and Chroma-safe key for a model id."""
    return hashlib.sha256(model_id.encode()).hexdigest()[:10]
