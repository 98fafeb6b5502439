"""Child-process entry point that reads one PDF page for the page viewer.

Run as ``python -m knowledge.page_worker MODE PATH PAGE WIDTH MEMORY_BYTES``:
- ``png``: the page drawn ``WIDTH`` pixels wide, as PNG bytes on stdout;
- ``layout``: JSON on stdout with the page count, the page's size in points, its text
  lines and the boxes of the passages given as a JSON list on stdin (boxes as fractions of
  the page, from its top left corner).
It caps its own address space first; a reason fit for the user exits 2 on stderr. The
parent (``page_image``) enforces the wall-clock limit.
"""

from __future__ import annotations

import io
import json
import resource
import sys

import pypdfium2 as pdfium

from knowledge.page_image import marked_spans

Box = list[float]


def _runs(textpage: pdfium.PdfTextPage, start: int, end: int) -> list[tuple[str, Box]]:
    """The characters ``[start, end)`` as runs on one line each: (text, [l, b, r, t])."""
    runs: list[tuple[str, Box]] = []
    for index in range(start, end):
        char = textpage.get_text_range(index, 1)
        left, bottom, right, top = textpage.get_charbox(index)
        if right <= left or top <= bottom:  # a generated space or line break
            if runs and char == " ":
                runs[-1] = (runs[-1][0] + " ", runs[-1][1])
            continue
        box = runs[-1][1] if runs else None
        if box is not None and bottom < box[3] and top > box[1] and left >= box[0]:
            box[2], box[1], box[3] = max(box[2], right), min(box[1], bottom), max(box[3], top)
            runs[-1] = (runs[-1][0] + char, box)
        else:
            runs.append((char, [left, bottom, right, top]))
    return runs


def _fraction(box: Box, width: float, height: float) -> Box:
    left, bottom, right, top = box
    return [left / width, 1 - top / height, right / width, 1 - bottom / height]


def layout(pdf: pdfium.PdfDocument, page: pdfium.PdfPage, passages: list[str]) -> bytes:
    """The page's size, text lines and the boxes of the passages found on it, as JSON."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    count = textpage.count_chars()
    chars = [textpage.get_text_range(i, 1) for i in range(count)]
    lines = [
        {"text": text.rstrip(), "box": _fraction(box, width, height)}
        for text, box in _runs(textpage, 0, count)
        if text.strip()
    ]
    marks = [
        _fraction(box, width, height)
        for start, end in marked_spans(chars, passages)
        for _, box in _runs(textpage, start, end)
    ]
    shape = {"pages": len(pdf), "width": width, "height": height, "lines": lines, "marks": marks}
    return json.dumps(shape, ensure_ascii=False).encode()


def png(page: pdfium.PdfPage, pixels: int) -> bytes:
    """The page drawn ``pixels`` wide."""
    image = page.render(scale=pixels / page.get_size()[0]).to_pil()
    out = io.BytesIO()
    image.convert("RGB").save(out, "PNG", optimize=True)
    return out.getvalue()


def read(mode: str, path: str, number: int, pixels: int, passages: list[str]) -> bytes:
    """What ``mode`` asks of page ``number``; ValueError with a reason if it cannot."""
    pdf = pdfium.PdfDocument(path)
    try:
        if not 1 <= number <= len(pdf):
            raise ValueError(f"the document has no page {number} (it has {len(pdf)})")
        page = pdf[number - 1]
        return png(page, pixels) if mode == "png" else layout(pdf, page, passages)
    finally:
        pdf.close()


def main() -> None:
    """Read the page named on the command line; the passages come as JSON on stdin."""
    mode, path, number, pixels, memory_bytes = sys.argv[1:6]
    resource.setrlimit(resource.RLIMIT_AS, (int(memory_bytes), int(memory_bytes)))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    passages = [p for p in json.loads(sys.stdin.read() or "[]") if isinstance(p, str)]
    try:
        output = read(mode, path, int(number), int(pixels), passages)
    except (ValueError, pdfium.PdfiumError) as error:
        sys.stderr.write(str(error))
        sys.exit(2)
    sys.stdout.buffer.write(output)


if __name__ == "__main__":
    main()
