"""Evidence first: the sentences of each retrieved page that carry the question's terms.

A retrieved chunk holds a whole passage, most of it about something else. A small model
answers better from the few sentences that matter (it copies less of the rest into its
answer) and a short prompt is read faster, so each source given to the model is its
best-matching sentences with their neighbours, in page order, gaps marked with "…".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from knowledge import SearchHit, content_tokens, query_terms, split_sentences

GAP = " … "


@dataclass(frozen=True)
class EvidenceLimits:
    """How much goes to the model: characters of one page and of all pages together,
    neighbours kept, and how close to the best sentence's score another must come to be
    taken too. The model reads every character before it writes its first word (about 90
    tokens a second for the 0.5B on 2 cores), so the budget is what keeps that wait short."""

    max_chars: int = 200
    total_chars: int = 260
    neighbours: int = 1
    relative_score: float = 0.5


def term_weights(question: str, passages: Sequence[str]) -> dict[str, float]:
    """The question's content terms, each weighted by how rare it is among the passages
    (a term every passage has tells them apart least)."""
    terms = query_terms(question)
    held = [content_tokens(passage) for passage in passages]
    count = max(len(held), 1)
    return {
        term: math.log(1 + (count + 1) / (1 + sum(term in tokens for tokens in held)))
        for term in terms
    }


def sentence_scores(sentences: Sequence[str], weights: dict[str, float]) -> list[float]:
    """The weighted share of the question's terms each sentence holds."""
    total = sum(weights.values()) or 1.0
    scores = []
    for sentence in sentences:
        tokens = content_tokens(sentence)
        scores.append(sum(w for term, w in weights.items() if term in tokens) / total)
    return scores


def select_evidence(
    text: str, weights: dict[str, float], limits: EvidenceLimits | None = None
) -> str:
    """The passage's sentences that carry the question's terms, with their neighbours.

    Sentences scoring at least ``relative_score`` of the best are taken best first, each
    with ``neighbours`` on either side, while they fit in ``max_chars``; a passage with no
    matching sentence gives its opening sentences.
    """
    limits = limits or EvidenceLimits()
    sentences = split_sentences(text)
    if not sentences:
        return ""
    scores = sentence_scores(sentences, weights)
    ranked = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
    if scores[ranked[0]] == 0:
        ranked = list(range(len(sentences)))
    chosen: set[int] = set()
    used = 0
    floor = scores[ranked[0]] * limits.relative_score
    for best in ranked:
        if chosen and (scores[best] == 0 or scores[best] < floor):
            break
        window = range(best - limits.neighbours, best + limits.neighbours + 1)
        for index in sorted(window, key=lambda i: abs(i - best)):
            if 0 <= index < len(sentences) and index not in chosen:
                cost = len(sentences[index]) + len(GAP)
                if used + cost > limits.max_chars and chosen:
                    continue
                chosen.add(index)
                used += cost
        if used >= limits.max_chars:
            break
    return _joined(sentences, sorted(chosen))


def evidence_for(
    hits: Sequence[SearchHit], weights: dict[str, float], limits: EvidenceLimits | None = None
) -> list[str]:
    """Each page's evidence, best page first, within the pages' shared character budget
    (a page the budget no longer reaches gets its best sentence's share of what is left)."""
    limits = limits or EvidenceLimits()
    left = limits.total_chars
    evidence = []
    for hit in hits:
        allowed = max(min(limits.max_chars, left), 1)
        chosen = select_evidence(hit.text, weights, replace(limits, max_chars=allowed))
        left -= len(chosen)
        evidence.append(chosen)
    return evidence


def _joined(sentences: Sequence[str], indexes: Sequence[int]) -> str:
    """The chosen sentences in page order, with a gap mark where sentences were left out."""
    parts: list[str] = []
    for position, index in enumerate(indexes):
        if position and index != indexes[position - 1] + 1:
            parts.append(GAP)
        elif position:
            parts.append("" if _is_cjk_end(parts[-1]) else " ")
        parts.append(sentences[index])
    if indexes and indexes[-1] != len(sentences) - 1:
        parts.append(GAP.rstrip())
    if indexes and indexes[0] != 0:
        parts.insert(0, GAP.lstrip())
    return "".join(parts)


def _is_cjk_end(text: str) -> bool:
    return bool(text) and "\u3000" <= text[-1] <= "\u9fff"
