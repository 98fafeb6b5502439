"""The in-process llama.cpp backend on the real bundled model."""

from __future__ import annotations

import os
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


def _chatml(messages: list[Message]) -> str:
    """Qwen2.5's chat template written out by hand, as its model card gives it."""
    turns = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
    return turns + "<|im_start|>assistant\n"


def test_streams_a_grounded_chinese_answer_with_usage(llama_backend: LlamaCppBackend) -> None:
    chunks = list(llama_backend.stream(CLINIC, GREEDY))
    text = "".join(chunk.text for chunk in chunks)
    assert "五" in text or "5" in text
    last = chunks[-1]
    assert last.usage is not None and last.finish_reason == "stop"
    # Counted independently: the prompt through the hand-written template, the answer's text
    # through the tokenizer, plus the end-of-turn token the model sampled to stop.
    assert last.usage.prompt_tokens == llama_backend.count_tokens(_chatml(CLINIC))
    assert last.usage.completion_tokens == llama_backend.count_tokens(text) + 1


def test_a_character_split_across_tokens_reaches_the_stream_whole(
    llama_backend: LlamaCppBackend,
) -> None:
    rare = "龘靐齉"  # characters the vocabulary holds only as byte pieces
    llama = llama_backend.load()
    split = [
        token
        for token in llama.tokenize(rare.encode("utf-8"), add_bos=False)
        if not _whole_utf8(llama.detokenize([token]))
    ]
    assert split, "the test needs a character that spans tokens"
    echo: list[Message] = [{"role": "user", "content": f"只輸出這三個字，不要其他文字：{rare}"}]
    pieces = [chunk.text for chunk in llama_backend.stream(echo, GREEDY) if chunk.text]
    assert "\ufffd" not in "".join(pieces)
    assert any(char in "".join(pieces) for char in rare)


def _whole_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_a_cut_off_answer_counts_exactly_the_tokens_allowed(
    llama_backend: LlamaCppBackend,
) -> None:
    story: list[Message] = [
        {"role": "system", "content": "你是作家。"},
        {"role": "user", "content": "請寫一篇很長的醫院故事，至少五百字。"},
    ]
    chunks = list(llama_backend.stream(story, GenerationOptions(max_tokens=37, temperature=0.0)))
    last = chunks[-1]
    assert last.finish_reason == "length" and last.usage is not None
    assert last.usage.completion_tokens == 37
    assert last.usage.prompt_tokens == llama_backend.count_tokens(_chatml(story))


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


def _resident_bytes() -> int:
    """This process's resident memory, from the kernel."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def test_the_prompt_cache_keeps_the_process_within_its_cap(bundled_model: Path) -> None:
    # A cached prompt state of the bundled model holds 100-170 MB here (its KV state and the
    # logits saved with it, one row per prompt token), so eight more personas in turn must
    # grow the process by less than the 200 MB cap; a cache that counts only the KV state
    # keeps them all and grows by about 1.1 GB.
    cap_mb = 200
    backend = LlamaCppBackend(bundled_model, n_ctx=2048, n_threads=2, prompt_cache_mb=cap_mb)
    personas = ["服務台助理", "牙醫師", "film critic", "動物學家", "藥師", "physiotherapist"]

    def ask(persona: str) -> None:
        asked: list[Message] = [{"role": "system", "content": f"你是{persona}。" * 40}, CLINIC[1]]
        list(backend.stream(asked, GenerationOptions(max_tokens=4, temperature=0.0)))

    ask("醫師")  # loads the model, allocates llama.cpp's buffers and caches one state
    before = _resident_bytes()
    for persona in [*personas, "護理師", "營養師"]:
        ask(persona)
    grown_mb = (_resident_bytes() - before) / 2**20
    assert grown_mb < cap_mb, f"the process grew by {grown_mb:.0f} MB over eight cached prompts"
