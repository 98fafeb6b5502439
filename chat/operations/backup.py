"""``kbchat backup``: a consistent snapshot of a running kbchat, written as one folder.

The database is read in one transaction; the stored PDFs, lexical indexes and vectors of
that snapshot's ready documents follow. A document removed before its PDF could be copied
is left out entirely. The folder is staged beside OUT and renamed into place when complete.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from chat.database import open_database
from chat.factory import build_embedder
from chat.operations.db_snapshot import Rows, read_tables
from chat.settings import Settings
from knowledge import process_lock
from knowledge.base import sha256_file
from knowledge.embedding import model_key
from knowledge.errors import KnowledgeError
from knowledge.files import DocumentLocks
from knowledge.vector_store import ChromaVectorStore, VectorStore, embedded_lock_path

logger = logging.getLogger(__name__)

MANIFEST = "manifest.json"
_LOCK_WAIT_S = 30.0


class BackupError(KnowledgeError):
    """A backup could not be written or read; nothing was changed."""


@dataclass
class Snapshot:
    """What goes into a backup: rows by table, and the ready documents they hold."""

    tables: dict[str, Rows]
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    omitted: set[str] = field(default_factory=set)
    touched: set[str] = field(default_factory=set)
    """Collections whose lexical index on disk still holds a left-out document."""

    def drop_documents(self, doc_ids: set[str]) -> None:
        """Leave these documents out, their rows and chunks too."""
        self.omitted |= doc_ids
        self.touched |= {
            r["collection"] for r in self.tables.get("kb_document", []) if r["doc_id"] in doc_ids
        }
        for name in ("kb_chunk", "kb_document"):
            self.tables[name] = [r for r in self.tables.get(name, []) if r["doc_id"] not in doc_ids]
        for doc_id in doc_ids:
            self.documents.pop(doc_id, None)


def space_of(settings: Settings, collection: str) -> str:
    """A collection's vector space under the configured embedding model (model not loaded)."""
    return f"{collection}--{model_key(build_embedder(settings).model_id)}"


def create_backup(settings: Settings, out: Path) -> dict[str, Any]:
    """Write a backup of the data dir and database to the new folder ``out``; its manifest."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError(f"{out} exists and is not empty; choose a new folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        manifest = _write(settings, staging)
        if out.exists():
            out.rmdir()  # empty, checked above
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def _write(settings: Settings, staging: Path) -> dict[str, Any]:
    started = time.monotonic()
    snapshot = _snapshot(read_tables(open_database(settings.resolved_database_url)))
    _copy_pdfs(settings, snapshot, staging / "files")
    vectors = _save_vectors(settings, snapshot, staging / "vectors")
    lexical = _copy_lexical(settings, snapshot, staging / "lexical")
    (staging / "db").mkdir()
    for name, rows in snapshot.tables.items():
        lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        (staging / "db" / f"{name}.jsonl").write_text(lines, encoding="utf-8")
    files = {
        str(path.relative_to(staging)): sha256_file(path)
        for path in sorted(staging.rglob("*"))
        if path.is_file()
    }
    manifest = {
        "kbchat_backup": 1,
        "kbchat_version": importlib.metadata.version("kbchat"),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": _dialect(settings),
        "embedding_model": build_embedder(settings).model_id,
        **vectors,
        "lexical": lexical,
        "omitted_documents": sorted(snapshot.omitted),
        "counts": {
            "documents": len(snapshot.documents),
            "rows": {name: len(rows) for name, rows in snapshot.tables.items()},
            "files": len(files),
            "bytes": sum((staging / name).stat().st_size for name in files),
        },
        "seconds": round(time.monotonic() - started, 2),
        "files": files,
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    return manifest


def _dialect(settings: Settings) -> str:
    """``sqlite`` or ``postgresql``: what the backup was read from."""
    return settings.resolved_database_url.split(":", 1)[0].split("+", 1)[0]


def _snapshot(tables: dict[str, Rows]) -> Snapshot:
    """The snapshot without documents that were not ready (being ingested or removed)."""
    snapshot = Snapshot(tables)
    unready = set()
    for row in tables.get("kb_document", []):
        if str(row["status"]).lower() == "ready":
            snapshot.documents[row["doc_id"]] = row
        else:
            unready.add(row["doc_id"])
    snapshot.drop_documents(unready)
    # Never searchable, so neither "omitted" nor in any lexical index.
    snapshot.omitted.clear()
    snapshot.touched.clear()
    return snapshot


def _copy_pdfs(settings: Settings, snapshot: Snapshot, target: Path) -> None:
    """Copy each document's PDF under its lock; drop documents removed in the meantime."""
    target.mkdir()
    locks = DocumentLocks(settings.data_dir / "locks")
    gone = set()
    for doc_id in sorted(snapshot.documents):
        deadline = time.monotonic() + _LOCK_WAIT_S
        while True:
            with locks.hold(doc_id) as taken:
                if taken:
                    source = settings.data_dir / "files" / f"{doc_id}.pdf"
                    try:
                        shutil.copyfile(source, target / source.name)
                    except FileNotFoundError:
                        gone.add(doc_id)
                    break
            if time.monotonic() > deadline:
                raise BackupError(f"document {doc_id} stayed locked by a writer; try again")
            time.sleep(0.05)
    if gone:
        logger.warning("left out %d document(s) removed during the backup", len(gone))
    snapshot.drop_documents(gone)


def _open_vectors(settings: Settings) -> tuple[VectorStore | None, str]:
    """The vector store to read, or None and why it cannot be read from here."""
    if settings.chroma_url:
        return ChromaVectorStore(url=settings.chroma_url), ""
    path = settings.data_dir / "chroma"
    lock = embedded_lock_path(path)
    holder = process_lock.holder_pid(lock)
    if process_lock.held_elsewhere(lock):
        return None, f"embedded Chroma is held by the running app (process {holder})"
    return ChromaVectorStore(path=str(path)), ""


def _save_vectors(settings: Settings, snapshot: Snapshot, target: Path) -> dict[str, str]:
    store, reason = _open_vectors(settings)
    if store is None:
        logger.warning("%s: no vectors stored, restore re-embeds the chunks", reason)
        return {"vectors": "re-embed", "vectors_reason": reason}
    target.mkdir()
    try:
        for doc_id, row in sorted(snapshot.documents.items()):
            ids, vectors = store.document_vectors(space_of(settings, row["collection"]), doc_id)
            np.savez(target / f"{doc_id}.npz", ids=np.array(ids, dtype=str), vectors=vectors)
    finally:
        store.close()
    return {"vectors": "stored", "vectors_reason": ""}


def _copy_lexical(settings: Settings, snapshot: Snapshot, target: Path) -> list[str]:
    """Copy each collection's index at the snapshot's generation, where it is on disk."""
    copied = []
    for state in snapshot.tables.get("kb_collection_state", []):
        collection, generation = state["collection"], state["generation"]
        if collection in snapshot.touched:
            continue  # the index would still hold a left-out document; restore rebuilds it
        source = settings.data_dir / "lexical" / collection / f"gen-{generation}"
        try:
            shutil.copytree(source, target / collection / source.name)
        except (FileNotFoundError, shutil.Error):
            continue  # pruned meanwhile, or never built: restore rebuilds it from the chunks
        copied.append(f"{collection}/{source.name}")
    return copied
