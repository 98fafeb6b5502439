"""Documents as users read them, behind the login: the cited page in kbchat's own viewer
(the page drawn by PDFium, its text selectable, the passages the answer rests on marked),
or the cited section of a document without pages (its paragraphs and tables as escaped
text, the passages marked); the stored original, and a cited chunk's text. Each answers 404
alike for a document that does not exist and for one the user may not read."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Annotated

from chainlit.auth import get_current_user
from chainlit.user import User
from fastapi import Depends, HTTPException, Query
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from chat.access import may_read
from chat.answering.places import place_label
from chat.web.section_view import shown_section
from chat.web.services import PASSWORD_FIRST, inert, password_pending, role_of, services
from knowledge import Document, PageImageError, Place, Section, page_layout, render_page

CurrentUser = Annotated[User | None, Depends(get_current_user)]
MAX_MARKS, MAX_MARK_CHARS = 8, 600
"""At most this many passages, each cut to this many characters, are looked for on a page."""
FIRST_SCREEN = 0.3
"""The share of a page's height seen at once in the viewer, below its quoted passages."""
_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)


def settled(user: User | None) -> User:
    """The user, when logged in and their password needs no change first (else 401/403)."""
    if user is None:  # only when login is off, which kbchat never configures
        raise HTTPException(status_code=401, detail="log in first")
    if password_pending(user):
        raise HTTPException(status_code=403, detail=PASSWORD_FIRST)
    return user


async def readable(doc_id: str, user: User | None) -> Document:
    """The document, if this user may read it; 404 otherwise (its existence not leaked)."""
    current = settled(user)
    registry = services().kb.registry
    found = await asyncio.to_thread(registry.get, doc_id)
    if found is None:  # moved to another collection since it was cited: its new place
        found = await asyncio.to_thread(registry.moved_to, doc_id)
    if found is None or not may_read(found, current.identifier, role_of(current)):
        raise HTTPException(status_code=404, detail="no such document")
    return found


# Office files get their own type; every other original (HTML, Markdown, text, CSV) is bytes
# to save: an uploaded HTML page must never run as this site's page (stored XSS).
_DOWNLOAD_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_FILE_NAME_UNSAFE = re.compile(r"[^\w .\-]")


def download_name(document: Document) -> str:
    """A safe name to save an original as: the uploaded name's characters that no path,
    quote or header syntax is made of, and the ending of its kind."""
    stem = _FILE_NAME_UNSAFE.sub("-", Path(document.filename).stem).strip(" .")[:120]
    return f"{stem or document.doc_id[:12]}.{document.kind}"


async def document(doc_id: str, user: CurrentUser) -> FileResponse:
    """The stored original of a document the user may read: a PDF shown inline, any other
    kind only as a download (``attachment``, never sniffed as a page)."""
    found = await readable(doc_id, user)
    path = services().kb.files.path(found.doc_id, found.kind)
    pdf = found.kind == "pdf"  # the browser's own PDF viewer shows it; saved, it keeps its name
    return FileResponse(
        path,
        media_type="application/pdf" if pdf else _DOWNLOAD_TYPES.get(found.kind,
                                                                      "application/octet-stream"),
        filename=download_name(found),
        content_disposition_type="inline" if pdf else "attachment",
        headers={"X-Content-Type-Options": "nosniff"},
    )  # fmt: skip


async def snippet(chunk_id: str, user: CurrentUser) -> PlainTextResponse:
    """The text of a cited chunk, for users who may read its document; 404 otherwise."""
    current = settled(user)
    found = await asyncio.to_thread(services().kb.registry.chunks_with_documents, [chunk_id])
    if chunk_id not in found or not may_read(found[chunk_id][1], current.identifier,
                                             role_of(current)):  # fmt: skip
        raise HTTPException(status_code=404, detail="no such snippet")
    # Shown as Markdown by some clients: make the document's text inert first.
    return PlainTextResponse(inert(found[chunk_id][0].text))


async def page_image(doc_id: str, page: int, user: CurrentUser) -> Response:
    """One page of a readable PDF, drawn as a PNG (the viewer's picture); 404 for any other
    kind of document, which has no pages to draw."""
    found = await readable(doc_id, user)
    if found.kind != "pdf":
        raise HTTPException(status_code=404, detail="no such page")
    try:
        png = await asyncio.to_thread(
            render_page, services().kb.files.path(found.doc_id, found.kind), page
        )
    except PageImageError as error:
        raise HTTPException(status_code=404, detail=str(error)) from None
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


async def page_view(
    doc_id: str,
    page: int,
    user: CurrentUser,
    mark: Annotated[list[str] | None, Query()] = None,
) -> HTMLResponse:
    """The viewer: one page at the width of the window, its text selectable and searchable,
    the passages given in ``mark`` (the evidence of an answer) marked and quoted above it;
    for a document without pages, its section ``page`` (``section_view``)."""
    found = await readable(doc_id, user)
    passages = [" ".join(m.split())[:MAX_MARK_CHARS] for m in (mark or [])[:MAX_MARKS]]
    passages = [p for p in passages if p]
    if found.kind != "pdf":
        return HTMLResponse(await asyncio.to_thread(section_page, found, page, passages))
    path = services().kb.files.path(found.doc_id, found.kind)
    try:
        shape = await asyncio.to_thread(page_layout, path, page, passages)
    except PageImageError as error:
        raise HTTPException(status_code=404, detail=str(error)) from None
    page_html = _templates.get_template("viewer.html").render(
        doc=found,
        page=page,
        shape=shape,
        aspect=shape.height_pt / shape.width_pt,
        passages=passages,
        found_marks=bool(shape.marks),
        # The link opens at #evidence: the quoted passages, or the first mark when it lies
        # below the first screen of the page.
        mark_far_down=bool(shape.marks) and shape.marks[0][1] > FIRST_SCREEN,
    )
    return HTMLResponse(page_html)


def section_page(found: Document, number: int, passages: list[str]) -> str:
    """The viewer's page of section ``number`` of a document without pages; 404 when it
    has no such section."""
    section = services().kb.section(found.doc_id, number) if 1 <= number <= found.pages else None
    if section is None:
        raise HTTPException(status_code=404, detail="no such section")
    return render_section(found, number, section, passages)


def render_section(found: Document, number: int, section: Section, passages: list[str]) -> str:
    """A section as the viewer shows it: its heading path and range, its blocks escaped
    (the template's autoescape: a document's own HTML is text here), the passages marked."""
    bare = Place(section.place.unit, section.place.first, section.place.last)
    return _templates.get_template("section.html").render(
        doc=found,
        number=number,
        heading=section.place.heading,
        where_zh=place_label(number, section.place, "zh-TW"),
        range_zh=place_label(number, bare, "zh-TW"),
        range_en=place_label(number, bare, "en"),
        passages=passages,
        shown=shown_section(section, passages),
    )
