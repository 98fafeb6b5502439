"""Turn the model's ``[n]`` markers into citations of retrieved pages, and nothing else."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.retrieval import SearchHit

# [1], [1, 2], [1][2], full-width ［1］ and 【1】.
_MARKER = re.compile(r"[\[［【]\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]］】]")


@dataclass(frozen=True)
class Citation:
    """A retrieved page that backs an answer; ``cited`` when the answer refers to it."""

    number: int
    file: str
    page: int
    text: str
    doc_id: str
    cited: bool
    chunk_id: str = ""

    def to_json(self) -> dict[str, object]:
        """The public JSON shape (the CLI contract)."""
        return {"file": self.file, "page": self.page, "text": self.text, "doc_id": self.doc_id}


def resolve_citations(answer: str, sources: Sequence[SearchHit]) -> tuple[str, list[Citation]]:
    """Renumber markers so cited sources come first in order of first mention.

    Markers that name no source given to the model are removed from the text; sources the
    answer never cites follow the cited ones, in retrieval order.
    """
    cited: list[int] = []
    for match in _MARKER.finditer(answer):
        for number in _numbers(match.group(1)):
            if 1 <= number <= len(sources) and number not in cited:
                cited.append(number)
    order = cited + [n for n in range(1, len(sources) + 1) if n not in cited]
    renumber = {old: new for new, old in enumerate(order, start=1)}

    def rewrite(match: re.Match[str]) -> str:
        kept = [renumber[n] for n in _numbers(match.group(1)) if n in renumber]
        return "".join(f"[{n}]" for n in dict.fromkeys(kept))

    text = re.sub(r"[ \t]+([。，．.,])", r"\1", _MARKER.sub(rewrite, answer)).strip()
    citations = [
        Citation(
            number=new,
            file=sources[old - 1].file,
            page=sources[old - 1].page,
            text=sources[old - 1].text,
            doc_id=sources[old - 1].doc_id,
            cited=new <= len(cited),
            chunk_id=sources[old - 1].chunk_id,
        )
        for new, old in enumerate(order, start=1)
    ]
    return text, citations


def _numbers(group: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", group)]
