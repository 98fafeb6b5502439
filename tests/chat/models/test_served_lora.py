"""A persona naming a model answers through it, over the OpenAI-compatible path to a real
llama.cpp server on loopback (as vLLM serves a LoRA adapter under a name of its own), and the
answer and its shared QA record that model and its adapter."""

from __future__ import annotations

from pathlib import Path

import pytest

from chat.answering.engine import AnswerEngine
from chat.factory import build_models, build_sharing
from chat.settings import Settings
from chat.web.sharing import share_draft
from knowledge.base import KnowledgeBase
from personas.manager import load_library
from serving import GenerationOptions, Message
from tests.chat.fakes import FakeChatBackend
from tests.sharing.consenting import share_with_consent

WANG = next(p for p in load_library() if p.id == "kb-assistant").model_copy(
    update={"id": "dr-wang", "collections": [], "grounding": "open", "model": "dr-wang-gi",
            "max_tokens": 24}
)  # fmt: skip


@pytest.mark.slow
def test_a_persona_answers_through_its_served_model_and_the_share_records_it(
    server_url: str, kb: KnowledgeBase, tmp_path: Path
) -> None:
    models_file = tmp_path / "models.yaml"
    models_file.write_text(
        f"dr-wang-gi:\n  kind: openai\n  base_url: {server_url}\n  model: kbchat-test\n"
        "  adapter: run-2026-12-01\n  context_size: 2048\n",
        "utf-8",
    )
    settings = Settings(data_dir=tmp_path / "data", models_file=models_file)
    models = build_models(settings)
    default = FakeChatBackend()  # nothing queued: had it been asked, it would fail
    engine = AnswerEngine(kb, default, models=models)
    question = "Visiting hours are 10 am to 8 pm. When do visiting hours end?"
    answer = engine.answer(question, persona=WANG)
    assert "8" in answer.text or "eight" in answer.text.lower()  # the served model read it
    assert (answer.model, answer.adapter) == ("dr-wang-gi", "run-2026-12-01")
    assert default.calls == []
    # The request went to that server under the served name: the server says so.
    chosen = models.named("dr-wang-gi")
    assert chosen.backend is models.named("dr-wang-gi").backend  # built once, then kept
    messages: list[Message] = [{"role": "user", "content": "Say OK."}]
    *_, last = chosen.backend.stream(messages, GenerationOptions(max_tokens=4))
    assert last.served_by == "kbchat-test"
    # Shared, the pair keeps the model and the adapter it came from.
    sharing = build_sharing(settings)
    stored = sharing.store.get(share_with_consent(sharing.service, share_draft(question, answer),
                                                  user="nurse.lin"))  # fmt: skip
    assert (stored.model, stored.adapter) == ("dr-wang-gi", "run-2026-12-01")
