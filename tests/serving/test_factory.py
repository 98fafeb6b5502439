"""The chat-backend factory: each kind from its config, and a clear refusal otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from serving import (
    BackendConfig,
    BackendUnavailable,
    LlamaCppBackend,
    OpenAICompatibleBackend,
    make_backend,
)


def test_llamacpp_runs_the_given_file_in_process(tmp_path: Path) -> None:
    backend = make_backend(BackendConfig("llamacpp", model_path=tmp_path / "m.gguf"))
    assert isinstance(backend, LlamaCppBackend)
    assert backend.model_name == "m"


def test_openai_streams_from_the_given_server() -> None:
    config = BackendConfig("openai", base_url="http://127.0.0.1:9/v1", model="qwen")
    backend = make_backend(config)
    assert isinstance(backend, OpenAICompatibleBackend)
    assert backend.model_name == "qwen"


@pytest.mark.parametrize(
    ("config", "said"),
    [
        (BackendConfig("openai", model="qwen"), "KBCHAT_OPENAI_BASE_URL"),
        (BackendConfig("llamacpp"), "no model file"),
        (BackendConfig("vllm-direct"), "llamacpp, openai"),  # type: ignore[arg-type]
    ],
)
def test_what_cannot_be_built_is_said(config: BackendConfig, said: Any) -> None:
    with pytest.raises(BackendUnavailable, match=said):
        make_backend(config)
