"""The shapes the API answers with, for its OpenAPI schema (the same JSON as the CLI's
``--json``: ``chat/shapes.py``, ``kbchat search --json``, ``kbchat ask --json``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorDetail(BaseModel):
    """Why a request was refused: a stable code, and a message naming the thing and reason."""

    code: str
    message: str
    type: str


class ErrorBody(BaseModel):
    """Every error the API answers with."""

    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in (
        (400, "A request that cannot be answered as it is (the message says why)"),
        (401, "No key, or a wrong, expired or revoked one"),
        (403, "The key's role may not do this"),
        (404, "No such thing, or not the key's to see"),
        (413, "The body is over the limit"),
        (415, "The wrong content type"),
        (422, "A body or file that cannot be read"),
        (409, "A conflict with what is stored, or busy now (busy: try after Retry-After)"),
        (429, "Too many requests or wrong keys: wait Retry-After seconds"),
        (503, "The model or its server cannot answer now"),
    )
}
"""The error responses every keyed endpoint may give, for the schema."""


class DocumentOut(BaseModel):
    """A stored document (``kbchat docs list --json``)."""

    doc_id: str
    file: str
    kind: str
    collection: str
    pages: int
    chunks: int
    size_bytes: int
    uploaded_by: str
    status: str
    vectors: str
    vectors_pending: int
    vectors_skipped: int
    created_at: str


class DocumentList(BaseModel):
    """The documents the key may read."""

    documents: list[DocumentOut]


class Uploaded(BaseModel):
    """An upload's outcome: ``added``, or ``unchanged`` when the same file was there."""

    status: str
    document: DocumentOut


class Removed(BaseModel):
    """The document removed."""

    removed: DocumentOut


class Hit(BaseModel):
    """A page or section found (``kbchat search --json``); ``section`` only for a document
    without pages."""

    file: str
    page: int
    score: float
    text: str
    doc_id: str
    section: dict[str, Any] | None = None


class Hits(BaseModel):
    """Search hits, best first."""

    hits: list[Hit]


class CitationOut(BaseModel):
    """A source the answer rests on."""

    file: str
    page: int
    text: str
    doc_id: str
    section: dict[str, Any] | None = None


class AnswerOut(BaseModel):
    """A cited answer (``kbchat ask --json``)."""

    answer: str
    citations: list[CitationOut]
    covered: bool
    unsupported: list[str]
    persona: str
    model: str
    adapter: str
