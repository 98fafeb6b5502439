"""What the API's requests carry: the content type each endpoint takes (anything else is
refused with 415 before the body is read), and the uploaded files, kept in a private temporary
folder for the length of the request."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Request, UploadFile

from chat.api.errors import ApiError


def _content_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def json_body(request: Request) -> None:
    """Refuse a body that is not JSON (415)."""
    if _content_type(request) != "application/json":
        raise ApiError(
            415,
            "unsupported_media_type",
            f"send JSON (Content-Type: application/json), not "
            f"{_content_type(request) or 'no content type'}",
        )


async def form_body(request: Request) -> None:
    """Refuse a body that is not a multipart form (415)."""
    if _content_type(request) != "multipart/form-data":
        raise ApiError(
            415,
            "unsupported_media_type",
            f"send a multipart/form-data upload, not {_content_type(request) or 'no content type'}",
        )


@asynccontextmanager
async def saved(files: list[UploadFile]) -> AsyncIterator[list[tuple[Path, str]]]:
    """The uploaded files on disk, each with the name it was sent under (only its last part:
    a name such as ``../../x`` names nothing outside the folder); removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="kbchat-api-"))
    try:
        kept = []
        for number, upload in enumerate(files):
            name = Path(upload.filename or "").name
            name = name if name not in ("", ".", "..") else "upload"
            path = folder / str(number) / name
            path.parent.mkdir()
            with path.open("wb") as out:
                await _copy(upload, out)
            kept.append((path, name))
        yield kept
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def _copy(upload: UploadFile, out: object) -> None:
    while chunk := await upload.read(1024 * 1024):
        out.write(chunk)  # type: ignore[attr-defined]
