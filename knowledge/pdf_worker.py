"""Child-process entry point that extracts the visible page text of one PDF with pypdfium2.

Run as ``python -m knowledge.pdf_worker PATH MAX_PAGES MEMORY_BYTES``. It caps its own
address space first, then prints one JSON object: ``{"pages": [...], "dropped": {...}}`` (hidden
characters left out, by reason) or ``{"error": "..."}``.
The parent enforces the wall-clock limit, so a hostile PDF can only kill this process.
"""

from __future__ import annotations

import json
import resource
import sys
from collections import Counter

import pypdfium2 as pdfium

from knowledge.pdf_visibility import visible_page_text


def _describe_load_error(error: pdfium.PdfiumError) -> str:
    message = str(error).lower()
    if "password" in message:
        return "the PDF is encrypted with a password; upload an unprotected copy"
    if "format" in message:
        return "the file is corrupt or not a valid PDF"
    return f"PDFium could not open it ({error})"


def extract(path: str, max_pages: int) -> dict[str, object]:
    """Return the visible text of every page, or an error message fit for the user."""
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        return {"error": _describe_load_error(error)}
    try:
        count = len(pdf)
        if count == 0:
            return {"error": "the PDF has no pages"}
        if count > max_pages:
            return {"error": f"the PDF has {count} pages, over the limit of {max_pages}"}
        pages: list[str] = []
        dropped: Counter[str] = Counter()
        for index in range(count):
            page = pdf[index]
            textpage = page.get_textpage()
            visible = visible_page_text(page, textpage)
            pages.append(visible.text)
            dropped.update(visible.dropped)
            textpage.close()
            page.close()
        return {"pages": pages, "dropped": dict(dropped)}
    except pdfium.PdfiumError as error:
        return {"error": f"the PDF is damaged and a page could not be read ({error})"}
    finally:
        pdf.close()


def main() -> None:
    """Extract the PDF named on the command line and print the JSON result."""
    memory_bytes = int(sys.argv[3])
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    result = extract(sys.argv[1], int(sys.argv[2]))
    sys.stdout.write(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
