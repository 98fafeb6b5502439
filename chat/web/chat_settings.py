"""The chat settings (the gear by the input box): where uploads go, for users who may write
to more than their own collection, and which collections a question searches, for personas
that search more than one. Sent at the start of every chat, reopened ones too; what the
browser sends back is checked where it is used."""

from __future__ import annotations

import asyncio
from typing import Any

import chainlit as cl
from chainlit.input_widget import InputWidget, MultiSelect, Select

from chat.access import searchable as searchable_collections
from chat.web.acting import ui_locale
from chat.web.services import services, writable_collections
from chat.web.texts import text
from chat.web.uploads import UPLOAD_SETTING, where
from personas import Persona

SEARCH_SETTING = "search_collections"


async def send_settings(user: cl.User, persona: Persona) -> None:
    """The settings this user and persona have choices in (none: no gear)."""
    existing = await asyncio.to_thread(services().kb.registry.collections)
    locale = ui_locale(persona)
    widgets: list[InputWidget] = []
    targets = writable_collections(user, existing)
    if len(targets) > 1:
        chosen = cl.user_session.get(UPLOAD_SETTING)
        widgets.append(Select(
            id=UPLOAD_SETTING,
            label=text(locale, "upload_target"),
            items={where(c, locale): c for c in targets},
            initial_value=chosen if chosen in targets else targets[0],
            description=text(locale, "upload_target_help"),
        ))  # fmt: skip
    searched = searchable_collections(persona, user.identifier, existing)
    if len(searched) > 1:
        picked = [c for c in cl.user_session.get(SEARCH_SETTING) or [] if c in searched]
        widgets.append(MultiSelect(
            id=SEARCH_SETTING,
            label=text(locale, "search_in"),
            items={where(c, locale): c for c in searched},
            initial=picked or searched,
            description=text(locale, "search_in_help"),
        ))  # fmt: skip
    if widgets:
        await cl.ChatSettings(widgets).send()


def store_settings(settings: dict[str, Any]) -> None:
    """Keep what the user chose (checked against what they may use when it is used)."""
    cl.user_session.set(UPLOAD_SETTING, str(settings.get(UPLOAD_SETTING) or "").strip())
    picked = settings.get(SEARCH_SETTING)
    cl.user_session.set(
        SEARCH_SETTING, [str(c) for c in picked] if isinstance(picked, list) else []
    )


def searched_now(searchable: list[str]) -> list[str]:
    """The collections this question searches: those chosen among the ones it may search,
    all of them when none is chosen."""
    picked = [c for c in cl.user_session.get(SEARCH_SETTING) or [] if c in searchable]
    return picked or searchable
