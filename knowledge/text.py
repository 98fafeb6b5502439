"""Text helpers every part of kbchat shares: the CJK character ranges, a token estimate, and
the language of a text. One definition of each, so that counting, cutting and tokenizing
agree on what a Chinese character is."""

from __future__ import annotations

import re
from typing import Literal

# Ranges to put inside a regex character class, e.g. ``re.compile(f"[{HAN_RANGES}]")``.
HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""Han ideographs: CJK Extension A, the unified block, and compatibility ideographs."""
CJK_LETTER_RANGES = HAN_RANGES + "\u3040-\u30ff\uac00-\ud7af"
"""Han, kana and hangul: the letters of scripts written without spaces between words."""
CJK_RANGES = (
    CJK_LETTER_RANGES
    + "\u2e80-\u2fdf\u3000-\u303f\u3100-\u312f\u3190-\u31ff\ufe30-\ufe4f\uff00-\uffef"
)
"""The CJK letters plus radicals, CJK punctuation, bopomofo, kanbun, vertical and full-width
forms: every character that takes no space beside another CJK character."""

Language = Literal["zh-TW", "en"]

_HAN = re.compile(f"[{HAN_RANGES}]")
_CJK_CHAR = re.compile(f"[{CJK_RANGES}]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_LATIN_WORD = re.compile(r"[A-Za-z0-9]+")


def estimate_tokens(text: str) -> int:
    """Rough count of subword tokens: one per CJK character, ~1.3 per Latin word."""
    cjk = len(_CJK_CHAR.findall(text))
    words = len(_LATIN_WORD.findall(text))
    return cjk + (words * 13 + 9) // 10


def detect_language(text: str) -> Language:
    """``zh-TW`` when Chinese characters make up at least a third of the letters, else ``en``."""
    han, latin = len(_HAN.findall(text)), len(_LATIN_LETTER.findall(text))
    return "zh-TW" if han and han * 3 >= han + latin else "en"


def languages_in(text: str) -> frozenset[Language]:
    """The languages a text is written in to a real extent: each script whose letters make up
    at least a fifth of the text's letters (a bilingual hospital page is both; a Chinese
    paragraph naming an MRI is Chinese alone). A text without letters: its detected one."""
    han, latin = len(_HAN.findall(text)), len(_LATIN_LETTER.findall(text))
    found: set[Language] = set()
    if han * 5 >= han + latin > 0:
        found.add("zh-TW")
    if latin * 5 >= han + latin > 0:
        found.add("en")
    return frozenset(found) or frozenset({detect_language(text)})


def is_cjk(char: str) -> bool:
    """Whether one character is CJK (letter, punctuation or full-width form)."""
    return _CJK_CHAR.match(char) is not None
