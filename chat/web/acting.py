"""Who is acting in a chat session, and whether they may: the session's persona, a login
that has not ended, and a password that no longer needs changing."""

from __future__ import annotations

import asyncio

import chainlit as cl

from chat.web.services import offered_personas, role_of, services
from chat.web.sessions import why_ended
from chat.web.texts import text
from personas import Persona


def current_persona() -> Persona:
    """The persona picked for this chat, if this user's role is offered it; else the first."""
    chosen = cl.user_session.get("chat_profile") or services().settings.default_persona
    allowed = {p.id: p for p in offered_personas(role_of(cl.user_session.get("user")))}
    return allowed.get(chosen) or next(iter(allowed.values()))


_UI_LANGUAGE = "ui_language"


async def keep_ui_language(user: cl.User) -> None:
    """Read, once a chat starts, the language the user chose for kbchat's own words."""
    account = await asyncio.to_thread(services().accounts.get, user.identifier)
    cl.user_session.set(_UI_LANGUAGE, account.ui_language if account else "")


def ui_locale(persona: Persona) -> str:
    """The language of kbchat's own words in this chat (buttons, notices, progress): the
    one the user chose on the language page, else the persona's. The persona itself, and
    its answers, keep the persona's language."""
    return str(cl.user_session.get(_UI_LANGUAGE) or persona.locale)


async def may_act(user: cl.User, persona: Persona) -> bool:
    """False, with the reason shown, when this session has ended (logout elsewhere, user
    disabled or removed) or the user must first change the generated password."""
    ended = await asyncio.to_thread(
        why_ended, cl.context.session.token, services().accounts.check_session
    )
    if ended:
        await cl.Message(text(ui_locale(persona), "session_ended", reason=ended)).send()
        return False
    return await password_settled(user, persona)


async def password_settled(user: cl.User, persona: Persona) -> bool:
    """False (and a link to the password page) while the user must still change it."""
    if not (user.metadata or {}).get("must_change_password"):
        return True
    account = await asyncio.to_thread(services().accounts.get, user.identifier)
    if account is not None and not account.must_change_password:
        user.metadata = {**(user.metadata or {}), "must_change_password": False}
        return True
    await cl.Message(text(ui_locale(persona), "change_password")).send()
    return False


async def actor() -> tuple[cl.User, Persona] | None:
    """The user and persona of an action, or None (the reason shown) when they may not act."""
    user: cl.User = cl.user_session.get("user")
    persona = await asyncio.to_thread(current_persona)
    return (user, persona) if await may_act(user, persona) else None
