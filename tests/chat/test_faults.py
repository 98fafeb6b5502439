"""Real faults in real processes: kill -9 during a share import and an export, a full disk."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from chat.factory import build_knowledge_base
from chat.settings import Settings
from tests.chat.crashing import assert_consistent, kbchat
from tests.datasets import DRCD, HOSPITAL_GUIDE

SAMPLE = HOSPITAL_GUIDE


def _kill_when(data_dir: Path, args: list[str], ready: Callable[[], bool]) -> None:
    """Start a real kbchat command and kill -9 it as soon as ``ready()`` says so."""
    env = {**os.environ, "KBCHAT_DATA_DIR": str(data_dir)}
    process = subprocess.Popen(
        [sys.executable, "-m", "chat", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240
        while not ready():
            assert process.poll() is None, f"kbchat {args[0]} finished before it could be killed"
            assert time.monotonic() < deadline, f"kbchat {args[0]} never reached its middle"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()


def _big_sheet(path: Path, rows: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["instruction", "input", "output"])
        for number in range(rows):
            writer.writerow([f"問題 {number}：急診檢傷分幾級？", "", f"答案 {number}：分為五級。"])
    return path


def _query(database: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(database, timeout=30) as connection:
        return connection.execute(sql).fetchall()


def _doctor_clean(data_dir: Path, *extra: str) -> dict[str, object]:
    result = kbchat(data_dir, "doctor", "--json", *extra)
    assert result.returncode == 0, result.stdout + result.stderr
    report: dict[str, object] = json.loads(result.stdout)
    assert report["clean"] and report["problems"] == []
    return report


@pytest.mark.slow
def test_kill_9_during_a_sheet_import_keeps_all_or_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert kbchat(data_dir, "ingest", str(SAMPLE)).returncode == 0
    sheet = _big_sheet(tmp_path / "big.csv", 5000)
    wal = data_dir / "kbchat.db-wal"
    # Rows are flushed one by one inside the import's transaction: a growing WAL is mid-import.
    _kill_when(
        data_dir, ["share", "import", str(sheet)], lambda: wal.exists() and wal.stat().st_size > 2e5
    )
    assert _query(data_dir / "kbchat.db", "SELECT count(*) FROM shared_qa") == [(0,)]
    _doctor_clean(data_dir)
    assert_consistent(data_dir)
    assert kbchat(data_dir, "share", "import", str(sheet)).returncode == 0  # nothing blocks it
    assert _query(data_dir / "kbchat.db", "SELECT count(*) FROM shared_qa") == [(5000,)]


def _manifest_holds(export: Path) -> bool:
    """Whether a folder is a finished export: every file its manifest lists, intact."""
    manifest = json.loads((export / "manifest.json").read_text("utf-8"))
    return all(
        hashlib.sha256((export / f["name"]).read_bytes()).hexdigest() == f["sha256"]
        for f in manifest["files"]
    )


@pytest.mark.slow
def test_kill_9_during_an_export_leaves_no_half_export(tmp_path: Path) -> None:
    data_dir, exports = tmp_path / "data", tmp_path / "exports"
    assert (
        kbchat(data_dir, "share", "import", str(_big_sheet(tmp_path / "s.csv", 3000))).returncode
        == 0
    )
    _query(data_dir / "kbchat.db", "UPDATE shared_qa SET status = 'APPROVED'")
    out = exports / "kbchat-sft"
    export = ["share", "export", "--format", "llamafactory", "--out", str(out)]
    assert kbchat(data_dir, *export).returncode == 0
    first = (out / "manifest.json").read_bytes()

    def staged() -> bool:
        return any(p.is_dir() and any(p.iterdir()) for p in exports.glob(".kbchat-sft.partial-*"))

    _kill_when(data_dir, [*export, "--force"], staged)
    assert (out / "manifest.json").read_bytes() == first and _manifest_holds(out)
    # The audit trail names the export folder, so doctor looks beside it on its own.
    found = kbchat(data_dir, "doctor", "--json")
    assert found.returncode == 1
    problems = json.loads(found.stdout)["problems"]
    assert [p["kind"] for p in problems] == ["export-leftover"]
    assert Path(problems[0]["subject"]).name.startswith(".kbchat-sft.partial-")
    repaired = kbchat(data_dir, "doctor", "--repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert sorted(p.name for p in exports.iterdir()) == ["kbchat-sft"]
    _doctor_clean(data_dir)


def _state(data_dir: Path) -> dict[str, object]:
    """Everything an ingest could change: rows, vectors, stored files, lexical index."""
    kb = build_knowledge_base(Settings(data_dir=data_dir), recover=False)
    try:
        space = kb.space("default")
        return {
            "documents": [(d.doc_id, d.status, d.chunks) for d in kb.registry.documents()],
            "chunks": kb.registry.chunk_counts(),
            "generations": kb.registry.generations(),
            "vectors": kb.vectors.document_counts(space),
            "files": sorted(p.name for p in kb.layout.files.iterdir()),
            "lexical": sorted(
                str(p.relative_to(kb.layout.lexical)) for p in kb.layout.lexical.rglob("*")
            ),
        }
    finally:
        kb.vectors.close()
        kb.registry.engine.dispose()


def _small_file_limit() -> None:
    """In the child: files may not grow past 300 kB, and writing past it fails with EFBIG."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))


@pytest.mark.slow
def test_a_full_disk_during_ingest_leaves_the_knowledge_base_as_it_was(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert kbchat(data_dir, "ingest", str(SAMPLE)).returncode == 0
    assert kbchat(data_dir, "search", "掛號").returncode == 0  # the lexical index is on disk
    before = _state(data_dir)
    big = DRCD / "drcd-dev-007.pdf"
    assert big.stat().st_size > 300_000
    result = subprocess.run(
        [sys.executable, "-m", "chat", "ingest", str(big)],
        env={**os.environ, "KBCHAT_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_small_file_limit,
    )
    assert result.returncode == 1
    said = result.stdout + result.stderr
    assert "drcd-dev-007.pdf" in said and "the disk is full" in said, said
    assert "could not write" in said and "nothing was kept" in said
    assert "Traceback" not in said
    assert _state(data_dir) == before
    _doctor_clean(data_dir)
