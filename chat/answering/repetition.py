"""Stopping an answer that repeats itself.

A small model that runs out of things to say often says the same sentence again, or the
same few words over and over, until it hits its token limit: a minute and a half of one
sentence four times. Sampling settings make that rarer (a repeat penalty); this detector
ends it when it happens anyway. It looks at the text as it streams and reports where the
repetition began, so the answer keeps everything before it.
"""

from __future__ import annotations

import re
import unicodedata

# Ends of sentences and of Chinese clauses (，): a small model often repeats a clause.
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;，\n])|(?<=\.)(?=\s)")
_ENDS = "。！？!?；;，.\n"
# A sentence shorter than this may repeat on purpose (「是的。」, "Yes.").
_MIN_SENTENCE = 8
# A phrase this long, said this many times in a row at the end, is a loop.
_MIN_PERIOD, _MAX_PERIOD, _TIMES = 2, 120, 3


def _normalized(sentence: str) -> str:
    """A sentence folded for comparison: width, case, spaces and citation markers ignored."""
    folded = unicodedata.normalize("NFKC", sentence).casefold()
    return re.sub(r"\[\d+\]|\s+", "", folded)


def repeated_sentence_start(text: str) -> int | None:
    """Where the first sentence that says an earlier sentence again begins, if one does."""
    seen: set[str] = set()
    position = 0
    for sentence in _SENTENCE_END.split(text):
        key = _normalized(sentence)
        finished = sentence.rstrip(" \t")[-1:] in tuple(_ENDS)
        if len(key) >= _MIN_SENTENCE and finished:
            if key in seen:
                return position
            seen.add(key)
        position += len(sentence)
    return None


def repeated_tail_start(text: str) -> int | None:
    """Where a phrase repeated three or more times in a row at the end of the text begins
    to repeat (after its first occurrence), if the text ends that way."""
    for period in range(_MIN_PERIOD, min(_MAX_PERIOD, len(text) // _TIMES) + 1):
        unit = text[-period:]
        # A phrase of words (not a rule of dashes or a row of table bars) said again and again.
        if sum(char.isalpha() for char in unit) < 2 or text[-period * _TIMES :] != unit * _TIMES:
            continue
        start = len(text) - period * _TIMES
        while start >= period and text[start - period : start] == unit:
            start -= period
        return start + period
    return None


def loop_start(text: str) -> int | None:
    """Where the answer started repeating itself, or None while it does not."""
    found = [at for at in (repeated_sentence_start(text), repeated_tail_start(text)) if at]
    return min(found) if found else None
