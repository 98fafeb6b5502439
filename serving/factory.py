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
    (``model_path``); ``openai`` streams from any OpenAI-compatible server (``base_url``,
    ``model``), such as vLLM or llama.cpp's server."""

    kind: BackendKind = "llamacpp"
    model_path: Path | None = None
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
