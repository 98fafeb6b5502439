"""The one protocol every chat model backend implements."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, TypedDict


class Message(TypedDict):
    """One chat message in the OpenAI shape; the backend applies the model's chat template."""

    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class Usage:
    """Token counts of one completion."""

    prompt_tokens: int
    completion_tokens: int


@dataclass(frozen=True)
class StreamPiece:
    """A piece of streamed text; the last piece carries the usage and why generation stopped."""

    text: str
    usage: Usage | None = None
    finish_reason: str | None = None
    served_by: str | None = None
    """The model the server says wrote it (an OpenAI-compatible server echoes the served
    name, such as a vLLM LoRA module's); None where the backend cannot tell."""


@dataclass(frozen=True)
class GenerationOptions:
    """Sampling settings of one request."""

    max_tokens: int = 512
    temperature: float = 0.2
    top_p: float = 0.9
    stop: tuple[str, ...] = ()
    repeat_penalty: float = 1.1
    """Above 1, tokens already in the text are made less likely: small models otherwise
    tend to say the same sentence again (1.1 is llama.cpp's usual setting)."""


QueueCallback = Callable[[int], None]
"""Called with the number of requests ahead while a request waits for the model."""


class ChatBackend(Protocol):
    """Streams a chat completion as text chunks, cancellably."""

    @property
    def model_name(self) -> str:
        """The model's name as users and exports should see it."""
        ...

    @property
    def context_size(self) -> int:
        """How many tokens prompt and answer may take together."""
        ...

    def count_tokens(self, text: str) -> int:
        """Tokens ``text`` takes in the model's prompt (exact where the backend can tell)."""
        ...

    def stream(
        self,
        messages: Sequence[Message],
        options: GenerationOptions,
        *,
        cancel: threading.Event | None = None,
        on_queue: QueueCallback | None = None,
    ) -> Iterator[StreamPiece]:
        """Generate an answer; stops early when ``cancel`` is set."""
        ...
