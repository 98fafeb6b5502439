"""Follow-up questions: 「那晚上呢？」 or "Who wrote it?" search with the question before them.

A follow-up leans on the conversation for its subject: alone, 「它的作者是誰？」 names nothing a
page could match. When a question reads as a follow-up (it points back with a pronoun or a
demonstrative, opens with 那/還有/"and"/"what about", or is too short to stand alone), the
search runs on the previous question and this one together. The rule is visible and
lexical: no model rewrites the question behind the user's back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from knowledge import HAN_RANGES
from serving import Message

_HAN = re.compile(f"[{HAN_RANGES}]")
# Pronouns and demonstratives; 其他, 其中, 此外 and the like name no earlier subject.
_POINTS_BACK_ZH = re.compile(r"它|(?<!其)他|她|該|此(?!外)|這|那|其(?![他中實餘次])|上述|前者|後者")
_POINTS_BACK_EN = re.compile(
    r"\b(?:it|its|they|them|their|this|that|these|those|he|she|him|her|his|there|the same)\b",
    re.IGNORECASE,
)
_OPENS_FOLLOW_UP = re.compile(r"^\s*(?:那|還有|另外|and\b|what about\b|how about\b)", re.I)
# Shorter than this and a question rarely names its own subject (「晚上呢？」, "And why?").
_SHORT_HAN, _SHORT_WORDS = 6, 4


def is_follow_up(question: str) -> bool:
    """Whether the question leans on the one before it for its subject."""
    han = len(_HAN.findall(question))
    if han:
        return bool(_POINTS_BACK_ZH.search(question) or _OPENS_FOLLOW_UP.search(question)) or (
            han < _SHORT_HAN
        )
    words = re.findall(r"[A-Za-z0-9]+", question)
    return bool(_POINTS_BACK_EN.search(question) or _OPENS_FOLLOW_UP.search(question)) or (
        len(words) < _SHORT_WORDS
    )


def retrieval_query(question: str, history: Sequence[Message]) -> str:
    """What to search for: the question, preceded by the previous question when it is a
    follow-up of it."""
    previous = next((t["content"] for t in reversed(history) if t["role"] == "user"), "")
    if previous.strip() and is_follow_up(question):
        return f"{previous.strip()} {question}"
    return question
