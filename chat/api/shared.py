"""Shared QA over HTTP, for admin keys only (as the admin pages): import an expert's QA
sheet, list and show pairs, approve, reject or edit one (recorded with the key's user as the
curator), and download the approved pairs as a fine-tuning dataset's zip."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Response, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from chat.api.bodies import check_kind, form_body, json_body
from chat.api.callers import AdminKeyed
from chat.api.errors import ApiError
from chat.shapes import shared_qa_detail, shared_qa_json
from chat.web.curation import dataset_zip, import_sheet_upload
from chat.web.services import services
from sharing import (
    SHEET_SUFFIXES,
    DatasetFormat,
    ExportError,
    QASource,
    QAStatus,
    SharedQA,
    SharedQANotFound,
    SharingError,
    SheetError,
    SheetRejected,
    TransitionRefused,
)

router = APIRouter(prefix="/shared", tags=["shared QA"])


class Rejection(BaseModel):
    """Why a pair stays out of the dataset."""

    model_config = ConfigDict(extra="forbid")
    reason: str = Field(description="Why it stays out (kept in the audit trail).")


class Correction(BaseModel):
    """A curator's correction of a pair's text; the previous text stays in its history."""

    model_config = ConfigDict(extra="forbid")
    question: str | None = Field(default=None, description="The new question.")
    answer: str | None = Field(default=None, description="The new answer.")


def _refused(error: SharingError) -> ApiError:
    """A sharing error under its status, with sharing's message."""
    if isinstance(error, SharedQANotFound):
        return ApiError(404, "qa_not_found", str(error))
    if isinstance(error, TransitionRefused | ExportError):
        return ApiError(409, "conflict", str(error))
    if isinstance(error, SheetRejected):
        problems = "; ".join(str(problem) for problem in error.problems[:10])
        more = len(error.problems) - 10
        tail = f"; and {more} more" if more > 0 else ""
        return ApiError(422, "invalid_request", f"{error}: {problems}{tail}")
    if isinstance(error, SheetError):
        return ApiError(422, "unreadable_file", str(error))
    return ApiError(422, "invalid_request", str(error))


@router.post("/sheets", status_code=201, dependencies=[Depends(form_body)])
async def import_sheet(
    who: AdminKeyed,
    file: UploadFile,
    skip_bad: Annotated[bool, Form(description="Import the good rows, skip bad ones.")] = False,
) -> dict[str, Any]:
    """Import an expert's sheet (.xlsx, .csv, .json, .jsonl) of instruction / input / output
    rows as pairs pending review: every row, or none when any is bad (unless ``skip_bad``)."""
    name = file.filename or "upload"
    old = " (an old Excel .xls: save it as .xlsx in Excel)" if name.lower().endswith(".xls") else ""
    check_kind(name, SHEET_SUFFIXES, "QA sheets", old)
    try:
        imported, skipped = await import_sheet_upload(
            file, uploader=who.identity, skip_bad=skip_bad
        )
    except SharingError as error:
        raise _refused(error) from None
    name = file.filename or "upload"
    return {
        "message": f"imported {len(imported)} row(s) from {name}, pending review",
        "imported": len(imported),
        "ids": [qa.id for qa in imported],
        "skipped": skipped,
    }


@router.get("")
async def list_shared(
    who: AdminKeyed,
    status: QAStatus | None = None,
    source: QASource | None = None,
    persona: str | None = None,
    tag: str | None = None,
) -> dict[str, Any]:
    """Shared pairs for curation, oldest first, as ``kbchat share list --json`` lists them."""
    pairs = await asyncio.to_thread(
        services().sharing.store.list_qa, status=status, source=source, tag=tag
    )
    chosen = [qa for qa in pairs if persona is None or qa.persona_id == persona]
    return {"shared": [shared_qa_json(qa) for qa in chosen]}


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}, "description": "The dataset zip"}},
)
async def export(
    who: AdminKeyed,
    format: DatasetFormat = DatasetFormat.LLAMAFACTORY,
    with_context: bool = False,
) -> Response:
    """The approved pairs in a dataset format, as a zip with its manifest (the admin page's)."""
    try:
        name, data = await dataset_zip(format, actor=who.identity, with_context=with_context)
    except SharingError as error:
        raise _refused(error) from None
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type="application/zip", headers=headers)


def _detail(qa_id: int) -> dict[str, object]:
    store = services().sharing.store
    qa = store.get(qa_id)
    return shared_qa_detail(qa, store.consents(qa_id), store.edits(qa_id), store.audit_trail(qa_id))


@router.get("/{qa_id}")
async def show_shared(qa_id: int, who: AdminKeyed) -> dict[str, Any]:
    """One pair with its consents, edit history and audit trail (``kbchat share show --json``)."""
    try:
        return await asyncio.to_thread(_detail, qa_id)
    except SharingError as error:
        raise _refused(error) from None


async def _curated(step: Any, *args: Any, **kwargs: Any) -> dict[str, object]:
    try:
        qa: SharedQA = await asyncio.to_thread(step, *args, **kwargs)
    except SharingError as error:
        raise _refused(error) from None
    return shared_qa_json(qa)


@router.post("/{qa_id}/approve")
async def approve(qa_id: int, who: AdminKeyed) -> dict[str, Any]:
    """Accept a pair into the dataset."""
    return await _curated(services().sharing.curator.approve, qa_id, curator=who.identity)


@router.post("/{qa_id}/reject", dependencies=[Depends(json_body)])
async def reject(qa_id: int, who: AdminKeyed, body: Rejection) -> dict[str, Any]:
    """Keep a pair out of the dataset, with the reason."""
    curator = services().sharing.curator
    return await _curated(curator.reject, qa_id, curator=who.identity, reason=body.reason)


@router.patch("/{qa_id}", dependencies=[Depends(json_body)])
async def edit(qa_id: int, who: AdminKeyed, body: Correction) -> dict[str, Any]:
    """Correct a pair's question and/or answer; the previous text stays in its history."""
    if body.question is None and body.answer is None:
        raise ApiError(422, "invalid_request", "give question and/or answer")
    if any(not text.strip() for text in (body.question, body.answer) if text is not None):
        raise ApiError(422, "invalid_request", "a question or an answer cannot be empty")
    curator = services().sharing.curator
    return await _curated(
        curator.edit, qa_id, curator=who.identity, question=body.question, answer=body.answer
    )
