"""Reading a PDF (in the parsing worker): the visible text of each page, by pypdfium2, and
the text of scanned pages (an image, next to no text) by OCR."""

from __future__ import annotations

from collections import Counter

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from knowledge.formats.kinds import ParseLimits
from knowledge.formats.model import Place, Section, Unit
from knowledge.formats.ocr import Tesseract, ocr_progress, read_scanned, tesseract_problem
from knowledge.formats.pdf_visibility import visible_page_text
from knowledge.formats.protocol import Progress, Refused, progress_reporter

SCANNED_BELOW = 10
"""A page showing fewer visible characters than this, and an image, is read by OCR: a scan,
perhaps with a stamped page number or a hidden OCR layer of unknown quality."""


def _describe_load_error(error: pdfium.PdfiumError) -> str:
    message = str(error).lower()
    if "password" in message:
        return "the PDF is encrypted with a password; upload an unprotected copy"
    if "format" in message:
        return "the file is corrupt or not a valid PDF"
    return f"PDFium could not open it ({error})"


def _has_image(page: pdfium.PdfPage) -> bool:
    return next(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]), None) is not None


def _page_text(pdf: pdfium.PdfDocument, index: int, dropped: Counter[str]) -> tuple[str, bool]:
    """A page's visible text, and whether it is a scan to read by OCR."""
    page = pdf[index]
    textpage = page.get_textpage()
    try:
        visible = visible_page_text(page, textpage)
        dropped.update(visible.dropped)
        sparse = sum(not c.isspace() for c in visible.text) < SCANNED_BELOW
        return visible.text, sparse and _has_image(page)
    finally:
        textpage.close()
        page.close()


def read_pdf(
    path: str, limits: ParseLimits, progress: Progress, ocr: Progress | None = None
) -> dict[str, object]:
    """Each page's visible text (a scanned page's read by OCR) as a section, the hidden
    characters left out by reason, and how many pages OCR read (``ocr`` reports those pages'
    progress; by default to the parent, earning the parse time)."""
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        raise Refused(_describe_load_error(error)) from None
    try:
        count = len(pdf)
        if count == 0:
            raise Refused("the PDF has no pages")
        if count > limits.max_pages:
            raise Refused(f"the PDF has {count} pages, over the limit of {limits.max_pages}")
        texts: list[str] = []
        scanned: list[int] = []
        dropped: Counter[str] = Counter()
        for index in range(count):
            text, scan = _page_text(pdf, index, dropped)
            texts.append(text)
            if scan:
                scanned.append(index)
            else:
                progress(len(texts) - len(scanned), count)
        result: dict[str, object] = {"dropped": dict(dropped), "ocr_pages": 0}
        if scanned:
            result.update(_read_scans(pdf, scanned, texts, limits, ocr or progress_reporter(True)))
        place = [Place(Unit.PAGE, i + 1, i + 1) for i in range(count)]
        result["sections"] = [Section(place[i], [texts[i]]).to_json() for i in range(count)]
        return result
    except pdfium.PdfiumError as error:
        raise Refused(f"the PDF is damaged and a page could not be read ({error})") from None
    finally:
        pdf.close()


def _read_scans(
    pdf: pdfium.PdfDocument,
    scanned: list[int],
    texts: list[str],
    limits: ParseLimits,
    progress: Progress,
) -> dict[str, object]:
    """Put the OCR text of the scanned pages into ``texts``; what the result says of OCR."""
    if len(scanned) > limits.max_ocr_pages:
        raise Refused(f"the PDF has {len(scanned)} scanned pages to read by OCR, over the "
                      f"limit of {limits.max_ocr_pages}; split it into smaller files")  # fmt: skip
    if problem := tesseract_problem():
        return {"ocr_unavailable": len(scanned), "ocr_problem": problem}
    before = len(texts) - len(scanned)
    reader = Tesseract(limits.ocr_page_s)
    read = read_scanned(pdf, scanned, reader, ocr_progress(progress, before, len(texts)))
    for index, text in read.items():
        texts[index] = text
    return {"ocr_pages": len(read)}
