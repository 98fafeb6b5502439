"""Scanned PDF pages are read by the real Tesseract; text pages are kept as they are."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from knowledge import KnowledgeBase
from knowledge.formats.kinds import ParseLimits
from knowledge.formats.ocr import (
    BOTH,
    CHINESE,
    MISSING,
    Tesseract,
    han_share,
    page_image,
    tesseract_problem,
)
from knowledge.formats.parse import parse_document
from tests.knowledge.formats.refusals import refusal
from tests.pdfs import HOSPITAL_EN, HOSPITAL_ZH, scanned_pdf, text_pdf

TESSDATA = Path("/usr/share/tesseract-ocr/5/tessdata")
needs_tesseract = pytest.mark.skipif(
    tesseract_problem() is not None,
    reason="Tesseract with chi_tra and eng is not installed (scripts/test installs it)",
)


def _joined(pages: list[list[str]]) -> list[str]:
    return ["\n".join(lines) for lines in pages]


def _merged(path: Path, *parts: Path) -> Path:
    """One PDF of the pages of ``parts``, in order."""
    merged = pdfium.PdfDocument.new()
    for part in parts:
        merged.import_pages(pdfium.PdfDocument(part))
    merged.save(path)
    return path


@needs_tesseract
def test_scanned_pages_are_read_with_traditional_characters_kept(tmp_path: Path) -> None:
    pages = [HOSPITAL_ZH[0], HOSPITAL_ZH[1], HOSPITAL_EN[0]]
    parsed = parse_document(scanned_pdf(tmp_path / "scan.pdf", pages))
    assert parsed.ocr_pages == 3
    assert parsed.texts() == _joined(pages)  # spacing mended, 門 not 门, English read too
    assert "门" not in parsed.texts()[0]


@needs_tesseract
def test_a_mixed_pdf_keeps_its_text_page_and_reads_only_the_scanned_one(tmp_path: Path) -> None:
    typed = text_pdf(tmp_path / "typed.pdf", [HOSPITAL_EN[1]])
    scan = scanned_pdf(tmp_path / "scan.pdf", [HOSPITAL_ZH[1]])
    read: list[tuple[int, int]] = []
    ocr: list[tuple[int, int]] = []
    parsed = parse_document(
        _merged(tmp_path / "mixed.pdf", typed, scan),
        progress=lambda done, total: read.append((done, total)),
        ocr_progress=lambda done, total: ocr.append((done, total)),
    )
    assert parsed.ocr_pages == 1
    assert parsed.texts()[0] == parse_document(typed).texts()[0]
    assert parsed.texts()[1] == _joined([HOSPITAL_ZH[1]])[0]
    assert (read, ocr) == ([(1, 2)], [(2, 2)])


@needs_tesseract
def test_progress_is_reported_for_each_page_read_by_ocr(tmp_path: Path) -> None:
    ocr: list[tuple[int, int]] = []
    scan = scanned_pdf(tmp_path / "scan.pdf", [HOSPITAL_EN[0], HOSPITAL_EN[1], HOSPITAL_ZH[0]])
    parse_document(scan, ocr_progress=lambda done, total: ocr.append((done, total)))
    assert ocr == [(1, 3), (2, 3), (3, 3)]


def test_a_scanned_pdf_is_refused_with_what_to_install_without_tesseract(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan = scanned_pdf(tmp_path / "scan.pdf")
    typed = text_pdf(tmp_path / "typed.pdf", [HOSPITAL_ZH[0]])
    mixed = _merged(tmp_path / "mixed.pdf", typed, scan)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # the worker finds no tesseract
    assert refusal(scan) == MISSING
    assert parse_document(typed).texts() == _joined([HOSPITAL_ZH[0]])  # text PDFs still read
    kept = parse_document(mixed)  # the text page kept, the scanned page left empty
    assert (kept.texts(), kept.ocr_pages) == ([_joined([HOSPITAL_ZH[0]])[0], ""], 0)


@needs_tesseract
def test_a_scanned_pdf_is_refused_when_chinese_language_data_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tessdata = tmp_path / "tessdata"
    tessdata.mkdir()
    (tessdata / "eng.traineddata").symlink_to(TESSDATA / "eng.traineddata")
    monkeypatch.setenv("TESSDATA_PREFIX", str(tessdata))
    assert refusal(scanned_pdf(tmp_path / "scan.pdf")) == MISSING


def test_too_many_scanned_pages_are_refused_before_any_is_read(tmp_path: Path) -> None:
    scan = scanned_pdf(tmp_path / "scan.pdf", [HOSPITAL_ZH[0]] * 3)
    reason = refusal(scan, ParseLimits(max_ocr_pages=2))
    assert reason.startswith("the PDF has 3 scanned pages to read by OCR, over the limit of 2")


@needs_tesseract
def test_a_page_ocr_cannot_finish_in_time_is_refused_naming_it(tmp_path: Path) -> None:
    reason = refusal(scanned_pdf(tmp_path / "scan.pdf"), ParseLimits(ocr_page_s=0.05))
    assert reason.startswith("page 1 could not be read by OCR: it took longer than")


@needs_tesseract
def test_a_scanned_photo_without_text_is_refused(tmp_path: Path) -> None:
    blank = tmp_path / "blank.pdf"
    Image.new("L", (1275, 1650), 255).save(blank, "PDF", resolution=150)
    assert refusal(blank) == "the PDF has no text layer, and OCR found no text in its scanned pages"


@needs_tesseract
@pytest.mark.parametrize(
    ("lines", "chosen"), [(HOSPITAL_ZH[1], CHINESE), (HOSPITAL_EN[1], BOTH), ([], BOTH)]
)
def test_the_first_scanned_page_s_script_picks_the_languages(
    tmp_path: Path, lines: list[str], chosen: str
) -> None:
    if lines:
        scan = pdfium.PdfDocument(scanned_pdf(tmp_path / "scan.pdf", [lines]))
    else:  # too little text for OSD to tell: both languages
        scan = pdfium.PdfDocument.new()
        scan.new_page(595, 842)
    reader = Tesseract(timeout_s=60)
    reader.languages = CHINESE if chosen == BOTH else BOTH  # the guess must change it
    reader.guess(page_image(scan, 0))
    assert reader.languages == chosen


def test_han_share_counts_han_among_the_non_space_characters() -> None:
    assert han_share("門診 ab") == 0.5
    assert han_share("  ") == 0.0


@pytest.mark.slow
@needs_tesseract
def test_a_scanned_pdf_is_ingested_and_its_page_found(kb: KnowledgeBase, tmp_path: Path) -> None:
    stages: set[str] = set()
    scan = scanned_pdf(tmp_path / "掛號.pdf", [HOSPITAL_EN[0], HOSPITAL_ZH[1]])
    result = kb.ingest(scan, progress=lambda stage, _done, _total: stages.add(stage))
    assert (result.status, result.pages) == ("added", 2)
    assert {"ocr", "parse", "embed"} <= stages and "read" not in stages
    hits = kb.search("初診病人要帶什麼證件？", k=3)
    assert (hits[0].file, hits[0].page) == ("掛號.pdf", 2)
