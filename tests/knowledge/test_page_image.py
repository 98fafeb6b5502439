"""The cited page as the viewer shows it: drawn by PDFium with the CJK text visible, its text
lines for a text layer, and the evidence located on it, in a sandboxed child process."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from knowledge.page_image import (
    PageImageError,
    PageImageLimits,
    cjk_font_found,
    marked_spans,
    page_layout,
    render_page,
)
from tests.pdfs import text_pdf

SAMPLE = Path(__file__).parents[2] / "samples" / "kbchat-hospital-guide.pdf"
ICU = "加護病房探病時間為上午十一點及晚上七點，每次三十分鐘。"


def test_a_passage_is_found_across_line_breaks_spaces_hyphens_and_width_forms() -> None:
    page = list("加護病房\r\n探病 時間 ｜ medi-\r\ncation at 11 AM; again: medication")
    spans = marked_spans(page, ["加護病房探病時間", "medication", "ｘ不在頁面上", "m"])
    text = ["".join(page[start:end]) for start, end in spans]
    assert text == ["加護病房\r\n探病 時間", "medi-\r\ncation", "medication"]
    ((start, end),) = marked_spans(page, ["11 am"])  # case folded
    assert "".join(page[start:end]) == "11 AM"
    assert len(marked_spans(page, ["時間|"])) == 1  # the full-width bar matches after NFKC
    assert marked_spans(page, ["不在這頁的句子"]) == []


def test_the_sample_page_is_drawn_with_its_chinese_text_visible() -> None:
    shape = page_layout(SAMPLE, 2, [ICU])
    (mark,) = shape.marks
    image = Image.open(io.BytesIO(render_page(SAMPLE, 2))).convert("L")
    assert image.width == PageImageLimits().width
    assert abs(image.height / image.width - shape.height_pt / shape.width_pt) < 0.01
    left, top, right, bottom = (
        int(mark[0] * image.width), int(mark[1] * image.height),
        int(mark[2] * image.width), int(mark[3] * image.height),
    )  # fmt: skip
    inked = sum(image.crop((left, top, right, bottom)).histogram()[:128])  # dark pixels
    # The font (MSung-Light) is not embedded: without a CJK font the line would be blank.
    assert inked > 0.05 * (right - left) * (bottom - top)


def test_the_layout_gives_the_text_lines_and_the_page_count() -> None:
    shape = page_layout(SAMPLE, 2, [])
    texts = [text for text, _ in shape.lines]
    assert shape.pages == 3 and shape.marks == []
    assert ICU in texts and any("intensive care visits" in text for text in texts)
    for _, (left, top, right, bottom) in shape.lines:
        assert 0 <= left < right <= 1 and 0 <= top < bottom <= 1


def test_an_english_passage_is_marked_on_its_own_line(tmp_path: Path) -> None:
    pdf = text_pdf(tmp_path / "en.pdf", [["Visiting hours end at 8 pm.", "Masks are required."]])
    shape = page_layout(pdf, 1, ["Masks are required."])
    (mark,) = shape.marks
    (line_box,) = [box for text, box in shape.lines if text == "Masks are required."]
    assert mark == pytest.approx(line_box, abs=0.005)


def test_a_page_out_of_range_or_a_broken_file_is_refused_with_the_reason(tmp_path: Path) -> None:
    with pytest.raises(PageImageError, match="no page 9 \\(it has 3\\)"):
        render_page(SAMPLE, 9)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(SAMPLE.read_bytes()[:2000])
    with pytest.raises(PageImageError):
        page_layout(broken, 1, [])


def test_a_chinese_font_is_found_by_its_file_name(tmp_path: Path) -> None:
    (tmp_path / "truetype" / "dejavu").mkdir(parents=True)
    (tmp_path / "truetype" / "dejavu" / "DejaVuSans.ttf").write_bytes(b"")
    assert not cjk_font_found([tmp_path, tmp_path / "missing"])
    (tmp_path / "opentype" / "noto").mkdir(parents=True)
    (tmp_path / "opentype" / "noto" / "NotoSansCJK-Regular.ttc").write_bytes(b"")
    assert cjk_font_found([tmp_path])
