"""Markers renumbered as the answer streams agree with those of the finished answer."""

from __future__ import annotations

import pytest

from chat.answering.citations import resolve_citations
from chat.answering.markers import MARKER
from chat.answering.stream_markers import StreamedMarkers
from knowledge.retrieval import SearchHit

HITS = [
    SearchHit(f"{name}.pdf", 1, 1.0, f"{name} 頁的內容。", f"d{n}", f"c{n}", "default")
    for n, name in enumerate("abc", start=1)
]
ANSWERS = [
    "灣仔的修頓球場 [3] 仍是康樂場地 [1]，傍晚變成夜總會 [3][2]。",
    "See [source 2, 3] and ［1］, then 【2】 again [編號3].",
    "No source [7] here, nor [0], but [編號] and [2, 2, 9] stay as [2] only.",
    "An open [bracket that is never closed, then [1].",
]


def _streamed(answer: str, cuts: list[int], sources: int = len(HITS)) -> str:
    markers = StreamedMarkers(sources)
    pieces = [answer[a:b] for a, b in zip([0, *cuts], [*cuts, len(answer)], strict=True)]
    return "".join(markers.feed(piece) for piece in pieces) + markers.finish()


@pytest.mark.parametrize("answer", ANSWERS)
def test_streamed_markers_are_those_of_the_finished_answer_wherever_it_is_cut(
    answer: str,
) -> None:
    final, citations, _ = resolve_citations(answer, HITS)
    for cut in range(len(answer) + 1):
        streamed = _streamed(answer, [cut])
        assert MARKER.findall(streamed) == MARKER.findall(final), (cut, streamed, final)
    # and each marker number is a citation's number, the first one cited being [1]
    numbers = {int(n) for n in MARKER.findall(final)}
    assert numbers == {c.number for c in citations if c.cited}


def test_one_character_at_a_time_gives_the_whole_text_renumbered() -> None:
    answer = ANSWERS[0]
    streamed = _streamed(answer, list(range(1, len(answer))))
    assert streamed == "灣仔的修頓球場 [1] 仍是康樂場地 [2]，傍晚變成夜總會 [1][3]。"


def test_a_marker_cut_at_a_chunks_end_is_held_back_until_it_closes() -> None:
    markers = StreamedMarkers(sources=12)
    assert markers.feed("球場 [1") == "球場 "
    assert markers.feed("2") == ""
    assert markers.feed("] 場地") == "[1] 場地"
    assert markers.order == [12]


def test_an_unclosed_bracket_is_text_once_it_is_too_long_or_the_answer_ends() -> None:
    markers = StreamedMarkers(sources=2)
    assert markers.feed("a [note") == "a "
    assert markers.finish() == "[note"
    long_note = "[" + "x" * 60
    assert StreamedMarkers(sources=2).feed(long_note) == long_note


def test_markers_naming_no_source_are_dropped() -> None:
    markers = StreamedMarkers(sources=1)
    assert markers.feed("A [2] B [1, 3] C [0].") == "A  B [1] C ."
    assert markers.order == [1]
