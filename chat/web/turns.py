"""What the model remembers of a chat: its questions and answers, each under the id of the
message that asked it, so that editing a question (Chainlit then removes what followed it)
forgets that turn and every later one, and answering one again replaces its turn; and the
questions that an Answer again button asks again."""

from __future__ import annotations

import secrets
from typing import Any

import chainlit as cl

from serving import Message

HISTORY_TURNS = 6
"""How many past turns the model is given."""
_KEY = "turns"
_QUESTIONS = "questions_by_token"


def remembered(until: str = "") -> list[Message]:
    """The last turns, as the model's chat history; with ``until``, only those before the
    turn asked in that message (answering it again)."""
    turns: list[dict[str, str]] = cl.user_session.get(_KEY) or []
    ids = [t["id"] for t in turns]
    if until in ids:
        turns = turns[: ids.index(until)]
    history: list[Message] = []
    for turn in turns[-HISTORY_TURNS:]:
        history.append({"role": "user", "content": turn["user"]})
        history.append({"role": "assistant", "content": turn["assistant"]})
    return history


def remember(asked_in: str, question: str, answer: str) -> None:
    """Keep a finished turn (one asked again replaces its earlier answer)."""
    turns = [t for t in cl.user_session.get(_KEY) or [] if t["id"] != asked_in]
    turns.append({"id": asked_in, "user": question, "assistant": answer})
    cl.user_session.set(_KEY, turns[-HISTORY_TURNS:])


def forget_from(asked_in: str) -> None:
    """Forget the turn asked in this message and every later one (it was edited)."""
    turns: list[dict[str, str]] = cl.user_session.get(_KEY) or []
    ids = [t["id"] for t in turns]
    if asked_in in ids:
        cl.user_session.set(_KEY, turns[: ids.index(asked_in)])


def start_over(turns: list[dict[str, Any]] | None = None) -> None:
    """A new chat remembers nothing; a reopened one what its answers kept."""
    cl.user_session.set(_KEY, [
        {"id": str(t.get("id", "")), "user": str(t.get("user", "")),
         "assistant": str(t.get("assistant", ""))}
        for t in (turns or [])
    ][-HISTORY_TURNS:])  # fmt: skip


def keep_question(question: str, asked_in: str) -> str:
    """Keep a question on the server for its Answer again button; returns the button's
    token (the browser sends back only that)."""
    token = secrets.token_urlsafe(12)
    kept: dict[str, tuple[str, str]] = cl.user_session.get(_QUESTIONS) or {}
    kept[token] = (question, asked_in)
    cl.user_session.set(_QUESTIONS, kept)
    return token


def kept_question(token: str) -> tuple[str, str] | None:
    """The question and the id of the message that asked it, for a button's token."""
    kept: dict[str, tuple[str, str]] = cl.user_session.get(_QUESTIONS) or {}
    return kept.get(token)
