"""Evidence first: the sentences of a page that carry the question's terms, with neighbours."""

from __future__ import annotations

from chat.answering.evidence import (
    GAP,
    EvidenceLimits,
    evidence_for,
    select_evidence,
    sentence_scores,
    term_weights,
)
from knowledge.retrieval import SearchHit

PAGE = (
    "馬祖列島位於臺灣海峽西北方。全島以花崗岩為主。"
    "南竿與北竿之間每天有交通船往返，航程約十五分鐘。"
    "島上的居民多以漁業為生。每年四月到九月可以看到藍眼淚。"
    "東引與南竿之間的船班較少，冬季常因風浪停航。"
    "馬祖的酒廠以高粱酒聞名。"
)


def test_the_sentences_with_the_question_terms_come_with_their_neighbours_in_page_order() -> None:
    question = "南竿與北竿之間的交通船航程多久？"
    weights = term_weights(question, [PAGE, "網球是一種運動。"])
    evidence = select_evidence(PAGE, weights, EvidenceLimits(max_chars=120, neighbours=1))
    assert "南竿與北竿之間每天有交通船往返，航程約十五分鐘。" in evidence
    assert evidence.index("全島以花崗岩為主") < evidence.index("南竿與北竿")  # neighbour before
    assert "高粱酒" not in evidence and evidence.endswith(GAP.rstrip())
    assert len(evidence) <= 120 + len(GAP)


def test_a_rare_term_weighs_more_than_one_every_page_has() -> None:
    pages = ["馬祖的交通船。", "馬祖的高粱酒。", "馬祖的藍眼淚。"]
    weights = term_weights("馬祖的藍眼淚在哪裡看？", pages)
    assert weights["眼淚"] > weights["馬祖"]
    scores = sentence_scores(pages, weights)
    assert scores[2] == max(scores) and scores[0] < scores[2]


def test_english_evidence_keeps_whole_sentences() -> None:
    page = (
        "Background: obesity is common. Methods: we enrolled 120 adults. "
        "Results: the treatment group lost 4.5 kg more than controls (p < 0.01). "
        "Funding came from a public grant."
    )
    weights = term_weights("How much weight did the treatment group lose?", [page])
    evidence = select_evidence(page, weights, EvidenceLimits(max_chars=150, neighbours=0))
    assert evidence.startswith(GAP.lstrip()) and "lost 4.5 kg more than controls" in evidence
    assert "Funding" not in evidence


def test_a_page_with_no_matching_sentence_gives_its_opening() -> None:
    weights = term_weights("停車場在哪裡？", [PAGE])
    evidence = select_evidence(PAGE, weights, EvidenceLimits(max_chars=40))
    assert evidence.startswith("馬祖列島位於臺灣海峽西北方。")


def _hit(text: str, page: int) -> SearchHit:
    return SearchHit("maz.pdf", page, 1.0, text, "doc", f"c{page}", "default")


def test_the_pages_share_one_budget_and_the_best_page_spends_first() -> None:
    question = "南竿與北竿之間的交通船航程多久？"
    other = (
        "南竿機場每天有班機飛往臺北。北竿的芹壁村以石頭屋聞名。交通船也停靠東引。"
        "東引的燈塔建於清朝。莒光鄉由東莒和西莒組成。"
    )
    weights = term_weights(question, [PAGE, other])
    limits = EvidenceLimits(max_chars=90, total_chars=110, neighbours=1)
    first, second = evidence_for([_hit(PAGE, 1), _hit(other, 2)], weights, limits)
    assert "航程約十五分鐘" in first and len(first) <= 90 + len(GAP)
    # the second page gets what the first left: its best sentence, not the whole page
    assert "交通船也停靠東引。" in second and "莒光鄉" not in second
    assert len(first) + len(second) <= 110 + len("交通船也停靠東引。") + 2 * len(GAP)
