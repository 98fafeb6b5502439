"""Embedded Chroma belongs to one process: a second one is refused with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from knowledge.base import KnowledgeBase
from tests.datasets import PUBMED


def _docs_list(data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KBCHAT_DATA_DIR": str(data_dir)}
    env.pop("KBCHAT_CHROMA_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "chat", "docs", "list", "--json"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_one_process_may_open_the_store_many_times(
    make_kb: Callable[..., KnowledgeBase], tmp_path: Path
) -> None:
    first = make_kb()
    second = make_kb()
    added = first.ingest(PUBMED / "pubmed-dev-000.pdf")
    assert second.vectors.count(second.space("default")) == added.chunks
    first.vectors.close()  # one holder letting go keeps the other's lock
    assert _docs_list(tmp_path / "data").returncode == 1
    assert (tmp_path / "data" / "chroma.lock").read_text().strip() == str(os.getpid())


def test_a_second_process_is_refused_naming_the_holder(kb: KnowledgeBase, tmp_path: Path) -> None:
    refused = _docs_list(tmp_path / "data")
    assert refused.returncode == 1
    assert f"in use by process {os.getpid()}" in refused.stderr
    assert "KBCHAT_CHROMA_URL" in refused.stderr
    assert "Traceback" not in refused.stderr
    kb.vectors.close()  # the first process lets go: now the second may open it
    allowed = _docs_list(tmp_path / "data")
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.stdout.strip() == "[]"
