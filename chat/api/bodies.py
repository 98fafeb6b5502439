"""What the API's requests carry: the content type each endpoint takes (anything else is
refused with 415 before the body is read). Uploaded files are kept on disk by
``chat.web.received``, which the admin pages share."""

from __future__ import annotations

from fastapi import Request

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


def check_kind(name: str, suffixes: tuple[str, ...], what: str, hint: str = "") -> None:
    """Refuse (415) a file whose ending is none of the kinds an endpoint reads."""
    if not name.lower().endswith(suffixes):
        raise ApiError(415, "unsupported_media_type",
                       f"{name}: {what} are {', '.join(suffixes)} files{hint}")  # fmt: skip


async def form_body(request: Request) -> None:
    """Refuse a body that is not a multipart form (415)."""
    if _content_type(request) != "multipart/form-data":
        raise ApiError(
            415,
            "unsupported_media_type",
            f"send a multipart/form-data upload, not {_content_type(request) or 'no content type'}",
        )
