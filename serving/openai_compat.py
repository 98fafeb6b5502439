"""Any OpenAI-compatible chat server: vLLM, llama.cpp's server, and others."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from typing import Any, cast

from serving.backend import GenerationOptions, Message, QueueCallback, StreamPiece, Usage
from serving.errors import BackendUnavailable, GenerationFailed

_CJK = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]"
)


_ONE_EACH = re.compile(r"[0-9]|[^\w\s]", re.ASCII)  # digits and ASCII punctuation
_OTHER_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def estimate_tokens(text: str) -> int:
    """A deliberately high token estimate for servers whose tokenizer we cannot call.

    CJK characters count one token each, as do digits and punctuation (Qwen2.5 and Llama
    tokenizers split numbers into single digits or groups of up to three), other non-ASCII
    characters two (byte-level BPE spells rare ones in bytes), and the rest of the text (ASCII
    letters and spaces) one per three characters. Over-estimating keeps prompts inside the
    context window; the tests hold it above Qwen2.5's real count on both data sets.
    """
    cjk = len(_CJK.findall(text))
    one_each = len(_ONE_EACH.findall(text))
    other = len(_OTHER_NON_ASCII.findall(text)) - cjk
    rest = len(text) - cjk - one_each - other
    return cjk + one_each + 2 * other + (rest + 2) // 3


def served_models(
    base_url: str, *, api_key: str | None = None, timeout_s: float = 3.0
) -> list[str]:
    """The model names a server serves now (``GET {base_url}/models``), within the timeout;
    BackendUnavailable naming the URL when it does not answer so."""
    import openai

    client = openai.OpenAI(
        base_url=base_url, api_key=api_key or "not-needed", timeout=timeout_s, max_retries=0
    )
    try:
        return [model.id for model in client.models.list()]
    except openai.APIConnectionError as error:
        raise BackendUnavailable(base_url, f"cannot connect ({error.__cause__ or error})") from None
    except openai.APIStatusError as error:
        reason = f"the server answered {error.status_code}: {error.message}"
        raise BackendUnavailable(base_url, reason) from None
    except openai.APIError as error:
        raise BackendUnavailable(base_url, f"no list of models ({error})") from None
    finally:
        client.close()


class OpenAICompatibleBackend:
    """Streams completions from ``{base_url}/chat/completions``; the server does the queueing."""

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        context_size: int = 8192,
        timeout_s: float = 120.0,
        connect_timeout_s: float = 5.0,
    ) -> None:
        from openai import OpenAI, Timeout

        self._base_url = base_url
        self._model = model
        self._context_size = context_size
        self._client = OpenAI(
            base_url=base_url,
            api_key=api_key or "not-needed",
            timeout=Timeout(timeout_s, connect=connect_timeout_s),
            max_retries=0,
        )

    @property
    def model_name(self) -> str:
        """The served model name (``--served-model-name`` in vLLM)."""
        return self._model

    @property
    def context_size(self) -> int:
        """The configured context window of the served model."""
        return self._context_size

    def count_tokens(self, text: str) -> int:
        """An over-estimate; the server's tokenizer is not called for every prompt."""
        return estimate_tokens(text)

    def stream(
        self,
        messages: Sequence[Message],
        options: GenerationOptions,
        *,
        cancel: threading.Event | None = None,
        on_queue: QueueCallback | None = None,
    ) -> Iterator[StreamPiece]:
        """Stream a completion; connection and server errors name the URL."""
        import openai

        try:
            response = self._client.chat.completions.create(
                model=self._model,
                messages=cast(Any, list(messages)),  # our TypedDict is the same shape
                max_tokens=options.max_tokens,
                temperature=options.temperature,
                top_p=options.top_p,
                stop=list(options.stop) or None,
                stream=True,
                stream_options={"include_usage": True},
                # Not in the OpenAI API: vLLM reads repetition_penalty, llama.cpp's server
                # repeat_penalty; each ignores the other's.
                extra_body={
                    "repetition_penalty": options.repeat_penalty,
                    "repeat_penalty": options.repeat_penalty,
                },
            )
        except openai.APIConnectionError as error:
            raise BackendUnavailable(
                self._base_url, f"cannot connect ({error.__cause__ or error})"
            ) from error
        except openai.APIStatusError as error:
            raise BackendUnavailable(
                self._base_url, f"the server answered {error.status_code}: {error.message}"
            ) from error
        yield from self._read(response, cancel)

    def _read(self, response: Any, cancel: threading.Event | None) -> Iterator[StreamPiece]:
        import openai

        usage: Usage | None = None
        finish_reason: str | None = None
        served_by: str | None = None
        try:
            with response:
                for event in response:
                    if cancel is not None and cancel.is_set():
                        finish_reason = "cancelled"
                        break
                    served_by = event.model or served_by
                    if event.usage is not None:
                        usage = Usage(event.usage.prompt_tokens, event.usage.completion_tokens)
                    for choice in event.choices:
                        if choice.delta and choice.delta.content:
                            yield StreamPiece(text=choice.delta.content)
                        finish_reason = choice.finish_reason or finish_reason
        except (openai.APIError, OSError) as error:
            raise GenerationFailed(
                f"the model server at {self._base_url} failed mid-answer: {error}"
            ) from error
        yield StreamPiece(text="", usage=usage, finish_reason=finish_reason, served_by=served_by)
