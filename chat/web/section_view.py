"""A cited section of a document without pages (Word, HTML, Markdown, text, a sheet), as the
viewer shows it: its paragraphs and tables as plain text for the template to escape, with
the passages an answer rests on marked.

A passage is the evidence given to the model: whole sentences of the section's chunks, or
table rows (cells parted by " | "), joined, the heading and header row that lead each chunk
among them. So a sentence or a row is marked when a passage holds it, and a passage shorter
than a sentence is marked where a paragraph holds it; both compared as the PDF viewer
compares them (``marked_spans``: without spaces or line breaks, after NFKC).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from knowledge import Section, Table, marked_spans, row_line, sentence_spans

Piece = tuple[str, bool]
"""A run of a paragraph's text, and whether it is marked."""


@dataclass(frozen=True)
class ShownTable:
    """A table as shown: its header row, and each body row with whether it is marked."""

    header: list[str]
    rows: list[tuple[list[str], bool]]


@dataclass(frozen=True)
class ShownSection:
    """A section's blocks as shown: a paragraph is its pieces, a table a ``ShownTable``."""

    blocks: list[list[Piece] | ShownTable]
    marked: bool
    """Whether any passage was found in it."""


MIN_HELD_CHARS = 4
"""A shorter sentence or row ("1.", 「是。」) is marked only where a passage is found in it:
so short a text is held by many passages it is no part of."""


def _held(passages: Sequence[str], text: str) -> bool:
    """Whether a passage holds the text (of ``MIN_HELD_CHARS`` or more, spaces aside)."""
    if len("".join(text.split())) < MIN_HELD_CHARS:
        return False
    return any(marked_spans(list(passage), [text]) for passage in passages)


def paragraph_pieces(text: str, passages: Sequence[str]) -> list[Piece]:
    """The paragraph in runs, marked where a passage holds a whole sentence of it or where
    it holds a passage."""
    spans = list(marked_spans(list(text), passages))
    start = 0
    for sentence in sentence_spans(text):
        if _held(passages, sentence):
            lead = len(sentence) - len(sentence.lstrip())
            spans.append((start + lead, start + len(sentence.rstrip())))
        start += len(sentence)
    pieces: list[Piece] = []
    at = 0
    for begin, end in _merged(spans):
        if begin > at:
            pieces.append((text[at:begin], False))
        pieces.append((text[begin:end], True))
        at = end
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for begin, end in sorted(spans):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        elif end > begin:
            merged.append((begin, end))
    return merged


def _shown_table(table: Table, passages: Sequence[str]) -> ShownTable:
    rows = []
    for row in table.rows:
        line = row_line(row)
        marked = bool(passages) and (
            _held(passages, line) or bool(marked_spans(list(line), passages))
        )
        rows.append((row, marked))
    return ShownTable(table.header, rows)


def shown_section(section: Section, passages: Sequence[str]) -> ShownSection:
    """The section's blocks in reading order, the passages marked."""
    blocks: list[list[Piece] | ShownTable] = [
        _shown_table(block, passages)
        if isinstance(block, Table)
        else paragraph_pieces(block, passages)
        for block in section.blocks
    ]
    marked = any(
        any(marked for _, marked in block.rows)
        if isinstance(block, ShownTable)
        else any(marked for _, marked in block)
        for block in blocks
    )
    return ShownSection(blocks, marked)
