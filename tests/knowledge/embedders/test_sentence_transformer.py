"""The real embedder used from many threads at once, as the web app's uploads and questions are."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest

from knowledge.embedders.sentence_transformer import SentenceTransformerEmbedder
from tests.pdfs import HOSPITAL_EN, HOSPITAL_ZH


class EncodeSpy:
    """Wraps the real model's ``encode`` and records how many passage batches and queries ran
    at the same time (a query is one text; a passage batch is more)."""

    def __init__(self, encode: Callable[..., Any]) -> None:
        self._encode, self._lock = encode, threading.Lock()
        self.running = {"batch": 0, "query": 0}
        self.most_batches = 0
        self.queries_during_a_batch = 0

    def __call__(self, texts: Sequence[str], **kwargs: Any) -> Any:
        kind = "query" if len(texts) == 1 else "batch"
        with self._lock:
            self.running[kind] += 1
            self.most_batches = max(self.most_batches, self.running["batch"])
        try:
            result = self._encode(texts, **kwargs)
        finally:
            with self._lock:
                if kind == "query" and self.running["batch"]:
                    self.queries_during_a_batch += 1
                self.running[kind] -= 1
        return result


@pytest.fixture
def spied() -> tuple[SentenceTransformerEmbedder, EncodeSpy]:
    """A fresh bundled embedder whose real model's ``encode`` is watched."""
    from chat.factory import build_embedder
    from chat.settings import Settings

    embedder = build_embedder(Settings())
    assert isinstance(embedder, SentenceTransformerEmbedder)
    embedder.embed_query("warm up")  # loads the model
    model = embedder._load()
    spy = EncodeSpy(model.encode)
    model.encode = spy
    return embedder, spy


def test_passage_batches_run_one_at_a_time_and_queries_do_not_wait_for_them(
    spied: tuple[SentenceTransformerEmbedder, EncodeSpy],
) -> None:
    embedder, spy = spied
    pages = [list(page) for page in (*HOSPITAL_ZH, *HOSPITAL_EN)]
    batches = [[" ".join(page) * 8] * 24 for page in pages] * 2  # long enough to overlap
    questions = ["門診時間", "parking", "探病時間", "pharmacy"] * 3
    alone = [embedder.embed_documents(batch) for batch in batches]
    query_alone = {q: embedder.embed_query(q) for q in set(questions)}

    def ask_while_batches_run() -> list[Any]:
        answers = []
        for question in questions:
            time.sleep(0.05)
            answers.append(embedder.embed_query(question))
        return answers

    with ThreadPoolExecutor(max_workers=len(batches) + 1) as pool:
        asked = pool.submit(ask_while_batches_run)
        together = list(pool.map(embedder.embed_documents, batches))
        answers = asked.result()

    assert spy.most_batches == 1, "two passage batches were encoded at the same time"
    assert spy.queries_during_a_batch > 0, "every query waited for the passage batches"
    for one, other in zip(alone, together, strict=True):
        np.testing.assert_allclose(one, other, atol=1e-5)
    for question, answer in zip(questions, answers, strict=True):
        np.testing.assert_allclose(answer, query_alone[question], atol=1e-5)
