"""Chroma server mode (KBCHAT_CHROMA_URL) against a real `chroma run` on loopback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.base import KnowledgeBase
from knowledge.errors import StoreUnavailable
from tests.datasets import PUBMED
from tests.servers import free_port


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
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StoreUnavailable, match=f"cannot open the Chroma vector store at {url}"):
        make_kb(chroma_url=url)
