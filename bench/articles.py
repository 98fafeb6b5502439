"""drcd-dev's articles as Word and HTML documents, for ``bench/documents.py``.

Each drcd-dev PDF holds several Wikipedia articles, each a title line and paragraphs. Read
back from the PDF's text (a line that is one of the file's titles in the qrels starts an
article; a paragraph cut by a page break is joined again), each PDF is written as a .docx
(titles as Heading 1) and an .html page (titles as <h2>). A question's gold is its article
in that file, the section holding its answer. Each version is its own knowledge base (the
same text twice would crowd the other version out of the first places).
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from knowledge import parse_document

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.datasets import DRCD, read_jsonl  # noqa: E402

_ENDS = tuple("。！？」』）")


@dataclass(frozen=True)
class Question:
    """A question, its gold file, heading, the text its gold section holds, and its group."""

    question: str
    file: str
    heading: str
    needle: str
    group: str


def articles_of(pdf: Path, titles: set[str]) -> list[tuple[str, list[str]]]:
    """The (title, paragraphs) of each article in one drcd-dev PDF, in order."""
    articles: list[tuple[str, list[str]]] = []
    for page in parse_document(pdf).texts():
        for number, line in enumerate(line.strip() for line in page.split("\n")):
            if not line:
                continue
            if line in titles:
                articles.append((line, []))
            elif (
                articles
                and articles[-1][1]
                and number == 0
                and not articles[-1][1][-1].endswith(_ENDS)
            ):
                articles[-1][1][-1] += line  # the page cut this paragraph
            elif articles:
                articles[-1][1].append(line)
    return articles


def _write_docx(articles: list[tuple[str, list[str]]], path: Path) -> None:
    from docx import Document

    word: Any = Document()
    for title, paragraphs in articles:
        word.add_heading(title, level=1)
        for paragraph in paragraphs:
            word.add_paragraph(paragraph)
    word.save(str(path))


def _write_html(articles: list[tuple[str, list[str]]], path: Path) -> None:
    body = "".join(
        f"<h2>{escape(title)}</h2>" + "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        for title, paragraphs in articles
    )
    path.write_text(f"<!doctype html><html><head><meta charset='utf-8'></head><body>{body}"
                    "</body></html>", encoding="utf-8")  # fmt: skip


def write_articles(folder: Path, kind: str, limit: int | None) -> list[Question]:
    """Write every drcd-dev PDF as a .docx or .html (``kind``) into ``folder``; the
    questions (a sample of ``limit`` when given)."""
    folder.mkdir(parents=True, exist_ok=True)
    write = _write_docx if kind == "docx" else _write_html
    rows = read_jsonl(DRCD / "qrels.jsonl")
    titles: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        titles[row["file"]].add(row["title"])
    for pdf in sorted(DRCD.glob("*.pdf")):
        write(articles_of(pdf, titles[pdf.name]), folder / f"{pdf.stem}.{kind}")
    if limit:
        rows = random.Random(7).sample(rows, min(limit, len(rows)))
    return [
        Question(r["question"], f"{Path(r['file']).stem}.{kind}", r["title"], r["answer"], kind)
        for r in rows
    ]
