"""The answer path on the real bundled model: Taiwan usage, only the sources it rests on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chat.answering.answers import EngineOptions
from chat.answering.engine import AnswerEngine
from knowledge.base import KnowledgeBase
from personas.manager import load_library
from serving.backend import GenerationOptions
from tests.datasets import HOSPITAL_GUIDE, simplified_only

pytestmark = pytest.mark.slow
KB = next(p for p in load_library() if p.id == "kb-assistant")


def test_simplified_only_finds_what_the_model_used_to_write() -> None:
    assert {"点", "时"} <= set(simplified_only("11点，8小时，位于马祖"))
    assert simplified_only("加護病房的探病時間是上午11點。") == []


@pytest.mark.parametrize("question", ["加護病房的探病時間是幾點？", "抽血前要空腹多久？"])
def test_a_chinese_answer_is_in_traditional_characters_and_cites_its_page(
    kb: KnowledgeBase, llama_backend: Any, question: str
) -> None:
    kb.ingest(HOSPITAL_GUIDE)
    options = EngineOptions(generation=GenerationOptions(max_tokens=120, temperature=0.0))
    answer = AnswerEngine(kb, llama_backend, options).answer(question, persona=KB)
    sources = "".join(c.text for c in [*answer.citations, *answer.searched])
    assert answer.text and answer.searched or answer.citations
    assert simplified_only(answer.text, allowed=sources) == [], answer.text


def test_the_larger_bundled_model_gives_both_icu_visits_from_the_page(
    kb: KnowledgeBase, large_bundled_model: Path
) -> None:
    from serving.llamacpp import LlamaCppBackend

    kb.ingest(HOSPITAL_GUIDE)
    backend = LlamaCppBackend(large_bundled_model, n_ctx=2048)
    options = EngineOptions(generation=GenerationOptions(max_tokens=120, temperature=0.0))
    answer = AnswerEngine(kb, backend, options).answer("加護病房的探病時間是幾點？", persona=KB)
    assert answer.covered and answer.citations, answer.text
    assert (answer.citations[0].file, answer.citations[0].page) == (HOSPITAL_GUIDE.name, 2)
    morning = any(hour in answer.text for hour in ("11", "十一"))
    evening = any(hour in answer.text for hour in ("19", "7", "七"))
    assert morning and evening, answer.text  # both visits, not half the answer
    assert simplified_only(answer.text, allowed=answer.citations[0].text) == []
