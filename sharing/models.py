"""The shared-QA tables: the pairs, their consent, their edit history, and the audit trail.

They live in the same database as the document registry (SQLite by default, PostgreSQL
through ``KBCHAT_DATABASE_URL``). JSON-shaped columns are stored as JSON text so both
databases read them the same way.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Field, SQLModel


def utc_now() -> datetime:
    """The current time in UTC (stored naive-free everywhere)."""
    return datetime.now(UTC)


class QAStatus(StrEnum):
    """Where a shared QA is in curation; only ``approved`` rows are exported."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class QASource(StrEnum):
    """Where a pair came from: a chat answer a user shared, an expert's QA sheet, or the model
    itself writing a pair from a collection's passages (``kbchat share generate``)."""

    CHAT = "chat"
    SHEET = "sheet"
    GENERATED = "generated"


class SharedQA(SQLModel, table=True):
    """One question/answer pair offered for the fine-tuning dataset."""

    __tablename__ = "shared_qa"

    id: int | None = Field(default=None, primary_key=True)
    question: str
    answer: str
    context: str = Field(default="", description="A sheet's input column.")
    system: str = Field(default="", description="A sheet's system prompt, if any.")
    history_json: str = Field(default="[]", description="Earlier [question, answer] turns.")
    persona_id: str = Field(default="", index=True)
    persona_version: int = 0
    citations_json: str = Field(
        default="[]", description="[{file, page, doc_id (SHA-256), text}] of the answer."
    )
    model: str = ""
    adapter: str = Field(default="", sa_column_kwargs={"server_default": ""})
    """The LoRA adapter (a fine-tuning run's id) the answer came from; empty for a base model."""
    source: QASource = Field(default=QASource.CHAT, index=True)
    status: QAStatus = Field(default=QAStatus.PENDING, index=True)
    user_id: str = Field(index=True, description="Who shared it (or uploaded the sheet).")
    tags_json: str = Field(default="[]")
    rating: int | None = Field(default=None, description="The sharer's thumbs: 1, -1 or none.")
    content_hash: str = Field(index=True, description="Of the normalized question and answer.")
    duplicate_of: int | None = Field(default=None)
    reject_reason: str = ""
    sheet_name: str = ""
    sheet_row: int | None = None
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)

    @property
    def citations(self) -> list[dict[str, Any]]:
        """The cited pages, decoded."""
        return list(json.loads(self.citations_json))

    @property
    def cited_pages(self) -> list[dict[str, Any]]:
        """The cited pages without their text: file, page and document id."""
        return [{k: c.get(k) for k in ("file", "page", "doc_id")} for c in self.citations]

    @property
    def tags(self) -> list[str]:
        """Curation tags (persona, topic...), decoded."""
        return list(json.loads(self.tags_json))

    @property
    def history(self) -> list[list[str]]:
        """Earlier turns as [question, answer] pairs, decoded."""
        return list(json.loads(self.history_json))


class QAEdit(SQLModel, table=True):
    """A curator's change to a shared QA: what it said before, and who changed it when."""

    __tablename__ = "shared_qa_edit"

    id: int | None = Field(default=None, primary_key=True)
    qa_id: int = Field(foreign_key="shared_qa.id", index=True)
    editor: str
    question_before: str
    answer_before: str
    question_after: str
    answer_after: str
    edited_at: datetime = Field(default_factory=utc_now)


class ConsentRecord(SQLModel, table=True):
    """A user's consent to share one QA: the exact text they agreed to, and any withdrawal."""

    __tablename__ = "consent_record"

    id: int | None = Field(default=None, primary_key=True)
    qa_id: int = Field(foreign_key="shared_qa.id", index=True)
    user_id: str = Field(index=True)
    consent_version: str
    consent_sha256: str
    locale: str
    method: str = Field(description="How consent was given: web-button, cli, sheet-upload.")
    granted_at: datetime = Field(default_factory=utc_now)
    withdrawn_at: datetime | None = None


class AuditEvent(SQLModel, table=True):
    """Every share, withdrawal, curation step, import and export, append-only."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utc_now, index=True)
    actor: str
    action: str = Field(index=True)
    qa_id: int | None = Field(default=None, index=True)
    detail_json: str = "{}"
