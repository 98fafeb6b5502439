"""The schema of the last release before Alembic (2026-12-06), frozen: revision 0001 creates
it, and a database of that release (or an older one) is brought up to it before it is stamped.

Never edit it: a change to the schema is a new revision. The types are those that release's
``create_all`` and Chainlit DDL wrote: SQLModel's strings, enums (native on PostgreSQL),
time-zone-aware times; Chainlit's ids, JSON and lists as text on SQLite and as UUID, JSONB and
TEXT[] on PostgreSQL, with SQLite's nullable text primary keys.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

_INT, _BOOL, _TIME, _TEXT = sa.Integer(), sa.Boolean(), sa.DateTime(timezone=True), sa.Text()
_ID = sa.Text().with_variant(postgresql.UUID(), "postgresql")
_JSON = sa.Text().with_variant(postgresql.JSONB(), "postgresql")
_LIST = sa.Text().with_variant(postgresql.ARRAY(sa.Text()), "postgresql")
NAMING = {"ix": "ix_%(column_0_label)s"}


def _S(length: int | None = None) -> sa.String:  # noqa: N802 (reads as a column type)
    return sa.String(length)


def baseline_metadata(dialect: str) -> sa.MetaData:
    """Every table of the 2026-12-06 release, as it stands on ``dialect``'s databases."""
    metadata = sa.MetaData(naming_convention=NAMING)
    for add in (_knowledge, _accounts, _personas, _shared_qa, _qa_records):
        add(metadata)
    chainlit_tables(metadata, dialect)
    return metadata


