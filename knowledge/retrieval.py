"""Fusing ranked lists and turning chunk hits into page-level search results."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from knowledge.formats.model import Place, Section, Unit
from knowledge.lexical.tokenize import coverage, query_terms, tokenize
from knowledge.tables import Chunk, Document, DocumentSection


@dataclass(frozen=True)
class SearchHit:
    """A page or section that matched a query, with the best-matching chunk's text as its
    snippet. ``page`` is the section's number (a PDF's page); ``place`` says where a
    section of a document without pages is (its heading path and range), None for a PDF."""

    file: str
    page: int
    score: float
    text: str
    doc_id: str
    chunk_id: str
    collection: str
    coverage: float = 0.0
    """Share of the query's content tokens found in the snippet: evidence of relevance."""
    weighted_coverage: float = 0.0
    """The share of the question's tokens (characters and bigrams, stems) in the snippet,
    each weighted by its rarity in the collections (IDF): the relevance gate's lexical
    evidence, since a page that holds only a question's common words (時間, 開始, what)
    answers nothing."""
    similarity: float = 0.0
    """The embedder's cosine similarity of the question and the snippet: the gate's
    semantic evidence (a chunk outside the dense candidates gets the lowest candidate's)."""
    kind: str = "pdf"
    """What the document was read as (``Document.kind``)."""
    place: Place | None = None

    def to_json(self) -> dict[str, object]:
        """The public JSON shape of a hit (the CLI contract): a section's place only for a
        document without pages."""
        shape: dict[str, object] = {
            "file": self.file,
            "page": self.page,
            "score": round(self.score, 6),
            "text": self.text,
            "doc_id": self.doc_id,
        }
        if self.place is not None:
            shape["section"] = self.place.to_json()
        return shape


def relevance(hit: SearchHit, semantic: bool) -> float:
    """What the relevance gate reads of a page: its weighted coverage plus its similarity
    when the embedder reads the question's language (``semantic``), else the coverage twice
    (the lexical evidence stands for both). Either signal alone confuses a question that
    shares a page's words but not its subject (the night shift against a paper on
    night-shift nurses) with one phrased unlike its page; together they tell them apart, and
    an English-only embedder's similarity of two Chinese texts is noise (docs/decisions.md)."""
    return hit.weighted_coverage + (hit.similarity if semantic else hit.weighted_coverage)


def _min_max(ranking: Sequence[tuple[str, float]]) -> dict[str, float]:
    if not ranking:
        return {}
    scores = [score for _, score in ranking]
    low, high = min(scores), max(scores)
    span = high - low
    return {item: (score - low) / span if span > 0 else 1.0 for item, score in ranking}


def convex_fusion(
    lexical: Sequence[tuple[str, float]], dense: Sequence[tuple[str, float]], lexical_weight: float
) -> list[tuple[str, float]]:
    """Fuse two scored lists by a convex combination of min-max normalized scores, best first.

    Unlike rank fusion, this lets a confident side outvote a flat one: an English-only
    embedder's near-random ranking of a Chinese query barely moves the result, while its
    real signal on English queries still counts (Bruch et al., 2023, "An Analysis of Fusion
    Functions for Hybrid Retrieval").
    """
    fused: dict[str, float] = {}
    for ranking, weight in ((lexical, lexical_weight), (dense, 1.0 - lexical_weight)):
        for item, score in _min_max(ranking).items():
            fused[item] = fused.get(item, 0.0) + weight * score
    return sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))


