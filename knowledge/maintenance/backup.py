"""Copy a knowledge base's data out of a live data dir: the stored originals (each under its
document's lock), the vectors, and the lexical indexes, laid out in a backup folder as
``files/<doc_id>.<kind>``, ``vectors/<doc_id>.npz`` and ``lexical/<collection>/gen-<N>/``.

It works from the data dir's layout rather than an open knowledge base: a running app holds
the embedded Chroma store, and a backup must not wait for it to stop.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge.errors import BackupError
from knowledge.layout import DataLayout
from knowledge.locks import DocumentLocks, held_elsewhere, holder_pid
from knowledge.options import space_name
from knowledge.vector_stores.base import VectorStore
from knowledge.vector_stores.factory import VectorStoreConfig, make_vector_store

logger = logging.getLogger(__name__)

_LOCK_WAIT_S = 30.0


@dataclass(frozen=True)
class KnowledgeCopy:
    """What was copied: documents found removed meanwhile (left out), whether the vectors
    were stored (``stored``) or are to be embedded again (``re-embed``, and why), and the
    lexical index folders copied (``<collection>/gen-<N>``)."""

    gone: frozenset[str]
    vectors: str
    vectors_reason: str
    lexical: list[str]


def copy_knowledge(
    layout: DataLayout,
    dest: Path,
    documents: Mapping[str, str],
    generations: Mapping[str, int],
    *,
    vectors: VectorStoreConfig,
    model_id: str,
) -> KnowledgeCopy:
    """Copy the PDFs, vectors and lexical indexes of ``documents`` (doc id → collection) at
    the collections' ``generations`` into the folder ``dest``."""
    gone = _copy_originals(layout, documents, dest / "files")
    kept = {doc_id: c for doc_id, c in documents.items() if doc_id not in gone}
    stored, reason = _save_vectors(layout, vectors, kept, model_id, dest / "vectors")
    # An index on disk still holds a left-out document: restore rebuilds it from the chunks.
    touched = {documents[doc_id] for doc_id in gone}
    lexical = _copy_lexical(layout, generations, touched, dest / "lexical")
    return KnowledgeCopy(frozenset(gone), stored, reason, lexical)


def _copy_originals(layout: DataLayout, documents: Mapping[str, str], target: Path) -> set[str]:
    """Copy each document's PDF under its lock; return the documents removed meanwhile."""
    target.mkdir()
    locks = DocumentLocks(layout)
    gone = set()
    for doc_id in sorted(documents):
        deadline = time.monotonic() + _LOCK_WAIT_S
        while True:
            with locks.hold(doc_id) as taken:
                if taken:
                    try:
                        source = _original(layout, doc_id)
                        shutil.copyfile(source, target / source.name)
                    except FileNotFoundError:
                        gone.add(doc_id)
                    break
            if time.monotonic() > deadline:
                raise BackupError(f"document {doc_id} stayed locked by a writer; try again")
            time.sleep(0.05)
    if gone:
        logger.warning("left out %d document(s) removed during the backup", len(gone))
    return gone


def _original(layout: DataLayout, doc_id: str) -> Path:
    """A document's stored original, whatever its kind (FileNotFoundError when gone)."""
    for path in layout.files.glob(f"{doc_id}.*"):
        if layout.stored_original(path) is not None:
            return path
    raise FileNotFoundError(doc_id)


def open_for_backup(
    config: VectorStoreConfig, layout: DataLayout
) -> tuple[VectorStore | None, str]:
    """The vector store to read, or None and why it cannot be read from this process."""
    if config.kind == "chroma-embedded":
        holder = holder_pid(layout.chroma_lock)
        if held_elsewhere(layout.chroma_lock):
            return None, f"embedded Chroma is held by the running app (process {holder})"
    return make_vector_store(config, layout), ""


def _save_vectors(
    layout: DataLayout,
    config: VectorStoreConfig,
    documents: Mapping[str, str],
    model_id: str,
    target: Path,
) -> tuple[str, str]:
    store, reason = open_for_backup(config, layout)
    if store is None:
        logger.warning("%s: no vectors stored, restore re-embeds the chunks", reason)
        return "re-embed", reason
    target.mkdir()
    try:
        for doc_id, collection in sorted(documents.items()):
            ids, vectors = store.document_vectors(space_name(collection, model_id), doc_id)
            np.savez(target / f"{doc_id}.npz", ids=np.array(ids, dtype=str), vectors=vectors)
    finally:
        store.close()
    return "stored", ""


def _copy_lexical(
    layout: DataLayout, generations: Mapping[str, int], touched: set[str], target: Path
) -> list[str]:
    """Copy each collection's index at its generation, where it is on disk."""
    copied = []
    for collection, generation in generations.items():
        if collection in touched:
            continue
        source = layout.lexical_generation(collection, generation)
        try:
            shutil.copytree(source, target / collection / source.name)
        except (FileNotFoundError, shutil.Error):
            continue  # pruned meanwhile, or never built: restore rebuilds it from the chunks
        copied.append(f"{collection}/{source.name}")
    return copied
