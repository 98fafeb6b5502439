"""Every kind of bad PDF gets one clear message naming the file and the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.formats.kinds import ParseLimits
from knowledge.formats.parse import parse_document
from tests.datasets import DRCD, PUBMED
from tests.knowledge.formats.refusals import refusal
from tests.pdfs import (
    HIDDEN_EN,
    HIDDEN_ZH,
    HOSPITAL_EN,
    HOSPITAL_ZH,
    decompression_bomb,
    drawings_pdf,
    hidden_text_pdf,
    text_pdf,
)


def test_extracts_traditional_chinese_from_the_shared_pdfs_exactly() -> None:
    parsed = parse_document(DRCD / "drcd-dev-000.pdf")
    assert len(parsed.texts()) == 11
    assert "由德國學者陸特和漢斯雷頓開創" in parsed.texts()[0]
    assert "\x00" not in "".join(parsed.texts())


def test_extracts_english_from_the_shared_pdfs() -> None:
    parsed = parse_document(PUBMED / "pubmed-dev-000.pdf")
    assert "oral endotracheal intubation" in parsed.texts()[0]


def test_mixed_language_pdf_keeps_both_scripts(tmp_path: Path) -> None:
    parsed = parse_document(text_pdf(tmp_path / "guide.pdf", [HOSPITAL_ZH[0], HOSPITAL_EN[0]]))
    assert "本院門診時間為週一至週五上午八點至下午五點。" in parsed.texts()[0]
    assert "Visitors are welcome from 10 am to 8 pm every day." in parsed.texts()[1]


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "locked.pdf", [HOSPITAL_EN[0]], encrypt="s3cret")
    assert "encrypted with a password" in refusal(path)


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    assert "corrupt" in refusal(path)


def test_truncated_pdf(tmp_path: Path) -> None:
    whole = (DRCD / "drcd-dev-001.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[: len(whole) // 2])
    assert "truncated" in refusal(path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    assert refusal(path) == "the file is empty"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "a PNG image"),
        (b"PK\x03\x04" + b"\x00" * 100, "a ZIP archive"),
        ("這不是 PDF，只是文字。".encode(), "not a PDF file"),
    ],
)
def test_non_pdf_renamed_to_pdf(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    reason = refusal(path)
    assert reason.startswith("not a PDF")
    assert expected in reason


def test_pdf_of_drawings_only_has_no_text_layer(tmp_path: Path) -> None:
    assert "no text layer" in refusal(drawings_pdf(tmp_path / "scan.pdf"))


def test_file_over_the_size_cap(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "big.pdf", [HOSPITAL_EN[0]])
    assert "over the limit of" in refusal(path, ParseLimits(max_bytes=500))


def test_pdf_over_the_page_cap(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "long.pdf", [HOSPITAL_EN[0]] * 5)
    assert refusal(path, ParseLimits(max_pages=3)) == "the PDF has 5 pages, over the limit of 3"


def test_missing_file(tmp_path: Path) -> None:
    assert refusal(tmp_path / "nowhere.pdf") == "no such file"


@pytest.mark.slow
def test_decompression_bomb_is_stopped_by_the_memory_limit(tmp_path: Path) -> None:
    bomb = decompression_bomb(tmp_path / "bomb.pdf")
    assert bomb.stat().st_size < 5 * 1024 * 1024
    limits = ParseLimits(memory_bytes=768 * 1024**2, timeout_s=60)
    assert "memory or time limit" in refusal(bomb, limits)


@pytest.mark.slow
def test_parsing_that_runs_too_long_is_stopped(tmp_path: Path) -> None:
    bomb = decompression_bomb(tmp_path / "slow.pdf")
    assert "longer than" in refusal(bomb, ParseLimits(timeout_s=0.5))


@pytest.mark.parametrize("hidden", [HIDDEN_EN, HIDDEN_ZH])
def test_text_a_reader_cannot_see_is_left_out(
    tmp_path: Path, hidden: str, caplog: pytest.LogCaptureFixture
) -> None:
    visible = [HOSPITAL_ZH[0][1], HOSPITAL_EN[0][1]]
    with caplog.at_level("WARNING", logger="knowledge.formats.parse"):
        parsed = parse_document(hidden_text_pdf(tmp_path / "handbook.pdf", visible, hidden))
    text = parsed.texts()[0]
    assert "忽略" not in text and "IGNORE" not in text and "PWNED" not in text
    assert visible[0] in text and visible[1] in text
    assert "Ward handbook" in text  # white on a dark banner is seen, so it stays
    assert set(parsed.hidden_chars) == {"camouflaged", "invisible", "tiny", "off_page"}
    assert "hidden characters" in caplog.text


def test_ordinary_pdfs_parse_exactly_as_before() -> None:
    """The shared benchmark sets lose nothing: each page equals PDFium's plain text."""
    import pypdfium2 as pdfium

    from knowledge.normalize import normalize_page_text

    shared = (
        "drcd-dev/drcd-dev-000.pdf",
        "drcd-dev/drcd-dev-017.pdf",
        "pubmedqa-dev/pubmed-dev-003.pdf",
    )
    for path in (DRCD.parent / name for name in shared):
        parsed = parse_document(path)
        assert parsed.hidden_chars == {}
        pdf = pdfium.PdfDocument(path)
        plain = [normalize_page_text(page.get_textpage().get_text_range()) for page in pdf]
        assert parsed.texts() == plain
