"""The web app's embedding thread: an upload searchable by words gets its vectors in the
background, and the state is said in English and Traditional Chinese."""

from __future__ import annotations

from chat.background_embedder import BackgroundEmbedder, meaning_index
from knowledge import VectorState, vector_state
from knowledge.base import KnowledgeBase
from tests.datasets import DRCD, PUBMED


def test_the_thread_embeds_pending_uploads_and_stops(kb: KnowledgeBase) -> None:
    english = kb.ingest(PUBMED / "pubmed-dev-000.pdf", embed=False)
    chinese = kb.ingest(DRCD / "drcd-dev-000.pdf", embed=False)
    pending = kb.registry.get(english.doc_id)
    assert pending is not None and meaning_index(pending) == "meaning index queued"
    worker = BackgroundEmbedder(lambda: kb)
    try:
        worker.wake()
        assert worker.wait_idle(180)
    finally:
        worker.stop()
    done, words = kb.registry.get(english.doc_id), kb.registry.get(chinese.doc_id)
    assert done is not None and vector_state(done) == VectorState.DONE
    assert kb.vectors.document_counts(kb.space("default")) == {
        english.doc_id: done.chunks - done.vectors_skipped
    }
    assert (meaning_index(done), meaning_index(done, "zh-TW")) == (
        "meaning index done",
        "語意索引完成",
    )
    assert words is not None
    assert (meaning_index(words), meaning_index(words, "zh-TW")) == ("words only", "僅以字詞搜尋")


def test_a_partly_embedded_document_says_how_far_it_is(kb: KnowledgeBase) -> None:
    result = kb.ingest(PUBMED / "pubmed-dev-000.pdf", embed=False)
    document = kb.registry.get(result.doc_id)
    assert document is not None
    kb.registry.record_embedded(result.doc_id, document.vectors_pending // 2)
    half = kb.registry.get(result.doc_id)
    assert half is not None and meaning_index(half) in {"meaning index 50%", "meaning index 49%"}
    assert meaning_index(half, "zh-TW").startswith("語意索引 ")
