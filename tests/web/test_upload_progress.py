"""The upload notice says which page is being read, and when OCR reads it."""

from __future__ import annotations

from chat.web.uploads import progress_line


def test_pages_read_by_ocr_are_said_so_in_both_languages() -> None:
    assert progress_line("en", "scan.pdf", "ocr", 3, 12, 0) == "scan.pdf: reading page 3/12 (OCR)…"
    assert (
        progress_line("zh-TW", "掃描.pdf", "ocr", 3, 12, 0)
        == "掃描.pdf：讀取第 3/12 頁（文字辨識）……"
    )
    assert progress_line("en", "a.pdf", "read", 2, 5, 0) == "a.pdf: reading page 2/5…"


def test_reading_then_indexing_keeps_the_pages_read() -> None:
    assert progress_line("en", "a.pdf", "parse", 5, 5, 5) == "a.pdf: 5 pages read; indexing…"
    line = progress_line("zh-TW", "a.pdf", "embed", 4, 9, 5)
    assert line == "a.pdf：已讀取 5 頁，建立索引 4/9 段……"
