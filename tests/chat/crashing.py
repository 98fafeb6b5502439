"""Crash and fault test helpers: run the real `kbchat`, kill it mid-ingest, check consistency."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from knowledge.tables import DocumentStatus


def document_states(database: Path) -> list[tuple[str, int]]:
    """Each document's status and how many of its vectors are still to come."""
    if not database.exists():
        return []
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as connection:
        try:
            rows = connection.execute("SELECT status, vectors_pending FROM kb_document")
            return [(str(status).lower(), int(pending)) for status, pending in rows]
        except sqlite3.OperationalError:
            return []


def kill_mid_ingest(data_dir: Path, pdfs: list[Path], collection: str = "default") -> None:
    """Run a real `kbchat ingest` and kill -9 it once one document is done and another is
    searchable with its vectors still coming (English PDFs: the bundled model embeds them)."""
    env = {**os.environ, "KBCHAT_DATA_DIR": str(data_dir)}
    process = subprocess.Popen(
        [sys.executable, "-m", "chat", "ingest", "-c", collection, *map(str, pdfs)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            states = document_states(data_dir / "kbchat.db")
            if ("ready", 0) in states and any(s == "ready" and n > 0 for s, n in states):
                break
            assert process.poll() is None, "ingest finished before it could be interrupted"
            time.sleep(0.02)
        else:
            pytest.fail("ingest never reached the middle of a document's embedding")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()


def kbchat(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the real kbchat command on a data dir."""
    env = {**os.environ, "KBCHAT_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "chat", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def assert_consistent(data_dir: Path) -> None:
    """Registry, Chroma, stored files and lexical index hold exactly the ready documents, each
    with every vector it should have."""
    from chat.factory import build_knowledge_base
    from chat.settings import Settings

    kb = build_knowledge_base(Settings(data_dir=data_dir), recover=False)
    try:
        documents = kb.registry.documents()
        assert documents and all(d.status == DocumentStatus.READY for d in documents)
        ids = {d.doc_id for d in documents}
        for collection in {d.collection for d in documents}:
            ours = [d for d in documents if d.collection == collection]
            embedded = {d.doc_id: d.chunks - d.vectors_skipped for d in ours}
            assert all(d.vectors_pending == 0 for d in ours)
            assert kb.vectors.document_counts(kb.space(collection)) == {
                doc_id: count for doc_id, count in embedded.items() if count
            }
            indexed = {cid.split("-p")[0] for cid in kb.lexical_index(collection).chunk_ids}
            assert indexed == {d.doc_id for d in ours}
        assert {p.stem for p in kb.layout.files.glob("*.pdf")} == ids
        assert not list(kb.layout.files.glob(".*"))
        assert kb.registry.chunk_counts() == {d.doc_id: d.chunks for d in documents}
    finally:
        kb.vectors.close()
