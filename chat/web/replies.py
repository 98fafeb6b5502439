"""A question answered in the chat: checked, within the user's rate, streamed inert as the
model writes, then shown whole with its sources and its actions (Share, Answer again)."""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from dataclasses import asdict, dataclass

import chainlit as cl
from chainlit.utils import utc_now

from chat.access import searchable as searchable_collections
from chat.answering.answers import Answer, QuestionRejected, Token
from chat.answering.limits import LimitReached
from chat.answering.models import ModelUnavailable
from chat.web.acting import ui_locale
from chat.web.answer_view import InertStream, answer_markdown, shown_markdown
from chat.web.bridge import Waiting, iterate_in_thread
from chat.web.chat_settings import searched_now
from chat.web.services import services
from chat.web.sharing import DRAFT_KEY, offer_share, share_draft
from chat.web.texts import text
from chat.web.threads import name_from_question
from chat.web.turns import keep_question, remember, remembered
from knowledge import KnowledgeError
from personas import Persona
from serving import GenerationFailed, ServingError

ASKED_IN_KEY = "kbchat_asked_in"
"""The entry of an answer's stored metadata naming the message that asked it."""


@dataclass(frozen=True)
class _Turn:
    """One question being answered, with what its reply is shown in: kbchat's own words in
    the reader's language (the answer keeps the persona's), links only to allowed hosts."""

    question: str
    asked_in: str
    user: cl.User
    persona: Persona
    locale: str
    hosts: Collection[str]


async def ask(question: str, asked_in: str, user: cl.User, persona: Persona) -> None:
    """Answer a question, within the user's rate of questions; the first names the thread."""
    hosts = services().settings.allowed_link_hosts
    turn = _Turn(question, asked_in, user, persona, ui_locale(persona), hosts)
    try:  # the engine's own check, said here in the reader's language
        services().engine.check_question(question)
    except QuestionRejected as refused:
        notice = (
            text(turn.locale, "too_long", length=refused.length, limit=refused.limit)
            if refused.limit
            else text(turn.locale, "error", message=refused)
        )
        await cl.Message(notice).send()
        return
    try:
        services().limits.questions.take(user.identifier)
    except LimitReached as refused:
        notice = text(turn.locale, refused.kind, limit=refused.limit, wait=refused.wait_s)
        await cl.Message(notice).send()
        return
    await name_from_question(question)
    await _answer(turn)


async def _answer(turn: _Turn) -> None:
    """Stream the answer, then attach its citations and its actions."""
    locale = turn.locale
    # Stamped now: a reply that is only streamed and updated (stopped) is never sent, and
    # Chainlit stamps only what it sends; stored without a time, it sorted first in the
    # reopened thread and took the greeting's buttons with it.
    reply = cl.Message("", created_at=utc_now())
    # A sign of life at once: the model reads the pages before its first word (seconds on
    # a CPU); the first word replaces this line.
    # (plain text: a streaming message shows Markdown's asterisks as they are)
    await reply.stream_token(text(locale, "reading"))
    stream = InertStream(lambda model_text: shown_markdown(model_text, turn.hosts))
    try:
        done = await _streamed(turn, reply, stream)
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
    except ModelUnavailable as error:  # said as such: nothing answers in the model's place
        reply.content = _model_unavailable(turn, error)
        await reply.send()
        return
    except (QuestionRejected, ServingError, KnowledgeError) as error:
        reply.content = text(locale, "error", message=error)
        await reply.send()
        return
    await _show(turn, done, reply)


async def _streamed(turn: _Turn, reply: cl.Message, stream: InertStream) -> Answer:
    """Run the engine in a worker thread, showing its tokens (inert) and the queue ahead."""
    kb, engine = services().kb, services().engine
    existing = await asyncio.to_thread(kb.registry.collections)
    searchable = searchable_collections(turn.persona, turn.user.identifier, existing)
    collections = searched_now(searchable)
    history = remembered(until=turn.asked_in)
    events = iterate_in_thread(
        lambda cancel, on_queue: engine.stream(
            turn.question,
            persona=turn.persona,
            history=history,
            collections=collections,
            user_name=turn.user.identifier,
            cancel=cancel,
            on_queue=on_queue,
        )
    )
    done: Answer | None = None
    async for event in events:
        if isinstance(event, Waiting) and event.ahead and not stream.text:
            waiting = text(turn.locale, "waiting", ahead=event.ahead)
            await reply.stream_token(waiting, is_sequence=True)
        elif isinstance(event, Token):
            # The text so far, made inert: a half-streamed image must not load.
            await reply.stream_token(stream.add(event.text), is_sequence=True)
        elif isinstance(event, Answer):
            done = event
    assert done is not None, "the engine's stream ends with its Answer"
    return done


async def _show(turn: _Turn, done: Answer, reply: cl.Message) -> None:
    """The whole answer with its sources, Answer again, and Share when the pages cover it."""
    question, asked_in = turn.question, turn.asked_in
    reply.content = answer_markdown(done, turn.persona.locale, turn.hosts)
    again = cl.Action(name="answer_again", payload={"again": keep_question(question, asked_in)},
                      label=text(turn.locale, "answer_again"))  # fmt: skip
    reply.actions = [again]
    if done.covered:
        reply.actions = [offer_share(question, done, turn.persona, reply.id), again]
        reply.metadata = {DRAFT_KEY: asdict(share_draft(question, done)),
                          ASKED_IN_KEY: asked_in}  # fmt: skip
    await reply.send()
    remember(asked_in, question, done.text)


def _model_unavailable(turn: _Turn, error: ModelUnavailable) -> str:
    """Why the persona's model cannot answer, naming it, in the reader's language."""
    key = "model_unreachable" if error.configured else "model_missing"
    reason = shown_markdown(error.reason.rstrip("."), turn.hosts)
    return text(turn.locale, key, model=error.model, persona=turn.persona.id, reason=reason)


def _kept(stream: InertStream, notice: str) -> str:
    """What the model had written (made inert), then a notice saying why it ends there."""
    if not stream.text.strip():
        return f"> {notice}"
    return f"{stream.shown()}\n\n> {notice}"
