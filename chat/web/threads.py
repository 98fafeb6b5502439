"""Chat threads named as users expect: a chat that begins with an upload is named after its
files until its first question names it, and the thread list shows it at once.

Chainlit names a thread after the text of its first message and tells the page about it
with a ``first_interaction`` event. A first message that is only an upload has no text:
the thread stayed 「未命名對話」, the thread list did not refresh, and the page, taking the
empty name for "no interaction yet", kept the thumbs under every answer disabled.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import chainlit as cl
from chainlit.data import get_data_layer

_NAMED_BY_UPLOAD = "thread_named_by_upload"
_MAX_NAME = 80


def upload_name(file_names: list[str]) -> str:
    """The name of a thread whose first message only uploaded these files."""
    return "、".join(file_names)[:_MAX_NAME] or "PDF"


def install_thread_naming() -> None:
    """Give a thread that begins with an upload a name (installed once per process)."""
    from chainlit.emitter import ChainlitEmitter

    init: Callable[[Any, str], Awaitable[None]] = ChainlitEmitter.init_thread
    original = getattr(init, "__wrapped__", init)

    async def init_thread(self: Any, interaction: str) -> None:
        if not interaction.strip():
            files = [str(f.get("name") or "") for f in self.session.files.values()]
            interaction = upload_name([name for name in files if name])
            if self.session.id in _user_sessions():
                _user_sessions()[self.session.id][_NAMED_BY_UPLOAD] = True
        await original(self, interaction)

    init_thread.__wrapped__ = original  # type: ignore[attr-defined]
    ChainlitEmitter.init_thread = init_thread  # type: ignore[method-assign]


async def name_from_question(question: str) -> None:
    """Once a thread that began with an upload gets its first question, name it after the
    question, and have the page refresh its thread list."""
    if not cl.user_session.get(_NAMED_BY_UPLOAD):
        return
    cl.user_session.set(_NAMED_BY_UPLOAD, False)
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
