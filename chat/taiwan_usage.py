"""Answers in Taiwan usage: OpenCC's ``s2twp`` applied to the model's text as it streams.

Small models trained mostly on Simplified text write 点, 时 and 位于 even when asked in
Traditional Chinese. OpenCC converts by phrase (软件 → 軟體, 内存 → 記憶體), so the stream is
converted up to a safe boundary (punctuation, a space, a line break, non-Chinese text) and
the rest is held until the next one: a phrase is never cut in two and no character is split.
Text the sources themselves contain is left as the sources write it (a quoted name, a title
in Simplified characters), so a citation still matches its page.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Characters after which a phrase cannot continue: punctuation, spaces, and anything that
# is not Han (Latin words, digits, markers such as [1]).
_BOUNDARY = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# A run of Han characters this long is converted even without a boundary, so a model that
# writes no punctuation still streams.
_MAX_HELD = 24
# Source phrases shorter than this are not protected: a word or two (内存 inside the name
# 内存管家) says nothing about whether the answer quotes the source or just uses the word.
_MIN_PROTECTED = 3
_LONGEST_PROTECTED = 16


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("s2twp")


def to_taiwan_usage(text: str, keep: str = "") -> str:
    """``text`` in Traditional characters and Taiwan phrasing, except the phrases of ``keep``
    (the sources) that it quotes, which stay as written."""
    if not text:
        return text
    convert = _converter().convert
    out: list[str] = []
    plain_start = index = 0
    while index < len(text):
        length = _quoted_length(text, index, keep, convert) if keep else 0
        if length:
            out.append(convert(text[plain_start:index]))
            out.append(text[index : index + length])
            index += length
            plain_start = index
        else:
            index += 1
    out.append(convert(text[plain_start:]))
    return "".join(out)


def _quoted_length(text: str, start: int, keep: str, convert: Any) -> int:
    """The length of the longest phrase at ``start`` that the sources contain verbatim and
    that conversion would change; 0 when there is none."""
    longest = min(_LONGEST_PROTECTED, len(text) - start)
    for length in range(longest, _MIN_PROTECTED - 1, -1):
        phrase = text[start : start + length]
        if phrase in keep and convert(phrase) != phrase:
            return length
    return 0


class TaiwanUsageStream:
    """Converts streamed pieces of an answer; ``feed`` returns what can be shown now."""

    def __init__(self, keep: str = "") -> None:
        self._keep = keep
        self._held = ""

    def feed(self, piece: str) -> str:
        """Take the next piece; return the converted text up to the last safe boundary."""
        self._held += piece
        cut = _last_boundary(self._held)
        if cut == 0 and len(self._held) >= _MAX_HELD:
            cut = len(self._held)
        ready, self._held = self._held[:cut], self._held[cut:]
        return to_taiwan_usage(ready, self._keep)

    def flush(self) -> str:
        """The converted rest, at the end of the answer."""
        ready, self._held = self._held, ""
        return to_taiwan_usage(ready, self._keep)


def _last_boundary(text: str) -> int:
    """The index just after the last boundary character, 0 when there is none."""
    for index in range(len(text) - 1, -1, -1):
        if _BOUNDARY.match(text[index]):
            return index + 1
    return 0
