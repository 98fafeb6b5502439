"""``kbchat restore``: put a backup folder back into an empty (or, forced, a replaced) kbchat.

Everything is checked before anything is written: every file's SHA-256, that the target
is empty, that the database has room for every table. Vectors come from the backup when it
stored them for the same embedding model; otherwise the chunks are embedded again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from chat.database import open_database
from chat.factory import build_knowledge_base, build_run_store
from chat.operations.backup import MANIFEST
from chat.operations.db_snapshot import Rows, count_rows, write_tables
from chat.settings import Settings
from knowledge import (
    BackupError,
    KnowledgeBase,
    clear_knowledge,
    holds_knowledge,
    restore_knowledge,
    sha256_file,
)


@dataclass(frozen=True)
class RestoreResult:
    """What a restore put back."""

    documents: int
    rows: int
    vectors: str
    repaired: list[str]
    finetune_runs: list[str]

    def to_json(self) -> dict[str, object]:
        """The JSON shape of ``kbchat restore --json``."""
        return dict(self.__dict__)


def read_manifest(source: Path) -> dict[str, Any]:
    """The backup's manifest, after checking that every file it lists is intact."""
    if not source.is_dir():
        raise BackupError(f"no backup at {source}: it is not a folder")
    try:
        manifest = json.loads((source / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} is not a kbchat backup ({MANIFEST}: {error})") from None
    if not isinstance(manifest, dict) or manifest.get("kbchat_backup") != 1:
        raise BackupError(f"{source} is not a kbchat backup (its {MANIFEST} is not one)")
    listed = set(manifest["files"])
    for name, expected in sorted(manifest["files"].items()):
        path = source / name
        if not path.is_file():
            raise BackupError(f"{name} is missing from the backup; nothing was restored")
        if sha256_file(path) != expected:
            raise BackupError(
                f"{name} does not match its SHA-256 in the manifest: the backup was changed "
                "or damaged; nothing was restored"
            )
    extra = [
        str(p.relative_to(source))
        for p in source.rglob("*")
        if p.is_file() and p.name != MANIFEST and str(p.relative_to(source)) not in listed
    ]
    if extra:
        raise BackupError(
            f"{extra[0]} is in the backup but not in its manifest; nothing was restored"
        )
    return manifest


def restore_backup(settings: Settings, source: Path, *, force: bool = False) -> RestoreResult:
    """Restore the backup at ``source`` into the configured data dir and database."""
    manifest = read_manifest(source)
    tables = {
        path.stem: [json.loads(line) for line in path.read_text("utf-8").splitlines()]
        for path in sorted((source / "db").glob("*.jsonl"))
    }
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = open_database(settings.resolved_database_url)
    kb = build_knowledge_base(settings, recover=False)
    try:
        _check_target(engine, kb, settings, force=force)
        _replace_all(engine, kb, tables)
        stored = manifest.get("vectors") == "stored"
        vectors, repaired = restore_knowledge(  # re-embeds documents without vectors
            kb,
            source,
            not_stored=None if stored else str(manifest.get("vectors_reason") or "none stored"),
            embedding_model=manifest.get("embedding_model"),
        )
    finally:
        kb.close()
    runs = build_run_store(settings).restore_from(source / "finetune", replace=force)
    return RestoreResult(
        documents=len(tables.get("kb_document", [])),
        rows=sum(len(rows) for rows in tables.values()),
        vectors=vectors,
        repaired=repaired,
        finetune_runs=runs,
    )


def _check_target(engine: Engine, kb: KnowledgeBase, settings: Settings, *, force: bool) -> None:
    if force:
        return
    if count_rows(engine) or holds_knowledge(kb):
        raise BackupError(
            f"the target ({settings.data_dir}, database {engine.url.render_as_string()}) "
            "already holds data; restore into an empty data dir and database, or pass "
            "--force to replace everything in it"
        )


def _replace_all(engine: Engine, kb: KnowledgeBase, tables: dict[str, Rows]) -> None:
    """Clear the target's vectors, files and indexes, then write the rows."""
    missing = write_tables(engine, tables)
    if missing:
        raise BackupError(
            f"the target database has no table {missing[0]!r}; restore with the kbchat "
            "version that made the backup"
        )
    clear_knowledge(kb)
