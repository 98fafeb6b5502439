"""A cited page as the viewer shows it: a picture, its text, and the passages marked.

The page is drawn by PDFium (the engine that already reads its text) with the system's
fonts standing in for fonts the PDF names but does not embed, as many Taiwanese documents
do (MSung-Light, MingLiU): a browser's PDF.js shows those pages blank without character maps
it would have to fetch. Drawing runs in a child process with a memory cap and a time limit,
as parsing does (``formats/parse.py``): a hostile PDF can only kill that process.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from knowledge.errors import KnowledgeError

# Left out when matching a passage to the page's characters: the layout's spaces and line
# breaks, and the hyphens of words broken across lines (the stored text has them joined).
_SKIPPED = frozenset(" \t\r\n\u00a0\u3000\u00ad-\x00\ufffe\u200b")
_PNG = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class PageImageLimits:
    """The width drawn (pixels) and the child's memory cap and wall-clock limit."""

    width: int = 1200
    memory_bytes: int = 1024 * 1024 * 1024
    timeout_s: float = 20.0


# Where PDFium looks for the fonts a PDF names but does not embed, and the names of the font
# files that hold Chinese (Noto/Source Han, AR PL Ming and Kai, WenQuanYi, Droid fallback).
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")
_CJK_FONT = re.compile(r"cjk|sourcehan|uming|ukai|wqy|droidsansfallback|mingliu|msung", re.I)


def cjk_font_found(dirs: Sequence[Path] = FONT_DIRS) -> bool:
    """Whether a font with Chinese glyphs is installed where PDFium finds it: without one,
    a page whose Chinese font is not embedded is drawn without its Chinese text."""
    return any(
        _CJK_FONT.search(path.name)
        for folder in dirs
        if folder.is_dir()
        for path in folder.rglob("*")
    )


class PageImageError(KnowledgeError):
    """The page could not be drawn (out of range, or the drawing failed)."""


def marked_spans(page_chars: Sequence[str], passages: Sequence[str]) -> list[tuple[int, int]]:
    """The character ranges ``[start, end)`` of the page that hold each passage, compared
    without spaces, line breaks or line-break hyphens, and after NFKC (``page_chars[i]`` is
    the page's character ``i``, as PDFium numbers them). A passage the page does not hold
    marks nothing."""
    kept = [(index, folded) for index, char in enumerate(page_chars) for folded in _fold(char)]
    haystack = "".join(folded for _, folded in kept)
    spans = []
    for passage in passages:
        needle = "".join(_fold(passage))
        if len(needle) < 2:
            continue
        start = haystack.find(needle)
        while start >= 0:
            end = start + len(needle)
            spans.append((kept[start][0], kept[end - 1][0] + 1))
            start = haystack.find(needle, end)
    return sorted(set(spans))


def _fold(text: str) -> list[str]:
    return [c for c in unicodedata.normalize("NFKC", text).casefold() if c not in _SKIPPED]


@dataclass(frozen=True)
class PageLayout:
    """A page as the viewer lays it out: boxes are ``(left, top, right, bottom)`` as
    fractions of the page's width and height, from its top left corner."""

    pages: int
    width_pt: float
    height_pt: float
    lines: list[tuple[str, tuple[float, float, float, float]]]
    marks: list[tuple[float, float, float, float]]


def render_page(path: Path, page: int, limits: PageImageLimits | None = None) -> bytes:
    """PNG bytes of page ``page`` (1-based) of the PDF at ``path``, ``limits.width`` pixels
    wide. Raises ``PageImageError`` saying why not."""
    limits = limits or PageImageLimits()
    png = _run_worker("png", path, page, [], limits)
    if not png.startswith(_PNG):
        raise PageImageError(f"page {page} could not be drawn")
    return png


def page_layout(
    path: Path, page: int, passages: Sequence[str], limits: PageImageLimits | None = None
) -> PageLayout:
    """The page count, the size of page ``page``, its text lines (for a selectable text
    layer) and the boxes of each passage found on it."""
    shape = json.loads(_run_worker("layout", path, page, passages, limits or PageImageLimits()))

    def box(values: list[float]) -> tuple[float, float, float, float]:
        return (values[0], values[1], values[2], values[3])

    return PageLayout(
        pages=int(shape["pages"]),
        width_pt=float(shape["width"]),
        height_pt=float(shape["height"]),
        lines=[(str(line["text"]), box(line["box"])) for line in shape["lines"]],
        marks=[box(mark) for mark in shape["marks"]],
    )


def _run_worker(
    mode: str, path: Path, page: int, passages: Sequence[str], limits: PageImageLimits
) -> bytes:
    command = [sys.executable, "-m", "knowledge.page_worker", mode, str(path), str(page),
               str(limits.width), str(limits.memory_bytes)]  # fmt: skip
    try:
        done = subprocess.run(
            command,
            input=json.dumps(list(passages)).encode(),
            capture_output=True,
            timeout=limits.timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise PageImageError(
            f"reading page {page} took longer than {limits.timeout_s:.0f} s and was stopped"
        ) from error
    if done.returncode == 2:  # the worker's own, user-fit reason
        raise PageImageError(done.stderr.decode(errors="replace").strip())
    if done.returncode != 0:
        raise PageImageError(f"page {page} could not be read (out of memory, or it failed)")
    return done.stdout
