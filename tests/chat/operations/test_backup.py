"""kbchat backup / restore: an online snapshot of everything, restored with nothing lost."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

import chat.factory
from chat.accounts.users import Role
from chat.cli.main import app
from chat.database import open_database
from chat.factory import build_accounts, build_persona_store, build_sharing
from chat.operations.db_snapshot import count_rows, decode, read_tables
from chat.settings import Settings
from knowledge import Embedder
from knowledge.base import KnowledgeBase
from sharing.service import QADraft
from tests.chat.kbchat_cli import KbchatRunner
from tests.datasets import DRCD, PUBMED
from tests.sharing.consenting import share_with_consent

KB_TABLES = ("kb_document", "kb_chunk", "kb_section", "kb_collection_state")
QUERIES = ("亞洲協會在哪裡舉行？", "梵語", "helicopter intubation", "Barthel index stroke",
           "國外差旅費核定金額")  # fmt: skip
GUIDE = "# 出差規定\n\n| 項目 | 核定金額 |\n|---|---|\n| 國外差旅費 | 120,000 元 |\n"


def _populate(settings: Settings, kb: KnowledgeBase) -> None:
    """Documents in two collections, an edited persona, shared QA, users, a chat thread."""
    kb.ingest(DRCD / "drcd-dev-000.pdf")
    kb.ingest(DRCD / "drcd-dev-001.pdf")
    kb.ingest(PUBMED / "pubmed-dev-000.pdf", collection="med")
    guide = settings.data_dir.parent / "upload-guide"
    guide.write_text(GUIDE, encoding="utf-8")
    kb.ingest(guide, filename="出差規定.md", collection="med")  # a document of another kind
    kb.search("梵語")  # the lexical indexes are on disk
    personas = build_persona_store(settings)
    first = personas.list_personas()[0].persona
    personas.update(first.model_copy(update={"greeting": "您好，我是改過的問候。"}), author="boss")
    sharing = build_sharing(settings)
    draft = QADraft("急診檢傷分幾級？", "台灣急診檢傷分為五級 [1]。", first.id, 2, "qwen")
    share_with_consent(sharing.service, draft, user="amy")
    build_accounts(settings).add("amy", "a-long-password-1", Role.ADMIN)
    engine = open_database(settings.resolved_database_url)
    user, thread = str(uuid.uuid4()), str(uuid.uuid4())
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO users VALUES (:id, 'amy', :meta, :at)"),
            {"id": user, "meta": json.dumps({"role": "admin"}), "at": "2026-11-26T10:00:00Z"},
        )
        connection.execute(
            text(
                'INSERT INTO threads ("id", "createdAt", "name", "userId", "metadata") '
                "VALUES (:id, :at, '掛號', :user, :meta)"
            ),  # fmt: skip
            {"id": thread, "at": datetime.now(UTC).isoformat(), "user": user, "meta": "{}"},
        )
    engine.dispose()


def _normal(rows: list[dict[str, Any]]) -> list[str]:
    """Rows in a form both SQLite and PostgreSQL give back alike, in a stable order."""

    def value(raw: Any) -> Any:
        item = decode(raw)
        if isinstance(item, datetime):
            item = item.astimezone(UTC).replace(tzinfo=None) if item.tzinfo else item
            return item.isoformat()
        if isinstance(item, uuid.UUID):
            return str(item)
        if isinstance(item, str) and item[:1] in "{[":
            try:
                return json.loads(item)
            except ValueError:
                return item
        return item

    return sorted(json.dumps({k: value(v) for k, v in row.items()}, sort_keys=True) for row in rows)


def _tables(url: str) -> dict[str, list[str]]:
    engine = open_database(url)
    try:
        return {name: _normal(rows) for name, rows in read_tables(engine).items()}
    finally:
        engine.dispose()


def _kbchat(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chat", *args],
        env={**os.environ, **env}, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def _hits(kb: KnowledgeBase) -> list[list[tuple[str, int, float]]]:
    return [
        [(h.doc_id, h.page, h.score) for h in kb.search(q, ["default", "med"], k=5)]
        for q in QUERIES
    ]


@pytest.mark.slow
def test_online_backup_restores_everything(
    tmp_path: Path,
    make_kb: Callable[..., KnowledgeBase],
    embedder: Embedder,
    database_url: str,
) -> None:
    source = Settings(data_dir=tmp_path / "source")
    kb = make_kb(source.data_dir)  # this process holds the embedded Chroma, as `kbchat serve` would
    _populate(source, kb)
    before = _hits(kb)
    late = threading.Thread(
        target=kb.ingest, args=(DRCD / "drcd-dev-002.pdf",), kwargs={"collection": "late"}
    )
    late.start()  # an upload arriving while the backup runs
    out = tmp_path / "backup"
    made = _kbchat({"KBCHAT_DATA_DIR": str(source.data_dir)}, "backup", str(out), "--json")
    late.join()
    assert made.returncode == 0, made.stderr
    manifest = json.loads(made.stdout)
    assert manifest["vectors"] == "re-embed"
    assert f"process {os.getpid()}" in manifest["vectors_reason"]
    assert manifest["counts"]["documents"] in (4, 5)
    assert "alembic_version" not in manifest["counts"]["rows"]  # each database keeps its own

    target = {"KBCHAT_DATA_DIR": str(tmp_path / "target"), "KBCHAT_DATABASE_URL": database_url}
    restored = _kbchat(target, "restore", str(out), "--json")
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout)["vectors"].startswith("re-embedded")

    now, back = _tables(source.resolved_database_url), _tables(database_url)
    assert set(back) >= set(now)
    for name in set(now) - set(KB_TABLES):
        assert back[name] == now[name], name
    saved = {
        name: _normal([json.loads(line) for line in (out / "db" / f"{name}.jsonl").open()])
        for name in KB_TABLES
    }
    for name in KB_TABLES:
        assert back[name] == saved[name], name
    assert set(saved["kb_document"]) <= set(now["kb_document"])

    restored_settings = Settings(data_dir=tmp_path / "target", database_url=database_url)
    copy = chat.factory.build_knowledge_base(restored_settings, embedder=embedder)
    assert {d.kind for d in copy.documents()} == {"pdf", "md"}
    for document in copy.documents():
        assert (
            hashlib.sha256(copy.files.path(document.doc_id, document.kind).read_bytes()).hexdigest()
            == document.doc_id
            == hashlib.sha256(
                kb.files.path(document.doc_id, document.kind).read_bytes()
            ).hexdigest()
        )
    after = _hits(copy)
    assert [[hit[:2] for hit in query] for query in after] == [
        [hit[:2] for hit in query] for query in before
    ]
    for old, new in zip(before, after, strict=True):
        np.testing.assert_allclose([h[2] for h in new], [h[2] for h in old], atol=0.02)
    copy.vectors.close()  # let the doctor's process open the restored store
    doctor = _kbchat(target, "doctor", "--json")
    assert doctor.returncode == 0 and json.loads(doctor.stdout)["clean"], doctor.stdout


@pytest.fixture
def cli(tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch) -> KbchatRunner:
    """A runner whose kbchat uses a temp data dir and the already-loaded model."""
    monkeypatch.setenv("KBCHAT_DATA_DIR", str(tmp_path / "data"))
    return KbchatRunner(embedder)


def test_backup_with_stored_vectors_restores_them_exactly(
    cli: KbchatRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli.invoke(app, ["ingest", str(PUBMED / "pubmed-dev-001.pdf")]).exit_code == 0
    made = cli.invoke(app, ["backup", str(tmp_path / "bk"), "--json"])
    assert made.exit_code == 0, made.output
    assert json.loads(made.stdout)["vectors"] == "stored"
    source = chat.factory.build_knowledge_base(Settings(), embedder=cli.embedder)
    (document,) = source.documents()
    space = source.space("default")
    monkeypatch.setenv("KBCHAT_DATA_DIR", str(tmp_path / "copy"))
    restored = cli.invoke(app, ["restore", str(tmp_path / "bk")])
    assert restored.exit_code == 0, restored.output
    assert "vectors: stored" in restored.output
    copy = chat.factory.build_knowledge_base(Settings(), embedder=cli.embedder)
    ids, vectors = source.vectors.document_vectors(space, document.doc_id)
    copied_ids, copied = copy.vectors.document_vectors(space, document.doc_id)
    assert copied_ids == ids
    np.testing.assert_allclose(copied, vectors, rtol=0, atol=1e-6)  # float32 round trip
    again = cli.invoke(app, ["restore", str(tmp_path / "bk")])
    assert again.exit_code == 1 and "already holds data" in again.output
    assert "--force" in again.output
    forced = cli.invoke(app, ["restore", str(tmp_path / "bk"), "--force"])
    assert forced.exit_code == 0, forced.output
    assert [d.doc_id for d in copy.documents()] == [document.doc_id]


def test_bad_backups_and_targets_are_refused_cleanly(cli: CliRunner, tmp_path: Path) -> None:
    assert cli.invoke(app, ["ingest", str(PUBMED / "pubmed-dev-002.pdf")]).exit_code == 0
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    refused = cli.invoke(app, ["backup", str(busy)])
    assert refused.exit_code == 1 and "not empty" in refused.output
    assert [p.name for p in busy.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []

    good = tmp_path / "bk"
    assert cli.invoke(app, ["backup", str(good)]).exit_code == 0
    pdf = next((good / "files").glob("*.pdf"))
    pdf.write_bytes(pdf.read_bytes() + b"\n%tampered")
    target = Settings(data_dir=tmp_path / "fresh")
    env = {"KBCHAT_DATA_DIR": str(target.data_dir)}
    tampered = cli.invoke(app, ["restore", str(good)], env=env)
    assert tampered.exit_code == 1
    assert f"files/{pdf.name} does not match its SHA-256" in tampered.output
    assert "Traceback" not in tampered.output
    assert not target.data_dir.exists()  # checked before anything was written

    missing = cli.invoke(app, ["restore", str(tmp_path / "nowhere")], env=env)
    assert missing.exit_code == 1 and "no backup at" in missing.output
    not_backup = cli.invoke(app, ["restore", str(busy)], env=env)
    assert not_backup.exit_code == 1 and "is not a kbchat backup" in not_backup.output
    assert not target.data_dir.exists()
    engine = open_database(Settings().resolved_database_url)
    assert count_rows(engine) > 0  # the source was never touched
    engine.dispose()


def test_fine_tuning_runs_are_backed_up_and_restored_whole(
    cli: KbchatRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, finetuned: Any
) -> None:
    runs = tmp_path / "data" / "finetune"
    run_id = str(finetuned.manifest["run_id"])
    shutil.copytree(finetuned.run, runs / run_id)
    (runs / ".running-x-20261206-000000").mkdir()  # a run in progress is not backed up
    assert cli.invoke(app, ["ingest", str(PUBMED / "pubmed-dev-001.pdf")]).exit_code == 0
    made = cli.invoke(app, ["backup", str(tmp_path / "bk"), "--json"])
    assert made.exit_code == 0, made.output
    assert json.loads(made.stdout)["finetune_runs"] == [run_id]
    monkeypatch.setenv("KBCHAT_DATA_DIR", str(tmp_path / "copy"))
    restored = cli.invoke(app, ["restore", str(tmp_path / "bk"), "--json"])
    assert restored.exit_code == 0, restored.output
    assert json.loads(restored.stdout)["finetune_runs"] == [run_id]
    copy = tmp_path / "copy" / "finetune" / run_id
    assert _digests(copy) == _digests(runs / run_id)
    assert sorted(p.name for p in copy.parent.iterdir()) == [run_id]
    shown = cli.invoke(app, ["finetune", "show", run_id, "--json"])
    assert json.loads(shown.stdout)["manifest"]["run_id"] == run_id
    adapter = tmp_path / "bk" / "finetune" / run_id / "adapter" / "adapter_model.safetensors"
    adapter.write_bytes(b"tampered")  # a backup whose adapter changed is refused
    refused = cli.invoke(app, ["restore", str(tmp_path / "bk"), "--force"])
    assert refused.exit_code == 1 and "adapter_model.safetensors" in refused.output


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip
