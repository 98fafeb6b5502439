"""The upload notice says which page is being read, and when OCR reads it."""

from __future__ import annotations

from chat.web.uploads import count_parts, progress_line


def test_pages_read_by_ocr_are_said_so_in_both_languages() -> None:
    ocr = progress_line("en", "scan.pdf", "ocr", 3, 12, "", "pdf")
    assert ocr == "scan.pdf: reading page 3/12 (OCR)…"
    zh = progress_line("zh-TW", "掃描.pdf", "ocr", 3, 12, "", "pdf")
    assert zh == "掃描.pdf：讀取第 3/12 頁（文字辨識）……"
    assert progress_line("en", "a.pdf", "read", 2, 5, "", "pdf") == "a.pdf: reading page 2/5…"
    assert progress_line("en", "a.xlsx", "read", 2, 5, "", "xlsx") == "a.xlsx: reading 2/5…"


def test_reading_then_indexing_keeps_the_parts_read() -> None:
    five = count_parts(5, "pdf", "en")
    assert (
        progress_line("en", "a.pdf", "parse", 5, 5, five, "pdf") == "a.pdf: 5 pages read; indexing…"
    )
    line = progress_line("zh-TW", "a.pdf", "embed", 4, 9, count_parts(5, "pdf", "zh-TW"), "pdf")
    assert line == "a.pdf：已讀取 5 頁，建立索引 4/9 段……"
    three = count_parts(3, "md", "en")
    assert (
        progress_line("en", "g.md", "parse", 3, 3, three, "md")
        == "g.md: 3 sections read; indexing…"
    )
