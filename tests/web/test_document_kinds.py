"""A scanned PDF and a Word document uploaded in the chat, in Chromium: the scan is read by
OCR (its progress said so), each is cited by an answer, and each citation opens where the
answer found it: the scanned page in the page viewer, the DOCX table in its section."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from knowledge.formats.ocr import tesseract_problem
from tests.office import TRAVEL_QUESTION, travel_docx
from tests.pdfs import HOSPITAL_EN, HOSPITAL_ZH, scanned_pdf
from tests.web.browsing import ANSWER, ask, login
from tests.web.conftest import WebApp
from tests.web.test_uploads import RECORD

SCAN, WORD = "門診掃描.pdf", "出差規定.docx"
SATURDAY = "週六上午僅開放家醫科與小兒科門診。"  # on the scan's first page, an image only
UNPLACED = "未能在頁面上定位"  # the viewer's note when a passage has no text on the page


def _source_link(page: Any, name: str) -> Any:
    """The last answer's numbered source link naming the file ``name``."""
    answer = page.locator(ANSWER).filter(has_text=re.compile("來源|Sources")).last
    link = answer.locator("a[href*='/kbchat/view/']").filter(has_text=re.compile(r"^\[\d+\] "))
    return link.filter(has_text=name).first


def _opened(page: Any, link: Any) -> Any:
    """The viewer tab a click on the link opens (the chat stays as it was)."""
    with page.context.expect_page() as opened:
        link.click()
    viewer = opened.value
    viewer.wait_for_load_state("networkidle")
    return viewer


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.skipif(
    tesseract_problem() is not None,
    reason="Tesseract with chi_tra and eng is not installed (scripts/test installs it)",
)
def test_a_scanned_pdf_and_a_docx_upload_are_read_cited_and_opened_where_cited(
    browser: Any, web_app: WebApp, tmp_path: Path
) -> None:
    # Three scanned pages: the first is done while the third is still read, so its OCR
    # progress stays on screen long enough to be seen.
    scan = scanned_pdf(tmp_path / SCAN, [HOSPITAL_ZH[0], HOSPITAL_ZH[1], HOSPITAL_EN[0]])
    word = travel_docx(tmp_path / WORD)
    page = login(browser, web_app, "clerk.wu")
    page.add_init_script(RECORD)
    page.reload()
    page.wait_for_selector(ANSWER, timeout=60_000)
    answer = ask(page, "週六上午開放哪些門診？", files=[str(scan), str(word)])
    seen: list[str] = page.evaluate("window.__seen")
    assert any(re.search(rf"{SCAN}：讀取第 \d/3 頁（文字辨識）", t) for t in seen), seen
    for outcome in (f"{SCAN}：已匯入 3 頁到我的文件", f"{WORD}：已匯入 2 節到我的文件"):
        assert any(outcome in t for t in seen), seen
    _check_scanned_page(page, answer)
    answer = ask(page, TRAVEL_QUESTION)
    _check_docx_section(page, answer)


def _check_scanned_page(page: Any, answer: str) -> None:
    """The scan's cited page opens in the page viewer: its image drawn, the OCR'd passage
    quoted, and marked on the page, or said not to be found there (no text layer)."""
    link = _source_link(page, SCAN)
    assert f"{SCAN} 第 1 頁" in link.inner_text(), answer
    href = link.get_attribute("href") or ""
    assert re.search(r"/kbchat/view/[0-9a-f]{64}/1\?mark=", href), href
    viewer = _opened(page, link)
    assert f"{SCAN} · 第 1 頁" in viewer.title()
    assert f"{SCAN} · 第 1 頁，共 3 頁" in viewer.locator("h1").inner_text()
    assert viewer.evaluate("document.images[0].naturalWidth") > 0  # the scan, drawn
    quoted = _flat(" ".join(viewer.locator(".evidence blockquote").all_inner_texts()))
    assert _flat(SATURDAY) in quoted  # read from the image by Tesseract, Traditional kept
    assert "门" not in quoted
    layer = _flat("".join(viewer.locator(".sheet .line").all_inner_texts()))
    if viewer.locator(".sheet .mark").count():
        assert _flat(SATURDAY) in layer  # marked where the page's text layer holds it
    else:
        assert UNPLACED in viewer.locator(".evidence").inner_text()  # said, not hidden
    viewer.close()


def _check_docx_section(page: Any, answer: str) -> None:
    """The DOCX's cited table opens in the section viewer: its heading path, its header
    row in <thead>, the row the answer rests on marked."""
    link = _source_link(page, WORD)
    label = link.inner_text()
    assert re.search(rf"{WORD} 出差規定 › 差旅費 (¶|列 )\d", label), answer
    assert re.search(r"/kbchat/view/[0-9a-f]{64}/2\?mark=", link.get_attribute("href") or "")
    viewer = _opened(page, link)
    assert f"{WORD} · 出差規定 › 差旅費" in viewer.title()
    assert viewer.locator("h1").inner_text() == f"{WORD} · 出差規定 › 差旅費"
    assert viewer.locator(".sheet h2.path").inner_text() == "出差規定 › 差旅費"
    assert viewer.locator("thead th").all_inner_texts() == ["項目", "核定金額", "備註"]
    rows = [_flat(r) for r in viewer.locator("tr.marked").all_inner_texts()]
    assert _flat("國外差旅費 120,000 元 每年") in rows, rows
    assert "國外差旅費" in viewer.locator("mark#evidence").inner_text()  # the link's target
    assert "120,000 元" in " ".join(viewer.locator(".sheet mark").all_inner_texts())
    viewer.close()
