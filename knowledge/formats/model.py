"""What a parsed document is: citable sections of paragraphs and tables.

A PDF's section is a page. A Word, HTML or Markdown document's is the text under one heading
path (long ones cut into runs of paragraphs), a spreadsheet's a run of rows of one sheet, and
a plain text file's a run of paragraphs. A section knows where it is (``Place``), so a
citation can say "rows 2-41 of 預算" as precisely as "page 3".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Unit(StrEnum):
    """What a section's ``first`` and ``last`` count."""

    PAGE = "page"
    PARAGRAPH = "paragraph"
    ROW = "row"


@dataclass(frozen=True)
class Place:
    """Where a section is in its document: a heading path (or sheet name) and a range."""

    unit: Unit
    first: int
    last: int
    heading: str = ""

    def to_json(self) -> dict[str, object]:
        """The JSON shape of a place (the CLI contract and the worker's output)."""
        return {"unit": self.unit.value, "first": self.first, "last": self.last,
                "heading": self.heading}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Place:
        """The place a ``to_json`` wrote."""
        return cls(Unit(data["unit"]), int(data["first"]), int(data["last"]), str(data["heading"]))


@dataclass(frozen=True)
class Table:
    """A table: its header row, kept with every chunk cut from it, and its body rows."""

    header: list[str]
    rows: list[list[str]]


def table_of(grid: list[list[str]]) -> Table:
    """A table from its rows as read, the first the header; short rows padded to the
    widest (a cell spanning columns leaves its others empty)."""
    if not grid:
        return Table([], [])
    width = max(len(row) for row in grid)
    padded = [row + [""] * (width - len(row)) for row in grid]
    return Table(padded[0], padded[1:])


Block = str | Table
"""A paragraph's text, or a table."""


def row_line(cells: list[str]) -> str:
    """A table row as chunks hold it: each cell's words, cells parted by " | "."""
    return "| " + " | ".join(" ".join(cell.split()) for cell in cells) + " |"


@dataclass(frozen=True)
class Section:
    """One citable part of a document, its blocks in reading order."""

    place: Place
    blocks: list[Block]

    def text(self) -> str:
        """Its paragraphs, and its tables' rows (``row_line``), a line each."""
        return "\n".join(
            b if isinstance(b, str) else "\n".join(map(row_line, [b.header, *b.rows]))
            for b in self.blocks
        )

    @property
    def has_text(self) -> bool:
        """Whether any block carries text."""
        return any(
            (block.strip() if isinstance(block, str) else block.rows or any(block.header))
            for block in self.blocks
        )

    def to_json(self) -> dict[str, object]:
        """The JSON shape the parsing worker prints."""
        return {
            "place": self.place.to_json(),
            "blocks": [
                b if isinstance(b, str) else {"header": b.header, "rows": b.rows}
                for b in self.blocks
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Section:
        """The section a ``to_json`` wrote."""
        blocks: list[Block] = [
            b if isinstance(b, str) else Table([str(c) for c in b["header"]],
                                               [[str(c) for c in r] for r in b["rows"]])
            for b in data["blocks"]
        ]  # fmt: skip
        return cls(Place.from_json(data["place"]), blocks)


@dataclass(frozen=True)
class ParsedDocument:
    """A document read into sections (1-based section number = index + 1)."""

    kind: str
    sections: list[Section]
    hidden_chars: dict[str, int] = field(default_factory=dict)
    """Characters left out because a reader cannot see them, by reason (a PDF's invisible
    text, Word's hidden runs, hidden sheets, hidden HTML elements)."""
    ocr_pages: int = 0
    """Pages read by OCR, having no text layer."""

    def texts(self) -> list[str]:
        """Each section's text (``Section.text``)."""
        return [section.text() for section in self.sections]

    @property
    def text_sections(self) -> int:
        """How many sections carry any text."""
        return sum(1 for section in self.sections if section.has_text)
