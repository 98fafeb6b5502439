"""An answer as Chainlit shows it: the text made inert, then its sources, each a link to the
cited page in kbchat's viewer (``viewer.py``: access-checked, the evidence marked)."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from urllib.parse import urlencode

from chat.answering.answers import Answer
from chat.answering.citations import Citation
from chat.answering.evidence import GAP
from chat.answering.places import place_label
from chat.web.safe_markdown import safe_markdown
from chat.web.texts import joined, text
from knowledge import Place
from serving import is_bundled

# File names and headings come from uploaders: only characters that no Markdown syntax is
# made of.
_NAME_UNSAFE = re.compile(r"[^\w .\-]")
_HEADING_JOINER = " › "
MAX_HEADING_CHARS = 60
"""A longer heading path is cut (from its start: the nearest headings say most)."""


def inert_heading(heading: str) -> str:
    """A section's heading path as the sources line shows it: each heading made inert like
    a file name, the path's own joiner kept, a long path cut to its last headings."""
    parts = [_NAME_UNSAFE.sub("-", " ".join(p.split())) for p in heading.split(_HEADING_JOINER)]
    shown = _HEADING_JOINER.join(p for p in parts if p.strip())
    return shown if len(shown) <= MAX_HEADING_CHARS else "…" + shown[-MAX_HEADING_CHARS:]


def source_label(number: int, file: str, page: int, locale: str, place: Place | None = None) -> str:
    """How a source is named under the answer (the file name and headings made inert): its
    page, or its section's heading path and paragraph or row range."""
    where = place_label(page, place, locale, inert_heading)
    return f"[{number}] {_NAME_UNSAFE.sub('-', file)} {where}"


def viewer_url(citation: Citation, *, marked: bool = True) -> str:
    """The page in kbchat's viewer; ``marked``, scrolled to and marking the evidence the
    answer rests on (the sentences given to the model for it, else the retrieved chunk)."""
    evidence = (citation.evidence or citation.text) if marked else ""
    passages = [p.strip() for p in evidence.split(GAP.strip()) if p.strip()]
    query = urlencode([("mark", passage) for passage in passages])
    base = f"/kbchat/view/{citation.doc_id}/{citation.page}"
    return f"{base}?{query}#evidence" if query else base


def shown_markdown(model_text: str, allowed_hosts: Collection[str]) -> str:
    """Model or document text as the UI may show it: inert (see safe_markdown); links only
    to the app itself and to ``allowed_hosts`` (``KBCHAT_ALLOWED_LINK_HOSTS``)."""
    return safe_markdown(model_text, allowed_hosts)


def answer_markdown(answer: Answer, locale: str, allowed_hosts: Collection[str]) -> str:
    """The answer text made inert; a refusal is set apart; each source a link to its page
    in the viewer (opened in a new tab, the evidence marked), then the pages searched."""
    if not answer.covered:
        return f"> **{text(locale, 'not_covered')}**\n>\n> {answer.text}"
    lines = [shown_markdown(answer.text, allowed_hosts)]
    if answer.citations:
        lines += ["", f"**{text(locale, 'sources')}**"]
        lines += [f"- {_link(c, locale)}" for c in answer.citations]
    if answer.searched:
        pages = joined((_link(c, locale, numbered=False) for c in answer.searched), locale)
        lines += ["", f"*{text(locale, 'searched')} {pages}*"]
    if is_bundled(answer.model):  # a small model: say so under what it wrote
        lines += ["", f"*⚠ {text(locale, 'small_model')}*"]
    return "\n".join(lines)


def _link(citation: Citation, locale: str, *, numbered: bool = True) -> str:
    label = source_label(citation.number, citation.file, citation.page, locale, citation.place)
    if not numbered:
        label = label.split("] ", 1)[1]
    label = label.replace("[", "\\[").replace("]", "\\]")
    return f"[{label}]({viewer_url(citation, marked=numbered)})"


_FENCE = re.compile(r"^ {0,3}(```|~~~)", re.MULTILINE)
# A blank line that ends a block: the next block has begun, not indented (an indented line
# could still belong to a list item above).
_BLOCK_END = re.compile(r"\n[ \t]*\n(?=[^\s])")


class InertStream:
    """Streamed model text made inert as it grows, each finished block once.

    Each token would otherwise make the whole answer so far inert again: quadratic in the
    answer's length. A block is finished at a blank line outside a code fence; it is made
    inert on its own (inert Markdown joined by a blank line stays inert) and kept, and only
    the unfinished tail is redone per token. The answer's final text is made inert whole.
    """

    def __init__(self, inert: Callable[[str], str]) -> None:
        self._inert = inert
        self._settled: list[str] = []
        self._tail = ""
        self.text = ""
        """Everything streamed so far, as the model wrote it."""

    def add(self, piece: str) -> str:
        """Take the next piece of text; return the text so far, inert."""
        self.text += piece
        self._tail += piece
        cut = _finished_blocks_end(self._tail)
        if cut:
            finished, self._tail = self._tail[:cut], self._tail[cut:]
            if shown := self._inert(finished):
                self._settled.append(shown)
        return self.shown()

    def shown(self) -> str:
        """The text so far, inert: the finished blocks as kept, the tail made inert now."""
        return "\n\n".join(part for part in (*self._settled, self._inert(self._tail)) if part)


def _finished_blocks_end(tail: str) -> int:
    """Where the last finished block of ``tail`` ends (0: none has), never inside a fence."""
    for end in reversed([m.end() for m in _BLOCK_END.finditer(tail)]):
        if len(_FENCE.findall(tail, 0, end)) % 2 == 0:
            return end
    return 0
