"""Searching the knowledge base: hybrid retrieval over collections, pages and sections as
hits, and how rare a question's terms are (the relevance gate's weights)."""

from __future__ import annotations

from collections.abc import Sequence

from knowledge.embedders.base import Embedder
from knowledge.formats.model import Section
from knowledge.lexical.base import LexicalIndex, LexicalStore
from knowledge.lexical.tokenize import question_tokens
from knowledge.options import RetrievalOptions, check_collection, space_name
from knowledge.protocols import DocumentRegistry
from knowledge.retrieval import (
    SearchHit,
    convex_fusion,
    page_hits,
    placed,
    rarity_weights,
    rerank_by_coverage,
    stored_section,
    weigh_coverage,
)
from knowledge.vector_stores.base import VectorStore


class Searching:
    """The knowledge base's search, over the parts ``KnowledgeBase`` holds."""

    registry: DocumentRegistry
    vectors: VectorStore
    lexical: LexicalStore
    embedder: Embedder
    retrieval: RetrievalOptions

    def space(self, collection: str) -> str:
        """The vector-store space of a collection under the current embedding model."""
        return space_name(collection, self.embedder.model_id)

    def lexical_index(self, collection: str) -> LexicalIndex:
        """The collection's lexical index, rebuilt first if the registry has moved on."""
        generation = self.registry.generation(collection)
        return self.lexical.index(
            collection, generation, lambda: self.registry.ready_chunks(collection)
        )

    def search_chunks(
        self, query: str, collections: Sequence[str]
    ) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
        """Chunk ids ranked by the fusion of dense and lexical retrieval over the collections,
        and the dense side's own ranking (cosine similarities, best first)."""
        vector = self.embedder.embed_query(query)
        candidates = self.retrieval.candidates
        dense: list[tuple[str, float]] = []
        lexical: list[tuple[str, float]] = []
        for collection in collections:
            check_collection(collection)
            dense.extend(self.vectors.query(self.space(collection), vector, candidates))
            lexical.extend(self.lexical_index(collection).search(query, candidates))
        dense.sort(key=lambda pair: -pair[1])
        lexical.sort(key=lambda pair: -pair[1])
        dense = dense[:candidates]
        fused = convex_fusion(lexical[:candidates], dense, self.retrieval.lexical_weight)
        return fused, dense

    def search(
        self, query: str, collections: Sequence[str] | None = None, k: int = 5
    ) -> list[SearchHit]:
        """The k best distinct pages or sections for a query, best first (all collections
        when none given); a section's hit says where it is (``SearchHit.place``)."""
        collections = list(collections) if collections else self.registry.collections()
        if not query.strip() or not collections:
            return []
        top, dense = self.search_chunks(query, collections)
        depth = max(k, self.retrieval.rerank_depth)
        chunks = self.registry.chunks_with_documents(c for c, _ in top)
        pool = page_hits(top, chunks, depth, dense)
        best = rerank_by_coverage(pool, query, self.retrieval.coverage_weight)[:k]
        weighted = weigh_coverage(best, self.term_rarity(query, collections))
        return placed(weighted, self.registry.sections_of)

    def section(self, doc_id: str, number: int) -> Section | None:
        """Section ``number`` of a document without pages, with its place and blocks (the
        viewer's); None when there is no such section (a PDF has none stored)."""
        row = self.registry.sections_of(doc_id, [number]).get(number)
        return stored_section(row) if row is not None else None

    def term_rarity(self, query: str, collections: Sequence[str]) -> dict[str, float]:
        """IDF weights of the question's tokens over the collections' chunks."""
        terms = question_tokens(query)
        frequencies = dict.fromkeys(terms, 0)
        total = 0
        for collection in collections:
            found, size = self.lexical_index(collection).document_frequencies(terms)
            total += size
            for term, count in found.items():
                frequencies[term] += count
        return rarity_weights(frequencies, total)
