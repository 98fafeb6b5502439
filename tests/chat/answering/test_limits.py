"""Per-user limits: the question rate, concurrent ingests, and the cap on answer length."""

from __future__ import annotations

import threading

import pytest

from chat.answering.answers import EngineOptions
from chat.answering.engine import AnswerEngine
from chat.answering.limits import IngestSlots, LimitReached, QuestionRate
from knowledge.base import KnowledgeBase
from personas.manager import load_library
from serving.backend import GenerationOptions
from tests.chat.fakes import FakeChatBackend


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_questions_per_minute_are_counted_per_user_in_a_sliding_window() -> None:
    clock = FakeClock()
    rate = QuestionRate(3, clock)
    for _ in range(3):
        rate.take("amy")
        clock.now += 10
    with pytest.raises(LimitReached, match="at most 3 a minute; try again in 30 s") as refused:
        rate.take("amy")
    assert (refused.value.kind, refused.value.limit, refused.value.wait_s) == (
        "rate_limited",
        3,
        30,
    )
    rate.take("ben")  # another user is not affected
    clock.now += 30  # the first question leaves the window
    rate.take("amy")


def test_ingest_slots_refuse_one_more_and_free_up_when_done() -> None:
    slots = IngestSlots(2)
    started, release = threading.Barrier(3), threading.Event()

    def ingest() -> None:
        with slots.hold("amy"):
            started.wait()
            release.wait()

    workers = [threading.Thread(target=ingest) for _ in range(2)]
    for worker in workers:
        worker.start()
    started.wait()
    with (
        pytest.raises(LimitReached, match="2 uploads are already being indexed"),
        slots.hold("amy"),
    ):
        pass
    with slots.hold("ben"):
        pass
    release.set()
    for worker in workers:
        worker.join()
    with slots.hold("amy"):  # free again
        pass


def test_a_persona_cannot_ask_for_more_tokens_than_the_app_allows(kb: KnowledgeBase) -> None:
    persona = next(p for p in load_library() if p.id == "travel-blogger")
    generous = persona.model_copy(update={"max_tokens": 4000})
    engine = AnswerEngine(
        kb, FakeChatBackend(), EngineOptions(generation=GenerationOptions(max_tokens=256))
    )
    assert engine.generation(generous).max_tokens == 256
    assert engine.generation(persona.model_copy(update={"max_tokens": 100})).max_tokens == 100
