"""Put a backup folder's knowledge data (``files/``, ``lexical/``, ``vectors/``) back into
an open knowledge base whose registry rows were restored already."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from knowledge.base import KnowledgeBase
from knowledge.maintenance.doctor import diagnose, repair


def holds_knowledge(kb: KnowledgeBase) -> bool:
    """Whether the knowledge base has stored originals or vectors."""
    files = kb.layout.files.is_dir() and any(
        kb.layout.stored_original(path) for path in kb.layout.files.iterdir()
    )
    return files or any(kb.vectors.count(space) for space in kb.vectors.spaces())


def clear_knowledge(kb: KnowledgeBase) -> None:
    """Delete every vector, stored original and lexical index (the registry is left alone)."""
    for space in kb.vectors.spaces():
        kb.vectors.drop_space(space)
    for folder in (kb.layout.files, kb.layout.lexical):
        shutil.rmtree(folder, ignore_errors=True)
    kb.layout.files.mkdir(parents=True)


def restore_knowledge(
    kb: KnowledgeBase, source: Path, *, not_stored: str | None, embedding_model: object
) -> tuple[str, list[str]]:
    """Copy the backup's PDFs, lexical indexes and vectors in, then repair what disagrees
    (documents without vectors are embedded again).

    ``not_stored`` is None when the backup holds vectors, else why it does not;
    ``embedding_model`` is the model the backup's vectors were made with. Returns how the
    vectors came back (``stored``, or ``re-embedded (why)``) and the repairs done.
    """
    for path in sorted((source / "files").iterdir()):
        if (stored := kb.layout.stored_original(path)) is not None:
            kb.files.put(*stored, path)
    if (source / "lexical").is_dir():
        shutil.copytree(source / "lexical", kb.layout.lexical, dirs_exist_ok=True)
    how = _restore_vectors(kb, source, not_stored, embedding_model)
    return how, repair(kb, diagnose(kb))


def _restore_vectors(
    kb: KnowledgeBase, source: Path, not_stored: str | None, embedding_model: object
) -> str:
    if not_stored is not None:
        return f"re-embedded ({not_stored})"
    if embedding_model != kb.embedder.model_id:
        return f"re-embedded (backup made with {embedding_model})"
    collections = {d.doc_id: d.collection for d in kb.registry.documents()}
    for path in sorted((source / "vectors").glob("*.npz")):
        with np.load(path, allow_pickle=False) as stored:
            ids = [str(i) for i in stored["ids"]]
            if ids and path.stem in collections:
                space = kb.space(collections[path.stem])
                kb.vectors.upsert(space, ids, stored["vectors"], [path.stem] * len(ids))
    return "stored"
