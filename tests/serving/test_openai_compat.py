"""The OpenAI-compatible backend against a real llama.cpp server on loopback (as for vLLM)."""

from __future__ import annotations

from typing import Any

import pytest

from serving.backend import GenerationOptions, Message
from serving.errors import BackendUnavailable
from serving.factory import BackendConfig, probe_backend
from serving.openai_compat import OpenAICompatibleBackend, estimate_tokens, served_models
from tests.datasets import DRCD, PUBMED
from tests.servers import free_port

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
    assert chunks[-1].served_by == "kbchat-test"  # the server's own word on what answered


@pytest.mark.slow
def test_a_server_is_asked_which_models_it_serves(server_url: str) -> None:
    assert served_models(server_url) == ["kbchat-test"]
    assert probe_backend(BackendConfig("openai", base_url=server_url, model="kbchat-test")) is None
    wrong = probe_backend(BackendConfig("openai", base_url=server_url, model="dr-wang-gi"))
    assert wrong == "the server does not serve 'dr-wang-gi' (it serves kbchat-test)"


def test_a_server_that_is_not_there_is_said_unreachable_within_the_timeout() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(BackendUnavailable) as caught:
        served_models(url, timeout_s=1.0)
    assert caught.value.where == url and "cannot connect" in caught.value.reason
    said = probe_backend(BackendConfig("openai", base_url=url, model="m"), timeout_s=1.0)
    assert said is not None and said.startswith("cannot connect")


def test_a_refused_connection_names_the_url() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    backend = OpenAICompatibleBackend(base_url=url, model="taide", connect_timeout_s=2)
    with pytest.raises(BackendUnavailable) as caught:
        list(backend.stream(MESSAGES, GenerationOptions(max_tokens=8)))
    assert caught.value.where == url
    assert url in str(caught.value)


# Text a hospital's prompts hold that the data sets have little of: dates, times, numbers.
NUMBERS = [
    "門診時間：週一至週五 08:30-12:00、13:30-17:30；掛號電話 (02) 2312-3456 分機 5678。",
    "Visiting hours 10:00-20:00; ICU 11:00-11:30 and 19:00-19:30. Room 12B, ext. 40213.",
    "2025年3月15日 血壓 138/92 mmHg，HbA1c 7.4%，eGFR 58 mL/min/1.73m²，LDL 131 mg/dL。",
    "身分證 A123456789、病歷號 0012345678、健保卡 000012345678；費用 NT$12,345.00。",
]


def _real_texts() -> list[str]:
    """Whole pages of drcd-dev (Chinese) and pubmedqa-dev (English), and the lines above."""
    from knowledge.formats.parse import parse_document

    pdfs = [DRCD / f"drcd-dev-{n:03d}.pdf" for n in (0, 17, 38)]
    pdfs += [PUBMED / f"pubmed-dev-{n:03d}.pdf" for n in (0, 9, 19)]
    return [page for pdf in pdfs for page in parse_document(pdf).texts() if page] + NUMBERS


@pytest.mark.slow
def test_the_token_estimate_errs_high_against_the_real_tokenizer(llama_backend: Any) -> None:
    texts = _real_texts()
    under = [
        (estimate_tokens(text), llama_backend.count_tokens(text), text[:60])
        for text in texts
        if estimate_tokens(text) < llama_backend.count_tokens(text)
    ]
    assert len(texts) > 50
    assert not under, f"the estimate is below Qwen2.5's real count for {len(under)}: {under[:3]}"
