"""kill -9 in the middle of a real `kbchat ingest` leaves no half-indexed document."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.base import KnowledgeBase
from knowledge.tables import DocumentStatus
from tests.chat.crashing import assert_consistent, document_statuses, kbchat, kill_mid_ingest
from tests.datasets import DRCD


@pytest.mark.slow
def test_kill_9_mid_ingest_then_restart_is_consistent(
    tmp_path: Path, make_kb: Callable[..., KnowledgeBase]
) -> None:
    data_dir = tmp_path / "data"
    kill_mid_ingest(data_dir, sorted(DRCD.glob("*.pdf"))[:8])

    assert "indexing" in document_statuses(data_dir / "kbchat.db")
    kb = make_kb(data_dir)  # a restart: opening the knowledge base recovers
    documents = kb.registry.documents()
    assert documents, "the documents finished before the kill must survive"
    assert all(d.status == DocumentStatus.READY for d in documents)
    ids = {d.doc_id for d in documents}
    assert kb.vectors.document_ids(kb.space("default")) == ids
    assert kb.vectors.count(kb.space("default")) == sum(d.chunks for d in documents)
    assert {p.stem for p in kb.layout.files.glob("*.pdf")} == ids
    assert {cid.split("-p")[0] for cid, _ in kb.registry.ready_chunks("default")} == ids
    assert all(hit.doc_id in ids for hit in kb.search("梵語", k=10))


@pytest.mark.slow
def test_kill_9_mid_ingest_then_doctor_reports_and_repairs(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    kill_mid_ingest(data_dir, sorted(DRCD.glob("*.pdf"))[8:14])

    checked = kbchat(data_dir, "doctor", "--json")  # doctor does not recover on opening
    assert checked.returncode == 1, checked.stderr
    report = json.loads(checked.stdout)
    assert not report["clean"]
    assert "unfinished" in {p["kind"] for p in report["problems"]}
    assert {p["kind"] for p in report["problems"]} <= {"unfinished", "staging-leftover"}

    repaired = kbchat(data_dir, "doctor", "--repair", "--json")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert json.loads(repaired.stdout)["clean"]
    assert any(
        "purged half-done document" in line for line in json.loads(repaired.stdout)["repaired"]
    )
    again = kbchat(data_dir, "doctor")
    assert again.returncode == 0 and "clean" in again.stdout
    assert_consistent(data_dir)
