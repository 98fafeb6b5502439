"""Uploads in the chat: where they go (a choice among the collections the user may write to,
said in the outcome), their progress, and "My documents" (a user's own uploads, each with
Remove)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import chainlit as cl
from chainlit.data import get_data_layer
from chainlit.utils import utc_now

from chat.access import PRIVATE_PREFIX, private_collection
from chat.answering.limits import LimitReached
from chat.web.acting import ui_locale
from chat.web.ingest_reasons import ingest_reason
from chat.web.services import inert, services, writable_collections
from chat.web.texts import text
from knowledge import IngestError, KnowledgeError, kind_of
from personas import Persona

UPLOAD_SETTING = "upload_collection"


def count_parts(count: int, kind: str | None, locale: str) -> str:
    """How much of a document there is: a PDF's pages, another document's sections."""
    return text(locale, "pages" if kind == "pdf" else "sections", count=count)


def where(collection: str, locale: str) -> str:
    """A collection as its users know it: private, or the organization's, by name."""
    if collection.startswith(PRIVATE_PREFIX):
        return text(locale, "to_private")
    return text(locale, "to_shared", name=collection)


def chosen_collection(user: cl.User) -> str:
    """Where this user's upload goes: the chosen collection if they may write to it (the
    browser sends the choice: checked), else their private one."""
    chosen = str(cl.user_session.get(UPLOAD_SETTING) or "")
    existing = services().kb.registry.collections()
    if chosen in writable_collections(user, existing):
        return chosen
    return private_collection(user.identifier)


async def refuse_unreadable(names: list[str], persona: Persona) -> None:
    """Say, naming each, that attached files of kinds kbchat does not read are left out, and
    which kinds it reads."""
    locale = ui_locale(persona)
    for name in names:
        await cl.Message(f"⚠️ {text(locale, 'not_readable', name=inert(name))}").send()


async def ingest(path: Path, filename: str, user: cl.User, persona: Persona) -> None:
    """Add an uploaded document to the chosen collection; one message shows its progress
    (pages or sections read, then passages indexed), then the outcome and where the
    document went."""
    locale, name = (
        ui_locale(persona),
        inert(filename),
    )  # a file name from the user: inert
    notice = cl.Message(f"{text(locale, 'ingesting', name=name)}…", created_at=utc_now())
    if (layer := get_data_layer()) is not None:
        # Stored before it is shown: Chainlit stores a sent message in a task of its own, and
        # a file refused at once had its outcome overtaken by that first store, so the thread
        # kept "importing…" for good.
        await layer.create_step(notice.to_dict())
        notice.persisted = True
    await notice.send()
    report = _IngestProgress(notice, name, locale, kind_of(filename))
    collection = await asyncio.to_thread(chosen_collection, user)
    try:
        result = await asyncio.to_thread(
            services().ingest_upload, path, filename=filename, collection=collection,
            uploader=user.identifier, progress=report,
        )  # fmt: skip
    except (KnowledgeError, LimitReached) as error:
        if isinstance(error, LimitReached):
            said = text(locale, error.kind, limit=error.limit, name=name)
        else:  # name the file as the user knows it, not Chainlit's temporary copy
            reason = ingest_reason(error.reason, locale) if isinstance(error, IngestError) else ""
            colon = "：" if locale.startswith("zh") else ": "
            said = f"{name}{colon}{reason}" if reason else str(error)
        await report.finish(f"⚠️ {said}")
        return
    key = "ingested" if result.status == "added" else "already"
    place = where(result.collection, locale)
    parts = count_parts(result.pages, kind_of(filename), locale)
    await report.finish(text(locale, key, name=name, parts=parts, where=place))


def progress_line(
    locale: str, name: str, stage: str, done: int, total: int, parts: str, kind: str | None
) -> str:
    """The upload notice's text at one step of ingestion (``parts``: what was read, said as
    "12 pages" or "3 sections"; ``kind``: the document's)."""
    if stage == "read":
        key = "ingest_page" if kind == "pdf" else "ingest_reading"
    else:
        key = {"ocr": "ingest_ocr_page", "parse": "ingest_read"}.get(stage, "ingest_embed")
    return text(locale, key, name=name, parts=parts, done=done, total=total)


class _IngestProgress:
    """Ingestion's progress callback (called from its worker thread), shown in the upload's
    notice at most a few times a second, and never after the outcome."""

    def __init__(self, notice: cl.Message, name: str, locale: str, kind: str | None) -> None:
        self.notice, self.name, self.locale, self.kind = notice, name, locale, kind
        self.loop = asyncio.get_running_loop()
        self.parts, self.shown_at, self.finished = "", 0.0, False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage == "parse":
            self.parts = count_parts(total, self.kind, self.locale)
        line = progress_line(self.locale, self.name, stage, done, total, self.parts, self.kind)
        now = time.monotonic()
        if now - self.shown_at >= 0.3 or done >= total:
            self.shown_at = now
            asyncio.run_coroutine_threadsafe(self._show(line), self.loop)

    async def _show(self, line: str) -> None:
        # Progress is for the page only. Chainlit stores each update in a task of its own,
        # in no set order: a progress line stored after the outcome stayed in the reopened
        # thread ("indexing passage 35/35…" for a document long imported).
        if not self.finished:
            self.notice.content = line
            await cl.context.emitter.update_step(self.notice.to_dict())

    async def finish(self, outcome: str) -> None:
        """Replace the progress with the outcome, on the page and, awaited, in the thread."""
        self.finished = True
        self.notice.content = outcome
        step = self.notice.to_dict()
        await cl.context.emitter.update_step(step)
        if (layer := get_data_layer()) is not None:
            await layer.update_step(step)


async def list_my_documents(user: cl.User, persona: Persona) -> None:
    """The user's own uploads (their private collection), newest first, each with Remove."""
    locale = ui_locale(persona)
    mine = await asyncio.to_thread(services().kb.documents, private_collection(user.identifier))
    if not mine:
        await cl.Message(text(locale, "no_documents")).send()
        return
    lines = [
        f"- {inert(d.filename)} · {count_parts(d.pages, d.kind, locale)} · {d.created_at:%Y-%m-%d}"
        for d in mine
    ]
    actions = [
        cl.Action(
            name="remove_document",
            payload={"doc_id": d.doc_id},
            label=text(locale, "remove_document", name=d.filename[:40]),
        )
        for d in mine
    ]
    body = f"**{text(locale, 'my_documents')}**\n\n"
    await cl.Message(body + "\n".join(lines), actions=actions).send()


async def remove_my_document(
    action: cl.Action, doc_id: str, user: cl.User, persona: Persona
) -> None:
    """Remove one of the user's own uploads (the id comes from the browser: it must be a
    document of their private collection, else nothing is removed)."""
    locale, kb = ui_locale(persona), services().kb
    mine = await asyncio.to_thread(kb.documents, private_collection(user.identifier))
    document = next((d for d in mine if d.doc_id == doc_id), None)
    if document is None:
        await cl.Message(text(locale, "not_your_document")).send()
        return
    try:
        await asyncio.to_thread(kb.remove, document.doc_id)
    except KnowledgeError as error:
        await cl.Message(text(locale, "error", message=error)).send()
        return
    await action.remove()
    removed = text(
        locale,
        "document_removed",
        name=inert(document.filename),
    )
    await cl.Message(removed).send()
