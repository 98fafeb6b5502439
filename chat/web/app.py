"""The Chainlit handlers: login, persona profiles, uploads, streamed cited answers, sharing.

Handlers stay short: they translate between Chainlit and the engine, knowledge base and
sharing services, and turn library errors into chat messages.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import asdict
from pathlib import Path
from typing import Any

import chainlit as cl
from chainlit.auth import reuseable_oauth
from chainlit.server import app as chainlit_app
from chainlit.types import ThreadDict
from chainlit.utils import utc_now
from fastapi import Request, Response

import chat.web.actions  # noqa: F401  (registers the chat's action callbacks)
from chat.answering.engine import Answer, QuestionRejected, Token
from chat.answering.limits import LimitReached
from chat.web.acting import (
    current_persona,
    keep_ui_language,
    may_act,
    password_settled,
    ui_locale,
)
from chat.web.answer_view import answer_markdown, shown_markdown
from chat.web.bridge import Waiting, iterate_in_thread
from chat.web.chat_settings import searched_now, send_settings, store_settings
from chat.web.history import (
    HistoryDataLayer,
    async_url,
    create_history_tables,
    step_metadata,
)
from chat.web.routes import install_routes
from chat.web.services import (
    offered_personas,
    role_of,
    searchable_collections,
    services,
)
from chat.web.sessions import LOGIN_ID, SESSION_KEY, login_digest, read_claims
from chat.web.sharing import DRAFT_KEY, offer_again, offer_share, share_draft
from chat.web.stop import install_stop
from chat.web.texts import joined, text
from chat.web.threads import install_thread_naming, name_from_question, name_new_thread
from chat.web.turns import (
    forget_from,
    keep_question,
    kept_question,
    remember,
    remembered,
    start_over,
)
from chat.web.uploads import ingest
from knowledge import KnowledgeError, make_engine
from personas.render import substitute
from personas.schema import Persona
from serving.errors import GenerationFailed, ServingError

ASKED_IN_KEY = "kbchat_asked_in"
"""The entry of an answer's stored metadata naming the message that asked it."""

install_routes(chainlit_app)
install_thread_naming(
    {
        "my_documents": "我的文件 My documents",
        "my_shares": "我分享的問答 My shared QA",
        "export_chat": "匯出 Export",
        "starter": "…",  # renamed at once after the starter's question
    }
)
install_stop()


@cl.data_layer
def history_layer() -> HistoryDataLayer:
    """Threads, messages, citations and feedback, in the app's database."""
    url = services().settings.resolved_database_url
    create_history_tables(make_engine(url))
    return HistoryDataLayer(conninfo=async_url(url))


@cl.on_chat_resume
async def resume(thread: ThreadDict) -> None:
    """Pick up a past thread: its questions and answers become the history the model sees
    again, and the greeting's actions and each answer's Share come back."""
    turns = []
    for step in thread.get("steps", []):
        kept = step_metadata(step).get(DRAFT_KEY)
        if step.get("type") == "assistant_message" and isinstance(kept, dict):
            asked_in = str(step_metadata(step).get(ASKED_IN_KEY, step.get("parentId") or ""))
            turns.append({"id": asked_in, "user": kept.get("question", ""),
                          "assistant": kept.get("answer", "")})  # fmt: skip
    start_over(turns)
    user: cl.User = cl.user_session.get("user")
    await keep_ui_language(user)
    persona = await asyncio.to_thread(current_persona)
    await send_settings(user, persona)
    steps = list(thread.get("steps", []))
    greeting = next((s for s in steps if s.get("type") == "assistant_message"), None)
    if greeting is not None:  # the greeting's actions, as in a new chat
        for action in greeting_actions(ui_locale(persona)):
            await action.send(for_id=str(greeting["id"]))
    await offer_again(steps, ui_locale(persona))


@cl.password_auth_callback
async def login(username: str, password: str) -> cl.User | None:
    """Check the password against the users table."""
    user = await asyncio.to_thread(services().accounts.verify, username, password)
    if user is None:
        return None
    # A fresh login id makes every token unique, so logging out ends this one and no other.
    # The token names the account's session key (a new password, disabling or a new account
    # under this name ends it) and a fresh login id, so logging out ends this login and no
    # other. Its role is read from the account on every request (chat/web/sessions.py).
    metadata = {SESSION_KEY: user.session_key, LOGIN_ID: secrets.token_hex(16)}
    return cl.User(identifier=user.username, display_name=user.username, metadata=metadata)


