"""Removing a user: their private uploads and threads go, their shared QA stays but is no
longer theirs, and a new account under the same name starts empty (real PDF, Chroma, DB)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from chat.access import private_collection
from chat.accounts.errors import AccountError
from chat.accounts.offboarding import remove_user
from chat.accounts.users import Role
from chat.factory import build_accounts, build_knowledge_base, build_sharing
from chat.settings import Settings
from sharing.service import QADraft
from tests.pdfs import text_pdf
from tests.sharing.consenting import share_with_consent


def _thread(engine: sa.Engine, username: str) -> str:
    thread, step = str(uuid.uuid4()), str(uuid.uuid4())
    statements = [
        'INSERT INTO users ("id", "identifier", "metadata") VALUES (:i, :u, \'{}\')',
        'INSERT INTO threads ("id", "name", "userIdentifier") VALUES (:t, :n, :u)',
        'INSERT INTO steps ("id", "name", "type", "threadId", "streaming") '
        "VALUES (:s, 'kbchat', 'assistant_message', :t, FALSE)",
    ]
    values = {"i": str(uuid.uuid4()), "u": username, "t": thread, "n": "門診", "s": step}
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(sa.text(statement), values)
    return thread


def _threads_of(engine: sa.Engine, username: str) -> int:
    query = sa.text('SELECT COUNT(*) FROM threads WHERE "userIdentifier" = :u')
    with engine.connect() as connection:
        return int(connection.execute(query, {"u": username}).scalar_one())


@pytest.mark.slow
def test_a_removed_users_things_are_decided_and_a_new_account_starts_empty(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    accounts, kb, sharing = (
        build_accounts(settings),
        build_knowledge_base(settings),
        build_sharing(settings),
    )
    accounts.add("boss", "violet-walrus-harbor", Role.ADMIN)
    accounts.add("leaver", "teal-otter-lantern", Role.STAFF)
    pdf = text_pdf(tmp_path / "leaver-notes.pdf", [["私人筆記：病房交班重點。"]])
    kb.ingest(pdf, collection=private_collection("leaver"))
    kept = kb.ingest(text_pdf(tmp_path / "org.pdf", [["機構公告：停車場開放時間。"]]))
    _thread(accounts.engine, "leaver")
    qa_id = share_with_consent(
        sharing.service, QADraft("問", "答 [1]", "kb-assistant", 1, "qwen"), user="leaver"
    )

    removal = remove_user("leaver", accounts=accounts, kb=kb, sharing=sharing, actor="boss")

    assert (removal.documents, removal.threads, removal.shares) == (1, 1, 1)
    assert removal.shares_kept_as.startswith("leaver (removed ")
    assert "1 private document(s)" in removal.summary()
    accounts.add("leaver", "amber-heron-compass", Role.STAFF)  # someone else, the same name
    assert kb.documents(collection=private_collection("leaver")) == []
    assert [d.doc_id for d in kb.documents()] == [kept.doc_id]  # others' documents stay
    assert _threads_of(accounts.engine, "leaver") == 0
    assert sharing.store.list_qa(user_id="leaver") == []
    (pair,) = sharing.store.list_qa()
    assert pair.id == qa_id and pair.user_id == removal.shares_kept_as
    assert [c.user_id for c in sharing.store.consents(qa_id)] == ["leaver"]  # who consented
    assert "retire-sharer" in [e.action for e in sharing.store.audit_trail(qa_id)]


def test_the_last_admin_is_not_removed_and_nothing_of_theirs_is_touched(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    accounts, sharing = build_accounts(settings), build_sharing(settings)
    accounts.add("boss", "violet-walrus-harbor", Role.ADMIN)
    qa_id = share_with_consent(
        sharing.service, QADraft("問", "答", "kb-assistant", 1, "qwen"), user="boss"
    )
    with pytest.raises(AccountError, match="last admin"):
        remove_user(
            "boss",
            accounts=accounts,
            kb=build_knowledge_base(settings),
            sharing=sharing,
            actor="boss",
        )
    assert accounts.get("boss") is not None
    assert [qa.user_id for qa in sharing.store.list_qa()] == ["boss"] and qa_id
