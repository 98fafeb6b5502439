"""A question answered in the chat: checked, within the user's rate, streamed inert as the
model writes, then shown whole with its sources and its actions (Share, Answer again)."""

from __future__ import annotations

import asyncio
from dataclasses import asdict

import chainlit as cl
from chainlit.utils import utc_now

from chat.answering.answers import Answer, QuestionRejected, Token
from chat.answering.limits import LimitReached
from chat.web.acting import ui_locale
from chat.web.answer_view import InertStream, answer_markdown, shown_markdown
from chat.web.bridge import Waiting, iterate_in_thread
from chat.web.chat_settings import searched_now
from chat.web.services import searchable_collections, services
from chat.web.sharing import DRAFT_KEY, offer_share, share_draft
from chat.web.texts import text
from chat.web.threads import name_from_question
from chat.web.turns import keep_question, remember, remembered
from knowledge import KnowledgeError
from personas import Persona
from serving import GenerationFailed, ServingError

ASKED_IN_KEY = "kbchat_asked_in"
"""The entry of an answer's stored metadata naming the message that asked it."""


async def ask(question: str, asked_in: str, user: cl.User, persona: Persona) -> None:
    """Answer a question, within the user's rate of questions; the first names the thread."""
    locale = ui_locale(persona)
    try:  # the engine's own check, said here in the reader's language
        services().engine.check_question(question)
    except QuestionRejected as refused:
        notice = (
            text(locale, "too_long", length=refused.length, limit=refused.limit)
            if refused.limit
            else text(locale, "error", message=refused)
        )
        await cl.Message(notice).send()
        return
    try:
        services().limits.questions.take(user.identifier)
    except LimitReached as refused:
        notice = text(locale, refused.kind, limit=refused.limit, wait=refused.wait_s)
        await cl.Message(notice).send()
        return
    await name_from_question(question)
    await answer(question, asked_in, user, persona)


async def answer(question: str, asked_in: str, user: cl.User, persona: Persona) -> None:
    """Stream the answer to the question asked in message ``asked_in``, then attach its
    citations and its actions."""
    locale = ui_locale(persona)
    # Stamped now: a reply that is only streamed and updated (stopped) is never sent, and
    # Chainlit stamps only what it sends; stored without a time, it sorted first in the
    # reopened thread and took the greeting's buttons with it.
    reply = cl.Message("", created_at=utc_now())
    # A sign of life at once: the model reads the pages before its first word (seconds on
    # a CPU); the first word replaces this line.
    # (plain text: a streaming message shows Markdown's asterisks as they are)
    await reply.stream_token(text(locale, "reading"))
    hosts = services().settings.allowed_link_hosts
    stream = InertStream(lambda model_text: shown_markdown(model_text, hosts))
    try:
        done = await _streamed(question, asked_in, user, persona, reply, stream)
    except asyncio.CancelledError:  # the Stop button: keep what was said, marked
        reply.content = _kept(stream, f"⏹ {text(locale, 'stopped')}")
        await reply.update()
        raise
    except GenerationFailed as error:
        # Keep what was said, marked so nobody takes it for a whole answer.
        notice = text(locale, "incomplete", message=str(error).rstrip("."))
        reply.content = _kept(stream, f"⚠️ {notice}")
        await reply.send()
        return
    except (QuestionRejected, ServingError, KnowledgeError) as error:
        reply.content = text(locale, "error", message=error)
        await reply.send()
        return
    await _show(done, question, asked_in, persona, reply)


async def _streamed(
    question: str,
    asked_in: str,
    user: cl.User,
    persona: Persona,
    reply: cl.Message,
    stream: InertStream,
) -> Answer:
    """Run the engine in a worker thread, showing its tokens (inert) and the queue ahead."""
    kb, engine = services().kb, services().engine
    existing = await asyncio.to_thread(kb.registry.collections)
    collections = searched_now(searchable_collections(persona, user.identifier, existing))
    history = remembered(until=asked_in)
    events = iterate_in_thread(
        lambda cancel, on_queue: engine.stream(
            question,
            persona=persona,
            history=history,
            collections=collections,
            user_name=user.identifier,
            cancel=cancel,
            on_queue=on_queue,
        )
    )
    done: Answer | None = None
    async for event in events:
        if isinstance(event, Waiting) and event.ahead and not stream.text:
            waiting = text(ui_locale(persona), "waiting", ahead=event.ahead)
            await reply.stream_token(waiting, is_sequence=True)
        elif isinstance(event, Token):
            # The text so far, made inert: a half-streamed image must not load.
            await reply.stream_token(stream.add(event.text), is_sequence=True)
        elif isinstance(event, Answer):
            done = event
    assert done is not None, "the engine's stream ends with its Answer"
    return done


async def _show(
    done: Answer, question: str, asked_in: str, persona: Persona, reply: cl.Message
) -> None:
    """The whole answer with its sources, Answer again, and Share when the pages cover it."""
    locale = ui_locale(persona)
    hosts = services().settings.allowed_link_hosts
    reply.content = answer_markdown(done, persona.locale, hosts)
    again = cl.Action(name="answer_again", payload={"again": keep_question(question, asked_in)},
                      label=text(locale, "answer_again"))  # fmt: skip
    reply.actions = [again]
    if done.covered:
        reply.actions = [offer_share(question, done, persona, reply.id), again]
        reply.metadata = {DRAFT_KEY: asdict(share_draft(question, done)),
                          ASKED_IN_KEY: asked_in}  # fmt: skip
    await reply.send()
    remember(asked_in, question, done.text)


def _kept(stream: InertStream, notice: str) -> str:
    """What the model had written (made inert), then a notice saying why it ends there."""
    if not stream.text.strip():
        return f"> {notice}"
    return f"{stream.add('')}\n\n> {notice}"
