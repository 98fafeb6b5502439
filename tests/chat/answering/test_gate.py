"""The relevance gate on both kinds of question: what the documents answer, and what a
hospital's staff might ask that they do not (the real embedder and lexical index)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chat.answering.answers import EngineOptions
from chat.answering.engine import AnswerEngine
from knowledge.base import KnowledgeBase
from personas.manager import load_library
from tests.chat.fakes import FakeChatBackend
from tests.datasets import DRCD, PUBMED, read_jsonl

pytestmark = pytest.mark.slow
KB = next(p for p in load_library() if p.id == "kb-assistant")
OFF_TOPIC = Path(__file__).resolve().parents[3] / "bench" / "offtopic.jsonl"
FILES = {DRCD: ["drcd-dev-003.pdf", "drcd-dev-017.pdf"], PUBMED: ["pubmed-dev-004.pdf"]}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> AnswerEngine:
    from chat.factory import build_knowledge_base
    from chat.settings import Settings

    kb: KnowledgeBase = build_knowledge_base(Settings(data_dir=tmp_path_factory.mktemp("gate")))
    for folder, names in FILES.items():
        for name in names:
            kb.ingest(folder / name)
    return AnswerEngine(kb, FakeChatBackend(), EngineOptions())


def _answered(engine: AnswerEngine, questions: list[str]) -> float:
    return sum(engine.prepare(q, persona=KB) is not None for q in questions) / len(questions)


def test_questions_the_documents_answer_pass_the_gate(engine: AnswerEngine) -> None:
    questions = [
        str(row["question"])
        for folder, names in FILES.items()
        for row in read_jsonl(folder / "qrels.jsonl")
        if row["file"] in names
    ]
    assert len(questions) >= 30
    assert _answered(engine, questions) >= 0.9


def test_questions_the_documents_do_not_answer_are_refused(engine: AnswerEngine) -> None:
    questions = [str(row["question"]) for row in read_jsonl(OFF_TOPIC)]
    assert _answered(engine, questions) <= 0.1
