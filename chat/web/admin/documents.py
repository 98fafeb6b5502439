"""The admin's documents page: every collection's documents, moved or removed."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import Form
from fastapi.responses import HTMLResponse, Response

from chat.access import PRIVATE_PREFIX
from chat.background_embedder import meaning_index
from chat.web.admin.pages import DONE, Admin, back, confirm, page, router
from chat.web.services import services
from knowledge import KnowledgeError


@router.get("/documents")
async def documents(admin: Admin, message: str = "", error: str = "") -> HTMLResponse:
    """Every document in every collection."""
    listed = await asyncio.to_thread(services().kb.documents)
    existing = await asyncio.to_thread(services().kb.registry.collections)
    return page(
        "documents.html",
        admin,
        title="文件 Documents",
        documents=listed,
        meaning={d.doc_id: f"{meaning_index(d, 'zh-TW')} {meaning_index(d)}" for d in listed},
        shared_collections=[c for c in existing if not c.startswith(PRIVATE_PREFIX)] or ["default"],
        error=error,
        message=message,
    )


@router.post("/documents/{doc_id}/move")
async def move_document(
    doc_id: str,
    admin: Admin,
    collection: Annotated[str, Form()] = "",
    new_collection: Annotated[str, Form()] = "",
) -> Response:
    """Move a document to an organization collection (an existing one, or a new one named
    on purpose): indexed there, then removed from where it was."""
    target = new_collection.strip() or collection.strip()
    if not target or target.startswith(PRIVATE_PREFIX):
        return await documents(admin, error="choose an organization collection to move it to")
    try:
        moved = await asyncio.to_thread(services().kb.move, doc_id, target)
    except KnowledgeError as error:
        return await documents(admin, error=str(error))
    return back("/kbchat/admin/documents", f"{DONE['moved']}: {moved.file} → {moved.collection}")


@router.post("/documents/{doc_id}/remove")
async def remove_document(
    doc_id: str, admin: Admin, confirmed: Annotated[str, Form()] = ""
) -> Response:
    """Remove a document's vectors, lexical entries, file and row (asked about first)."""
    if confirmed != "yes":
        listed = await asyncio.to_thread(services().kb.documents)
        name = next((d.filename for d in listed if d.doc_id == doc_id), doc_id[:12])
        return confirm(admin, f"/kbchat/admin/documents/{doc_id}/remove",
                        f"移除文件 {name}？它的內容不會再被搜尋或引用。 / Remove {name}? It "
                        "is no longer searched or cited.",
                        "remove", "/kbchat/admin/documents")  # fmt: skip
    try:
        removed = await asyncio.to_thread(services().kb.remove, doc_id)
    except KnowledgeError as error:
        return await documents(admin, error=str(error))
    return back("/kbchat/admin/documents", f"{DONE['removed']}: {removed.filename}")
