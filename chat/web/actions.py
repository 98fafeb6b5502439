"""The chat's actions: Share this QA (consent, agree, cancel), My shared QA, Withdraw, My
documents and Remove.

Every payload comes from the browser, so each is checked before use."""

from __future__ import annotations

import chainlit as cl

from chat.web.acting import actor
from chat.web.sharing import agree, cancel, list_my_shares, show_consent, withdraw
from chat.web.uploads import list_my_documents, remove_my_document


@cl.action_callback("share_qa")
async def share_qa(action: cl.Action) -> None:
    """Show the consent text and the scrubbed pair, with Agree and Cancel."""
    if acting := await actor():
        await show_consent(action, acting[1])


@cl.action_callback("share_agree")
async def share_agree(action: cl.Action) -> None:
    """Record consent and store the pair."""
    if acting := await actor():
        await agree(action, *acting)


@cl.action_callback("share_cancel")
async def share_cancel(action: cl.Action) -> None:
    """Store nothing."""
    if acting := await actor():
        await cancel(action, acting[1])


@cl.action_callback("my_shares")
async def my_shares(action: cl.Action) -> None:
    """List what this user shared, each with a Withdraw action."""
    if acting := await actor():
        await list_my_shares(*acting)


@cl.action_callback("withdraw_qa")
async def withdraw_qa(action: cl.Action) -> None:
    """Withdraw one of this user's shares (the payload comes from the browser: checked)."""
    qa_id = action.payload.get("qa_id") if isinstance(action.payload, dict) else None
    if (acting := await actor()) and isinstance(qa_id, int):
        await withdraw(action, qa_id, *acting)


@cl.action_callback("my_documents")
async def my_documents(action: cl.Action) -> None:
    """List this user's own uploads, each with a Remove action."""
    if acting := await actor():
        await list_my_documents(*acting)


@cl.action_callback("remove_document")
async def remove_document(action: cl.Action) -> None:
    """Remove one of this user's own uploads (the payload comes from the browser: checked)."""
    doc_id = action.payload.get("doc_id") if isinstance(action.payload, dict) else None
    if (acting := await actor()) and isinstance(doc_id, str):
        await remove_my_document(action, doc_id, *acting)
