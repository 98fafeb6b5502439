"""A fake chat backend that isolates the answer engine from a real model (unit tests only)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence

from serving.backend import GenerationOptions, Message, QueueCallback, StreamPiece, Usage
from serving.errors import GenerationFailed


class FakeChatBackend:
    """Replies with queued texts word by word (or in the exact pieces given as a list);
    counts one token per character; records whether each reply was closed before its end."""

    model_name = "fake-model"

    def __init__(self, context_size: int = 4096) -> None:
        self.context_size = context_size
        self.replies: list[list[str]] = []
        self.calls: list[list[Message]] = []
        self.options: list[GenerationOptions] = []
        self.fail_after: int | None = None
        self.closed: list[bool] = []

    def enqueue(self, reply: str | list[str]) -> None:
        """Queue the next completion: a text, streamed word by word, or its pieces."""
        pieces = [word + " " for word in reply.split(" ")] if isinstance(reply, str) else reply
        self.replies.append(pieces)

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
    ) -> Iterator[StreamPiece]:
        """Yield the next queued reply in pieces, then usage."""
        self.calls.append(list(messages))
        self.options.append(options)
        reply = self.replies.pop(0)
        finished = False
        try:
            for index, piece in enumerate(reply):
                if self.fail_after is not None and index >= self.fail_after:
                    raise GenerationFailed("the fake model failed mid-answer")
                yield StreamPiece(text=piece)
            prompt = sum(len(m["content"]) for m in messages)
            completion = sum(len(piece) for piece in reply)
            yield StreamPiece(text="", usage=Usage(prompt, completion), finish_reason="stop")
            finished = True
        finally:
            self.closed.append(not finished)
