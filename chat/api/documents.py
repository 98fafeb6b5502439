"""Documents over HTTP: upload (every kind kbchat reads), list, show and remove, within the
collections the key may read and write."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Response, UploadFile

from chat.answering.limits import LimitReached
from chat.api.bodies import form_body
from chat.api.callers import Caller, Keyed
from chat.api.errors import ApiError, not_found
from chat.api.schemas import DocumentList, DocumentOut, Removed, Uploaded
from chat.shapes import document_json
from chat.web.received import saved
from chat.web.services import services
from knowledge import READABLE, Document, IngestError, KnowledgeError, kind_of

router = APIRouter(prefix="/documents", tags=["documents"])


def _existing() -> list[str]:
    return services().kb.registry.collections()


async def _readable(doc_id: str, who: Caller) -> Document:
    found = await asyncio.to_thread(services().kb.registry.get, doc_id)
    if found is None or not who.may_read(found):
        raise not_found("document", doc_id)
    return found


@router.get("", response_model=DocumentList)
async def list_documents(who: Keyed, collection: str | None = None) -> dict[str, Any]:
    """The searchable documents the key may read (of one collection, if given), newest first."""
    existing = await asyncio.to_thread(_existing)
    chosen = who.collections([collection] if collection else None, existing)
    documents = await asyncio.to_thread(services().kb.documents, collection)
    return {"documents": [document_json(d) for d in documents if d.collection in chosen]}


@router.get("/{doc_id}", response_model=DocumentOut)
async def show_document(doc_id: str, who: Keyed) -> dict[str, Any]:
    """One document the key may read."""
    return document_json(await _readable(doc_id, who))


@router.delete("/{doc_id}", response_model=Removed)
async def remove_document(doc_id: str, who: Keyed) -> dict[str, Any]:
    """Remove a document of a collection the key may write to (its vectors, words and file)."""
    document = await _readable(doc_id, who)
    if document.collection not in who.writable(await asyncio.to_thread(_existing)):
        raise ApiError(
            403,
            "forbidden",
            f"the key {who.key.name!r} may not remove documents of the collection "
            f"{document.collection!r}",
        )
    try:
        await asyncio.to_thread(services().kb.remove, document.doc_id)
    except KnowledgeError as error:
        raise ApiError(409, "conflict", str(error)) from None
    return {"removed": document_json(document)}


@router.post("", status_code=201, response_model=Uploaded, dependencies=[Depends(form_body)])
async def upload_document(
    who: Keyed,
    response: Response,
    file: UploadFile,
    collection: Annotated[str | None, Form()] = None,
) -> dict[str, Any]:
    """Add a document to a collection the key may write to (its own, when none is named);
    201 when added, 200 when the same file was there already. A file that cannot be read
    is refused with the reason, and nothing is stored."""
    name = file.filename or "upload"
    if kind_of(name) is None:
        raise ApiError(
            415,
            "unsupported_media_type",
            f"{name}: kbchat reads {READABLE}, told by the file name's ending",
        )
    writable = who.writable(await asyncio.to_thread(_existing))
    target = collection or writable[0]
    if target not in writable:
        readable = who.readable(await asyncio.to_thread(_existing))
        if target not in readable:
            raise not_found("collection", target)
        raise ApiError(
            403,
            "forbidden",
            f"the key {who.key.name!r} may not upload to the collection {target!r}",
        )
    async with saved([file]) as [(path, filename)]:
        result = await _ingest(who, path, filename, target)
    if result.status != "added":
        response.status_code = 200
    document = await asyncio.to_thread(services().kb.registry.get, result.doc_id)
    assert document is not None
    return {"status": result.status, "document": document_json(document)}


async def _ingest(who: Caller, path: Any, filename: str, collection: str) -> Any:
    """Ingest as the web app does: searchable by words now, vectors in the background."""
    try:
        return await asyncio.to_thread(
            services().ingest_upload, path, filename=filename, collection=collection,
            uploader=who.identity,
        )  # fmt: skip
    except LimitReached as refused:
        raise ApiError(429, "rate_limited", str(refused)) from None
    except IngestError as error:
        raise ApiError(422, "unreadable_file", f"{filename}: {error.reason}") from None
    except KnowledgeError as error:
        raise ApiError(409, "conflict", str(error)) from None
