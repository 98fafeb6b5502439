"""A fake chat backend that isolates the answer engine from a real model (unit tests only)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence

from serving.backend import Chunk, GenerationOptions, Message, QueueCallback, Usage
from serving.errors import GenerationFailed


class FakeChatBackend:
    """Replies with queued texts, word by word; counts one token per character."""

    model_name = "fake-model"

    def __init__(self, context_size: int = 4096) -> None:
        self.context_size = context_size
        self.replies: list[str] = []
        self.calls: list[list[Message]] = []
        self.options: list[GenerationOptions] = []
        self.fail_after: int | None = None

    def enqueue(self, reply: str) -> None:
        """Queue the text of the next completion."""
        self.replies.append(reply)

    def count_tokens(self, text: str) -> int:
        """One token per character: easy to reason about in budget tests."""
        return len(text)

    def stream(
        self,
        messages: Sequence[Message],
        options: GenerationOptions,
        *,
        cancel: threading.Event | None = None,
        on_queue: QueueCallback | None = None,
    ) -> Iterator[Chunk]:
        """Yield the next queued reply in pieces, then usage."""
        self.calls.append(list(messages))
        self.options.append(options)
        reply = self.replies.pop(0)
        for index, piece in enumerate(reply.split(" ")):
            if self.fail_after is not None and index >= self.fail_after:
                raise GenerationFailed("the fake model failed mid-answer")
            yield Chunk(text=piece + " ")
        prompt = sum(len(m["content"]) for m in messages)
        yield Chunk(text="", usage=Usage(prompt, len(reply)), finish_reason="stop")
