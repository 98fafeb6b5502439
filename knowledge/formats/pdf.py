"""Reading a PDF (in the parsing worker): the visible text of each page, by pypdfium2."""

from __future__ import annotations

from collections import Counter

import pypdfium2 as pdfium

from knowledge.formats.kinds import ParseLimits
from knowledge.formats.model import Place, Section, Unit
from knowledge.formats.pdf_visibility import visible_page_text
from knowledge.formats.protocol import Progress, Refused


def _describe_load_error(error: pdfium.PdfiumError) -> str:
    message = str(error).lower()
    if "password" in message:
        return "the PDF is encrypted with a password; upload an unprotected copy"
    if "format" in message:
        return "the file is corrupt or not a valid PDF"
    return f"PDFium could not open it ({error})"


def read_pdf(path: str, limits: ParseLimits, progress: Progress) -> dict[str, object]:
    """Each page's visible text as a section, and the hidden characters left out by reason."""
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
        sections: list[dict[str, object]] = []
        dropped: Counter[str] = Counter()
        for index in range(count):
            page = pdf[index]
            textpage = page.get_textpage()
            visible = visible_page_text(page, textpage)
            place = Place(Unit.PAGE, index + 1, index + 1)
            sections.append(Section(place, [visible.text]).to_json())
            dropped.update(visible.dropped)
            textpage.close()
            page.close()
            progress(index + 1, count)
        return {"sections": sections, "dropped": dict(dropped)}
    except pdfium.PdfiumError as error:
        raise Refused(f"the PDF is damaged and a page could not be read ({error})") from None
    finally:
        pdf.close()