@cl.on_logout
async def logout(request: Request, response: Response) -> dict[str, bool]:
    """End this login for good: Chainlit alone would only clear the cookie. The token is
    read as Chainlit reads it to log in (the cookie, else the first Authorization header)."""
    token = await reuseable_oauth(request)
    claims = read_claims(token) if token else None
    if claims and "identifier" in claims:
        await asyncio.to_thread(
            services().accounts.revoke_token,
            login_digest(claims),
            str(claims["identifier"]),
            int(claims.get("exp", 0)),
        )
    return {"success": True}


# The persona list, grouped: staff's document personas first, then the clinicians' and the
# patients', then the personas for plain chat (a film critic is no place to look for a
# hospital rule); within a group, Chinese before English.
_GROUPS = {
    "documents": (0, "文件庫 Documents"),
    "clinician": (1, "臨床 Clinical"),
    "patient": (2, "病人用 Patients"),
    "chat": (3, "一般對話 General chat"),
}


def persona_group(persona: Persona) -> tuple[int, str]:
    """The place and label of a persona's group in the list."""
    if persona.audience in ("clinician", "patient"):
        return _GROUPS[persona.audience]
    return _GROUPS["documents" if persona.searches_knowledge else "chat"]


@cl.set_chat_profiles
async def profiles(user: cl.User | None, language: str | None = None) -> list[cl.ChatProfile]:
    """The personas this user's role is offered, grouped (documents, clinical, patients,
    plain chat) and by language, labelled so, each with its starters; the one they last
    chatted with comes up first in a new chat (and after a reload)."""
    offered = await asyncio.to_thread(offered_personas, role_of(user))
    personas = sorted(
        offered, key=lambda p: (persona_group(p)[0], not p.locale.startswith("zh"), p.name)
    )
    account = await asyncio.to_thread(services().accounts.get, user.identifier) if user else None
    last = account.last_persona if account else ""
    fallback = offered[0].id if offered else ""  # the site's default persona comes first
    default = last if any(p.id == last for p in personas) else fallback
    return [
        cl.ChatProfile(
            name=persona.id,
            display_name=f"{persona.name} · {persona_group(persona)[1]}",
            # A persona may come from a downloaded card: its texts are shown inert, as answers.
            markdown_description=shown_markdown(persona.description),
            default=persona.id == default,
            # (a starter's label is plain text to the page, which escapes it itself)
            starters=[cl.Starter(label=s, message=s) for s in persona.starters] or None,
        )
        for persona in personas
    ]


@cl.on_chat_start
async def start() -> None:
    """Greet in the persona's words; a new admin must first change the generated password."""
    user: cl.User = cl.user_session.get("user")
    persona = await asyncio.to_thread(current_persona)
    start_over()
    await keep_ui_language(user)
    if not await password_settled(user, persona):
        return
    await asyncio.to_thread(services().accounts.remember_persona, user.identifier, persona.id)
    await send_settings(user, persona)
    greeting = shown_markdown(substitute(persona.greeting, user=user.identifier, char=persona.name))
    starters = [  # the greeting hides Chainlit's own starter cards: offer them here
        cl.Action(name="starter", payload={"text": s}, label=s) for s in persona.starters
    ]
    await cl.Message(greeting, actions=[*starters, *greeting_actions(ui_locale(persona))]).send()


@cl.action_callback("starter")
async def starter(action: cl.Action) -> None:
    """Ask one of the persona's starter questions as if typed (the payload comes from the
    browser: only the persona's own starters are asked)."""
    question = action.payload.get("text") if isinstance(action.payload, dict) else None
    name_new_thread(str(question or ""))  # before the first await (see threads.py)
    user: cl.User = cl.user_session.get("user")
    persona = await asyncio.to_thread(current_persona)
    if question not in persona.starters or not await may_act(user, persona):
        return
    asked = cl.Message(str(question), author=user.identifier, type="user_message")
    await asked.send()
    await _ask(str(question), asked.id, user, persona)


@cl.action_callback("answer_again")
async def answer_again(action: cl.Action) -> None:
    """Answer a question again (a new answer under the old one; the model forgets the old)."""
    token = action.payload.get("again") if isinstance(action.payload, dict) else None
    kept = kept_question(str(token))
    user: cl.User = cl.user_session.get("user")
    persona = await asyncio.to_thread(current_persona)
    if not await may_act(user, persona):
        return
    if kept is None:  # the chat restarted since the answer
        await cl.Message(text(ui_locale(persona), "draft_gone")).send()
        return
    await _ask(*kept, user, persona)


