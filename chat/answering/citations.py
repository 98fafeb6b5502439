"""Turn the model's ``[n]`` markers into citations of retrieved pages, and nothing else."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from chat.answering.evidence import GAP
from chat.answering.markers import MARKER, marker_numbers
from chat.answering.support import supporting_sentences, supporting_sources
from knowledge import Place, SearchHit

# A sentence's end followed by its markers (the markers themselves: chat/answering/markers.py).
_AFTER_FULL_STOP = re.compile(r"([。！？]|(?<=[A-Za-z)])[.!?])[ \t]*((?:\[\d+\])+)")


@dataclass(frozen=True)
class Citation:
    """A retrieved page or section: a source the answer rests on (``cited`` when by a
    ``[n]`` marker, else by what its sentences share with the page), or one searched and not
    used. ``page`` is the section's number; ``place`` where a section of a document without
    pages is (None for a PDF's page)."""

    number: int
    file: str
    page: int
    text: str
    doc_id: str
    cited: bool
    chunk_id: str = ""
    evidence: str = ""
    """What the answer rests on, marked when the page is shown: the page's sentences that
    support its claims, else those given to the model (``evidence.GAP`` between runs)."""
    place: Place | None = None

    def to_json(self) -> dict[str, object]:
        """The public JSON shape (the CLI contract): a section's place only for a document
        without pages."""
        shape: dict[str, object] = {
            "file": self.file, "page": self.page, "text": self.text, "doc_id": self.doc_id,
        }  # fmt: skip
        if self.place is not None:
            shape["section"] = self.place.to_json()
        return shape


def resolve_citations(
    answer: str,
    sources: Sequence[SearchHit],
    support_texts: Sequence[str] | None = None,
    not_given: Sequence[SearchHit] = (),
    question: str = "",
) -> tuple[str, list[Citation], list[Citation]]:
    """The answer's sources, renumbered in order of first mention, and the pages searched.

    The sources are those the answer cites with ``[n]``; when it cites none, those that
    support one of its sentences (``support_texts[n-1]``, the evidence given for source n, or
    the page's text). Markers that name no source are removed. Returns the text, the sources
    (``cited`` says whether by marker) and the retrieved pages the answer does not rest on
    (those given to the model, then ``not_given``: retrieved but left out of its prompt).
    """
    texts = list(support_texts) if support_texts is not None else [hit.text for hit in sources]
    cited = _cited_numbers(answer, len(sources))
    shown = cited or supporting_sources(answer, texts, question)
    others = [n for n in range(1, len(sources) + 1) if n not in shown]
    renumber = {old: new for new, old in enumerate(shown, start=1)}

    def rewrite(match: re.Match[str]) -> str:
        kept = [renumber[n] for n in marker_numbers(match.group(1)) if n in renumber]
        return "".join(f"[{n}]" for n in dict.fromkeys(kept))

    text = re.sub(r"[ \t]+([。，．.,])", r"\1", MARKER.sub(rewrite, answer)).strip()
    # 「…城市。[1]」 → 「…城市[1]。」 and "…ultrasound. [1]" → "…ultrasound [1].": the
    # marker belongs to the sentence it follows.
    text = _AFTER_FULL_STOP.sub(_marker_first, text)
    citations = [
        _citation(new, sources[old - 1], bool(cited), _focus(text, texts[old - 1], question))
        for old, new in renumber.items()
    ]
    unused = [(sources[old - 1], texts[old - 1]) for old in others]
    unused += [(hit, hit.text) for hit in not_given]
    searched = [
        _citation(len(shown) + place, hit, False, given)
        for place, (hit, given) in enumerate(unused, start=1)
    ]
    return text, citations, searched


def _focus(answer: str, evidence: str, question: str) -> str:
    """The evidence sentences the answer's claims rest on; all of them when none does."""
    return GAP.join(supporting_sentences(answer, evidence, question)) or evidence


def _marker_first(match: re.Match[str]) -> str:
    stop, markers = match.group(1), match.group(2)
    return f"{markers}{stop}" if stop in "。！？" else f" {markers}{stop}"


def _cited_numbers(answer: str, count: int) -> list[int]:
    """The source numbers the answer's markers name, in order of first mention."""
    cited: list[int] = []
    for match in MARKER.finditer(answer):
        for number in marker_numbers(match.group(1)):
            if 1 <= number <= count and number not in cited:
                cited.append(number)
    return cited


def _citation(number: int, hit: SearchHit, cited: bool, evidence: str) -> Citation:
    return Citation(
        number=number,
        file=hit.file,
        page=hit.page,
        text=hit.text,
        doc_id=hit.doc_id,
        cited=cited,
        chunk_id=hit.chunk_id,
        evidence=evidence,
        place=hit.place,
    )
