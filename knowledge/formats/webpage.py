"""Reading an HTML page (in the parsing worker) by lxml's HTML parser: the text a reader
sees, by heading (h1-h6), with its paragraphs, list items and tables (the first row as
header), and without scripts, styles and the site's navigation, banner and footer.

Elements hidden from the reader (the ``hidden`` attribute, ``aria-hidden="true"``, an inline
style of ``display: none``, ``visibility: hidden``, ``opacity: 0`` or ``font-size: 0``) are
left out and their characters counted, since hidden text is how prompt injection hides.
Rules in a style sheet are not evaluated: a class that hides text is not seen through."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import lxml.html  # type: ignore[import-untyped]
from lxml import etree

from knowledge.formats.decoding import read_text
from knowledge.formats.kinds import ParseLimits
from knowledge.formats.model import Table, table_of
from knowledge.formats.protocol import Progress
from knowledge.formats.sections import SectionBuilder
from knowledge.text import CJK_RANGES

_SKIPPED = {"script", "style", "noscript", "template", "head", "nav", "aside", "svg", "math",
            "iframe", "object", "embed", "canvas", "select", "button"}  # fmt: skip
_PAGE_FRAME = {"header", "footer"}
"""The site's banner and footer: left out, except in an article or main, where a header
holds the article's own title."""
_BLOCKS = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "section", "article", "main",
           "blockquote", "pre", "figure", "figcaption", "address", "form", "fieldset",
           "details", "summary", "tr", "td", "th", "body", "html", "hr", "caption"}  # fmt: skip
_HIDING_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|opacity\s*:\s*0*(?:\.0*)?\s*(?:;|$|!)"
    r"|font-size\s*:\s*0*(?:\.0*)?(?:px|pt|em|rem|%)?\s*(?:;|$|!)",
    re.IGNORECASE,
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_CJK_BREAK = re.compile(f"(?<=[{CJK_RANGES}])\\s*\\n\\s*(?=[{CJK_RANGES}])")
_SPACE = re.compile(r"\s+")
_BR = "\ue000"
"""Where a ``<br>`` breaks the line (a private-use character, not white space to collapse)."""


def read_html(path: str, limits: ParseLimits, progress: Progress) -> dict[str, object]:
    """An HTML page's visible text by heading, its tables kept whole, hidden text counted."""
    with Path(path).open("rb") as handle:
        declared = _META_CHARSET.search(handle.read(4096))
    text = read_text(path, declared.group(1).decode("ascii") if declared else None)
    page = _Page()
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text, count=1))
    except etree.ParserError:  # nothing but white space and comments
        return {"sections": []}
    page.walk(root)
    page.flush()
    progress(1, 1)
    return {"sections": page.builder.result(), "dropped": dict(page.dropped)}


def _collapse(text: str) -> str:
    """White space as a browser shows it (a line break between Chinese characters is none),
    and a ``<br>``'s line break kept."""
    lines = (_SPACE.sub(" ", _CJK_BREAK.sub("", line)).strip() for line in text.split(_BR))
    return "\n".join(line for line in lines if line)


def _hidden(element: etree._Element) -> str | None:
    """Why the element is hidden from a reader, or None."""
    if element.get("hidden") is not None:
        return "hidden"
    if (element.get("aria-hidden") or "").strip().lower() == "true":
        return "aria_hidden"
    if _HIDING_STYLE.search(element.get("style") or ""):
        return "hidden_style"
    return None


class _Page:
    """Walks the page in reading order into a SectionBuilder."""

    def __init__(self) -> None:
        self.builder = SectionBuilder()
        self.dropped: Counter[str] = Counter()
        self.inline: list[str] = []

    def flush(self) -> None:
        """End the paragraph being gathered."""
        self.builder.add_paragraph(_collapse("".join(self.inline)))
        self.inline = []

    def left_out(self, element: etree._Element, in_article: bool) -> bool:
        """Whether the element is not read; hidden ones are counted."""
        tag = element.tag
        if tag in _SKIPPED or (tag in _PAGE_FRAME and not in_article):
            return True
        reason = _hidden(element)
        if reason is not None:
            self.dropped[reason] += len(_collapse(element.text_content()))
            return True
        return False

    def walk(self, element: etree._Element, in_article: bool = False) -> None:
        """Read an element and what it holds (its tail is its parent's to read)."""
        if not isinstance(element.tag, str) or self.left_out(element, in_article):
            return
        tag = element.tag
        in_article = in_article or tag in ("article", "main")
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.flush()
            self.builder.add_heading(int(tag[1]), self.text(element, in_article))
        elif tag == "table" and not _is_layout(element):
            self.flush()
            self.builder.add_table(self.table(element, in_article))
        elif tag == "br":
            self.inline.append(_BR)
        else:
            block = tag in _BLOCKS or tag == "table"
            if block:
                self.flush()
            self.inline.append(element.text or "")
            for child in element:
                self.walk(child, in_article)
                self.inline.append(child.tail or "")
            if block:
                self.flush()

    def text(self, element: etree._Element, in_article: bool) -> str:
        """The visible text of an element, in one line."""
        parts = [element.text or ""]
        for child in element:
            if isinstance(child.tag, str) and not self.left_out(child, in_article):
                parts.append(" " if child.tag in _BLOCKS or child.tag == "br" else "")
                parts.append(self.text(child, in_article))
            parts.append(child.tail or "")
        return _collapse("".join(parts))

    def table(self, table: etree._Element, in_article: bool) -> Table:
        """A data table, its first row as header; a cell spanning columns or rows is read
        once, in its first place, so the columns stay aligned."""
        grid: list[list[str]] = []
        pending: dict[int, int] = {}  # column -> rows still covered by a rowspan above
        for tr in _rows(table):
            if self.left_out(tr, in_article):
                continue
            row: list[str] = []
            for cell in tr:
                if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                    continue
                while pending.get(len(row), 0) > 0:
                    pending[len(row)] -= 1
                    row.append("")
                shown = not self.left_out(cell, in_article)
                span = _span(cell, "colspan")
                for offset in range(span):
                    pending[len(row) + offset] = _span(cell, "rowspan") - 1
                row += [self.text(cell, in_article) if shown else ""] + [""] * (span - 1)
            if any(row):
                grid.append(row)
        return table_of(grid)


def _rows(table: etree._Element) -> list[etree._Element]:
    """The table's own rows (in thead, tbody, tfoot or bare), not those of nested tables."""
    rows = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows += [row for row in child if row.tag == "tr"]
    return rows


def _span(cell: etree._Element, name: str) -> int:
    value = (cell.get(name) or "1").strip()
    return min(int(value), 1000) if value.isdigit() and int(value) > 0 else 1


def _is_layout(table: etree._Element) -> bool:
    """Whether a table lays out the page rather than holding data: it holds headings or
    other tables, so its cells are read as the page's flow."""
    return any(
        isinstance(e.tag, str) and (e.tag == "table" or re.fullmatch(r"h[1-6]", e.tag))
        for e in table.iterdescendants()
    )
