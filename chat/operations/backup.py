"""``kbchat backup``: a consistent snapshot of a running kbchat, written as one folder.

The database is read in one transaction; the stored originals, lexical indexes and vectors
of that snapshot's ready documents follow, then the finished fine-tuning runs (their
adapters). A document removed before its original could be copied is left out entirely.
The folder is staged beside OUT and renamed into place when complete.
"""

from __future__ import annotations

import importlib.metadata
import json
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from chat.database import open_database
from chat.factory import build_embedder, build_run_store, vector_store_config
from chat.operations.db_snapshot import Rows, read_tables
from chat.settings import Settings
from knowledge import BackupError, DataLayout, copy_knowledge, sha256_file

__all__ = ["MANIFEST", "BackupError", "Snapshot", "create_backup"]

MANIFEST = "manifest.json"


@dataclass
class Snapshot:
    """What goes into a backup: rows by table, and the ready documents they hold."""

    tables: dict[str, Rows]
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    omitted: set[str] = field(default_factory=set)

    def drop_documents(self, doc_ids: set[str]) -> None:
        """Leave these documents out, their rows and chunks too."""
        self.omitted |= doc_ids
        for name in ("kb_chunk", "kb_document"):
            self.tables[name] = [r for r in self.tables.get(name, []) if r["doc_id"] not in doc_ids]
        for doc_id in doc_ids:
            self.documents.pop(doc_id, None)


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
    model_id = build_embedder(settings).model_id
    copied = copy_knowledge(
        DataLayout(settings.data_dir),
        staging,
        {doc_id: row["collection"] for doc_id, row in snapshot.documents.items()},
        {s["collection"]: s["generation"] for s in snapshot.tables.get("kb_collection_state", [])},
        vectors=vector_store_config(settings),
        model_id=model_id,
    )
    snapshot.drop_documents(set(copied.gone))
    finetune_runs = build_run_store(settings).copy_finished(staging / "finetune")
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
        "embedding_model": model_id,
        "vectors": copied.vectors,
        "vectors_reason": copied.vectors_reason,
        "lexical": copied.lexical,
        "omitted_documents": sorted(snapshot.omitted),
        "finetune_runs": finetune_runs,
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
    return snapshot
