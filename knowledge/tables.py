"""The registry's tables: documents, their chunks and sections, moved ids, and each
collection's change counter. ``Registry`` (registry.py) reads and writes them; the app's
migrations make them."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel


class DocumentStatus(StrEnum):
    """A document is searchable only once it is ``ready``."""

    INDEXING = "indexing"
    READY = "ready"
    REMOVING = "removing"


class Document(SQLModel, table=True):
    """One ingested document, identified by the SHA-256 of its bytes.

    Its vector state is two counts, so that a row written before they existed (both 0) reads
    as fully embedded: ``vectors_pending`` chunks still to embed, in chunk-id order (a restart
    resumes after the ones done), and ``vectors_skipped`` chunks in a language the embedder
    does not read, which get no vector at all.
    """

    __tablename__ = "kb_document"

    doc_id: str = Field(primary_key=True, max_length=64)
    filename: str
    kind: str = Field(default="pdf", max_length=8)
    """What it was read as: pdf, docx, xlsx, csv, html, txt or md (``formats.kinds``)."""
    collection: str = Field(index=True)
    pages: int
    chunks: int = 0
    size_bytes: int
    uploaded_by: str
    status: DocumentStatus = Field(default=DocumentStatus.INDEXING, index=True)
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    vectors_pending: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    vectors_skipped: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class Chunk(SQLModel, table=True):
    """A retrievable piece of one page; its text is the source for the lexical index."""

    __tablename__ = "kb_chunk"

    chunk_id: str = Field(primary_key=True)
    doc_id: str = Field(foreign_key="kb_document.doc_id", index=True)
    collection: str = Field(index=True)
    page: int
    ordinal: int
    text: str


class DocumentSection(SQLModel, table=True):
    """Where one section of a document without pages is (its heading path or sheet, and its
    paragraph or row range), and its blocks, for citations and the viewer. A PDF's
    sections are its pages and are not stored here."""

    __tablename__ = "kb_section"

    doc_id: str = Field(foreign_key="kb_document.doc_id", primary_key=True, max_length=64)
    number: int = Field(primary_key=True)
    unit: str = Field(max_length=16)
    first: int
    last: int
    heading: str
    blocks: str
    """The section's paragraphs and tables, as ``formats.model.Section.to_json`` writes them."""


class MovedDocument(SQLModel, table=True):
    """Where a document moved to another collection is now: its old id, cited in past
    answers, exports and shared QA, still leads to it."""

    __tablename__ = "kb_moved_document"

    old_id: str = Field(primary_key=True, max_length=64)
    new_id: str = Field(max_length=64, index=True)


class CollectionState(SQLModel, table=True):
    """A counter bumped on every change to a collection, so caches know when to reload."""

    __tablename__ = "kb_collection_state"

    collection: str = Field(primary_key=True)
    generation: int = 0
