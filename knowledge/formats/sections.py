"""Building the sections of a document that has headings instead of pages (Word, HTML,
Markdown, text): a section is the text under one heading path, cut into runs of at most
``max_tokens`` so a citation points at a passage one can read at a glance. Paragraphs (a
table counts as one) are numbered from 1 under each heading."""

from __future__ import annotations

from knowledge.formats.model import Block, Place, Section, Table, Unit
from knowledge.text import estimate_tokens

HEADING_JOINER = " › "
"""Between the headings of a path: 「第二章 › 差旅費」."""


def _size(block: Block) -> int:
    if isinstance(block, str):
        return estimate_tokens(block)
    return sum(estimate_tokens(" ".join(row)) for row in [block.header, *block.rows])


class SectionBuilder:
    """Collects headings, paragraphs and tables in reading order into sections."""

    def __init__(self, max_tokens: int = 1200) -> None:
        self.max_tokens = max_tokens
        self.path: list[tuple[int, str]] = []
        self.sections: list[Section] = []
        self.blocks: list[Block] = []
        self.first = 1
        self.count = 0
        self.tokens = 0

    @property
    def heading(self) -> str:
        """The current heading path."""
        return HEADING_JOINER.join(text for _, text in self.path)

    def add_heading(self, level: int, text: str) -> None:
        """Start the section of a heading at ``level`` (1 for the top)."""
        text = " ".join(text.split())
        if not text:
            return
        self._close()
        self.path = [(lvl, t) for lvl, t in self.path if lvl < level] + [(level, text)]
        self.first, self.count = 1, 0

    def add_paragraph(self, text: str) -> None:
        """Add a paragraph (blank ones are skipped)."""
        if text.strip():
            self._add(text.strip())

    def add_table(self, table: Table) -> None:
        """Add a table, with its header row (empty tables are skipped)."""
        if table.rows or any(cell.strip() for cell in table.header):
            self._add(table)

    def _add(self, block: Block) -> None:
        size = _size(block)
        if self.blocks and self.tokens + size > self.max_tokens:
            self._close()
        self.blocks.append(block)
        self.count += 1
        self.tokens += size

    def _close(self) -> None:
        if self.blocks:
            place = Place(Unit.PARAGRAPH, self.first, self.count, self.heading)
            self.sections.append(Section(place, self.blocks))
        self.blocks, self.first, self.tokens = [], self.count + 1, 0

    def result(self) -> list[dict[str, object]]:
        """The sections, as the parsing worker says them."""
        self._close()
        return [section.to_json() for section in self.sections]
