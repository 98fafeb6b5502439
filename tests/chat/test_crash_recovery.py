"""kill -9 in the middle of a real `kbchat ingest` leaves no half-indexed document."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.base import KnowledgeBase
from knowledge.registry import DocumentStatus
from tests.conftest import DRCD


def _statuses(database: Path) -> list[str]:
    if not database.exists():
        return []
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as connection:
        try:
            rows = connection.execute("SELECT status FROM kb_document")
            return [str(row[0]).lower() for row in rows]
        except sqlite3.OperationalError:
            return []


@pytest.mark.slow
def test_kill_9_mid_ingest_then_restart_is_consistent(
    tmp_path: Path, make_kb: Callable[..., KnowledgeBase]
) -> None:
    data_dir = tmp_path / "data"
    env = {**os.environ, "KBCHAT_DATA_DIR": str(data_dir)}
    pdfs = [str(p) for p in sorted(DRCD.glob("*.pdf"))[:8]]
    process = subprocess.Popen(
        [sys.executable, "-m", "chat", "ingest", *pdfs],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            statuses = _statuses(data_dir / "kbchat.db")
            if "ready" in statuses and "indexing" in statuses:
                break
            assert process.poll() is None, "ingest finished before it could be interrupted"
            time.sleep(0.05)
        else:
            pytest.fail("ingest never reached the middle of a document")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()

    assert "indexing" in _statuses(data_dir / "kbchat.db")
    kb = make_kb(data_dir)  # a restart: opening the knowledge base recovers
    documents = kb.registry.documents()
    assert documents, "the documents finished before the kill must survive"
    assert all(d.status == DocumentStatus.READY for d in documents)
    ids = {d.doc_id for d in documents}
    assert kb.vectors.document_ids(kb.space("default")) == ids
    assert kb.vectors.count(kb.space("default")) == sum(d.chunks for d in documents)
    assert {p.stem for p in kb.files.root.glob("*.pdf")} == ids
    assert {cid.split("-p")[0] for cid, _ in kb.registry.ready_chunks("default")} == ids
    assert all(hit.doc_id in ids for hit in kb.search("梵語", k=10))
