"""What a lexical index is: word-level search over chunk texts, one index per collection,
kept in step with the registry by the collection's generation number."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

ChunkSource = Callable[[], list[tuple[str, str]]]
"""Gives the (chunk id, text) pairs an index is built from, when it must be built."""


class LexicalIndex(Protocol):
    """One collection's index at one generation; never changes once built."""

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """The k best-scoring chunk ids for a query, best first; only positive scores."""
        ...

    def document_frequencies(self, tokens: Iterable[str]) -> tuple[dict[str, int], int]:
        """How many chunks hold each token, and how many chunks the index holds."""
        ...


class LexicalStore(Protocol):
    """Keeps each collection's lexical index current: a generation it has not seen is
    rebuilt from the source."""

    def index(self, collection: str, generation: int, source: ChunkSource) -> LexicalIndex:
        """The collection's index at this generation."""
        ...

    def drop(self, collection: str) -> None:
        """Forget a collection's index, wherever it is kept."""
        ...
