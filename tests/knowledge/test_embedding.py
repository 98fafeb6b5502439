"""The real embedder used from many threads at once, as the web app's uploads use it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from knowledge.embedding import Embedder
from tests.pdfs import HOSPITAL_EN, HOSPITAL_ZH


def test_concurrent_batches_give_the_same_vectors_as_one_at_a_time(embedder: Embedder) -> None:
    batches = [list(page) for page in (*HOSPITAL_ZH, *HOSPITAL_EN)] * 3
    alone = [embedder.embed_documents(batch) for batch in batches]
    with ThreadPoolExecutor(max_workers=6) as pool:
        together = list(pool.map(embedder.embed_documents, batches))
        queries = list(pool.map(embedder.embed_query, ["門診時間", "parking"] * 4))
    for one, other in zip(alone, together, strict=True):
        np.testing.assert_allclose(one, other, atol=1e-5)
    assert all(query.shape == (alone[0].shape[1],) for query in queries)
