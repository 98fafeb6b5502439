"""Chat threads named as users expect: a chat that begins with an upload is named after its
files, one that begins with a button (My documents, a starter) after the button, until its
first question names it; the thread list shows it at once.

Chainlit names a thread after the text of its first message and tells the page about it
with a ``first_interaction`` event. A first message that is only an upload has no text:
the thread stayed 「未命名對話」, the thread list did not refresh, and the page, taking the
empty name for "no interaction yet", kept the thumbs under every answer disabled. A first
click on a button named the thread after the action's code name ("my_shares").
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import chainlit as cl
from chainlit.data import get_data_layer

_PROVISIONAL = "thread_name_provisional"
_NEXT_NAME = "thread_name_next"
_MAX_NAME = 80


def upload_name(file_names: list[str]) -> str:
    """The name of a thread whose first message only uploaded these files."""
    return "、".join(file_names)[:_MAX_NAME] or "PDF"


def install_thread_naming(action_labels: dict[str, str]) -> None:
    """Give a thread that begins with an upload or a button a name until its first question
    names it (installed once per process); ``action_labels`` names the buttons."""
    from chainlit.emitter import ChainlitEmitter

    init: Callable[[Any, str], Awaitable[None]] = ChainlitEmitter.init_thread
    original = getattr(init, "__wrapped__", init)

    async def init_thread(self: Any, interaction: str) -> None:
        provisional = not interaction.strip() or interaction in action_labels
        if not interaction.strip():
            files = [str(f.get("name") or "") for f in self.session.files.values()]
            interaction = upload_name([name for name in files if name])
        elif interaction in action_labels:
            stored = _user_sessions().get(self.session.id, {})
            named = str(stored.pop(_NEXT_NAME, "") or "")
            provisional = not named
            interaction = named or action_labels[interaction]
        if provisional and self.session.id in _user_sessions():
            _user_sessions()[self.session.id][_PROVISIONAL] = True
        await original(self, interaction)

    init_thread.__wrapped__ = original  # type: ignore[attr-defined]
    ChainlitEmitter.init_thread = init_thread  # type: ignore[method-assign]


def name_new_thread(name: str) -> None:
    """Name the thread a button is about to start (a starter's question). To be called
    before the button's handler first awaits: Chainlit names the thread in a task of its
    own that starts then."""
    cl.user_session.set(_NEXT_NAME, " ".join(name.split())[:_MAX_NAME])


async def name_from_question(question: str) -> None:
    """Once a thread that began with an upload or a button gets its first question, name it
    after the question, and have the page refresh its thread list."""
    if not cl.user_session.get(_PROVISIONAL):
        return
    cl.user_session.set(_PROVISIONAL, False)
    name = " ".join(question.split())[:_MAX_NAME]
    thread_id = cl.context.session.thread_id
    if (layer := get_data_layer()) is not None:
        await layer.update_thread(thread_id, name=name)
    await cl.context.emitter.emit(
        "first_interaction", {"interaction": name, "thread_id": thread_id}
    )


def _user_sessions() -> dict[str, dict[str, Any]]:
    from chainlit.user_session import user_sessions

    return user_sessions
