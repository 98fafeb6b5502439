"""Clean text extracted from PDFs: control characters, CJK spacing, broken lines."""

from __future__ import annotations

import re
import unicodedata

from knowledge.text import CJK_RANGES, is_cjk

_CJK = f"[{CJK_RANGES}]"
_CJK_GAP = re.compile(f"(?<={_CJK})[ \t\u00a0\u3000]+(?={_CJK})")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff\ufffe]")
_SOFT_HYPHEN_BREAK = re.compile(r"(?<=[A-Za-z])[-\u00ad]\n(?=[a-z])")
_SPACES = re.compile(r"[ \t\u00a0]+")
# A line ending in one of these closes a sentence or a heading-like line.
_SENTENCE_END = set("。！？；：」』）)!?;:.\"'”’")
# A line narrower than this share of the page's widest line ends its paragraph (a heading,
# or the last line of a paragraph); wider lines were wrapped by the layout.
_FULL_LINE_SHARE = 0.6


def _display_width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)


def _join_lines(lines: list[str]) -> str:
    """Join lines that the page layout wrapped; keep breaks after sentences and short lines."""
    full_width = _FULL_LINE_SHARE * max((_display_width(line) for line in lines), default=0)
    paragraphs: list[str] = []
    current = ""
    previous_width = 0
    for line in lines:
        if current and (not line or current[-1] in _SENTENCE_END or previous_width < full_width):
            paragraphs.append(current)
            current = ""
        if not line:
            continue
        if not current:
            current = line
        elif is_cjk(current[-1]) and is_cjk(line[0]):
            current += line
        else:
            current += " " + line
        previous_width = _display_width(line)
    if current:
        paragraphs.append(current)
    return "\n".join(paragraphs)


def normalize_page_text(raw: str) -> str:
    """Return the readable text of one PDF page.

    Removes NULs and control characters, the spaces some PDFs put between CJK
    characters, and the line breaks of the page layout inside sentences.
    """
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\x00", "")
    text = _CONTROL.sub("", text)
    text = _SOFT_HYPHEN_BREAK.sub("", text)
    lines = [_CJK_GAP.sub("", _SPACES.sub(" ", line)).strip() for line in text.split("\n")]
    return _join_lines(lines).strip()
