"""Streamed text made inert block by block: the same page as the whole text made inert at
once, unsafe pieces never live at any step, and each finished block done once."""

from __future__ import annotations

from collections.abc import Callable

from chat.answering.answers import Answer
from chat.answering.citations import Citation
from chat.web.answer_view import InertStream, answer_markdown, source_label
from chat.web.safe_markdown import safe_markdown
from knowledge import Place, Unit

PARAGRAPHS = [
    f"第 {n} 段：請見 ![追蹤](http://evil.example/{n}.png) 與 **重點** [{n}]。" for n in range(30)
]
FENCED = "```\nprint('a')\n\n<script>alert(1)</script>\n```"
ANSWER = "\n\n".join([*PARAGRAPHS[:15], FENCED, "- 一\n- 二\n\n  續行", *PARAGRAPHS[15:]])


def _stream(text: str, step: int, inert: Callable[[str], str] = safe_markdown) -> list[str]:
    stream = InertStream(inert)
    return [stream.add(text[i : i + step]) for i in range(0, len(text), step)]


def test_the_streamed_page_ends_as_the_whole_text_made_inert() -> None:
    for step in (1, 3, 17):
        assert _stream(ANSWER, step)[-1] == safe_markdown(ANSWER)


def test_no_step_shows_a_live_image_or_raw_html() -> None:
    for shown in _stream(ANSWER, 2):
        assert "![" not in shown and "](http://evil" not in shown
        assert "<script>" not in shown.replace("```\nprint('a')\n\n<script>", "")


def test_each_finished_block_is_made_inert_once() -> None:
    """The old way made the whole answer inert per token: the characters read grew with the
    square of the answer's length. Block by block they stay a small multiple of it."""
    read: list[int] = []

    def counting(text: str) -> str:
        read.append(len(text))
        return safe_markdown(text)

    _stream(ANSWER, 4, counting)
    whole_each_time = sum(range(4, len(ANSWER) + 4, 4))
    assert sum(read) < 20 * len(ANSWER) < whole_each_time / 5


def test_a_blank_line_inside_a_code_fence_does_not_finish_a_block() -> None:
    stream = InertStream(safe_markdown)
    shown = stream.add("前言\n\n```\nx = 1\n\ny = 2")
    assert shown.count("```") == 2  # the open fence is still the tail's, closed when inert
    assert stream.add("\n```\n\n後記") == safe_markdown("前言\n\n```\nx = 1\n\ny = 2\n```\n\n後記")


def _cited(number: int, file: str, page: int, place: Place | None) -> Citation:
    return Citation(number=number, file=file, page=page, text="t", doc_id="d" * 64, cited=True,
                    place=place)  # fmt: skip


def test_sources_name_a_pdfs_page_and_a_sections_heading_and_range() -> None:
    answer = Answer(
        text="上限是十二萬元 [1]。預算見 [2]，另見 [3]。",
        citations=[
            _cited(1, "出差規定.docx", 4, Place(Unit.PARAGRAPH, 2, 5, "差旅費 › 國外")),
            _cited(2, "費用表.xlsx", 1, Place(Unit.ROW, 2, 41, "預算")),
            _cited(3, "手冊.pdf", 3, None),
        ],
        persona="kb-assistant", model="remote", covered=True,
    )  # fmt: skip
    zh = answer_markdown(answer, "zh-TW", ())
    assert "\\[1\\] 出差規定.docx 差旅費 › 國外 ¶2–5](/kbchat/view/" + "d" * 64 + "/4?" in zh
    assert "\\[2\\] 費用表.xlsx 預算 列 2–41](" in zh
    assert "\\[3\\] 手冊.pdf 第 3 頁](" in zh
    en = answer_markdown(answer, "en", ())
    assert "出差規定.docx 差旅費 › 國外 ¶ 2–5](" in en and "費用表.xlsx 預算 rows 2–41](" in en
    assert "手冊.pdf p. 3](" in en


def test_a_heading_from_a_document_is_inert_in_the_sources_line() -> None:
    hostile = "<img src=x onerror=alert(1)> › [x](http://evil.example) › **b**"
    label = source_label(1, "a.md", 2, "en", Place(Unit.PARAGRAPH, 1, 1, hostile))
    shown = safe_markdown(f"[{label}](/kbchat/view/x/2)", ())
    assert "<img" not in shown and "](http://evil" not in shown and "**" not in label
    assert label.endswith("onerror-alert-1-- › -x--http---evil.example- › --b-- ¶ 1")
    long = source_label(1, "a.md", 2, "en", Place(Unit.PARAGRAPH, 1, 1, " › ".join(["章"] * 80)))
    assert len(long) < 100 and long.endswith("章 ¶ 1")
