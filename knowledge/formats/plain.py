"""Reading plain text and Markdown (in the parsing worker) into sections: Markdown by its
headings, with its paragraphs, lists, code and tables (GFM pipe tables) by markdown-it-py;
plain text by its blank-line paragraphs."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from knowledge.formats.decoding import read_text
from knowledge.formats.kinds import ParseLimits
from knowledge.formats.model import Table
from knowledge.formats.protocol import Progress, Refused
from knowledge.formats.sections import SectionBuilder

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_OPENS_HIDDEN = re.compile(r"<(script|style)\b", re.IGNORECASE)
_CLOSES_HIDDEN = re.compile(r"</(script|style)\s*>", re.IGNORECASE)
_MAX_PARAGRAPHS = 200_000


def read_txt(path: str, limits: ParseLimits, progress: Progress) -> dict[str, object]:
    """A text file's blank-line paragraphs, in sections of a few hundred words."""
    paragraphs = _BLANK_LINE.split(read_text(path))
    if len(paragraphs) > _MAX_PARAGRAPHS:
        raise Refused(f"the file has {len(paragraphs)} paragraphs, over the limit of "
                      f"{_MAX_PARAGRAPHS}")  # fmt: skip
    builder = SectionBuilder()
    for paragraph in paragraphs:
        builder.add_paragraph(paragraph)
    progress(1, 1)
    return {"sections": builder.result()}


def read_md(path: str, limits: ParseLimits, progress: Progress) -> dict[str, object]:
    """A Markdown file's sections by heading, its tables kept whole."""
    parser = MarkdownIt("commonmark").enable("table")
    tokens = parser.parse(read_text(path))
    builder = SectionBuilder()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open":
            builder.add_heading(int(token.tag[1:]), _inline_text(tokens[index + 1]))
            index += 3
        elif token.type == "table_open":
            index = _table(tokens, index, builder)
        elif token.type == "inline":
            builder.add_paragraph(_inline_text(token))
            index += 1
        elif token.type in ("fence", "code_block"):
            builder.add_paragraph(token.content)
            index += 1
        else:
            index += 1
    progress(1, 1)
    return {"sections": builder.result()}


def _inline_text(token: Token) -> str:
    """The text a reader sees of an inline token: link and emphasis marks, raw HTML and the
    text of an inline script or style element left out."""
    parts = []
    hidden = False
    for child in token.children or []:
        if child.type == "html_inline":
            hidden = _OPENS_HIDDEN.match(child.content) is not None or (
                hidden and _CLOSES_HIDDEN.match(child.content) is None
            )
        elif hidden:
            continue
        elif child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


def _table(tokens: list[Token], index: int, builder: SectionBuilder) -> int:
    """Read the table starting at ``index`` into the builder; the index after it."""
    rows: list[list[str]] = []
    header_rows = 0
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            rows[-1].append(_inline_text(token))
        elif token.type == "thead_close":
            header_rows = len(rows)
        index += 1
    if rows:
        header = rows[0] if header_rows else [""] * len(rows[0])
        builder.add_table(Table(header, rows[header_rows:] if header_rows else rows))
    return index + 1
