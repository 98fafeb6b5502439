"""Check that the registry, the vectors, the lexical index and the stored PDFs agree; repair.

Repair decisions: half-ingested or half-removed documents are purged (as on a restart);
vectors of no ready document are deleted; a ready document whose vectors do not match its
chunks is re-embedded from its chunk texts (deterministic, same model); a ready document
whose stored PDF is gone is removed, since its citations could no longer open the page
(ingest the PDF again); files and staging leftovers nobody owns are deleted; stale or
broken lexical indexes are dropped and rebuilt from the registry.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.base import KnowledgeBase
from knowledge.embedders.base import model_key
from knowledge.embedding import plan_vectors
from knowledge.tables import DocumentStatus

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Problem:
    """One disagreement: its kind, what it is about (a doc id or a path), and where."""

    kind: str
    subject: str
    detail: str
    where: str = ""

    def to_json(self) -> dict[str, str]:
        """The JSON shape of ``kbchat doctor --json``."""
        return dict(self.__dict__)


@dataclass
class Diagnosis:
    """Every problem found, and how much was checked."""

    problems: list[Problem] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        """Whether everything agrees."""
        return not self.problems

    def to_json(self) -> dict[str, object]:
        """The JSON shape of ``kbchat doctor --json``."""
        return {
            "clean": self.clean,
            "checked": self.checked,
            "problems": [problem.to_json() for problem in self.problems],
        }


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (a staging file of a live writer is not junk)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def diagnose(kb: KnowledgeBase) -> Diagnosis:
    """Compare registry, vectors, stored files and lexical index; change nothing."""
    diagnosis = Diagnosis()
    diagnosis.problems.extend(_unfinished(kb))
    diagnosis.problems.extend(_vector_problems(kb, diagnosis.checked))
    diagnosis.problems.extend(_file_problems(kb, diagnosis.checked))
    diagnosis.problems.extend(_lexical_problems(kb))
    return diagnosis


def _unfinished(kb: KnowledgeBase) -> Iterator[Problem]:
    for document in kb.registry.unfinished():
        with kb.locks.hold(document.doc_id) as taken:
            if taken:  # a held lock means a live writer is still at work
                detail = f"{document.filename} was left {document.status.value}"
                yield Problem("unfinished", document.doc_id, detail)


def _vector_problems(kb: KnowledgeBase, checked: dict[str, int]) -> Iterator[Problem]:
    ready = {d.doc_id: d for d in kb.registry.documents(status=DocumentStatus.READY)}
    unfinished = {d.doc_id for d in kb.registry.unfinished()}
    chunks = kb.registry.chunk_counts()
    current = model_key(kb.embedder.model_id)
    counts = {space: kb.vectors.document_counts(space) for space in kb.vectors.spaces()}
    checked.update(documents=len(ready), spaces=len(counts))
    checked["vectors"] = sum(sum(c.values()) for c in counts.values())
    for space, per_document in counts.items():
        collection, _, key = space.rpartition("--")
        for doc_id, count in sorted(per_document.items()):
            document = ready.get(doc_id)
            owned = document and key == current and document.collection == collection
            if not owned and doc_id not in unfinished:
                yield Problem(
                    "orphan-vectors", doc_id, f"{count} vectors of no ready document", space
                )
    for doc_id, document in ready.items():
        space = kb.space(document.collection)
        have = counts.get(space, {}).get(doc_id, 0)
        # Chunks in a language the embedder does not read have no vector; a document whose
        # vectors are pending is being embedded (embed_pending completes it).
        want = chunks.get(doc_id, 0) - document.vectors_skipped
        if have != want and document.vectors_pending == 0:
            detail = f"{document.filename}: {have} vectors for {want} chunks"
            yield Problem("vector-mismatch", doc_id, detail, space)
        if not kb.files.path(doc_id, document.kind).is_file():
            yield Problem("missing-file", doc_id, f"{document.filename}: stored file is missing")


def _file_problems(kb: KnowledgeBase, checked: dict[str, int]) -> Iterator[Problem]:
    known = {d.doc_id for d in kb.registry.documents()}
    checked["files"] = 0
    layout = kb.layout
    if not layout.files.is_dir():
        return
    for path in sorted(layout.files.iterdir()):
        writer = layout.staging_writer(path)
        if writer is not None:
            if not pid_alive(writer):
                yield Problem("staging-leftover", str(path), "a copy a dead writer left")
        elif (stored := layout.stored_original(path)) is not None:
            checked["files"] += 1
            if stored[0] not in known:
                yield Problem("orphan-file", str(path), "stored file of no document")


def _lexical_problems(kb: KnowledgeBase) -> Iterator[Problem]:
    generations = kb.registry.generations()
    root = kb.layout.lexical
    if not root.is_dir():
        return
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        current = generations.get(folder.name)
        for entry in sorted(folder.iterdir()):
            generation = kb.layout.generation_of(entry)
            writer = kb.layout.staging_writer(entry)
            if generation is not None and generation != current:
                detail = f"index of generation {generation}; the registry is at {current}"
                yield Problem("stale-lexical", str(entry), detail, folder.name)
            elif writer is not None and not pid_alive(writer):
                yield Problem("staging-leftover", str(entry), "an index a dead writer left")


def repair(kb: KnowledgeBase, diagnosis: Diagnosis) -> list[str]:
    """Fix every problem of a diagnosis; return what was done, one line each."""
    done = [f"purged half-done document {doc_id}" for doc_id in kb.recover()]
    lexical = {p.where for p in diagnosis.problems if p.kind == "stale-lexical"}
    for problem in diagnosis.problems:
        match problem.kind:
            case "orphan-vectors":
                kb.vectors.delete_document(problem.where, problem.subject)
                done.append(f"deleted vectors of {problem.subject} in {problem.where}")
            case "missing-file":
                if kb.registry.get(problem.subject) is not None:
                    removed = kb.remove(problem.subject)
                    done.append(f"removed {removed.filename} (PDF missing; ingest it again)")
            case "vector-mismatch":
                if _reembed(kb, problem.subject):
                    done.append(f"re-embedded {problem.subject}")
            case "orphan-file" | "staging-leftover" | "stale-lexical":
                _remove_path(Path(problem.subject))
                done.append(f"deleted {problem.subject}")
    for collection in sorted(lexical):
        kb.lexical.drop(collection)
    for collection in kb.registry.collections():
        kb.lexical_index(collection)  # rebuilt at the current generation when missing
    return done


def _reembed(kb: KnowledgeBase, doc_id: str) -> bool:
    """Replace a ready document's vectors with fresh ones from its chunk texts."""
    with kb.locks.hold(doc_id) as taken:
        document = kb.registry.get(doc_id)
        if not taken or document is None or document.status != DocumentStatus.READY:
            return False
        space = kb.space(document.collection)
        kb.vectors.delete_document(space, doc_id)
        rows = kb.registry.chunks_of(doc_id)
        wanted = plan_vectors(kb.embedder, document, rows)  # the current model's languages
        kb.registry.reset_vectors(doc_id, document.vectors_pending, document.vectors_skipped)
        kb.embed_chunks(document, wanted, None)
        return True


def _remove_path(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
