"""The model a persona names answers for it, recorded with its adapter; a model that is not
configured or cannot be reached is said so, naming it, and the default never answers instead
(fake models isolate the engine; the knowledge base is real)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from chat.answering.engine import AnswerEngine
from chat.answering.models import ModelUnavailable
from chat.models.config import LlamaCppModel, OpenAIModel
from chat.models.registry import ConfiguredModels
from knowledge.base import KnowledgeBase
from personas.manager import load_library
from serving import BackendConfig, ChatBackend, make_backend
from tests.chat.fakes import FakeChatBackend
from tests.servers import free_port

PLAIN = next(p for p in load_library() if p.id == "kb-assistant").model_copy(
    update={"collections": [], "grounding": "open"}
)
WANG = PLAIN.model_copy(update={"id": "dr-wang", "model": "dr-wang-gi"})
SERVED = OpenAIModel(kind="openai", base_url="http://127.0.0.1:9/v1", model="wang-lora",
                     adapter="run-7")  # fmt: skip


class FakeBuilder:
    """Builds a fake backend for each named model, remembering what it was asked to build."""

    def __init__(self) -> None:
        self.configs: list[BackendConfig] = []
        self.backend = FakeChatBackend()

    def __call__(self, config: BackendConfig) -> ChatBackend:
        self.configs.append(config)
        return self.backend


def _models(
    tmp_path: Path,
    entries: dict[str, OpenAIModel | LlamaCppModel],
    build: Callable[[BackendConfig], ChatBackend] = make_backend,
) -> ConfiguredModels:
    return ConfiguredModels(entries, source=tmp_path / "models.yaml", environ={}, build=build)


def test_the_named_model_answers_and_is_recorded_with_its_adapter(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    default, build = FakeChatBackend(), FakeBuilder()
    build.backend.enqueue("王醫師的回答。")
    build.backend.enqueue("第二個回答。")
    engine = AnswerEngine(kb, default, models=_models(tmp_path, {"dr-wang-gi": SERVED}, build))
    answer = engine.answer("胃痛要看哪一科？", persona=WANG)
    again = engine.answer("要空腹嗎？", persona=WANG)
    assert (answer.model, answer.adapter, answer.text) == ("dr-wang-gi", "run-7", "王醫師的回答。")
    assert answer.to_json()["adapter"] == "run-7" and again.text == "第二個回答。"
    assert default.calls == []  # the default model was never asked
    assert [(c.kind, c.model) for c in build.configs] == [("openai", "wang-lora")]  # built once


def test_a_persona_without_a_model_answers_with_the_default(kb: KnowledgeBase) -> None:
    default = FakeChatBackend()
    default.enqueue("預設模型的回答。")
    answer = AnswerEngine(kb, default).answer("你好", persona=PLAIN)
    assert (answer.model, answer.adapter) == ("fake-model", "")


def test_a_model_that_is_not_configured_is_said_and_nothing_answers(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    default = FakeChatBackend()
    default.enqueue("預設模型不該回答。")
    for models in (None, _models(tmp_path, {"chen-psy": SERVED}, FakeBuilder())):
        engine = AnswerEngine(kb, default, models=models)
        with pytest.raises(ModelUnavailable) as caught:
            engine.answer("胃痛要看哪一科？", persona=WANG)
        assert caught.value.model == "dr-wang-gi" and not caught.value.configured
    assert "not in the models file" in caught.value.reason and "chen-psy" in caught.value.reason
    assert default.calls == []


def test_a_server_that_cannot_be_reached_is_said_as_the_models_and_nothing_answers(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    down = OpenAIModel(kind="openai", base_url=url, model="wang-lora", adapter="run-7")
    default = FakeChatBackend()
    engine = AnswerEngine(kb, default, models=_models(tmp_path, {"dr-wang-gi": down}))
    with pytest.raises(ModelUnavailable) as caught:
        engine.answer("胃痛要看哪一科？", persona=WANG)
    assert caught.value.model == "dr-wang-gi" and caught.value.configured
    assert caught.value.reason.startswith("cannot connect")
    assert default.calls == []


def test_a_missing_gguf_of_a_named_model_is_said_as_the_models(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    local = LlamaCppModel(kind="llamacpp", model_path=tmp_path / "gone.gguf")
    engine = AnswerEngine(kb, FakeChatBackend(), models=_models(tmp_path, {"dr-wang-gi": local}))
    with pytest.raises(ModelUnavailable, match="dr-wang-gi.*gone.gguf: no such model file"):
        engine.answer("胃痛要看哪一科？", persona=WANG)
