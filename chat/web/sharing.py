"""Share this QA in the chat: consent first, then the record; listing and withdrawal."""

from __future__ import annotations

import asyncio
import re
import secrets
from dataclasses import replace
from typing import Any

import chainlit as cl

from chat.answering.answers import Answer
from chat.web.acting import ui_locale
from chat.web.history import feedback_rating, step_metadata
from chat.web.services import inert, services
from chat.web.texts import text
from personas import Persona
from sharing import QADraft, QAStatus, SharingError

DRAFT_KEY = "kbchat_share"
"""The entry of an answer's stored metadata that keeps its shareable draft, so that Share
is offered again under it when the thread is reopened."""


def offer_share(question: str, answer: Answer, persona: Persona, message_id: str) -> cl.Action:
    """The Share action under an answer; the draft stays on the server, keyed by a token."""
    return _offer(share_draft(question, answer), ui_locale(persona), message_id)


def share_draft(question: str, answer: Answer) -> QADraft:
    """What Share would store of an answer (before masking): its sources, never the pages
    only searched."""
    return QADraft(
        question=question,
        answer=answer.text,
        persona_id=answer.persona,
        persona_version=answer.persona_version,
        model=answer.model,
        citations=[
            {"file": c.file, "page": c.page, "doc_id": c.doc_id, "text": c.text}
            for c in answer.citations
        ],
        adapter=answer.adapter,
    )


async def offer_again(steps: list[Any], locale: str) -> None:
    """In a reopened thread, Share under each answer that had it (drafts kept in the
    answers' metadata; this session's own copies, so consent is asked again)."""
    for step in steps:
        kept = step_metadata(step).get(DRAFT_KEY)
        if step.get("type") == "assistant_message" and isinstance(kept, dict):
            try:
                draft = QADraft(**kept)
            except TypeError:  # a draft of an older release: not offered
                continue
            await _offer(draft, locale, str(step["id"])).send(for_id=str(step["id"]))


def _offer(draft: QADraft, locale: str, message_id: str) -> cl.Action:
    token = secrets.token_urlsafe(12)
    _messages()[token] = message_id
    _drafts()[token] = draft
    return cl.Action(name="share_qa", payload={"draft": token}, label=text(locale, "share"))


async def show_consent(action: cl.Action, persona: Persona) -> None:
    """Show the consent text and the pair as it would be stored, with Agree and Cancel."""
    token = str(action.payload.get("draft"))
    draft = _drafts().get(token)
    locale = ui_locale(persona)
    if draft is None:  # shared already, or the chat restarted (drafts live in the session)
        await _say_gone(token, locale)
        return
    preview = await asyncio.to_thread(services().sharing.service.preview, draft, locale)
    shown = text(
        locale,
        "preview",
        question=inert(preview.question),
        answer=inert(preview.answer),
    )
    # The consent's words as they are versioned and hashed; its title set as a small
    # heading, under a line naming the answer it is about (the dialog comes at the bottom).
    about = text(
        locale,
        "consent_for",
        answer=inert(" ".join(draft.question.split())[:60]),
    )
    consent_text = re.sub(r"^# ", "#### ", preview.consent.text, count=1)
    body = [f"*{about}*", consent_text, "---", shown]
    if preview.masked:
        kinds = ", ".join(f"{kind} × {count}" for kind, count in preview.masked.items())
        body.append(text(locale, "masked", kinds=kinds))
    consent = {"draft": token, "version": preview.consent.version, "sha256": preview.consent.sha256,
               "locale": preview.consent.locale}  # fmt: skip
    dialog = cl.Message(
        "\n\n".join(body),
        actions=[
            cl.Action(name="share_agree", payload=consent, label=text(locale, "agree")),
            cl.Action(name="share_cancel", payload={"draft": token}, label=text(locale, "cancel")),
        ],
    )
    await dialog.send()
    _dialogs()[token] = dialog


