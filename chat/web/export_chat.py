"""A chat as a Markdown file its owner can keep or send on: each question and answer in
order, the cited pages as links back to the viewer (absolute, so they work from the file)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from chainlit.data import get_data_layer
from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from chat.web.viewer import CurrentUser, settled

_RELATIVE_LINK = re.compile(r"\]\((/kbchat/[^)\s]+)\)")


def chat_markdown(thread: dict[str, Any], base_url: str) -> str:
    """The thread as Markdown: its name, then each message (user's questions as quotes)."""
    name = str(thread.get("name") or "kbchat")
    lines = [f"# {name}", "", f"*kbchat · {datetime.now(UTC):%Y-%m-%d %H:%M} UTC*", ""]
    for step in thread.get("steps") or []:
        output = str(step.get("output") or "").strip()
        if not output or step.get("type") not in ("user_message", "assistant_message"):
            continue
        if step["type"] == "user_message":
            lines += ["## 問 Q", "", *(f"> {line}" for line in output.splitlines()), ""]
        else:
            linked = _RELATIVE_LINK.sub(lambda m: f"]({base_url}{m.group(1)})", output)
            lines += ["## 答 A", "", linked, ""]
    return "\n".join(lines)


async def open_chat(thread_id: str, user: CurrentUser) -> Response:
    """One of the user's own chats, opened; a page saying it is not theirs (or not there)
    for anyone else's. kbchat.js comes here when Chainlit refuses a chat's address, which it
    shows only as "cannot reach the server"."""
    current = settled(user)
    layer = get_data_layer()
    if layer is None or await layer.get_thread_author(thread_id) != current.identifier:
        raise HTTPException(
            status_code=404, detail="這段對話不存在，或不是您的 / no such chat, or not yours"
        )
    return RedirectResponse(f"/thread/{thread_id}", status_code=303)


async def export_chat(thread_id: str, request: Request, user: CurrentUser) -> Response:
    """One of the user's own chats as a Markdown download; 404 for anyone else's."""
    current = settled(user)
    layer = get_data_layer()
    if layer is None or await layer.get_thread_author(thread_id) != current.identifier:
        raise HTTPException(status_code=404, detail="no such chat")
    thread = await layer.get_thread(thread_id)
    if thread is None:
        raise HTTPException(status_code=404, detail="no such chat")
    base = str(request.base_url).rstrip("/")
    return Response(
        chat_markdown(dict(thread), base),
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="kbchat-{thread_id[:8]}.md"'},
    )
