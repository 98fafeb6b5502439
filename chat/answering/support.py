"""Which sources an answer rests on, and which of its sentences none of them supports.

The check is lexical, as a reader would check it by eye: a sentence is supported by a source
when the source holds most of the sentence's Chinese characters and English words, and every
number the sentence states. It is a guard against a small model's inventions, not a proof.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from chat.answering.markers import MARKER
from knowledge import FUNCTION_HAN, HAN_RANGES, content_tokens
from knowledge import sentence_spans as sentences

# The share of a sentence's characters and words a source must hold to support it.
SUPPORT_THRESHOLD = 0.6
UNSUPPORTED_MARK = {"zh-TW": "〔來源未載〕", "en": " [not in the sources]"}

_HAN = re.compile(f"[{HAN_RANGES}]")
_NUMBER = re.compile(r"\d+")
# Chinese numerals state amounts as digits do (兩位, 三天); 一 is left out, it is in too many
# words (一般, 一起).
_HAN_NUMERALS = set("二兩三四五六七八九十百千萬億")
# A sentence that says the sources do not answer something rests on no source, and is true
# to them: it is not marked.
_ABSTAINS = re.compile(
    r"沒有(?:提到|提及|說明|資料|相關|涵蓋|記載)|未(?:提及|提到|說明|記載|涵蓋)"
    r"|無法(?:根據|回答|確定)|不清楚"
    r"|not (?:mention|say|state|cover|contain|specif)|no (?:information|mention|data)"
    r"|does not (?:say|cover|contain)|cannot (?:answer|tell|determine)",
    re.IGNORECASE,
)
# The whole answer declines: the knowledge base does not cover the question.
_REFUSES = re.compile(
    r"知識庫(?:中)?(?:沒有|未|並未)(?:涵蓋|包含|找到|提到)"
    r"|(?:資料|來源|文件)(?:中)?(?:沒有|未)(?:提到|提及|相關|答案|涵蓋)"
    r"|knowledge base does not (?:cover|contain)"
    r"|(?:sources|documents) do not (?:contain|mention|cover)",
    re.IGNORECASE,
)

# A yes-or-no question's answer word: the verdict the reader checks against the source, not
# a word the source must hold (「Yes, we should use ultrasound [1].」 rests on the page).
_VERDICTS = frozenset({"yes", "no"})
# Words that ask: a sentence holding one restates the question rather than answering it.
_ASKS = re.compile(
    r"[哪誰何幾嗎?？]|什麼|多少|\b(?:what|which|who|whom|when|where|why|how)\b", re.IGNORECASE
)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _claim(sentence: str, question: str) -> tuple[set[str], set[str], set[str]]:
    """What a sentence states beyond what the question already says: its numbers, telling
    Chinese characters and English words. Repeating the question is not a claim: 「阿聯航空於
    2014年時共通航了142個城市」 must find 142 and 城市 on the page, not 阿聯航空."""
    plain, asked = _fold(MARKER.sub("", sentence)), _fold(question)
    numbers = set(_NUMBER.findall(plain)) - set(_NUMBER.findall(asked))
    han = {char for char in _HAN.findall(plain) if char not in FUNCTION_HAN and char not in asked}
    asked_words = content_tokens(asked) | _VERDICTS
    words = {t for t in content_tokens(plain) if not _HAN.search(t) and t not in asked_words}
    return numbers, han, words


def support(sentence: str, source: str, question: str = "") -> float:
    """How well a source supports a sentence: the share of the sentence's telling Chinese
    characters and English words (beyond the question's) the source holds; 0 when a number
    it states is missing."""
    numbers, han, words = _claim(sentence, question)
    page = _fold(source)
    if not numbers <= set(_NUMBER.findall(page)) or any(
        char not in page for char in han & _HAN_NUMERALS
    ):
        return 0.0
    wanted = len(han) + len(words)
    if not wanted:
        return 1.0 if numbers else 0.0
    page_words = content_tokens(page)
    held = sum(char in page for char in han) + sum(word in page_words for word in words)
    return held / wanted


def needs_support(sentence: str) -> bool:
    """Whether a sentence states something a source should back (not a greeting, not a
    statement that the sources are silent). A number always does: 「1971年」 alone is a claim."""
    plain = MARKER.sub("", sentence)
    telling = len(_HAN.findall(plain)) + 2 * len(re.findall(r"[A-Za-z]{3,}", plain))
    return (telling >= 4 or bool(_NUMBER.search(plain))) and not _ABSTAINS.search(plain)


def declines(text: str) -> bool:
    """Whether the answer as a whole says the knowledge base does not cover the question."""
    claims = [s for s in sentences(text) if needs_support(s)]
    return bool(_REFUSES.search(text)) and not claims


def _states_something(sentence: str, question: str = "") -> bool:
    """Whether a sentence holds anything a page could share beyond the question: a number, a
    telling Chinese character or an English word (a short answer such as 「10點。」 does)."""
    return any(_claim(sentence, question))


def supporting_sources(text: str, sources: Sequence[str], question: str = "") -> list[int]:
    """The 1-based numbers of the sources that support at least one sentence of the text.

    A sentence made only of the question's words (「戴法興」 to 「…用戴法興以及誰?」, which
    picks the wrong one of two) claims nothing that needs a source, but it was still taken
    from a page: the page that holds it whole is shown, so the reader can look there. One
    that still asks (「威悉河最終匯入哪裡。」) took nothing from any page.
    """
    claims = _claims(text, question)
    return [
        number
        for number, source in enumerate(sources, start=1)
        if any(support(claim, source, asked) >= SUPPORT_THRESHOLD for claim, asked in claims)
    ]


def supporting_sentences(text: str, source: str, question: str = "") -> list[str]:
    """The sentences of a source that the text's claims rest on: for each claim, the one
    sentence that supports it best (if any supports it well enough), in the source's order.
    What the viewer marks on the page, rather than all the source's sentences."""
    # Runs of evidence come joined by "…" (evidence.GAP): a sentence never spans one.
    pieces = [piece for run in source.split("…") for piece in sentences(run.strip())]
    chosen: set[int] = set()
    for claim, asked in _claims(text, question):
        scores = [support(claim, piece, asked) for piece in pieces]
        best = max(range(len(pieces)), key=scores.__getitem__, default=None)
        if best is not None and scores[best] >= SUPPORT_THRESHOLD:
            chosen.add(best)
    return [pieces[index] for index in sorted(chosen)]


