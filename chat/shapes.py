"""The public JSON shapes of what kbchat stores, given alike by the CLI's ``--json`` and by
the REST API."""

from __future__ import annotations

from knowledge import Document, vector_state
from personas import Persona, StoredPersona
from sharing import AuditEvent, ConsentRecord, QAEdit, SharedQA


def document_json(document: Document) -> dict[str, object]:
    """A document as ``kbchat docs list --json`` gives it."""
    d = document
    return {"doc_id": d.doc_id, "file": d.filename, "kind": d.kind, "collection": d.collection,
            "pages": d.pages, "chunks": d.chunks, "size_bytes": d.size_bytes,
            "uploaded_by": d.uploaded_by, "status": d.status.value,
            "vectors": vector_state(d).value, "vectors_pending": d.vectors_pending,
            "vectors_skipped": d.vectors_skipped,
            "created_at": d.created_at.isoformat()}  # fmt: skip


def persona_json(persona: Persona) -> dict[str, object]:
    """A persona as a user is offered it: who it is, and how to start."""
    p = persona
    return {"id": p.id, "name": p.name, "description": p.description, "locale": p.locale,
            "audience": p.audience, "starters": p.starters, "version": p.version}  # fmt: skip


def stored_persona_json(stored: StoredPersona) -> dict[str, object]:
    """A stored persona as ``kbchat personas list --json`` gives it: with what it searches,
    its model and its state."""
    p = stored.persona
    return {**persona_json(p), "collections": p.collections, "model": p.model,
            "enabled": stored.enabled, "origin": stored.origin}  # fmt: skip


def shared_qa_json(qa: SharedQA) -> dict[str, object]:
    """A shared pair as ``kbchat share list --json`` gives it."""
    return {"id": qa.id, "status": qa.status, "source": qa.source, "question": qa.question,
            "answer": qa.answer, "persona": qa.persona_id, "persona_version": qa.persona_version,
            "user": qa.user_id, "tags": qa.tags, "duplicate_of": qa.duplicate_of,
            "citations": qa.cited_pages, "model": qa.model, "adapter": qa.adapter,
            "created_at": qa.created_at.isoformat()}  # fmt: skip


def shared_qa_detail(
    qa: SharedQA, consents: list[ConsentRecord], edits: list[QAEdit], events: list[AuditEvent]
) -> dict[str, object]:
    """A shared pair as ``kbchat share show --json`` gives it: with its consents, edit history
    and audit trail."""
    return {
        **shared_qa_json(qa),
        "consents": [
            {
                "version": c.consent_version,
                "locale": c.locale,
                "sha256": c.consent_sha256,
                "method": c.method,
                "granted_at": c.granted_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in consents
        ],  # fmt: skip
        "edits": [
            {
                "editor": e.editor,
                "at": e.edited_at.isoformat(),
                "question_before": e.question_before,
                "answer_before": e.answer_before,
            }
            for e in edits
        ],  # fmt: skip
        "audit": [{"at": e.at.isoformat(), "actor": e.actor, "action": e.action} for e in events],
    }
