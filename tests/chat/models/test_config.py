"""The models file: named models checked strictly, a bad file refused in one line naming the
file, the entry and the reason; API keys read from the environment, never the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from chat.models.config import (
    LlamaCppModel,
    ModelsFileError,
    OpenAIModel,
    backend_config,
    load_models_file,
)

GOOD = """\
dr-wang-gi:
  kind: openai
  base_url: http://gpu-host:8000/v1
  model: dr-wang-gi
  api_key_env: VLLM_KEY
  adapter: run-2026-12-01
  description: 王醫師（腸胃科）的 LoRA
chen-psy.q4:
  kind: llamacpp
  model_path: base.gguf
  lora_path: /adapters/chen-psy.gguf
"""


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "models.yaml"
    path.write_text(text, "utf-8")
    return path


def test_no_file_is_no_named_models(tmp_path: Path) -> None:
    assert load_models_file(tmp_path / "models.yaml") == {}
    assert load_models_file(_file(tmp_path, "# none yet\n")) == {}


def test_each_kind_is_read_with_paths_beside_the_file(tmp_path: Path) -> None:
    models = load_models_file(_file(tmp_path, GOOD))
    assert list(models) == ["dr-wang-gi", "chen-psy.q4"]
    served, local = models["dr-wang-gi"], models["chen-psy.q4"]
    assert isinstance(served, OpenAIModel) and served.adapter == "run-2026-12-01"
    assert isinstance(local, LlamaCppModel)
    assert local.model_path == tmp_path / "base.gguf"  # relative: beside the models file
    assert local.lora_path == Path("/adapters/chen-psy.gguf")


def test_the_api_key_comes_from_the_variable_the_entry_names(tmp_path: Path) -> None:
    models = load_models_file(_file(tmp_path, GOOD))
    config = backend_config(models["dr-wang-gi"], {"VLLM_KEY": "s3cret"})
    assert (config.kind, config.base_url, config.model) == (
        "openai", "http://gpu-host:8000/v1", "dr-wang-gi",
    )  # fmt: skip
    assert config.api_key == "s3cret"
    assert backend_config(models["dr-wang-gi"], {}).api_key is None
    local = backend_config(models["chen-psy.q4"], {})
    assert local.lora_path == Path("/adapters/chen-psy.gguf")


@pytest.mark.parametrize(
    ("text", "entry", "reason"),
    [
        ("m:\n  kind: vllm\n", "m", "kind must be openai or llamacpp"),
        ("m:\n  kind: openai\n  model: x\n", "m", "base_url is missing (kind openai needs it)"),
        (
            "m:\n  kind: llamacpp\n  model_path: a.gguf\n  base_url: http://x/v1\n",
            "m",
            "base_url is not a setting of kind llamacpp",
        ),
        (
            "m:\n  kind: openai\n  base_url: http://x/v1\n  model: x\n  api_key: sk-1\n",
            "m",
            "an API key is never kept in the file",
        ),
        ("m:\n  kind: openai\n  base_url: gpu-host\n  model: x\n", "m", "base_url: String"),
        ("dr wang:\n  kind: openai\n", "dr wang", "not a model name"),
        ("default:\n  kind: llamacpp\n  model_path: a.gguf\n", "default", "KBCHAT_LLM_BACKEND"),
        ("m: just-a-string\n", "m", "must be a mapping"),
    ],
)
def test_a_bad_entry_is_refused_naming_the_file_the_entry_and_why(
    tmp_path: Path, text: str, entry: str, reason: str
) -> None:
    path = _file(tmp_path, text)
    with pytest.raises(ModelsFileError) as caught:
        load_models_file(path)
    said = str(caught.value)
    assert said.startswith(f"{path}, entry {entry!r}: "), said
    assert reason in said and "\n" not in said


@pytest.mark.parametrize(
    ("text", "reason"),
    [("m: [oops\n", "malformed YAML at line 2"), ("- a\n- b\n", "must map model names")],
)
def test_a_file_that_is_not_a_mapping_of_models_is_refused(
    tmp_path: Path, text: str, reason: str
) -> None:
    path = _file(tmp_path, text)
    with pytest.raises(ModelsFileError, match=reason) as caught:
        load_models_file(path)
    assert str(caught.value).startswith(f"{path}: ")
