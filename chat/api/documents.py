"""Documents over HTTP: upload (every kind kbchat reads), list, show and remove, within the
collections the key may read and write."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response, UploadFile

from chat.answering.limits import LimitReached
from chat.api.bodies import form_body
from chat.api.callers import Caller, Keyed
from chat.api.errors import ApiError, not_found
from chat.api.schemas import DocumentList, DocumentOut, Removed, Uploaded
from chat.shapes import document_json
from chat.web.received import saved
from chat.web.services import services
from knowledge import (
    READABLE,
    Document,
    DocumentBusy,
    IngestError,
    InvalidCollection,
    KnowledgeError,
    kind_of,
)

router = APIRouter(prefix="/documents", tags=["documents"])
RETRY = {"Retry-After": "5"}
"""When to try a busy document or a full upload queue again."""


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
    collection = collection or None  # ?collection= (empty): every one
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
    except DocumentBusy as error:
        raise ApiError(409, "busy", str(error), RETRY) from None
    except KnowledgeError as error:
        raise ApiError(409, "conflict", str(error)) from None
    return {"removed": document_json(document)}


@router.post(
    "",
    status_code=201,
    response_model=Uploaded,
    dependencies=[Depends(form_body)],
    responses={200: {"model": Uploaded, "description": "The same file was there"}},
)
async def upload_document(
    request: Request,
    who: Keyed,
    response: Response,
    file: UploadFile,
    collection: Annotated[str | None, Form()] = None,
    create: Annotated[bool, Form()] = False,
) -> dict[str, Any]:
    """Add a document to a collection the key may write to (its own, when none is named;
    with ``create=true`` an admin key makes a new organization collection); 201 when added,
    200 when the same file was there already. A file that cannot be read is refused with
    the reason, and nothing is stored."""
    name = file.filename or "upload"
    if len((await request.form()).getlist("file")) > 1:
        raise ApiError(422, "invalid_request", "send one file per upload (several were sent)")
    if kind_of(name) is None:
        raise ApiError(
            415,
            "unsupported_media_type",
            f"{name}: kbchat reads {READABLE}, told by the file name's ending",
        )
    target = await _target(who, collection, create)
    async with saved([file]) as [(path, filename)]:
        result = await _ingest(who, path, filename, target)
    if result.status != "added":
        response.status_code = 200
    document = await asyncio.to_thread(services().kb.registry.get, result.doc_id)
    assert document is not None
    return {"status": result.status, "document": document_json(document)}


async def _target(who: Caller, collection: str | None, create: bool) -> str:
    """Where an upload goes: the collection named, if the key may write to it (or make it)."""
    existing = await asyncio.to_thread(_existing)
    writable = who.writable(existing)
    target = collection or writable[0]
    if target in writable or (create and target not in existing and who.may_create(target)):
        return target
    if target not in who.readable(existing):
        if who.may_create(target):
            raise ApiError(404, "collection_not_found",
                           f"no collection {target!r}; send create=true to make it")  # fmt: skip
        raise not_found("collection", target)
    raise ApiError(
        403, "forbidden", f"the key {who.key.name!r} may not upload to the collection {target!r}"
    )


async def _ingest(who: Caller, path: Any, filename: str, collection: str) -> Any:
    """Ingest as the web app does: searchable by words now, vectors in the background."""
    try:
        return await asyncio.to_thread(
            services().ingest_upload, path, filename=filename, collection=collection,
            uploader=who.identity,
        )  # fmt: skip
    except LimitReached as refused:
        raise ApiError(429, "rate_limited", str(refused), RETRY) from None
    except DocumentBusy as error:
        raise ApiError(409, "busy", str(error), RETRY) from None
    except InvalidCollection as error:
        raise ApiError(422, "invalid_request", str(error)) from None
    except IngestError as error:
        raise ApiError(422, "unreadable_file", f"{filename}: {error.reason}") from None
    except KnowledgeError as error:
        raise ApiError(409, "conflict", str(error)) from None
