"""The in-process llama.cpp backend on the real bundled model."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from serving.backend import GenerationOptions, Message
from serving.errors import ModelFileError
from serving.llamacpp import LlamaCppBackend

pytestmark = pytest.mark.slow

GREEDY = GenerationOptions(max_tokens=48, temperature=0.0)
CLINIC: list[Message] = [
    {"role": "system", "content": "你是醫院的服務台助理。只根據資料回答，用繁體中文，一句話。"},
    {
        "role": "user",
        "content": "資料：本院門診時間為週一至週五上午八點至下午五點。\n問題：門診下午幾點結束？",
    },
]


def test_streams_a_grounded_chinese_answer_with_usage(llama_backend: LlamaCppBackend) -> None:
    chunks = list(llama_backend.stream(CLINIC, GREEDY))
    text = "".join(chunk.text for chunk in chunks)
    assert "五" in text or "5" in text
    last = chunks[-1]
    assert last.usage is not None
    assert last.usage.completion_tokens == len([c for c in chunks if c.text])
    assert last.usage.prompt_tokens > 20
    assert last.finish_reason in {"stop", "length"}


def test_cancel_stops_generation_early(llama_backend: LlamaCppBackend) -> None:
    cancel = threading.Event()
    long_answer = GenerationOptions(max_tokens=200, temperature=0.0)
    story: list[Message] = [{"role": "user", "content": "Write a long story about a hospital."}]
    received = []
    for chunk in llama_backend.stream(story, long_answer, cancel=cancel):
        received.append(chunk)
        if len(received) == 3:
            cancel.set()
    assert received[-1].finish_reason == "cancelled"
    assert received[-1].usage is not None and received[-1].usage.completion_tokens <= 4


def test_a_second_request_waits_its_turn_and_is_told(llama_backend: LlamaCppBackend) -> None:
    first_started = threading.Event()
    answers: dict[str, str] = {}
    places: list[int] = []

    def first() -> None:
        parts = []
        for chunk in llama_backend.stream(CLINIC, GREEDY):
            first_started.set()
            parts.append(chunk.text)
        answers["first"] = "".join(parts)

    thread = threading.Thread(target=first)
    thread.start()
    assert first_started.wait(timeout=120)
    second = "".join(c.text for c in llama_backend.stream(CLINIC, GREEDY, on_queue=places.append))
    thread.join(timeout=120)
    assert places and places[0] == 1
    assert second == answers["first"]


def test_counts_tokens_with_the_model_tokenizer(llama_backend: LlamaCppBackend) -> None:
    assert 0 < llama_backend.count_tokens("門診時間") < llama_backend.count_tokens("門診時間" * 10)


def test_a_missing_gguf_is_named(tmp_path: Path) -> None:
    backend = LlamaCppBackend(tmp_path / "taide-8b.gguf")
    with pytest.raises(ModelFileError, match="no such model file") as caught:
        backend.load()
    assert caught.value.path.name == "taide-8b.gguf"


def test_the_prompt_cache_stays_under_its_cap_counting_the_saved_logits(
    bundled_model: Path,
) -> None:
    cap_mb = 700
    backend = LlamaCppBackend(bundled_model, n_ctx=2048, n_threads=2, prompt_cache_mb=cap_mb)
    personas = [
        "你是醫院的服務台助理。",
        "你是牙醫師。",
        "You are a film critic.",
        "你是動物學家。",
    ]
    for persona in personas:
        asked: list[Message] = [{"role": "system", "content": persona * 60}, CLINIC[1]]
        list(backend.stream(asked, GenerationOptions(max_tokens=4, temperature=0.0)))
    cache = backend.load().cache
    states = list(cache.cache_state.values())
    assert states, "nothing was cached"
    held = sum(state.llama_state_size + state.scores.nbytes for state in states)
    assert cache.cache_size == held <= cap_mb << 20
    assert len(states) < len(personas), "all four states with their logits do not fit in 700 MB"
