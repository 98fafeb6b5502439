"""Split sections into chunks: text into overlapping runs of sentences (Chinese and English
alike), tables into runs of rows that each carry the header row."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from knowledge.formats.model import ParsedDocument, Section, Table, row_line
from knowledge.options import ChunkingOptions
from knowledge.tables import Chunk, Document, DocumentSection
from knowledge.text import estimate_tokens, is_cjk

# A sentence ends at Chinese terminal punctuation, at an ASCII . ! ? ; followed by a space
# or the end (not inside "3.5", "![x](...)" or a URL), or at a line break; closing quotes
# stay with the sentence they close.
_CLOSERS = "」』”’\"')）"
_SENTENCE_END = re.compile(rf"(?:[。！？；]+|[.!?;](?=[{_CLOSERS}]*(?:\s|$)))[{_CLOSERS}]*|\n")


@dataclass(frozen=True)
class TextChunk:
    """One chunk of a page: its text and its position among the page's chunks."""

    page: int
    ordinal: int
    text: str


def sentence_spans(text: str) -> list[str]:
    """The text cut into sentences, each with its punctuation and the space after it, so
    that joined they give the text back."""
    spans: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        spans.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        spans.append(text[start:])
    return spans


def split_sentences(text: str) -> list[str]:
    """The text's sentences, stripped, without empty ones."""
    return [span.strip() for span in sentence_spans(text) if span.strip()]


def _hard_split(sentence: str, max_tokens: int) -> list[str]:
    """Cut a sentence that alone exceeds the budget into pieces that fit."""
    pieces: list[str] = []
    current = ""
    for token in re.findall(r"\s*\S+", sentence) if " " in sentence else list(sentence):
        if current and estimate_tokens(current + token) > max_tokens:
            pieces.append(current.strip())
            current = token
        else:
            current += token
    if current.strip():
        pieces.append(current.strip())
    return pieces


def _join(sentences: list[str]) -> str:
    text = ""
    for sentence in sentences:
        if text and not (is_cjk(text[-1]) and is_cjk(sentence[0])):
            text += " "
        text += sentence
    return text


def chunk_page(
    text: str, page: int, max_tokens: int = 200, overlap_tokens: int = 40
) -> list[TextChunk]:
    """Pack a page's sentences into chunks of at most ``max_tokens``, overlapping by sentences."""
    sentences: list[str] = []
    for sentence in split_sentences(text):
        sentences.extend(
            _hard_split(sentence, max_tokens)
            if estimate_tokens(sentence) > max_tokens
            else [sentence]
        )
    chunks: list[list[str]] = []
    current: list[str] = []
    for sentence in sentences:
        if current and estimate_tokens(_join([*current, sentence])) > max_tokens:
            chunks.append(current)
            current = _overlap_tail(current, overlap_tokens, max_tokens - estimate_tokens(sentence))
        current.append(sentence)
    if current:
        chunks.append(current)
    return [TextChunk(page=page, ordinal=i, text=_join(parts)) for i, parts in enumerate(chunks)]


def _overlap_tail(sentences: list[str], overlap_tokens: int, room: int) -> list[str]:
    """The last sentences of a full chunk, carried into the next one as context."""
    tail: list[str] = []
    budget = min(overlap_tokens, room)
    for sentence in reversed(sentences):
        cost = estimate_tokens(sentence)
        if cost > budget:
            break
        tail.insert(0, sentence)
        budget -= cost
    return tail


def chunk_table(
    table: Table, page: int, first_ordinal: int, max_tokens: int, context: str = ""
) -> list[TextChunk]:
    """Pack a table's rows into chunks that each begin with the context line (the section's
    heading) and the header row, so no row is ever read apart from what its columns mean."""
    header, rows = row_line(table.header), [row_line(row) for row in table.rows]
    lead = "\n".join(part for part in (context, header) if part)
    room = max(max_tokens - estimate_tokens(lead), max_tokens // 4)
    pieces: list[str] = []
    for row in rows:
        pieces.extend(_hard_split(row, room) if estimate_tokens(row) > room else [row])
    groups: list[list[str]] = []
    for piece in pieces:
        if groups and estimate_tokens("\n".join([*groups[-1], piece])) <= room:
            groups[-1].append(piece)
        else:
            groups.append([piece])
    if not groups:  # a table of a header alone still says something
        groups = [[]]
    return [
        TextChunk(page=page, ordinal=first_ordinal + i, text="\n".join([lead, *group]).strip())
        for i, group in enumerate(groups)
    ]


def chunk_section(section: Section, page: int, sizes: ChunkingOptions) -> list[TextChunk]:
    """A section's chunks: its paragraphs packed by sentences, each table by rows with its
    header. A section under a heading (not a PDF page) leads each chunk with the heading."""
    context = section.place.heading
    chunks: list[TextChunk] = []
    paragraphs: list[str] = []

    def flush() -> None:
        text = "\n".join(paragraphs)
        paragraphs.clear()
        for piece in chunk_page(text, page, sizes.max_tokens, sizes.overlap_tokens):
            body = f"{context}\n{piece.text}" if context else piece.text
            chunks.append(TextChunk(page=page, ordinal=len(chunks), text=body))

    for block in section.blocks:
        if isinstance(block, Table):
            flush()
            chunks.extend(chunk_table(block, page, len(chunks), sizes.max_tokens, context))
        elif block.strip():
            paragraphs.append(block)
    flush()
    return chunks


def plan_document(
    document: Document, parsed: ParsedDocument, sizes: ChunkingOptions
) -> tuple[list[Chunk], list[DocumentSection]]:
    """The document's chunk rows (deterministic ids: ``<doc_id>-p<section>-c<ordinal>``) and,
    for a document without pages, its section rows; the document row gets its chunk count."""
    doc_id, collection = document.doc_id, document.collection
    rows = [
        Chunk(
            chunk_id=f"{doc_id}-p{piece.page}-c{piece.ordinal}",
            doc_id=doc_id,
            collection=collection,
            page=piece.page,
            ordinal=piece.ordinal,
            text=piece.text,
        )
        for number, section in enumerate(parsed.sections, start=1)
        for piece in chunk_section(section, number, sizes)
    ]
    document.chunks = len(rows)
    if parsed.kind == "pdf":  # a PDF's sections are its pages, which need no rows
        return rows, []
    sections = [
        DocumentSection(
            doc_id=doc_id,
            number=number,
            unit=section.place.unit.value,
            first=section.place.first,
            last=section.place.last,
            heading=section.place.heading,
            blocks=json.dumps(section.to_json()["blocks"], ensure_ascii=False),
        )
        for number, section in enumerate(parsed.sections, start=1)
    ]
    return rows, sections
