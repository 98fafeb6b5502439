"""The public JSON shapes of what kbchat stores, given alike by the CLI's ``--json`` and by
the REST API."""

from __future__ import annotations

from knowledge import Document, vector_state


def document_json(document: Document) -> dict[str, object]:
    """A document as ``kbchat docs list --json`` gives it."""
    d = document
    return {"doc_id": d.doc_id, "file": d.filename, "kind": d.kind, "collection": d.collection,
            "pages": d.pages, "chunks": d.chunks, "size_bytes": d.size_bytes,
            "uploaded_by": d.uploaded_by, "status": d.status.value,
            "vectors": vector_state(d).value, "vectors_pending": d.vectors_pending,
            "vectors_skipped": d.vectors_skipped,
            "created_at": d.created_at.isoformat()}  # fmt: skip