def _claims(text: str, question: str) -> list[tuple[str, str]]:
    """The text's sentences that state something, each with the question it is read
    against (empty for one made only of the question's words: see supporting_sources)."""
    claims: list[tuple[str, str]] = []
    for sentence in sentences(text):
        if _ABSTAINS.search(sentence):
            continue
        if _states_something(sentence, question):
            claims.append((sentence, question))
        elif _states_something(sentence) and not _ASKS.search(sentence):
            claims.append((sentence, ""))
    return claims


def mark_unsupported(
    text: str, sources: Sequence[str], language: str, question: str = ""
) -> tuple[str, list[str]]:
    """The text with each claim no source supports marked, and those claims (a sentence
    that only repeats the question claims nothing)."""
    mark = UNSUPPORTED_MARK["zh-TW" if language == "zh-TW" else "en"]
    out: list[str] = []
    unsupported: list[str] = []
    for sentence in sentences(text):
        body = sentence.rstrip("\n")
        claims = needs_support(body) and _states_something(body, question)
        if claims and all(support(body, s, question) < SUPPORT_THRESHOLD for s in sources):
            unsupported.append(body.strip())
            body = body.rstrip() + mark
        out.append(body + sentence[len(sentence.rstrip("\n")) :])
    return "".join(out), unsupported
