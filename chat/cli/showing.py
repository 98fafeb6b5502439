"""What the CLI prints for people (``--json`` prints the contract instead): the documents
found to ingest, hits and answers with their pages or sections, the documents listed."""

from __future__ import annotations

from pathlib import Path

import typer

from chat.answering.answers import Answer
from chat.answering.places import place_label
from chat.background_embedder import meaning_index
from knowledge import Document, SearchHit, kind_of


def document_paths(paths: list[Path]) -> list[Path]:
    """The files named, and in each folder named every file of a kind kbchat reads."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if kind_of(p.name) is not None and p.is_file())
            )
        else:
            found.append(path)
    return found


def parts(count: int, kind: str | None) -> str:
    """How many pages a PDF has, or sections another document has: "3 pages", "1 section"."""
    word = "page" if kind == "pdf" else "section"
    return f"{count} {word}{'' if count == 1 else 's'}"


def print_hits(hits: list[SearchHit]) -> None:
    """Each hit ranked: its file, page or section, score and the start of its text."""
    if not hits:
        typer.echo("No matching pages or sections.")
    for rank, hit in enumerate(hits, start=1):
        snippet = hit.text[:160].replace("\n", " ")
        where = place_label(hit.page, hit.place, "en")
        typer.echo(f"{rank}. {hit.file} {where}  ({hit.score:.4f})\n   {snippet}")


def print_answer(answer: Answer) -> None:
    """The answer, its sources (page or section of each) and what was searched besides."""
    typer.echo(answer.text)
    if answer.citations:
        typer.echo("\nSources:")
    for citation in answer.citations:
        mark = "" if citation.cited else "  (not cited; the answer's sentences match it)"
        where = place_label(citation.page, citation.place, "en")
        typer.echo(f"[{citation.number}] {citation.file} {where}{mark}")
    if answer.searched:
        pages = ", ".join(f"{c.file} {place_label(c.page, c.place, 'en')}" for c in answer.searched)
        typer.echo(f"\nAlso searched, not used: {pages}")


def print_documents(documents: list[Document]) -> None:
    """One line a document: id, collection, kind, pages or sections, meaning index, file name."""
    if not documents:
        typer.echo("The knowledge base is empty. Add documents with: kbchat ingest FILE")
        return
    for d in documents:
        typer.echo(f"{d.doc_id[:12]}  {d.collection:<16} {d.kind:<4} {parts(d.pages, d.kind):>13}"
                   f"  {meaning_index(d):<20} {d.filename}")  # fmt: skip