@cl.on_message
async def on_message(message: cl.Message) -> None:
    """Ingest attached PDFs, then answer the text (if any) with citations."""
    user: cl.User = cl.user_session.get("user")
    persona = await asyncio.to_thread(current_persona)
    if not await may_act(user, persona):
        return
    forget_from(message.id)  # an edited question: what followed it is gone
    question = message.content.strip()
    files = [e for e in message.elements or [] if e.path and e.name.lower().endswith(".pdf")]
    if files and not question:  # not an empty bubble: the files it brought
        locale = ui_locale(persona)
        names = joined((f.name for f in files), locale)
        message.content = text(locale, "uploaded", names=names)
        await message.update()
    for element in files:
        assert element.path is not None
        await ingest(Path(element.path), element.name, user, persona)
    if files:  # a first upload makes a collection: the settings offer it from now on
        await send_settings(user, persona)
    if question:
        await _ask(question, message.id, user, persona)


async def _ask(question: str, asked_in: str, user: cl.User, persona: Persona) -> None:
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
    await _answer(question, asked_in, user, persona)


@cl.on_settings_update
async def settings_changed(settings: dict[str, Any]) -> None:
    """Where uploads go and what questions search (checked where used)."""
    store_settings(settings)


async def _answer(question: str, asked_in: str, user: cl.User, persona: Persona) -> None:
    """Stream the answer to the question asked in message ``asked_in``, then attach its
    citations and its actions (Share, Answer again)."""
    kb, engine = services().kb, services().engine
    existing = await asyncio.to_thread(kb.registry.collections)
    collections = searched_now(searchable_collections(persona, user.identifier, existing))
    history = remembered(until=asked_in)
    locale = ui_locale(persona)  # kbchat's own words; the answer keeps the persona's
    # Stamped now: a reply that is only streamed and updated (stopped) is never sent, and
    # Chainlit stamps only what it sends; stored without a time, it sorted first in the
    # reopened thread and took the greeting's buttons with it.
    reply = cl.Message("", created_at=utc_now())
    # A sign of life at once: the model reads the pages before its first word (seconds on
    # a CPU); the first word replaces this line.
    # (plain text: a streaming message shows Markdown's asterisks as they are)
    await reply.stream_token(text(locale, "reading"))
    streamed = ""
    answer: Answer | None = None
    try:
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
        async for event in events:
            if isinstance(event, Waiting) and event.ahead and not streamed:
                waiting = text(locale, "waiting", ahead=event.ahead)
                await reply.stream_token(waiting, is_sequence=True)
            elif isinstance(event, Token):
                # The whole text so far, made inert: a half-streamed image must not load.
                streamed += event.text
                await reply.stream_token(shown_markdown(streamed), is_sequence=True)
            elif isinstance(event, Answer):
                answer = event
    except asyncio.CancelledError:  # the Stop button: keep what was said, marked
        reply.content = _kept(streamed, f"⏹ {text(locale, 'stopped')}")
        await reply.update()
        raise
    except GenerationFailed as error:
        # Keep what was said, marked so nobody takes it for a whole answer.
        notice = text(locale, "incomplete", message=str(error).rstrip("."))
        reply.content = _kept(streamed, f"⚠️ {notice}")
        await reply.send()
        return
    except (QuestionRejected, ServingError, KnowledgeError) as error:
        reply.content = text(locale, "error", message=error)
        await reply.send()
        return
    assert answer is not None
    reply.content = answer_markdown(answer, persona.locale)
    again = cl.Action(name="answer_again", payload={"again": keep_question(question, asked_in)},
                      label=text(locale, "answer_again"))  # fmt: skip
    reply.actions = [again]
    if answer.covered:
        reply.actions = [offer_share(question, answer, persona, reply.id), again]
        reply.metadata = {DRAFT_KEY: asdict(share_draft(question, answer)),
                          ASKED_IN_KEY: asked_in}  # fmt: skip
    await reply.send()
    remember(asked_in, question, answer.text)


def _kept(streamed: str, notice: str) -> str:
    """What the model had written (made inert), then a notice saying why it ends there."""
    return f"{shown_markdown(streamed)}\n\n> {notice}" if streamed.strip() else f"> {notice}"


def greeting_actions(locale: str) -> list[cl.Action]:
    """The actions under a persona's greeting: My documents, My shared QA, Export."""
    return [
        cl.Action(name="my_documents", payload={}, label=text(locale, "my_documents")),
        cl.Action(name="my_shares", payload={}, label=text(locale, "my_shares")),
        cl.Action(name="export_chat", payload={}, label=text(locale, "export_chat")),
    ]


@cl.action_callback("export_chat")
async def export(action: cl.Action) -> None:
    """A link to download this chat as Markdown (only its owner can)."""
    persona = await asyncio.to_thread(current_persona)
    thread_id = cl.context.session.thread_id
    link = f"/kbchat/threads/{thread_id}/export"
    await cl.Message(text(ui_locale(persona), "exported", link=link)).send()
