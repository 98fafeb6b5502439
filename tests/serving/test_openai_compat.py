"""The OpenAI-compatible backend against a real llama.cpp server on loopback (as for vLLM)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from serving.backend import GenerationOptions, Message
from serving.errors import BackendUnavailable
from serving.openai_compat import OpenAICompatibleBackend, estimate_tokens
from tests.servers import free_port, running_server


@pytest.fixture(scope="module")
def server_url(bundled_model: Path) -> Iterator[str]:
    """`python -m llama_cpp.server` with the bundled model, on a free loopback port."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/v1"
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(bundled_model)]
    command += ["--model_alias", "kbchat-test", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--n_ctx", "2048", "--n_threads", "2"]
    with running_server(command, f"{base}/models"):
        yield base


MESSAGES: list[Message] = [
    {"role": "system", "content": "Answer from the context only, in one short sentence."},
    {
        "role": "user",
        "content": "Context: Visiting hours are 10 am to 8 pm.\nQ: When do visiting hours end?",
    },
]


@pytest.mark.slow
def test_streams_an_answer_with_usage_from_a_real_server(server_url: str) -> None:
    backend = OpenAICompatibleBackend(base_url=server_url, model="kbchat-test")
    chunks = list(backend.stream(MESSAGES, GenerationOptions(max_tokens=32, temperature=0.0)))
    text = "".join(chunk.text for chunk in chunks)
    assert "8" in text or "eight" in text.lower()
    assert chunks[-1].finish_reason in {"stop", "length"}
    assert backend.model_name == "kbchat-test"


def test_a_refused_connection_names_the_url() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    backend = OpenAICompatibleBackend(base_url=url, model="taide", connect_timeout_s=2)
    with pytest.raises(BackendUnavailable) as caught:
        list(backend.stream(MESSAGES, GenerationOptions(max_tokens=8)))
    assert caught.value.where == url
    assert url in str(caught.value)


def test_token_estimate_counts_cjk_per_character_and_errs_high_for_latin() -> None:
    assert estimate_tokens("門診時間") == 4
    assert estimate_tokens("visiting hours") >= 2
