"""Chroma server mode (KBCHAT_CHROMA_URL) against a real `chroma run` on loopback."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from knowledge.base import KnowledgeBase
from knowledge.errors import StoreUnavailable
from tests.conftest import PUBMED


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    """A Chroma server on a free loopback port, stopped after the test."""
    chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = _free_port()
    server = subprocess.Popen(
        [
            chroma,
            "run",
            "--path",
            str(tmp_path / "chroma-server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("the Chroma server did not start")
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.slow
def test_ingest_search_and_remove_through_a_chroma_server(
    make_kb: Callable[..., KnowledgeBase], chroma_url: str, tmp_path: Path
) -> None:
    kb = make_kb(chroma_url=chroma_url)
    result = kb.ingest(PUBMED / "pubmed-dev-000.pdf")
    assert kb.vectors.count(kb.space("default")) == result.chunks
    assert not (tmp_path / "data" / "chroma").exists()
    hits = kb.search("helicopter oral endotracheal intubation", k=1)
    assert (hits[0].file, hits[0].page) == ("pubmed-dev-000.pdf", 1)
    kb.remove(result.doc_id)
    assert kb.vectors.count(kb.space("default")) == 0


def test_unreachable_chroma_server_gets_a_clear_message(
    make_kb: Callable[..., KnowledgeBase],
) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    with pytest.raises(StoreUnavailable, match=f"cannot open the Chroma vector store at {url}"):
        make_kb(chroma_url=url)
