"""A table set for issue 17: budget, fee and schedule tables of a hospital, in zh-TW and
English, written as Word, Excel and HTML documents, with questions whose answer is one cell.

Each document holds two tables of the same shape under two headings (this year and last
year, two clinics), so a question is answered only by the row read with its header and its
heading. The documents and questions are in ``table_set.json``; ``write_set(folder)`` writes
the files and returns the questions, each with its gold file, heading (Excel: the sheet)
and the row's first cell.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class TableDoc:
    """One document: a title, an introduction, and (heading, header, rows) tables."""

    file: str
    title: str
    intro: str
    tables: list[tuple[str, list[str], list[list[str]]]]


@dataclass(frozen=True)
class TableQuestion:
    """A question answered by one row of one table."""

    question: str
    file: str
    heading: str
    row: str


SET = Path(__file__).with_name("table_set.json")


def load_set() -> tuple[list[TableDoc], list[TableQuestion]]:
    """The set's documents and questions (``table_set.json``)."""
    data = json.loads(SET.read_text(encoding="utf-8"))
    docs = [TableDoc(d["file"], d["title"], d["intro"], [tuple(t) for t in d["tables"]])
            for d in data["documents"]]  # fmt: skip
    return docs, [TableQuestion(**q) for q in data["questions"]]


def write_set(folder: Path) -> list[TableQuestion]:
    """Write every document of the set into ``folder``; return the questions."""
    folder.mkdir(parents=True, exist_ok=True)
    docs, questions = load_set()
    for doc in docs:
        writer = {".docx": _docx, ".xlsx": _xlsx, ".html": _html}[Path(doc.file).suffix]
        writer(doc, folder / doc.file)
    return questions


def _docx(doc: TableDoc, path: Path) -> None:
    from docx import Document

    word: Any = Document()
    word.add_heading(doc.title, level=1)
    word.add_paragraph(doc.intro)
    for heading, header, rows in doc.tables:
        word.add_heading(heading, level=2)
        table = word.add_table(rows=1 + len(rows), cols=len(header))
        for r, cells in enumerate([header, *rows]):
            for c, value in enumerate(cells):
                table.cell(r, c).text = value
    word.save(str(path))


def _xlsx(doc: TableDoc, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for heading, header, rows in doc.tables:
        sheet = book.create_sheet(heading)
        for cells in [header, *rows]:
            sheet.append(cells)
    book.save(path)


def _html(doc: TableDoc, path: Path) -> None:
    from html import escape

    title = escape(doc.title)
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
             f"<body><nav><a href='/'>首頁 Home</a></nav><h1>{title}</h1>"
             f"<p>{escape(doc.intro)}</p>"]  # fmt: skip
    for heading, header, rows in doc.tables:
        head = "".join(f"<th>{escape(c)}</th>" for c in header)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows
        )
        parts.append(f"<h2>{escape(heading)}</h2><table><thead><tr>{head}</tr></thead>"
                     f"<tbody>{body}</tbody></table>")  # fmt: skip
    parts.append("<footer>© 2025 Example Hospital</footer></body></html>")
    path.write_text("".join(parts), encoding="utf-8")
