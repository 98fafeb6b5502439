"""Reading a Word document (in the parsing worker) into sections by python-docx: the body's
paragraphs and tables in document order, headings told by style name (English or Chinese
Word's) or outline level, tables kept whole with their first row as header. Text hidden
with Word's "hidden" font effect is left out and counted, as a PDF's invisible text is."""

from __future__ import annotations

import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree  # type: ignore[import-untyped]

from knowledge.formats.kinds import ParseLimits
from knowledge.formats.model import Table, table_of
from knowledge.formats.package import check_package
from knowledge.formats.protocol import Progress, Refused
from knowledge.formats.sections import SectionBuilder

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Parts of a paragraph that are not its text now: deleted revisions, and the fallback copy
# of content that Word also writes in the form newer readers take (text boxes).
_NOT_TEXT = {f"{_W}del", f"{_W}moveFrom", f"{_W}pPr", f"{_W}rPr", f"{_MC}Fallback"}
_RUN_TEXT = {f"{_W}t": None, f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n",
             f"{_W}noBreakHyphen": "-"}  # fmt: skip
_HEADING_NAME = re.compile(r"^(?:heading|標題|标题)\s*([1-9])$", re.IGNORECASE)
_TITLE_NAME = re.compile(r"^(?:title|標題|标题)$", re.IGNORECASE)
_OFF = {"0", "false", "off"}
_BROKEN = (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, zlib.error, EOFError,
           etree.XMLSyntaxError)  # fmt: skip


def read_docx(path: str, limits: ParseLimits, progress: Progress) -> dict[str, object]:
    """A Word document's sections by heading, its tables kept whole."""
    check_package(path, "docx", limits)
    try:
        document = docx.Document(path)
    except _BROKEN:
        raise Refused("the file is corrupt or not a valid Word document") from None
    reader = _Reader(_style_levels(document.styles.element))
    reader.blocks(document.element.body)
    progress(1, 1)
    return {"sections": reader.builder.result(), "dropped": dict(reader.dropped)}


def _style_levels(styles: etree._Element) -> dict[str, int]:
    """The heading level of each paragraph style that makes headings (0 for the title)."""
    own: dict[str, int | None] = {}
    based_on: dict[str, str] = {}
    for style in styles.iterchildren(f"{_W}style"):
        style_id = style.get(f"{_W}styleId", "")
        name = _value(style.find(f"{_W}name")) or ""
        if match := _HEADING_NAME.match(name.strip()):
            own[style_id] = int(match.group(1))
        elif _TITLE_NAME.match(name.strip()):
            own[style_id] = 0
        else:
            own[style_id] = _outline_level(style.find(f"{_W}pPr"))
        if (parent := _value(style.find(f"{_W}basedOn"))) is not None:
            based_on[style_id] = parent

    def level(style_id: str, depth: int = 0) -> int | None:
        found = own.get(style_id)
        if found is None and style_id in based_on and depth < 20:
            return level(based_on[style_id], depth + 1)
        return found

    return {sid: lvl for sid in own if (lvl := level(sid)) is not None}


def _value(element: etree._Element | None) -> str | None:
    return None if element is None else element.get(f"{_W}val")


def _outline_level(properties: etree._Element | None) -> int | None:
    """The heading level an outline level gives (``w:outlineLvl`` counts from 0; 9 is body)."""
    if properties is None:
        return None
    value = _value(properties.find(f"{_W}outlineLvl"))
    return int(value) + 1 if value is not None and value.isdigit() and int(value) < 9 else None


