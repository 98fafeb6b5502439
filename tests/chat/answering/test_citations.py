"""Markers in the forms small models write them, and the sources they select."""

from __future__ import annotations

import pytest

from chat.answering.citations import resolve_citations
from knowledge.formats.model import Place, Unit
from knowledge.retrieval import SearchHit

HITS = [
    SearchHit("a.pdf", 1, 1.0, "聖德太子推行儒家的禮儀。", "d1", "c1", "default"),
    SearchHit("b.pdf", 2, 0.5, "威悉河最終匯入北海。", "d2", "c2", "default"),
]


@pytest.mark.parametrize(
    "answer", ["聖德太子 [編號1]", "聖德太子【1】", "聖德太子 [來源 1]", "聖德太子 [source 1]"]
)
def test_a_marker_with_the_rules_word_in_it_cites_its_source(answer: str) -> None:
    text, shown, searched = resolve_citations(answer, HITS)
    assert text.replace(" ", "") == "聖德太子[1]"
    assert [(c.file, c.cited) for c in shown] == [("a.pdf", True)]
    assert [c.file for c in searched] == ["b.pdf"]


def test_a_label_with_no_number_is_removed_and_cites_nothing() -> None:
    text, shown, _ = resolve_citations("威悉河最終匯入北海。[編號]", HITS)
    assert text == "威悉河最終匯入北海。"
    assert [(c.file, c.cited) for c in shown] == [("b.pdf", False)]  # by overlap, not marker


def test_pages_left_out_of_the_prompt_are_listed_after_the_unused_ones() -> None:
    extra = SearchHit("c.pdf", 3, 0.1, "網球。", "d3", "c3", "default")
    _, shown, searched = resolve_citations("聖德太子 [1]", HITS, not_given=[extra])
    assert [c.number for c in shown] == [1]
    assert [(c.file, c.number) for c in searched] == [("b.pdf", 2), ("c.pdf", 3)]


def test_a_marker_after_the_full_stop_moves_before_it() -> None:
    text, shown, _ = resolve_citations("聖德太子推行儒家。[1]威悉河匯入北海。 [2]", HITS)
    assert text == "聖德太子推行儒家[1]。威悉河匯入北海[2]。"
    assert [c.file for c in shown] == ["a.pdf", "b.pdf"]
    text, _, _ = resolve_citations("Yes, it flows to the sea. [2] It is 3.5 km [1].", HITS)
    assert text == "Yes, it flows to the sea [1]. It is 3.5 km [2]."


def test_what_the_answer_repeats_of_the_question_selects_no_source() -> None:
    question = "威悉河最終匯入哪裡？"
    # Only the question's words: no page is shown for them, though page 2 holds them all.
    _, shown, _ = resolve_citations("威悉河最終匯入哪裡。", HITS, question=question)
    assert shown == []
    _, shown, _ = resolve_citations("威悉河最終匯入北海。", HITS, question=question)
    assert [c.file for c in shown] == ["b.pdf"]


def test_a_source_keeps_the_sentences_its_answer_rests_on_to_mark_them() -> None:
    page = "聖德太子推行儒家的禮儀。 … 他也興建了法隆寺。"
    hits = [SearchHit("a.pdf", 1, 1.0, page, "d1", "c1", "default")]
    _, (source,), _ = resolve_citations("他興建了法隆寺 [1]。", hits, [page])
    assert source.evidence == "他也興建了法隆寺。"
    _, (unmatched,), _ = resolve_citations("見第一頁 [1]。", hits, [page])
    assert unmatched.evidence == page  # no claim matched: all that was given is marked


def test_a_sections_citation_carries_its_place_into_json_and_a_pdfs_does_not() -> None:
    place = Place(Unit.ROW, 2, 41, "預算")
    hits = [*HITS, SearchHit("費用表.xlsx", 1, 0.4, "放射科預算。", "d3", "c3", "default",
                             kind="xlsx", place=place)]  # fmt: skip
    _, shown, _ = resolve_citations("北海 [2]。預算 [3]。", hits)
    pdf, sheet = shown
    assert (pdf.file, pdf.place) == ("b.pdf", None)
    assert set(pdf.to_json()) == {"file", "page", "text", "doc_id"}
    assert (sheet.file, sheet.place) == ("費用表.xlsx", place)
    assert sheet.to_json()["section"] == {"unit": "row", "first": 2, "last": 41,
                                         "heading": "預算"}  # fmt: skip
