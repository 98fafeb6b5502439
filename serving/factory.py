"""Pick a chat backend from a small config: the one place that knows every kind.

Adding a backend (a vLLM-specific one, say) is a module in this package, a kind here, and
the settings that fill its config; nothing else branches on which backend is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from serving.backend import ChatBackend
from serving.errors import BackendUnavailable

BackendKind = Literal["llamacpp", "openai"]


@dataclass(frozen=True)
class BackendConfig:
    """Which backend, and what it needs: ``llamacpp`` runs a GGUF file in this process
    (``model_path``, and a GGUF LoRA adapter applied to it, ``lora_path``); ``openai``
    streams from any OpenAI-compatible server (``base_url``, ``model`` = the served name),
    such as vLLM (serving LoRA adapters under names of their own) or llama.cpp's server."""

    kind: BackendKind = "llamacpp"
    model_path: Path | None = None
    lora_path: Path | None = None
    model_name: str | None = None
    expected_sha256: str | None = None
    threads: int | None = None
    base_url: str | None = None
    model: str | None = None
    api_key: str | None = None
    context_size: int = 4096
    timeout_s: float = 120.0


def make_backend(config: BackendConfig) -> ChatBackend:
    """The backend the config names (its heavy library imported only when chosen)."""
    match config.kind:
        case "llamacpp":
            from serving.llamacpp import LlamaCppBackend

            if config.model_path is None:
                raise BackendUnavailable("llama.cpp", "no model file was given")
            return LlamaCppBackend(
                config.model_path,
                model_name=config.model_name,
                expected_sha256=config.expected_sha256,
                n_ctx=config.context_size,
                n_threads=config.threads,
                lora_path=config.lora_path,
            )
        case "openai":
            from serving.openai_compat import OpenAICompatibleBackend

            if not config.base_url or not config.model:
                raise BackendUnavailable(
                    "KBCHAT_OPENAI_BASE_URL", "set KBCHAT_OPENAI_BASE_URL and KBCHAT_OPENAI_MODEL"
                )
            return OpenAICompatibleBackend(
                base_url=config.base_url,
                model=config.model,
                api_key=config.api_key,
                context_size=config.context_size,
                timeout_s=config.timeout_s,
            )
        case _:
            kinds = ", ".join(get_args(BackendKind))
            raise BackendUnavailable(str(config.kind), f"unknown backend; the kinds are {kinds}")


def backend_location(config: BackendConfig) -> str:
    """Where the model is, in words: the server's URL and served name, or the GGUF file (and
    its LoRA adapter)."""
    match config.kind:
        case "openai":
            return f"{config.base_url} (serves {config.model})"
        case "llamacpp":
            lora = f" + LoRA {config.lora_path}" if config.lora_path else ""
            return f"{config.model_path}{lora}"
        case _:
            return str(config.kind)


def probe_backend(config: BackendConfig, timeout_s: float = 3.0) -> str | None:
    """Why the model cannot answer now, or None when it can, without loading anything: the
    server lists the served name within the timeout, or the model files exist and are
    readable."""
    match config.kind:
        case "openai":
            from serving.openai_compat import served_models

            if not config.base_url or not config.model:
                return "no base_url or model is given"
            try:
                served = served_models(config.base_url, api_key=config.api_key, timeout_s=timeout_s)
            except BackendUnavailable as error:
                return error.reason
            if config.model not in served:
                listed = ", ".join(served) or "nothing"
                return f"the server does not serve {config.model!r} (it serves {listed})"
            return None
        case "llamacpp":
            from serving.llamacpp import unreadable_files

            if config.model_path is None:
                return "no model file was given"
            return unreadable_files(config.model_path, config.lora_path)
        case _:
            return f"unknown backend kind {config.kind!r}"
