"""The relevance evidence: chunk frequencies from the lexical index, IDF-weighted coverage."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.base import KnowledgeBase
from knowledge.lexical.bm25 import Bm25Index
from knowledge.lexical.tokenize import question_tokens, tokenize
from knowledge.retrieval import SearchHit, rarity_weights, relevance, weigh_coverage
from tests.pdfs import HOSPITAL_EN, HOSPITAL_ZH, text_pdf

TEXTS = [
    "門診時間為上午八點。",
    "探病時間為上午十點。",
    "停車場位於東側大樓地下。",
    "Parking is free.",
]


def test_chunk_frequencies_match_a_count_over_the_texts() -> None:
    index = Bm25Index.build([(f"c{i}", text) for i, text in enumerate(TEXTS)])
    tokens = ["時間", "上午", "停車", "parking", "餐廳"]
    found, total = index.document_frequencies(tokens)
    assert total == len(TEXTS)
    assert found == {t: sum(t in tokenize(text) for text in TEXTS) for t in tokens}
    assert found["餐廳"] == 0 and found["時間"] == 2


def test_a_page_with_only_the_common_words_weighs_less_than_one_with_the_rare_ones() -> None:
    weights = rarity_weights({"時間": 90_000, "開始": 70_000, "餐廳": 0, "午餐": 20}, total=100_000)
    assert weights["餐廳"] > weights["午餐"] > weights["開始"] > weights["時間"]
    common = SearchHit("a.pdf", 1, 1.0, "開始的時間", "d", "c1", "default")
    rare = SearchHit("b.pdf", 1, 1.0, "員工餐廳的午餐", "d", "c2", "default")
    low, high = weigh_coverage([common, rare], weights)
    assert low.weighted_coverage < 0.2 and high.weighted_coverage > 0.8


def test_search_gives_each_hit_its_weighted_coverage(kb: KnowledgeBase, tmp_path: Path) -> None:
    kb.ingest(text_pdf(tmp_path / "zh.pdf", HOSPITAL_ZH))
    kb.ingest(text_pdf(tmp_path / "en.pdf", HOSPITAL_EN))
    covered = kb.search("門診時間是幾點？", k=2)[0]
    uncovered = kb.search("員工餐廳的午餐幾點開始？", k=2)[0]
    assert covered.weighted_coverage > 2 * uncovered.weighted_coverage
    assert "門診" in question_tokens("門診時間是幾點？") and "幾" not in question_tokens("幾點")


def test_similarity_counts_only_where_the_embedder_reads_the_question_language() -> None:
    hit = SearchHit("a.pdf", 1, 1.0, "text", "d", "c", "default", 0.0, 0.3, 0.5)
    assert relevance(hit, semantic=True) == pytest.approx(0.8)
    assert relevance(hit, semantic=False) == pytest.approx(0.6)  # coverage stands for both


def test_the_bundled_embedder_reads_english_only() -> None:
    from chat.factory import build_embedder
    from chat.settings import Settings

    embedder = build_embedder(Settings())
    assert embedder.reads("en") and not embedder.reads("zh-TW")
