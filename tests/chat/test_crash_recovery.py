"""kill -9 in the middle of a real `kbchat ingest` loses nothing: documents already stored
stay searchable, and their vectors are completed where the embedding stopped."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.base import KnowledgeBase
from knowledge.tables import DocumentStatus
from tests.chat.crashing import assert_consistent, document_states, kbchat, kill_mid_ingest
from tests.datasets import PUBMED


@pytest.mark.slow
def test_kill_9_mid_embedding_then_restart_resumes(
    tmp_path: Path, make_kb: Callable[..., KnowledgeBase]
) -> None:
    data_dir = tmp_path / "data"
    kill_mid_ingest(data_dir, sorted(PUBMED.glob("*.pdf"))[:8])

    kb = make_kb(data_dir)  # a restart: opening the knowledge base recovers
    documents = kb.registry.documents()
    assert documents and all(d.status == DocumentStatus.READY for d in documents)
    waiting = [d for d in documents if d.vectors_pending]
    assert waiting, "the document being embedded keeps its place, not purged"
    ids = {d.doc_id for d in documents}
    assert {hit.doc_id for hit in kb.search("helicopter intubation", k=10)} <= ids
    assert kb.embed_pending() == len(waiting)
    assert all(not d.vectors_pending for d in kb.registry.documents())
    assert kb.vectors.document_ids(kb.space("default")) == ids
    assert kb.vectors.count(kb.space("default")) == sum(
        d.chunks - d.vectors_skipped for d in documents
    )
    kb.vectors.close()
    assert_consistent(data_dir)


@pytest.mark.slow
def test_kill_9_mid_embedding_then_ingest_again_completes_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    pdfs = sorted(PUBMED.glob("*.pdf"))[8:14]
    kill_mid_ingest(data_dir, pdfs)
    assert any(pending for _, pending in document_states(data_dir / "kbchat.db"))

    checked = kbchat(data_dir, "doctor", "--json")  # vectors still to come are no damage
    report = json.loads(checked.stdout)
    assert {p["kind"] for p in report["problems"]} <= {"staging-leftover"}, report

    again = kbchat(data_dir, "ingest", *map(str, pdfs), "--json")
    assert again.returncode == 0, again.stdout + again.stderr
    statuses = [r["status"] for r in json.loads(again.stdout)]
    assert "unchanged" in statuses and set(statuses) <= {"unchanged", "added"}
    assert all(pending == 0 for _, pending in document_states(data_dir / "kbchat.db"))
    repaired = kbchat(data_dir, "doctor", "--repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert_consistent(data_dir)
