"""Answers in Taiwan usage: OpenCC's ``s2twp`` applied to the model's text as it streams.

Small models trained mostly on Simplified text write 点, 时 and 位于 even when asked in
Traditional Chinese. OpenCC converts by phrase (软件 → 軟體, 内存 → 記憶體), so the stream is
converted up to a safe boundary (punctuation, a space, a line break, non-Chinese text) and
the rest is held until the next one: a phrase is never cut in two and no character is split.
Text the sources themselves contain is left as the sources write it (a quoted name, a title
in Simplified characters), so a citation still matches its page.

OpenCC also changes text that is Traditional already (最多只能 → 最多隻能), so a run of text
between boundaries is converted only when it holds a character that is Simplified only:
one OpenCC changes that Traditional Chinese does not also use as it is (只, 干, 台, 云...).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from knowledge import HAN_RANGES

# Characters after which a phrase cannot continue: punctuation, spaces, and anything that
# is not Han (Latin words, digits, markers such as [1]).
_BOUNDARY = re.compile(f"[^{HAN_RANGES}]")
# A run of Han characters this long is converted even without a boundary, so a model that
# writes no punctuation still streams.
_MAX_HELD = 24
# A run with no Simplified-only character so far is shown but for its last few characters:
# converting it would change nothing, and what is held is enough for a phrase that a
# Simplified character still to come would convert together with them (擦干 + 净 → 擦乾淨).
_HELD_BEFORE = 4
# Source phrases shorter than this are not protected: a word or two (内存 inside the name
# 内存管家) says nothing about whether the answer quotes the source or just uses the word.
_MIN_PROTECTED = 3
_LONGEST_PROTECTED = 16


# Characters OpenCC's s2t changes on their own that Traditional Chinese also writes as they
# are (只能, 干擾, 台灣, 云云, 余姓, 岩石, 山峰, 群眾...): alone they do not show that a text
# is Simplified. (后 and 里 are left out: 以后, 这里 are far more common than 皇后, 鄰里,
# which OpenCC's phrases keep.)
_SHARED = frozenset(
    "丑云余冲准凶划占厘台吃咨咸唇夸岩峰干并床征恒据朴杰栖涂涌游灶痴秘群脉范郁采"
    "只卜折松系蒙谷御致制叶千舍须向困克几了面志周"
)
_RUN = re.compile(r"[^\s，。、；：！？,.;:!?()（）「」『』\[\]]+|.", re.DOTALL)


@lru_cache(maxsize=4096)
def _simplified_only(char: str) -> bool:
    return char not in _SHARED and _single_characters().convert(char) != char


@lru_cache(maxsize=1)
def _single_characters() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def _needs_conversion(run: str) -> bool:
    return any(_simplified_only(char) for char in run if "\u3400" <= char <= "\u9fff")


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("s2twp")


def to_taiwan_usage(text: str, keep: str = "") -> str:
    """``text`` in Traditional characters and Taiwan phrasing, except the phrases of ``keep``
    (the sources) that it quotes, which stay as written, and runs already Traditional."""
    return "".join(
        _converted(run, keep) if _needs_conversion(run) else run for run in _RUN.findall(text)
    )


def _converted(text: str, keep: str) -> str:
    """One run converted, the source phrases it quotes left as they are."""
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
        tail = len(self._held) - cut
        if cut == 0 and tail >= _MAX_HELD:
            cut = len(self._held)
        elif tail > _HELD_BEFORE and not _needs_conversion(self._held[cut:]):
            cut = len(self._held) - _HELD_BEFORE
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
