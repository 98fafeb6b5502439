"""The Chainlit handlers: login, persona profiles, uploads, streamed cited answers, sharing.

Handlers stay short: they translate between Chainlit and the engine, knowledge base and
sharing services, and turn library errors into chat messages.
"""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path
from typing import Any

import chainlit as cl
from chainlit.auth import reuseable_oauth
from chainlit.types import ThreadDict
from fastapi import Request, Response

import chat.web.actions  # noqa: F401  (registers the chat's action callbacks)
from chat.web.acting import (
    current_persona,
    keep_ui_language,
    may_act,
    password_settled,
    ui_locale,
)
from chat.web.avatars import avatar_url
from chat.web.chat_settings import send_settings, store_settings
from chat.web.history import (
    HistoryDataLayer,
    async_url,
    step_metadata,
)
from chat.web.replies import ASKED_IN_KEY, ask
from chat.web.services import (
    inert,
    offered_stored,
    role_of,
    services,
)
from chat.web.sessions import LOGIN_ID, SESSION_KEY, login_digest, read_claims
from chat.web.sharing import DRAFT_KEY, offer_again
from chat.web.texts import joined, text
from chat.web.threads import name_new_thread
from chat.web.turns import (
    forget_from,
    kept_question,
    start_over,
)
from chat.web.uploads import ingest, refuse_unreadable
from knowledge import kind_of
from personas import Persona, substitute


@cl.data_layer
def history_layer() -> HistoryDataLayer:
    """Threads, messages, citations and feedback, in the app's database."""
    url = services().settings.resolved_database_url  # its tables made by then (open_database)
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
    stored = await asyncio.to_thread(offered_stored, role_of(user))
    offered, pictures = [s.persona for s in stored], {s.persona.id: s.avatar for s in stored}
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
            markdown_description=inert(persona.description),
            default=persona.id == default,
            icon=avatar_url(persona.id, pictures.get(persona.id, "")),
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
    greeting = inert(substitute(persona.greeting, user=user.identifier, char=persona.name))
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
    await ask(str(question), asked.id, user, persona)


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
    await ask(*kept, user, persona)


@cl.on_message
async def on_message(message: cl.Message) -> None:
    """Ingest attached documents (refusing, by name, files of kinds kbchat does not read),
    then answer the text (if any) with citations."""
    user: cl.User = cl.user_session.get("user")
    persona = await asyncio.to_thread(current_persona)
    if not await may_act(user, persona):
        return
    forget_from(message.id)  # an edited question: what followed it is gone
    question = message.content.strip()
    attached = [e for e in message.elements or [] if e.path]
    files = [e for e in attached if kind_of(e.name) is not None]
    if attached and not question:  # not an empty bubble: the files it brought
        locale = ui_locale(persona)
        names = joined((inert(f.name) for f in attached), locale)
        message.content = text(locale, "uploaded", names=names)
        await message.update()
    await refuse_unreadable([e.name for e in attached if e not in files], persona)
    for element in files:
        assert element.path is not None
        await ingest(Path(element.path), element.name, user, persona)
    if files:  # a first upload makes a collection: the settings offer it from now on
        await send_settings(user, persona)
    if question:
        await ask(question, message.id, user, persona)


@cl.on_settings_update
async def settings_changed(settings: dict[str, Any]) -> None:
    """Where uploads go and what questions search (checked where used)."""
    store_settings(settings)


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
