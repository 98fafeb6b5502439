"""Shared-QA services on a real database (SQLite, then PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chat.database import open_database
from sharing.curation import Curator
from sharing.dataset import Dataset
from sharing.pii import PIIScrubber
from sharing.service import QADraft, SharingService
from sharing.store import SharingStore


@pytest.fixture
def store(database_url: str) -> Iterator[SharingStore]:
    """The shared-QA tables in a fresh database."""
    engine = open_database(database_url)
    yield SharingStore(engine)
    engine.dispose()


@pytest.fixture
def service(store: SharingStore) -> SharingService:
    """What users do: share and withdraw."""
    return SharingService(store, PIIScrubber())


@pytest.fixture
def curator(store: SharingStore) -> Curator:
    """What admins do: approve, reject, edit, tag."""
    return Curator(store, PIIScrubber())


@pytest.fixture
def dataset(store: SharingStore) -> Dataset:
    """Sheets in, exports out."""
    return Dataset(store, PIIScrubber(), b"test-key")


@pytest.fixture
def draft() -> QADraft:
    """A chat answer with personal data in it, as the engine produced it."""
    return QADraft(
        question="我的身分證字號是 A123456789，電話 0912-345-678，門診幾點開始？",
        answer="門診時間為週一至週五上午八點開始 [1]。",
        persona_id="kb-assistant",
        persona_version=2,
        model="qwen2.5-coder-0.5b-instruct-q4_k_m",
        citations=[
            {"file": "guide.pdf", "page": 1, "doc_id": "ab" * 32, "text": "門診服務時間：上午八點"}
        ],
        rating=1,
    )