class _Reader:
    """Walks the body in document order into a SectionBuilder."""

    def __init__(self, levels: dict[str, int]) -> None:
        self.levels = levels
        self.builder = SectionBuilder()
        self.dropped: Counter[str] = Counter()

    def blocks(self, container: etree._Element) -> None:
        """Read the paragraphs and tables of the body (or of a content control in it)."""
        for child in container.iterchildren():
            if child.tag == f"{_W}p":
                self.paragraph(child)
            elif child.tag == f"{_W}tbl":
                self.builder.add_table(self.table(child))
            elif child.tag in (f"{_W}sdt", f"{_W}customXml"):
                content = child.find(f"{_W}sdtContent")
                self.blocks(child if content is None else content)

    def paragraph(self, p: etree._Element) -> None:
        """A heading or a paragraph; text boxes anchored in it follow as paragraphs."""
        text = self.text(p)
        level = self.heading_level(p)
        if level is not None and text.strip():
            self.builder.add_heading(level, text)
        else:
            self.builder.add_paragraph(text)
        for box in _text_boxes(p):
            for inner in box.iterchildren(f"{_W}p"):
                self.builder.add_paragraph(self.text(inner))

    def heading_level(self, p: etree._Element) -> int | None:
        """The paragraph's heading level: its own outline level, else its style's."""
        properties = p.find(f"{_W}pPr")
        own = _outline_level(properties)
        if own is not None:
            return own
        style = None if properties is None else _value(properties.find(f"{_W}pStyle"))
        return None if style is None else self.levels.get(style)

    def text(self, element: etree._Element) -> str:
        """The visible text of a paragraph (or of a hyperlink, field or revision in it)."""
        parts: list[str] = []
        for child in element.iterchildren():
            if child.tag in _NOT_TEXT:
                continue
            if child.tag == f"{_W}r":
                run = "".join(_run_text(child))
                if _hidden(child):
                    self.dropped["hidden"] += len(run)
                else:
                    parts.append(run)
            else:
                parts.append(self.text(child))
        return "".join(parts)

    def table(self, tbl: etree._Element) -> Table:
        """The table, its first row as header; merged cells read once, in their first
        position, so the columns stay aligned."""
        rows: list[list[str]] = []
        for tr in tbl.iterchildren(f"{_W}tr"):
            properties = tr.find(f"{_W}trPr")
            cells = [""] * _grid(properties, "gridBefore")
            for tc in tr.iterchildren(f"{_W}tc"):
                cell_properties = tc.find(f"{_W}tcPr")
                span = max(1, _grid(cell_properties, "gridSpan"))
                merge = None if cell_properties is None else cell_properties.find(f"{_W}vMerge")
                continued = merge is not None and _value(merge) in (None, "continue")
                cells += ["" if continued else self.cell_text(tc)] + [""] * (span - 1)
            if any(cell.strip() for cell in cells):
                rows.append(cells)
        return table_of(rows)

    def cell_text(self, tc: etree._Element) -> str:
        """A cell's paragraphs, and any table nested in it flattened to lines of text."""
        lines: list[str] = []
        for child in tc.iterchildren():
            if child.tag == f"{_W}p":
                lines.append(self.text(child))
            elif child.tag == f"{_W}tbl":
                nested = self.table(child)
                lines += [" | ".join(c for c in row if c) for row in [nested.header, *nested.rows]]
        return "\n".join(line.strip() for line in lines if line.strip())


def _run_text(run: etree._Element) -> Iterator[str]:
    for child in run.iterchildren():
        if child.tag in _RUN_TEXT:
            yield _RUN_TEXT[child.tag] or child.text or ""


def _hidden(run: etree._Element) -> bool:
    """Whether a run has Word's "hidden" effect (``w:vanish``), which nobody sees printed."""
    properties = run.find(f"{_W}rPr")
    vanish = None if properties is None else properties.find(f"{_W}vanish")
    return vanish is not None and (_value(vanish) or "1").lower() not in _OFF


def _grid(properties: etree._Element | None, name: str) -> int:
    value = None if properties is None else _value(properties.find(f"{_W}{name}"))
    return int(value) if value is not None and value.isdigit() else 0


def _text_boxes(p: etree._Element) -> list[etree._Element]:
    """The text boxes drawn in a paragraph (their modern copy, not the fallback)."""
    return [
        box
        for box in p.iter(f"{_W}txbxContent")
        if not any(a.tag == f"{_MC}Fallback" for a in box.iterancestors())
    ]
