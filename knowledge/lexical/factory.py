"""Pick a lexical index from a small config: the one place that knows every kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from knowledge.errors import UnknownKind, require_module
from knowledge.layout import DataLayout
from knowledge.lexical.base import LexicalStore

LexicalKind = Literal["bm25"]


@dataclass(frozen=True)
class LexicalConfig:
    """Which lexical index to keep: BM25 (bm25s) over script-aware tokens."""

    kind: LexicalKind = "bm25"


def make_lexical_store(config: LexicalConfig, layout: DataLayout) -> LexicalStore:
    """The lexical store the config names, keeping its indexes where ``layout`` says."""
    match config.kind:
        case "bm25":
            require_module("the BM25 lexical index", "bm25s", "bm25s")
            from knowledge.lexical.bm25 import Bm25Store

            return Bm25Store(layout)
        case _:
            raise UnknownKind("lexical index", config.kind, get_args(LexicalKind))