def page_hits(
    fused: Sequence[tuple[str, float]],
    chunks: dict[str, tuple[Chunk, Document]],
    k: int,
    dense: Sequence[tuple[str, float]] = (),
) -> list[SearchHit]:
    """The k best distinct pages, each scored by its best chunk; unknown chunk ids are skipped.

    Each hit carries its chunk's dense similarity (``dense``, best first); a chunk the dense
    side did not return gets the lowest similarity it did return, an upper bound of its own.
    """
    similarity = dict(dense)
    floor = dense[-1][1] if dense else 0.0
    hits: list[SearchHit] = []
    seen: set[tuple[str, int]] = set()
    for chunk_id, score in fused:
        found = chunks.get(chunk_id)
        if found is None:
            continue
        chunk, document = found
        key = (chunk.doc_id, chunk.page)
        if key in seen:
            continue
        seen.add(key)
        hits.append(
            SearchHit(
                file=document.filename,
                page=chunk.page,
                score=score,
                text=chunk.text,
                doc_id=chunk.doc_id,
                chunk_id=chunk_id,
                collection=chunk.collection,
                similarity=similarity.get(chunk_id, floor),
                kind=document.kind,
            )
        )
        if len(hits) == k:
            break
    return hits


def section_place(section: DocumentSection) -> Place | None:
    """Where a stored section is; None for a row this release cannot read (an unknown unit)."""
    try:
        return Place(Unit(section.unit), section.first, section.last, section.heading)
    except ValueError:
        return None


def stored_section(row: DocumentSection) -> Section | None:
    """A stored section with its place and blocks; None for a row that cannot be read."""
    place = section_place(row)
    try:
        blocks = json.loads(row.blocks)
        return Section.from_json({"place": place.to_json(), "blocks": blocks}) if place else None
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def placed(
    hits: Sequence[SearchHit],
    sections_of: Callable[[str, list[int]], Mapping[int, DocumentSection]],
) -> list[SearchHit]:
    """The hits with the places of their sections, for documents without pages: one
    ``sections_of(doc_id, numbers)`` call per such document. A PDF's hit keeps its page."""
    wanted: dict[str, list[int]] = {}
    for hit in hits:
        if hit.kind != "pdf":
            wanted.setdefault(hit.doc_id, []).append(hit.page)
    found = {doc_id: sections_of(doc_id, numbers) for doc_id, numbers in wanted.items()}
    return [
        replace(hit, place=section_place(found[hit.doc_id][hit.page]))
        if hit.doc_id in found and hit.page in found[hit.doc_id]
        else hit
        for hit in hits
    ]


def rerank_by_coverage(hits: Sequence[SearchHit], query: str, weight: float) -> list[SearchHit]:
    """Add ``weight`` × the share of the query's terms each page's snippet holds, and re-sort.

    Fused scores say how well a page ranks; coverage says how much of the question it
    answers to. Coverage is kept on each hit as the evidence the relevance gate reads.
    """
    wanted = query_terms(query)
    rescored = [
        replace(hit, score=hit.score + weight * share, coverage=share)
        for hit in hits
        for share in [coverage(wanted, hit.text)]
    ]
    return sorted(rescored, key=lambda hit: -hit.score)  # stable: ties keep the fused order


# IDF is taken as if the collections held at least this many chunks. A knowledge base of a
# few documents says little about which words are rare: a question's everyday words (最多,
# 只能, 除非) are missing from it only because it is small, and unfloored they would
# outweigh the words the page does share. With the floor, weights stay close to plain
# coverage in a small knowledge base and become IDF as it grows.
IDF_FLOOR_CHUNKS = 10_000


def rarity_weights(frequencies: Mapping[str, int], total: int) -> dict[str, float]:
    """IDF weights of query terms from their chunk frequencies; a term no chunk holds weighs
    most, as the term that tells most about whether the question belongs here."""
    size = max(total, IDF_FLOOR_CHUNKS)
    return {term: math.log(1 + (size + 1) / (df + 0.5)) for term, df in frequencies.items()}


def weigh_coverage(hits: Sequence[SearchHit], weights: Mapping[str, float]) -> list[SearchHit]:
    """The hits with their IDF-weighted coverage of the question's tokens."""
    whole = sum(weights.values())
    if not whole:
        return list(hits)
    weighted = []
    for hit in hits:
        held = set(tokenize(hit.text)) & weights.keys()
        weighted.append(replace(hit, weighted_coverage=sum(weights[t] for t in held) / whole))
    return weighted
