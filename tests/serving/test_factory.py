"""The chat-backend factory: each kind from its config, and a clear refusal otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from serving import (
    BackendConfig,
    BackendUnavailable,
    LlamaCppBackend,
    ModelFileError,
    OpenAICompatibleBackend,
    backend_location,
    make_backend,
    probe_backend,
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


class FakeLlama:
    """Stands in for llama_cpp.Llama: records the keyword arguments it was built with."""

    built: list[dict[str, Any]] = []

    def __init__(self, **kwargs: Any) -> None:
        FakeLlama.built.append(kwargs)

    def set_cache(self, cache: Any) -> None:
        """The prompt cache is not the fake's business."""


def _files(tmp_path: Path, *names: str) -> list[Path]:
    paths = [tmp_path / name for name in names]
    for path in paths:
        path.write_bytes(b"GGUF")
    return paths


def test_a_lora_adapter_is_loaded_beside_the_base_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import llama_cpp

    base, lora = _files(tmp_path, "base.gguf", "dr-wang-gi.gguf")
    monkeypatch.setattr(llama_cpp, "Llama", FakeLlama)
    FakeLlama.built.clear()
    config = BackendConfig("llamacpp", model_path=base, lora_path=lora, threads=1)
    backend = make_backend(config)
    assert isinstance(backend, LlamaCppBackend)
    backend.load()
    assert FakeLlama.built == [
        {"model_path": str(base), "lora_path": str(lora), "n_ctx": 4096, "n_threads": 1,
         "verbose": False}
    ]  # fmt: skip
    FakeLlama.built.clear()
    plain = make_backend(BackendConfig("llamacpp", model_path=base, threads=1))
    assert isinstance(plain, LlamaCppBackend)
    plain.load()
    assert FakeLlama.built[0]["lora_path"] is None


def test_a_missing_lora_file_is_refused_by_name_before_loading(tmp_path: Path) -> None:
    (base,) = _files(tmp_path, "base.gguf")
    backend = make_backend(
        BackendConfig("llamacpp", model_path=base, lora_path=tmp_path / "gone.gguf")
    )
    with pytest.raises(ModelFileError, match="gone.gguf: no such LoRA adapter file"):
        backend.count_tokens("hello")


def test_where_a_model_is_and_whether_its_files_are_there(tmp_path: Path) -> None:
    base, lora = _files(tmp_path, "base.gguf", "lora.gguf")
    with_lora = BackendConfig("llamacpp", model_path=base, lora_path=lora)
    assert backend_location(with_lora) == f"{base} + LoRA {lora}"
    assert probe_backend(with_lora) is None
    lora.unlink()
    assert probe_backend(with_lora) == f"{lora}: no such file"
    served = BackendConfig("openai", base_url="http://gpu:8000/v1", model="dr-wang-gi")
    assert backend_location(served) == "http://gpu:8000/v1 (serves dr-wang-gi)"
