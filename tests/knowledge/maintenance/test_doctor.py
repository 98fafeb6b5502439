"""kbchat's consistency check finds every kind of disagreement, and repair leaves it clean."""

from __future__ import annotations

import os

import numpy as np

from knowledge import model_key
from knowledge.base import KnowledgeBase
from knowledge.maintenance.doctor import diagnose, repair
from knowledge.tables import Chunk, Document
from tests.datasets import DRCD, PUBMED

DEAD_PID = 4_000_000  # above Linux's pid_max, so never a live process


def _agrees(kb: KnowledgeBase) -> None:
    """Registry, vectors, files and lexical index hold exactly the ready documents."""
    documents = kb.documents()
    for collection in {d.collection for d in documents}:
        ids = {d.doc_id for d in documents if d.collection == collection}
        counts = kb.vectors.document_counts(kb.space(collection))
        # Chinese chunks have no vectors under the English-only bundled model.
        wanted = {d.doc_id: d.chunks - d.vectors_skipped for d in documents}
        assert counts == {doc_id: n for doc_id, n in wanted.items() if n and doc_id in ids}
        lexical = {cid.split("-p")[0] for cid in kb.lexical_index(collection).chunk_ids}
        assert lexical == ids
    assert {p.stem for p in kb.layout.files.glob("*.pdf")} == {d.doc_id for d in documents}
    assert not list(kb.layout.files.glob(".*"))


def test_a_sound_knowledge_base_is_clean(kb: KnowledgeBase) -> None:
    kb.ingest(DRCD / "drcd-dev-000.pdf")
    kb.ingest(PUBMED / "pubmed-dev-000.pdf", collection="med")
    found = diagnose(kb)
    assert found.clean, found.problems
    assert found.checked["documents"] == 2 and found.checked["files"] == 2
    english = next(d for d in kb.documents() if d.collection == "med")
    assert found.checked["vectors"] == english.chunks > 0


def test_every_disagreement_is_found_and_repaired(kb: KnowledgeBase) -> None:
    kept = kb.ingest(DRCD / "drcd-dev-000.pdf")
    thinned = kb.ingest(PUBMED / "pubmed-dev-001.pdf")  # English: it has vectors
    lost = kb.ingest(PUBMED / "pubmed-dev-000.pdf", collection="med")
    kb.search("梵語", ["default"])  # builds the lexical index of the current generation
    space = kb.space("default")
    before_ids, before = kb.vectors.document_vectors(space, thinned.doc_id)
    # A crash mid-ingest: the row, its chunks and some vectors, never made ready.
    half = Document(
        doc_id="f" * 64, filename="half.pdf", collection="default", pages=1, size_bytes=1,
        uploaded_by="test", chunks=1,
    )  # fmt: skip
    kb.registry.add_indexing(
        half,
        [
            Chunk(
                chunk_id=f"{'f' * 64}-p1-c0",
                doc_id="f" * 64,
                collection="default",
                page=1,
                ordinal=0,
                text="半",
            )
        ],  # fmt: skip
    )
    vector = np.ones((1, 384), dtype=np.float32)
    kb.vectors.upsert(space, [f"{'f' * 64}-p1-c0"], vector, ["f" * 64])
    # Orphans: vectors of a document nobody has, in a collection the registry never knew.
    gone_space = f"gone--{model_key(kb.embedder.model_id)}"
    kb.vectors.upsert(gone_space, ["x-p1-c0"], vector, ["e" * 64])
    kb.vectors.upsert(space, ["y-p1-c0"], vector, ["d" * 64])
    # A ready document lost vectors; another lost its PDF.
    kb.vectors.delete_document(space, thinned.doc_id)
    kb.vectors.upsert(space, before_ids[:3], before[:3], [thinned.doc_id] * 3)
    kb.files.path(lost.doc_id, "pdf").unlink()
    # Leftovers of killed writers, and files nobody owns.
    (kb.layout.files / f"{'c' * 64}.pdf").write_bytes(b"%PDF-1.4")
    (kb.layout.files / f".{'b' * 64}.{DEAD_PID}.tmp").write_bytes(b"%PDF")
    (kb.layout.files / f".{'a' * 64}.{os.getpid()}.tmp").write_bytes(b"%PDF")  # a live writer
    lexical = kb.layout.lexical / "default"
    (lexical / "gen-1").mkdir()
    (lexical / f"gen-9.tmp-{DEAD_PID}-1").mkdir()
    (kb.layout.lexical / "gone" / "gen-2").mkdir(parents=True)

    found = diagnose(kb)
    kinds = sorted((p.kind, p.subject.rsplit("/", 1)[-1][:12]) for p in found.problems)
    assert kinds == sorted(
        [
            ("unfinished", "f" * 12),
            ("orphan-vectors", "e" * 12),
            ("orphan-vectors", "d" * 12),
            ("vector-mismatch", thinned.doc_id[:12]),
            ("missing-file", lost.doc_id[:12]),
            ("orphan-file", "c" * 12),
            ("staging-leftover", "." + "b" * 11),
            ("stale-lexical", "gen-1"),
            ("staging-leftover", f"gen-9.tmp-{str(DEAD_PID)[:2]}"),
            ("stale-lexical", "gen-2"),
        ]
    )

    done = repair(kb, found)
    assert any("re-embedded" in line for line in done)
    (kb.layout.files / f".{'a' * 64}.{os.getpid()}.tmp").unlink()  # the live writer finishes
    assert diagnose(kb).clean, diagnose(kb).problems
    assert [d.doc_id for d in kb.documents()] == [thinned.doc_id, kept.doc_id]
    after_ids, after = kb.vectors.document_vectors(space, thinned.doc_id)
    assert after_ids == before_ids
    np.testing.assert_allclose(after, before, atol=1e-5)  # the same model, the same vectors
    assert kb.vectors.count(gone_space) == 0
    _agrees(kb)