def _knowledge(metadata: sa.MetaData) -> None:
    """The document registry (``knowledge``)."""
    sa.Table(
        "kb_document",
        metadata,
        sa.Column("doc_id", _S(64), primary_key=True),
        sa.Column("filename", _S(), nullable=False),
        sa.Column("collection", _S(), nullable=False),
        sa.Column("pages", _INT, nullable=False),
        sa.Column("chunks", _INT, nullable=False),
        sa.Column("size_bytes", _INT, nullable=False),
        sa.Column("uploaded_by", _S(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("INDEXING", "READY", "REMOVING", name="documentstatus"),
            nullable=False,
        ),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Index("ix_kb_document_collection", "collection"),
        sa.Index("ix_kb_document_status", "status"),
    )
    sa.Table(
        "kb_chunk",
        metadata,
        sa.Column("chunk_id", _S(), primary_key=True),
        sa.Column("doc_id", _S(), sa.ForeignKey("kb_document.doc_id"), nullable=False),
        sa.Column("collection", _S(), nullable=False),
        sa.Column("page", _INT, nullable=False),
        sa.Column("ordinal", _INT, nullable=False),
        sa.Column("text", _S(), nullable=False),
        sa.Index("ix_kb_chunk_collection", "collection"),
        sa.Index("ix_kb_chunk_doc_id", "doc_id"),
    )
    sa.Table(
        "kb_moved_document",
        metadata,
        sa.Column("old_id", _S(64), primary_key=True),
        sa.Column("new_id", _S(64), nullable=False),
        sa.Index("ix_kb_moved_document_new_id", "new_id"),
    )
    sa.Table(
        "kb_collection_state",
        metadata,
        sa.Column("collection", _S(), primary_key=True),
        sa.Column("generation", _INT, nullable=False),
    )


def _accounts(metadata: sa.MetaData) -> None:
    """Logins, revoked tokens, the accounts' audit trail, failed-login counts (``chat``)."""
    sa.Table(
        "app_user",
        metadata,
        sa.Column("username", _S(64), primary_key=True),
        sa.Column("password_hash", _S(), nullable=False),
        sa.Column("role", sa.Enum("STAFF", "CLINICIAN", "ADMIN", name="role"), nullable=False),
        sa.Column("must_change_password", _BOOL, nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("disabled", _BOOL, nullable=False),
        sa.Column("session_key", _S(32), nullable=False),
        sa.Column("last_persona", _S(64), nullable=False),
        sa.Column("ui_language", _S(8), nullable=False),
    )
    sa.Table(
        "revoked_token",
        metadata,
        sa.Column("token_sha256", _S(64), primary_key=True),
        sa.Column("username", _S(64), nullable=False),
        sa.Column("expires_at", _INT, nullable=False),
        sa.Index("ix_revoked_token_expires_at", "expires_at"),
        sa.Index("ix_revoked_token_username", "username"),
    )
    sa.Table(
        "account_event",
        metadata,
        sa.Column("id", _INT, primary_key=True),
        sa.Column("at", _TIME, nullable=False),
        sa.Column("actor", _S(64), nullable=False),
        sa.Column("action", _S(32), nullable=False),
        sa.Column("username", _S(64), nullable=False),
        sa.Column("detail_json", _S(), nullable=False),
        sa.Index("ix_account_event_action", "action"),
        sa.Index("ix_account_event_at", "at"),
        sa.Index("ix_account_event_username", "username"),
    )
    sa.Table(
        "login_failure",
        metadata,
        sa.Column("key", _S(200), primary_key=True),
        sa.Column("failures", _INT, nullable=False),
        sa.Column("last_failure", _INT, nullable=False),
        sa.Column("blocked_until", _INT, nullable=False),
        sa.Column("locked", _BOOL, nullable=False),
    )


def _personas(metadata: sa.MetaData) -> None:
    """The persona database (``personas``)."""
    sa.Table(
        "persona",
        metadata,
        sa.Column("persona_id", _S(63), primary_key=True),
        sa.Column("current_version", _INT, nullable=False),
        sa.Column("enabled", _BOOL, nullable=False),
        sa.Column("deleted", _BOOL, nullable=False),
        sa.Column("origin", _S(), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("updated_at", _TIME, nullable=False),
        sa.Index("ix_persona_deleted", "deleted"),
    )
    sa.Table(
        "persona_version",
        metadata,
        sa.Column("persona_id", _S(), sa.ForeignKey("persona.persona_id"), primary_key=True),
        sa.Column("version", _INT, primary_key=True),
        sa.Column("body", _S(), nullable=False),
        sa.Column("author", _S(), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
    )


def _shared_qa(metadata: sa.MetaData) -> None:
    """Shared question/answer pairs (``sharing``)."""
    sa.Table(
        "shared_qa",
        metadata,
        sa.Column("id", _INT, primary_key=True),
        sa.Column("question", _S(), nullable=False),
        sa.Column("answer", _S(), nullable=False),
        sa.Column("context", _S(), nullable=False),
        sa.Column("system", _S(), nullable=False),
        sa.Column("history_json", _S(), nullable=False),
        sa.Column("persona_id", _S(), nullable=False),
        sa.Column("persona_version", _INT, nullable=False),
        sa.Column("citations_json", _S(), nullable=False),
        sa.Column("model", _S(), nullable=False),
        sa.Column("source", sa.Enum("CHAT", "SHEET", name="qasource"), nullable=False),
        sa.Column(
            "status",
            sa.Enum("PENDING", "APPROVED", "REJECTED", "WITHDRAWN", name="qastatus"),
            nullable=False,
        ),
        sa.Column("user_id", _S(), nullable=False),
        sa.Column("tags_json", _S(), nullable=False),
        sa.Column("rating", _INT),
        sa.Column("content_hash", _S(), nullable=False),
        sa.Column("duplicate_of", _INT),
        sa.Column("reject_reason", _S(), nullable=False),
        sa.Column("sheet_name", _S(), nullable=False),
        sa.Column("sheet_row", _INT),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("updated_at", _TIME, nullable=False),
        sa.Index("ix_shared_qa_content_hash", "content_hash"),
        sa.Index("ix_shared_qa_persona_id", "persona_id"),
        sa.Index("ix_shared_qa_source", "source"),
        sa.Index("ix_shared_qa_status", "status"),
        sa.Index("ix_shared_qa_user_id", "user_id"),
    )


def _qa_records(metadata: sa.MetaData) -> None:
    """Their edits, consents and audit trail (``sharing``)."""
    sa.Table(
        "shared_qa_edit",
        metadata,
        sa.Column("id", _INT, primary_key=True),
        sa.Column("qa_id", _INT, sa.ForeignKey("shared_qa.id"), nullable=False),
        sa.Column("editor", _S(), nullable=False),
        sa.Column("question_before", _S(), nullable=False),
        sa.Column("answer_before", _S(), nullable=False),
        sa.Column("question_after", _S(), nullable=False),
        sa.Column("answer_after", _S(), nullable=False),
        sa.Column("edited_at", _TIME, nullable=False),
        sa.Index("ix_shared_qa_edit_qa_id", "qa_id"),
    )
    sa.Table(
        "consent_record",
        metadata,
        sa.Column("id", _INT, primary_key=True),
        sa.Column("qa_id", _INT, sa.ForeignKey("shared_qa.id"), nullable=False),
        sa.Column("user_id", _S(), nullable=False),
        sa.Column("consent_version", _S(), nullable=False),
        sa.Column("consent_sha256", _S(), nullable=False),
        sa.Column("locale", _S(), nullable=False),
        sa.Column("method", _S(), nullable=False),
        sa.Column("granted_at", _TIME, nullable=False),
        sa.Column("withdrawn_at", _TIME),
        sa.Index("ix_consent_record_qa_id", "qa_id"),
        sa.Index("ix_consent_record_user_id", "user_id"),
    )
    sa.Table(
        "audit_event",
        metadata,
        sa.Column("id", _INT, primary_key=True),
        sa.Column("at", _TIME, nullable=False),
        sa.Column("actor", _S(), nullable=False),
        sa.Column("action", _S(), nullable=False),
        sa.Column("qa_id", _INT),
        sa.Column("detail_json", _S(), nullable=False),
        sa.Index("ix_audit_event_action", "action"),
        sa.Index("ix_audit_event_at", "at"),
        sa.Index("ix_audit_event_qa_id", "qa_id"),
    )


def chainlit_tables(metadata: sa.MetaData, dialect: str) -> None:
    """Chainlit's history tables (2.12), and kbchat's ``deleted_threads`` beside them."""

    def key() -> sa.Column[str]:  # SQLite lets a text primary key be NULL, as declared then
        return sa.Column("id", _ID, primary_key=True, nullable=dialect == "sqlite")

    def thread(nullable: bool) -> sa.Column[str]:
        fk = sa.ForeignKey("threads.id", ondelete="CASCADE")
        return sa.Column("threadId", _ID, fk, nullable=nullable)

    def texts(*names: str) -> list[sa.Column[str]]:
        return [sa.Column(name, _TEXT) for name in names]

    sa.Table("users", metadata, key(), sa.Column("identifier", _TEXT, nullable=False),
             sa.Column("metadata", _JSON, nullable=False), *texts("createdAt"),
             sa.UniqueConstraint("identifier"))  # fmt: skip
    sa.Table("threads", metadata, key(), *texts("createdAt", "name"),
             sa.Column("userId", _ID, sa.ForeignKey("users.id", ondelete="CASCADE")),
             *texts("userIdentifier"), sa.Column("tags", _LIST),
             sa.Column("metadata", _JSON))  # fmt: skip
    sa.Table("steps", metadata, key(), sa.Column("name", _TEXT, nullable=False),
             sa.Column("type", _TEXT, nullable=False), thread(nullable=False),
             sa.Column("parentId", _ID), sa.Column("streaming", _BOOL, nullable=False),
             sa.Column("waitForAnswer", _BOOL), sa.Column("isError", _BOOL),
             sa.Column("metadata", _JSON), sa.Column("tags", _LIST),
             *texts("input", "output", "createdAt", "command", "start", "end"),
             sa.Column("generation", _JSON), *texts("showInput", "language"),
             sa.Column("indent", _INT), sa.Column("defaultOpen", _BOOL),
             sa.Column("autoCollapse", _BOOL), *texts("icon"),
             sa.Column("modes", _JSON))  # fmt: skip
    sa.Table("elements", metadata, key(), thread(nullable=True),
             *texts("type", "url", "chainlitKey"), sa.Column("name", _TEXT, nullable=False),
             *texts("display", "objectKey", "size"), sa.Column("page", _INT),
             *texts("language"), sa.Column("forId", _ID), *texts("mime"),
             sa.Column("props", _JSON), sa.Column("autoPlay", _BOOL),
             sa.Column("playerConfig", _JSON))  # fmt: skip
    sa.Table("deleted_threads", metadata, key(), *texts("deletedAt"))
    sa.Table("feedbacks", metadata, key(), sa.Column("forId", _ID, nullable=False),
             thread(nullable=False), sa.Column("value", _INT, nullable=False),
             *texts("comment"))  # fmt: skip
