"""Page text as a reader sees it: characters nobody can see on the page are left out.

Hidden text is the classic carrier of prompt injection in documents: white text on a white
page, text in render mode 3 (invisible), text too small to read, or text placed outside the
page's visible box. A reader never sees it, so it must never reach the index or the model.
Runs inside the PDF worker process, on pypdfium2's per-character API.
"""

from __future__ import annotations

import ctypes
from collections import Counter
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# Render modes 3 (neither fill nor stroke) and 7 (only adds to the clip path) paint nothing.
_INVISIBLE_MODES = {3, 7}
# Stroke-only modes, where the stroke colour is what the reader sees.
_STROKE_MODES = {1, 5}
# A glyph whose box is less than this tall (in points, 1/72 inch) cannot be read.
MIN_GLYPH_HEIGHT_PT = 1.0
# A fill whose every channel is at least this bright is "near white" and may be camouflaged.
_NEAR_WHITE = 230
# Text whose colour is this close (max channel difference, 0-255) to what lies under it
# cannot be seen against it.
_MIN_CONTRAST = 40
# Text counts as off the page only beyond this margin (points) around its visible box: some
# generators spill a line a few points over the top edge (every drcd-dev page has one, 5 pt
# over), which is layout sloppiness, not hiding.
OFF_PAGE_MARGIN_PT = 18.0
# Rendering scale for the background check (72 dpi: enough to see what lies under a glyph).
_RENDER_SCALE = 1.0

Reason = str  # "invisible" | "camouflaged" | "tiny" | "off_page"


@dataclass
class PageText:
    """The visible text of a page, and how many characters were dropped, by reason."""

    text: str
    dropped: Counter[Reason] = field(default_factory=Counter)


@dataclass(frozen=True)
class _Style:
    """What a text object paints: its colour, or nothing."""

    invisible: bool
    rgba: tuple[int, int, int, int]


def _object_style(obj: ctypes.c_void_p) -> _Style:
    mode = int(pdfium_c.FPDFTextObj_GetTextRenderMode(obj))
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    getter = (
        pdfium_c.FPDFPageObj_GetStrokeColor
        if mode in _STROKE_MODES
        else pdfium_c.FPDFPageObj_GetFillColor
    )
    known = getter(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a))
    rgba = (r.value, g.value, b.value, a.value) if known else (0, 0, 0, 255)
    return _Style(invisible=mode in _INVISIBLE_MODES or rgba[3] == 0, rgba=rgba)


def _loose_box(textpage: pdfium.PdfTextPage, index: int) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of a character's box in page space, font-height tall."""
    rect = pdfium_c.FS_RECTF()
    pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, index, ctypes.byref(rect))
    return rect.left, rect.bottom, rect.right, rect.top


def _outside(box: tuple[float, float, float, float], visible: tuple[float, ...]) -> bool:
    left, bottom, right, top = box
    v_left, v_bottom, v_right, v_top = visible
    v_left, v_bottom = v_left - OFF_PAGE_MARGIN_PT, v_bottom - OFF_PAGE_MARGIN_PT
    v_right, v_top = v_right + OFF_PAGE_MARGIN_PT, v_top + OFF_PAGE_MARGIN_PT
    return right <= v_left or left >= v_right or top <= v_bottom or bottom >= v_top


def visible_page_text(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> PageText:
    """The page's text without the characters a reader cannot see.

    A page with nothing hidden returns exactly ``textpage.get_text_range()``, so ordinary
    PDFs parse as they always did.
    """
    count = textpage.count_chars()
    visible_box = page.get_cropbox()
    styles: dict[int, _Style] = {}
    hidden: dict[int, Reason] = {}
    pale: dict[int, tuple[tuple[float, float, float, float], tuple[int, int, int]]] = {}
    for index in range(count):
        if pdfium_c.FPDFText_IsGenerated(textpage.raw, index) == 1:
            continue  # a space or line break PDFium added between runs: no glyph of its own
        obj = pdfium_c.FPDFText_GetTextObject(textpage.raw, index)
        address = ctypes.cast(obj, ctypes.c_void_p).value
        if not address:
            continue
        style = styles.get(address) or styles.setdefault(address, _object_style(obj))
        box = _loose_box(textpage, index)
        if style.invisible:
            hidden[index] = "invisible"
        elif box[3] - box[1] < MIN_GLYPH_HEIGHT_PT:
            hidden[index] = "tiny"
        elif _outside(box, visible_box):
            hidden[index] = "off_page"
        elif min(style.rgba[:3]) >= _NEAR_WHITE:
            pale[index] = (box, style.rgba[:3])
    if pale:
        hidden.update(_camouflaged(page, pale))
    if not hidden:
        return PageText(textpage.get_text_range())
    return PageText(_text_without(textpage, count, hidden), Counter(hidden.values()))


def _camouflaged(
    page: pdfium.PdfPage,
    pale: dict[int, tuple[tuple[float, float, float, float], tuple[int, int, int]]],
) -> dict[int, Reason]:
    """The pale characters drawn on a background of (almost) their own colour.

    Rendered, not assumed: white text on a dark banner is legitimate and must stay.
    """
    bitmap = page.render(scale=_RENDER_SCALE, rev_byteorder=True)  # RGB(A) byte order
    pixels = bitmap.to_numpy()
    converter = bitmap.get_posconv(page)
    height, width = pixels.shape[:2]
    found: dict[int, Reason] = {}
    for index, ((left, bottom, right, top), rgb) in pale.items():
        corners = [converter.to_bitmap(x, y) for x, y in ((left, bottom), (right, top))]
        xs = sorted(int(x) for x, _ in corners)
        ys = sorted(int(y) for _, y in corners)
        x0, x1 = max(0, xs[0]), min(width, xs[1] + 1)
        y0, y1 = max(0, ys[0]), min(height, ys[1] + 1)
        if x0 >= x1 or y0 >= y1:
            continue
        # The median pixel under a glyph is its background: strokes cover far less than half.
        background = [int(v) for v in _median_rgb(pixels[y0:y1, x0:x1])]
        if max(abs(a - b) for a, b in zip(background, rgb, strict=True)) < _MIN_CONTRAST:
            found[index] = "camouflaged"
    bitmap.close()
    return found


def _median_rgb(region: object) -> list[float]:
    import numpy as np

    array = np.asarray(region)
    return [float(v) for v in np.median(array.reshape(-1, array.shape[-1])[:, :3], axis=0)]


def _text_without(textpage: pdfium.PdfTextPage, count: int, hidden: dict[int, Reason]) -> str:
    """The page text from the runs of characters that are not hidden."""
    parts: list[str] = []
    start = None
    for index in range(count + 1):
        keep = index < count and index not in hidden
        if keep and start is None:
            start = index
        elif not keep and start is not None:
            parts.append(textpage.get_text_range(start, index - start))
            start = None
    return "".join(parts)
