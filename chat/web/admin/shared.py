"""The admin's shared-QA queue: curate, and export the fine-tuning dataset."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import Form, HTTPException
from fastapi.responses import HTMLResponse, Response

from chat.web.admin.pages import DONE, Admin, back, page, router
from chat.web.curation import dataset_zip
from chat.web.services import services
from sharing import DatasetFormat, QASource, QAStatus, SharingError


@router.get("/shared")
async def shared(
    admin: Admin, status: str = "pending", source: str = "", message: str = ""
) -> HTMLResponse:
    """The curation queue, by status and by source (chat, sheet, generated)."""
    chosen = QAStatus(status) if status in QAStatus.__members__.values() else None
    origin = QASource(source) if source in QASource.__members__.values() else None
    pairs = await asyncio.to_thread(services().sharing.store.list_qa, status=chosen, source=origin)
    return page(
        "shared.html",
        admin,
        title="分享問答 Shared QA",
        pairs=pairs,
        statuses=list(QAStatus),
        sources=list(QASource),
        shown_status=chosen or "all",
        shown_source=origin or "",
        formats=[f.value for f in DatasetFormat],
        message=message,
    )


@router.post("/shared/{qa_id}/{action}")
async def curate(
    qa_id: int,
    action: str,
    admin: Admin,
    reason: Annotated[str, Form()] = "",
    question: Annotated[str, Form()] = "",
    answer: Annotated[str, Form()] = "",
) -> Response:
    """Approve, reject (with a reason) or edit a shared pair."""
    curator = services().sharing.curator
    steps = {
        "approve": lambda: curator.approve(qa_id, curator=admin.name),
        "reject": lambda: curator.reject(qa_id, curator=admin.name, reason=reason),
        "edit": lambda: curator.edit(qa_id, curator=admin.name, question=question, answer=answer),
    }
    if action not in steps:
        raise HTTPException(status_code=404)
    try:
        await asyncio.to_thread(steps[action])
    except SharingError as error:
        return back("/kbchat/admin/shared", f"#{qa_id}: {error}")
    return back("/kbchat/admin/shared", f"{DONE[action]}: #{qa_id}")


@router.get("/shared/export")
async def export(admin: Admin, format: str = "llamafactory", with_context: str = "") -> Response:
    """Download the approved pairs in a dataset format, as a zip with its manifest."""
    try:
        name, data = await dataset_zip(
            DatasetFormat(format), actor=admin.name, with_context=bool(with_context)
        )
    except (SharingError, ValueError) as error:
        return back("/kbchat/admin/shared", str(error))
    disposition = f'attachment; filename="{name}"'
    return Response(
        data, media_type="application/zip", headers={"Content-Disposition": disposition}
    )
