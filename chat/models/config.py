"""The models file (``KBCHAT_MODELS_FILE``, ``<data dir>/models.yaml`` by default): named
models that personas may name, each an OpenAI-compatible server's served model (a vLLM LoRA
module, say) or a GGUF file run in process with an optional GGUF LoRA adapter.

The file is checked strictly (pydantic, unknown keys refused); a bad file is refused whole,
in one line naming the file, the entry and the reason. API keys are never in the file: an
entry names the environment variable that holds its key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from personas import MODEL_NAME_PATTERN
from serving import BackendConfig

MAX_MODELS_FILE_BYTES = 256 * 1024
ENV_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"


class ModelsFileError(ValueError):
    """A models file that cannot be used: names the file, the entry (if one) and why."""

    def __init__(self, path: Path, reason: str, *, entry: str | None = None) -> None:
        self.path, self.reason, self.entry = path, reason, entry
        where = f"{path}, entry {entry!r}" if entry else str(path)
        super().__init__(f"{where}: {reason}")


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    adapter: str = Field(
        default="",
        max_length=500,
        description="The fine-tuning run id or adapter folder this model serves (recorded "
        "with its answers).",
    )
    description: str = Field(default="", max_length=500)
    context_size: int = Field(default=4096, ge=512, description="Prompt and answer, in tokens.")


class OpenAIModel(_Entry):
    """A model an OpenAI-compatible server serves: vLLM, llama.cpp's server..."""

    kind: Literal["openai"]
    base_url: str = Field(pattern=r"^https?://\S+$", description="e.g. http://gpu:8000/v1")
    model: str = Field(min_length=1, description="The served name (a vLLM --lora-modules name).")
    api_key_env: str | None = Field(
        default=None,
        pattern=ENV_NAME_PATTERN,
        description="The environment variable holding the server's API key, if it needs one.",
    )
    timeout_s: float = Field(default=120.0, gt=0, description="Read timeout per request.")


class LlamaCppModel(_Entry):
    """A GGUF model run in this process, with an optional GGUF LoRA adapter applied to it."""

    kind: Literal["llamacpp"]
    model_path: Path = Field(description="The base model's GGUF file.")
    lora_path: Path | None = Field(default=None, description="A GGUF LoRA adapter file.")
    threads: int | None = Field(default=None, ge=1)


NamedModel = Annotated[OpenAIModel | LlamaCppModel, Field(discriminator="kind")]
_ENTRY: TypeAdapter[OpenAIModel | LlamaCppModel] = TypeAdapter(NamedModel)


def load_models_file(path: Path) -> dict[str, OpenAIModel | LlamaCppModel]:
    """The named models of the file, in its order; none when the file does not exist."""
    if not path.exists():
        return {}
    data = _read_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ModelsFileError(path, "the file must map model names to their settings")
    return {str(name): _entry(path, name, settings) for name, settings in data.items()}


def _read_yaml(path: Path) -> Any:
    try:
        if path.stat().st_size > MAX_MODELS_FILE_BYTES:
            raise ModelsFileError(
                path, f"over {MAX_MODELS_FILE_BYTES // 1024} KB; not a models file"
            )
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ModelsFileError(path, f"cannot read it ({error.strerror})") from None
    except UnicodeDecodeError:
        raise ModelsFileError(path, "not UTF-8 text") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or error
        raise ModelsFileError(path, f"malformed YAML{line}: {problem}") from None


def _entry(path: Path, name: object, settings: object) -> OpenAIModel | LlamaCppModel:
    """One entry, validated; its name must be one a persona can name."""
    label = str(name)
    if not isinstance(name, str) or not re.match(MODEL_NAME_PATTERN, name):
        reason = "not a model name: use letters, digits, '-', '_' or '.', at most 64 characters"
        raise ModelsFileError(path, reason, entry=label)
    if name == "default":
        reason = "'default' is the model KBCHAT_LLM_BACKEND configures; give this one a name"
        raise ModelsFileError(path, reason, entry=label)
    if not isinstance(settings, dict):
        raise ModelsFileError(
            path, "must be a mapping with a kind: openai or llamacpp", entry=label
        )
    try:
        model = _ENTRY.validate_python(settings)
    except ValidationError as error:
        raise ModelsFileError(path, _first_problem(error), entry=label) from None
    if isinstance(model, LlamaCppModel):  # relative paths are the models file's neighbours
        lora = path.parent / model.lora_path if model.lora_path else None
        model = model.model_copy(update={"model_path": path.parent / model.model_path,
                                         "lora_path": lora})  # fmt: skip
    return model


def _first_problem(error: ValidationError) -> str:
    """The first thing wrong with an entry, said plainly."""
    problem = error.errors()[0]
    kind, *rest = [str(part) for part in problem["loc"]] or [""]
    field = ".".join(rest)
    match problem["type"]:
        case "union_tag_invalid" | "union_tag_not_found":
            return "kind must be openai or llamacpp"
        case "missing":
            return f"{field} is missing (kind {kind} needs it)"
        case "extra_forbidden" if field == "api_key":
            return (
                "an API key is never kept in the file: name the environment variable that "
                "holds it with api_key_env"
            )
        case "extra_forbidden":
            return f"{field} is not a setting of kind {kind}"
        case _:
            return f"{field}: {problem['msg']}"


def backend_config(model: OpenAIModel | LlamaCppModel, environ: Mapping[str, str]) -> BackendConfig:
    """What the serving factory builds the named model from (its API key read from the
    environment variable it names)."""
    if isinstance(model, OpenAIModel):
        key = environ.get(model.api_key_env) if model.api_key_env else None
        return BackendConfig(
            "openai",
            base_url=model.base_url,
            model=model.model,
            api_key=key,
            context_size=model.context_size,
            timeout_s=model.timeout_s,
        )
    return BackendConfig(
        "llamacpp",
        model_path=model.model_path,
        lora_path=model.lora_path,
        context_size=model.context_size,
        threads=model.threads,
    )