async def agree(action: cl.Action, user: cl.User, persona: Persona) -> None:
    """Record the consent to the exact text that was shown, and the scrubbed pair."""
    payload, locale = action.payload, ui_locale(persona)
    token = str(payload.get("draft"))
    draft = _drafts().pop(token, None)
    message_id = _messages().pop(token, None)
    await _close_dialog(token, action)
    if draft is None:  # shared already (a second click), or the chat restarted since
        await _say_gone(token, locale)
        return
    if message_id:  # the thumbs the user gave this answer become the dataset's KTO label
        engine = services().accounts.engine  # the app database, where the feedback is
        rating = await asyncio.to_thread(feedback_rating, engine, message_id, user.identifier)
        draft = replace(draft, rating=rating)
    try:
        qa = await asyncio.to_thread(
            services().sharing.service.share,
            draft,
            user_id=user.identifier,
            locale=str(payload["locale"]),
            consent_version=str(payload["version"]),
            consent_sha256=str(payload["sha256"]),
            method="web-button",
        )
    except SharingError as error:
        await cl.Message(text(locale, "error", message=error)).send()
        return
    _shared()[token] = qa.id or 0
    await cl.Message(text(locale, "shared", id=qa.id), actions=[_withdraw(qa.id, locale)]).send()


async def cancel(action: cl.Action, persona: Persona) -> None:
    """Nothing is stored; the draft stays, so the user can still share it later. Once the
    pair is shared, Cancel says so instead (Withdraw takes it back)."""
    token = str(action.payload.get("draft"))
    await _close_dialog(token, action)
    if token in _shared():
        await _say_gone(token, ui_locale(persona))
        return
    await cl.Message(text(ui_locale(persona), "not_shared")).send()


async def _close_dialog(token: str, action: cl.Action) -> None:
    """Take both buttons off the consent dialog: it has been answered."""
    dialog = _dialogs().pop(token, None)
    await (dialog.remove_actions() if dialog is not None else action.remove())


async def _say_gone(token: str, locale: str) -> None:
    """Why a draft cannot be shared (again): it was shared, or the chat restarted."""
    shared = _shared().get(token)
    said = text(locale, "already_shared", id=shared) if shared else text(locale, "draft_gone")
    await cl.Message(said).send()


def _kept(key: str) -> dict[str, Any]:
    """A dict kept in this chat session under ``key`` (made on first use)."""
    kept: dict[str, Any] = cl.user_session.get(key) or {}
    cl.user_session.set(key, kept)
    return kept


def _dialogs() -> dict[str, cl.Message]:
    return _kept("consent_dialogs")


def _shared() -> dict[str, int]:
    return _kept("shared_drafts")


def _messages() -> dict[str, str]:
    return _kept("draft_messages")


def _drafts() -> dict[str, QADraft]:
    return _kept("drafts")


def _withdraw(qa_id: int | None, locale: str) -> cl.Action:
    return cl.Action(
        name="withdraw_qa", payload={"qa_id": qa_id}, label=text(locale, "withdraw", id=qa_id)
    )


async def list_my_shares(user: cl.User, persona: Persona) -> None:
    """The user's shares that are not withdrawn, each with a Withdraw action."""
    locale = ui_locale(persona)
    mine = await asyncio.to_thread(services().sharing.store.list_qa, user_id=user.identifier)
    live = [qa for qa in mine if qa.status != "withdrawn"]
    if not live:
        await cl.Message(text(locale, "all_withdrawn" if mine else "no_shares")).send()
        return
    lines = [
        f"- #{qa.id} ({text(locale, f'status_{qa.status}')}) "
        f"{inert(' '.join(qa.question.split())[:80])}"
        for qa in live
    ]
    actions = [_withdraw(qa.id, locale) for qa in live]
    await cl.Message(
        f"**{text(locale, 'my_shares')}**\n\n" + "\n".join(lines), actions=actions
    ).send()


async def withdraw(action: cl.Action, qa_id: int, user: cl.User, persona: Persona) -> None:
    """Withdraw a share; only its sharer can (the service checks). Its button goes, and a
    second Withdraw of the same pair (from another list) says it was withdrawn already."""
    sharing = services().sharing
    try:
        before = await asyncio.to_thread(sharing.store.get, qa_id)
        await asyncio.to_thread(sharing.service.withdraw, qa_id, user_id=user.identifier)
    except SharingError as error:
        await cl.Message(text(ui_locale(persona), "error", message=error)).send()
        return
    await action.remove()
    key = "already_withdrawn" if before.status == QAStatus.WITHDRAWN else "withdrawn"
    await cl.Message(text(ui_locale(persona), key, id=qa_id)).send()
