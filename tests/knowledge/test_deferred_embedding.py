"""A document is searchable by words as soon as it is stored; its vectors follow
(``embed_pending``), only for chunks the embedder reads, resumably and never outliving it."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from knowledge import VectorState, vector_state
from knowledge.base import KnowledgeBase
from knowledge.embedding import embeddable
from knowledge.errors import KnowledgeError
from knowledge.tables import DocumentStatus
from tests.datasets import DRCD, HOSPITAL_GUIDE, PUBMED

QUESTION = "Is oral endotracheal intubation efficacy impaired in the helicopter environment?"


def _vector_ids(kb: KnowledgeBase, doc_id: str) -> list[str]:
    return kb.vectors.document_vectors(kb.space("default"), doc_id)[0]


def test_a_document_is_searchable_by_words_before_it_is_embedded(kb: KnowledgeBase) -> None:
    result = kb.ingest(PUBMED / "pubmed-dev-000.pdf", embed=False)
    document = kb.registry.get(result.doc_id)
    assert document is not None and document.status == DocumentStatus.READY
    assert vector_state(document) == VectorState.PENDING
    assert _vector_ids(kb, result.doc_id) == []
    hits = kb.search(QUESTION, k=3)
    assert (hits[0].file, hits[0].page) == ("pubmed-dev-000.pdf", 1)
    assert kb.search_chunks(QUESTION, ["default"])[1] == []  # no dense side yet, no error


def test_embed_pending_completes_it_and_dense_hits_appear(kb: KnowledgeBase) -> None:
    result = kb.ingest(PUBMED / "pubmed-dev-000.pdf", embed=False)
    assert kb.embed_pending() == 1
    document = kb.registry.get(result.doc_id)
    assert document is not None and vector_state(document) == VectorState.DONE
    wanted = embeddable(kb.embedder, kb.registry.chunks_of(result.doc_id))
    assert wanted
    assert _vector_ids(kb, result.doc_id) == sorted(row.chunk_id for row in wanted)
    dense = kb.search_chunks(QUESTION, ["default"])[1]
    assert dense and dense[0][0].startswith(result.doc_id)
    assert kb.embed_pending() == 0  # nothing left to do


def test_a_bilingual_page_is_embedded_for_its_english(kb: KnowledgeBase) -> None:
    result = kb.ingest(HOSPITAL_GUIDE)  # each page in Traditional Chinese and English
    document = kb.registry.get(result.doc_id)
    assert document is not None and (document.vectors_skipped, document.vectors_pending) == (0, 0)
    assert kb.vectors.count(kb.space("default")) == result.chunks
    hit = kb.search("How long should I fast before a blood test?", k=1)[0]
    assert hit.page == 3 and hit.similarity > 0.3


def test_chinese_chunks_are_not_embedded_by_the_english_only_model(kb: KnowledgeBase) -> None:
    result = kb.ingest(DRCD / "drcd-dev-000.pdf", embed=False)
    document = kb.registry.get(result.doc_id)
    assert document is not None
    assert (document.vectors_skipped, document.vectors_pending) == (result.chunks, 0)
    assert vector_state(document) == VectorState.WORDS_ONLY
    assert kb.embed_pending() == 0
    assert kb.vectors.count(kb.space("default")) == 0
    hits = kb.search("陸特和漢斯雷頓開創了哪一地區對梵語的學術研究？", k=3)
    assert (hits[0].file, hits[0].page) == ("drcd-dev-000.pdf", 1)


def test_a_crash_mid_embedding_is_resumed_on_restart_not_purged(
    make_kb: Callable[..., KnowledgeBase],
) -> None:
    kb = make_kb()
    result = kb.ingest(PUBMED / "pubmed-dev-000.pdf", embed=False)
    document = kb.registry.get(result.doc_id)
    assert document is not None
    wanted = embeddable(kb.embedder, kb.registry.chunks_of(result.doc_id))
    kb.embed_chunks(document, wanted[:10], None)  # then the process is killed
    reopened = make_kb()  # opening recovers half-done documents
    left = reopened.registry.get(result.doc_id)
    assert left is not None and left.status == DocumentStatus.READY
    assert vector_state(left) == VectorState.PARTIAL
    assert left.vectors_pending == len(wanted) - 10
    assert reopened.embed_pending() == 1
    assert _vector_ids(reopened, result.doc_id) == sorted(row.chunk_id for row in wanted)


def test_a_document_being_embedded_cannot_be_removed_until_done_and_leaves_no_vectors(
    kb: KnowledgeBase,
) -> None:
    result = kb.ingest(PUBMED / "pubmed-dev-000.pdf", embed=False)
    started, release = threading.Event(), threading.Event()

    def hold_after_first_batch(_stage: str, _done: int, _total: int) -> None:
        started.set()
        release.wait(60)

    worker = threading.Thread(target=kb.embed_pending, args=(hold_after_first_batch,))
    worker.start()
    try:
        assert started.wait(120)
        with pytest.raises(KnowledgeError, match="right now"):
            kb.remove(result.doc_id)
    finally:
        release.set()
        worker.join(120)
    kb.remove(result.doc_id)
    assert kb.vectors.document_counts(kb.space("default")) == {}


def test_a_document_removed_before_its_turn_is_not_embedded(kb: KnowledgeBase) -> None:
    result = kb.ingest(PUBMED / "pubmed-dev-000.pdf", embed=False)
    kb.remove(result.doc_id)
    assert kb.embed_pending() == 0
    assert kb.vectors.count(kb.space("default")) == 0
