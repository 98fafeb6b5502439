"""OpenAI's chat shapes as kbchat reads and writes them: the request (its messages made into
a question and the history before it) and the ``chat.completion`` objects and chunks, with
kbchat's own fields ``citations`` and ``kbchat`` added."""

from __future__ import annotations

import secrets
import time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from chat.answering.answers import Answer
from chat.api.errors import ApiError
from chat.web.turns import HISTORY_TURNS
from serving import Message

DEFAULT_MODEL = "kbchat"
"""The model name that means the site's default persona."""


class ChatMessage(BaseModel):
    """One message of the conversation: its content a string or a list of text parts."""

    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant"]
    content: str | list[dict[str, Any]] | None = None


class ChatRequest(BaseModel):
    """A chat completion request. Read: ``model`` (a persona id, or ``kbchat`` for the
    default persona), ``messages`` and ``stream``. Any other field (``temperature``,
    ``max_tokens``, ``top_p``, ``stop``, ``n``, ``user``, ...) is accepted and ignored: the
    persona sets how its model samples and how long it answers."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(min_length=1, max_length=200)
    messages: list[ChatMessage] = Field(min_length=1, max_length=200)
    stream: bool = False


def _text_of(message: ChatMessage, place: int) -> str:
    """A message's text: its string, or its text parts joined; 400 for any other part."""
    if message.content is None or isinstance(message.content, str):
        return message.content or ""
    texts = []
    for number, part in enumerate(message.content):
        text = part.get("text")
        if part.get("type") != "text" or not isinstance(text, str):
            raise ApiError(
                400,
                "invalid_request",
                f"messages[{place}].content[{number}] is a {part.get('type')!r} part: "
                "only text parts are read (no images, audio or files)",
            )
        texts.append(text)
    return "\n".join(texts)


def conversation(messages: list[ChatMessage]) -> tuple[str, list[Message]]:
    """The question (the last message, which must be the user's) and the turns before it
    (the last few, as the web chat remembers them); system and developer messages are left
    out: the persona's own prompt rules the answer."""
    said: list[Message] = [
        {"role": message.role, "content": _text_of(message, place)}
        for place, message in enumerate(messages)
        if message.role == "user" or message.role == "assistant"
    ]
    if not said or said[-1]["role"] != "user":
        last = said[-1]["role"] if said else "none"
        raise ApiError(
            400,
            "invalid_request",
            f"the last message must be the user's question (role 'user'), not {last!r}",
        )
    return said[-1]["content"], said[:-1][-2 * HISTORY_TURNS :]


def model_json(persona_id: str, created: int, **extra: object) -> dict[str, object]:
    """One entry of ``/models``: a persona as a model, with kbchat's extra fields."""
    return {"id": persona_id, "object": "model", "created": created, "owned_by": "kbchat",
            **extra}  # fmt: skip


class Completion:
    """The identity of one completion: its id, time and model, shared by its chunks."""

    def __init__(self, model: str) -> None:
        self.id = f"chatcmpl-{secrets.token_hex(12)}"
        self.created = int(time.time())
        self.model = model

    def _head(self, kind: str) -> dict[str, Any]:
        return {"id": self.id, "object": kind, "created": self.created, "model": self.model}

    def whole(self, answer: Answer) -> dict[str, Any]:
        """The ``chat.completion`` object of a finished answer."""
        message = {"role": "assistant", "content": answer.text}
        choice = {"index": 0, "message": message, "finish_reason": finish_reason(answer)}
        return {**self._head("chat.completion"), "choices": [choice], "usage": usage(answer),
                **kbchat_fields(answer)}  # fmt: skip

    def chunk(self, delta: dict[str, str], finish: str | None = None) -> dict[str, Any]:
        """A ``chat.completion.chunk`` carrying a piece of the answer."""
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        return {**self._head("chat.completion.chunk"), "choices": [choice]}

    def last_chunk(self, answer: Answer) -> dict[str, Any]:
        """The final chunk: why the answer ended, its usage, citations and final text."""
        fields = kbchat_fields(answer)
        fields["kbchat"]["answer"] = answer.text
        return {**self.chunk({}, finish_reason(answer)), "usage": usage(answer), **fields}


def finish_reason(answer: Answer) -> str:
    """``length`` when the answer reached its length limit, else ``stop``."""
    return "length" if answer.finish_reason == "length" else "stop"


def usage(answer: Answer) -> dict[str, int] | None:
    """The answer's token counts, when its model gave them."""
    if answer.usage is None:
        return None
    prompt, completion = answer.usage.prompt_tokens, answer.usage.completion_tokens
    return {"prompt_tokens": prompt, "completion_tokens": completion,
            "total_tokens": prompt + completion}  # fmt: skip


def kbchat_fields(answer: Answer) -> dict[str, Any]:
    """kbchat's fields beside OpenAI's: the citations (each with the ``number`` its ``[n]``
    markers use) and what ``/ask`` says of the answer."""
    citations = [{"number": c.number, **c.to_json()} for c in answer.citations]
    kbchat = {"covered": answer.covered, "persona": answer.persona, "model": answer.model,
              "adapter": answer.adapter, "unsupported": answer.unsupported}  # fmt: skip
    return {"citations": citations, "kbchat": kbchat}
