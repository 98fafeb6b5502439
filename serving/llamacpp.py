"""llama.cpp in process (llama-cpp-python): the default backend, on CPU."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from serving.backend import GenerationOptions, Message, QueueCallback, StreamPiece, Usage
from serving.bundled import verify_sha256
from serving.errors import BackendUnavailable, GenerationFailed, ModelFileError
from serving.fair_queue import Cancelled, FairQueue

logger = logging.getLogger(__name__)


def available_cpus() -> int:
    """The CPUs this process may run on. llama-cpp-python's own default is half the machine's
    (for hyperthreaded cores), which on a 2-core server generates at 19 tokens/s where both
    cores give 31 (docs/decisions.md); KBCHAT_LLM_THREADS sets it when that is not right."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class LlamaCppBackend:
    """One GGUF model in this process; one completion at a time, served in arrival order.

    llama-cpp-python keeps the evaluated tokens of the last prompt and re-uses the longest
    common prefix, so a persona's system prompt is not processed again on the next turn; a
    RAM cache of prompt states also keeps the prefixes of recently used personas.
    """

    def __init__(
        self,
        model_path: Path,
        *,
        model_name: str | None = None,
        expected_sha256: str | None = None,
        n_ctx: int = 4096,
        n_threads: int | None = None,
        prompt_cache_mb: int = 1024,
        lora_path: Path | None = None,
    ) -> None:
        self._path = model_path
        self._lora_path = lora_path
        self._name = model_name or model_path.stem
        self._expected_sha256 = expected_sha256
        self._n_ctx = n_ctx
        self._n_threads = n_threads
        self._prompt_cache_mb = prompt_cache_mb
        self._llama: Any = None
        self._load_lock = threading.Lock()
        self.queue = FairQueue()

    @property
    def model_name(self) -> str:
        """The model's display name."""
        return self._name

    @property
    def context_size(self) -> int:
        """The llama.cpp context window in tokens."""
        return self._n_ctx

    def load(self) -> Any:
        """Verify and load the model once; later calls return the loaded model."""
        with self._load_lock:
            if self._llama is None:
                if not self._path.is_file():
                    hint = "KBCHAT_LLM_MODEL_PATH, or a model_path in the models file"
                    raise ModelFileError(self._path, f"no such model file ({hint})")
                if self._lora_path is not None and not self._lora_path.is_file():
                    raise ModelFileError(self._lora_path, "no such LoRA adapter file (lora_path)")
                if self._expected_sha256:
                    verify_sha256(self._path, self._expected_sha256)
                self._llama = self._open()
        return self._llama

    def _open(self) -> Any:
        try:
            from llama_cpp import Llama
            from llama_cpp.llama_cache import LlamaRAMCache
        except ImportError as error:  # pragma: no cover - the dependency is pinned
            raise BackendUnavailable("llama.cpp", "llama-cpp-python is not installed") from error
        # A LoRA adapter (GGUF) is applied to the base as it loads, beside it in memory.
        lora = str(self._lora_path) if self._lora_path is not None else None
        try:
            llama = Llama(
                model_path=str(self._path),
                n_ctx=self._n_ctx,
                n_threads=self._n_threads or available_cpus(),
                verbose=False,
                lora_path=lora,
            )
        except (ValueError, RuntimeError) as error:
            with_lora = f" with the LoRA adapter {self._lora_path}" if self._lora_path else ""
            reason = f"llama.cpp cannot load it{with_lora} ({error})"
            raise ModelFileError(self._path, reason) from error
        if self._prompt_cache_mb > 0:
            llama.set_cache(_sized_ram_cache(LlamaRAMCache, self._prompt_cache_mb << 20))
        logger.info("loaded %s (n_ctx=%d, LoRA %s)", self._path, self._n_ctx, self._lora_path)
        return llama

    def count_tokens(self, text: str) -> int:
        """Exact token count with the model's own tokenizer."""
        return len(self.load().tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def stream(
        self,
        messages: Sequence[Message],
        options: GenerationOptions,
        *,
        cancel: threading.Event | None = None,
        on_queue: QueueCallback | None = None,
    ) -> Iterator[StreamPiece]:
        """Stream a completion through the model's own chat template."""
        llama = self.load()
        try:
            with self.queue.turn(cancel=cancel, on_queue=on_queue):
                yield from self._generate(llama, messages, options, cancel)
        except Cancelled:
            return

    def _generate(
        self,
        llama: Any,
        messages: Sequence[Message],
        options: GenerationOptions,
        cancel: threading.Event | None,
    ) -> Iterator[StreamPiece]:
        from llama_cpp import LogitsProcessorList

        counter = _TokenCounter(llama)
        finish_reason: str | None = None
        try:
            pieces = llama.create_chat_completion(
                messages=list(messages),
                max_tokens=options.max_tokens,
                temperature=options.temperature,
                top_p=options.top_p,
                stop=list(options.stop) or None,
                repeat_penalty=options.repeat_penalty,
                stream=True,
                logits_processor=LogitsProcessorList([counter]),
            )
            for piece in pieces:
                if cancel is not None and cancel.is_set():
                    finish_reason = "cancelled"
                    break
                choice = piece["choices"][0]
                text = choice["delta"].get("content") or ""
                if text:
                    yield StreamPiece(text=text)
                finish_reason = choice.get("finish_reason") or finish_reason
        except (ValueError, RuntimeError) as error:
            raise GenerationFailed(f"llama.cpp stopped with an error: {error}") from error
        yield StreamPiece(text="", usage=counter.usage(), finish_reason=finish_reason)


def unreadable_files(*paths: Path | None) -> str | None:
    """Why the model files cannot be loaded now (missing or unreadable), or None when each
    given file exists and can be read; a cheap check that loads nothing."""
    for path in paths:
        if path is None:
            continue
        if not path.is_file():
            return f"{path}: no such file"
        if not os.access(path, os.R_OK):
            return f"{path}: not readable by this user"
    return None


class _TokenCounter:
    """A logits processor that changes nothing and counts: llama.cpp calls it once for every
    token it samples, after the prompt is in the context, so the counts are the model's own
    (streamed chat completions carry no usage, and a streamed piece may hold several tokens
    or none)."""

    def __init__(self, llama: Any) -> None:
        self._llama = llama
        self.prompt_tokens: int | None = None
        self.sampled = 0

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        if self.prompt_tokens is None:
            self.prompt_tokens = int(self._llama.n_tokens)
        self.sampled += 1
        return scores

    def usage(self) -> Usage:
        """Prompt and completion tokens; before any sampling, the prompt is what was read."""
        prompt = self.prompt_tokens if self.prompt_tokens is not None else self._llama.n_tokens
        return Usage(int(prompt), self.sampled)


def _sized_ram_cache(base: Any, capacity_bytes: int) -> Any:
    """llama-cpp-python's RAM prompt cache, counting what each entry really holds.

    Its own size counts only an entry's KV state, not the copy of the logits saved with it
    (n_batch x vocabulary floats: 311 MB for Qwen2.5's 151,936 tokens), so a 256 MB cap let
    the app grow to 10 GB under load (bench/soak.py). Counting both keeps the cap.
    """

    class SizedRAMCache(base):  # type: ignore[misc]
        @property
        def cache_size(self) -> int:
            return sum(
                state.llama_state_size + state.scores.nbytes for state in self.cache_state.values()
            )

    return SizedRAMCache(capacity_bytes=capacity_bytes)
