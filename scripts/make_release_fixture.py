"""Write the database of a kbchat release as a test fixture: rows in every table, each made by
that release's own code (its CLI, its services, Chainlit's data layer as the web app runs it).

Run it with the release's tree first on the import path, for example::

    git worktree add /tmp/release a02f639
    PYTHONPATH=/tmp/release HF_HUB_OFFLINE=1 python scripts/make_release_fixture.py \\
        tests/data/release-2026-12-06

It writes ``kbchat.sqlite3`` (a SQLite file) and ``kbchat.postgres.sql`` (``pg_dump`` of the
same story played on a throwaway PostgreSQL server, started as ``tests/postgres.py`` does).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from typer.testing import CliRunner

PASSWORDS = {
    "admin.chen": "quiet-harbor-lantern-1987",
    "nurse.lin": "violet-meadow-compass-42",
    "clerk.wu": "granite-orchid-tuesday-77",
}
"""Every user of the fixture, with the password it was given (the migration test logs in)."""

REVOKED_TOKEN = "a logged-out token of nurse.lin"


def _cli(*args: str, stdin: str | None = None) -> str:
    """Run one ``kbchat`` command in this process, as a user would from the shell."""
    from chat.cli.main import app

    result = CliRunner().invoke(app, list(args), input=stdin)
    if result.exit_code != 0:
        raise SystemExit(f"kbchat {' '.join(args)} failed: {result.output}")
    return result.output


def _users() -> None:
    """Users from the CLI; a chosen language, a last persona, a logout, a lockout."""
    from chat.factory import build_accounts, build_login_throttle
    from chat.settings import Settings

    _cli("users", "add", "admin.chen", "--role", "admin", "--keep-password",
         stdin=PASSWORDS["admin.chen"] + "\n")  # fmt: skip
    _cli("users", "add", "nurse.lin", "--role", "staff", stdin=PASSWORDS["nurse.lin"] + "\n")
    _cli("users", "add", "clerk.wu", "--role", "clinician", stdin=PASSWORDS["clerk.wu"] + "\n")
    settings = Settings()
    accounts = build_accounts(settings)
    accounts.choose_language("nurse.lin", "en-US")
    accounts.remember_persona("nurse.lin", "kb-assistant")
    digest = hashlib.sha256(REVOKED_TOKEN.encode()).hexdigest()
    accounts.revoke_token(digest, "nurse.lin", expires_at=2_000_000_000)  # in 2033
    throttle = build_login_throttle(settings, accounts)
    for _ in range(throttle.policy.lockout_failures):
        throttle.failed("clerk.wu", "10.0.0.7")  # locked, and the address counted
    _cli("users", "unlock", "clerk.wu")
    throttle.failed("nurse.lin", "10.0.0.8")


def _documents(work: Path) -> str:
    """Two PDFs ingested from the CLI, one of them moved to another collection."""
    from chat.factory import build_knowledge_base
    from chat.settings import Settings
    from tests.pdfs import text_pdf

    guide = text_pdf(work / "clinic-guide.pdf", [
        ["Clinic hours: 8 am to 5 pm on weekdays.", "門診時間：週一到週五上午八點到下午五點。"],
        ["Bring your health insurance card.", "請攜帶健保卡。"],
    ])  # fmt: skip
    ward = text_pdf(work / "ward-rules.pdf", [["Visiting hours end at 9 pm.", "探病到晚上九點。"]])
    _cli("ingest", str(guide), "--collection", "general")
    _cli("ingest", str(ward), "--collection", "general")
    kb = build_knowledge_base(Settings())
    (moved,) = [d for d in kb.documents() if d.filename == "ward-rules.pdf"]
    kb.move(moved.doc_id, "wards")
    kb.vectors.close()
    (kept,) = [d for d in kb.documents() if d.filename == "clinic-guide.pdf"]
    return kept.doc_id


def _personas(work: Path) -> None:
    """The shipped library, seeded; one persona imported and edited, one disabled."""
    import yaml

    from personas.manager import LIBRARY_DIR

    card = yaml.safe_load((LIBRARY_DIR / "doctor.yaml").read_text("utf-8"))
    for number, name in enumerate(("病房護理師", "病房護理長"), start=1):
        path = work / f"ward-nurse-{number}.yaml"
        card.update(id="ward-nurse", name=name)
        path.write_text(yaml.safe_dump(card, allow_unicode=True), encoding="utf-8")
        _cli("personas", "import", str(path), "--author", "admin.chen",
             *(["--update"] if number > 1 else []))  # fmt: skip
    _cli("personas", "disable", "film-critic")


def _sharing(work: Path, doc_id: str) -> None:
    """A shared answer with consent, curated; an expert's sheet imported; one withdrawal."""
    from chat.factory import build_sharing
    from chat.settings import Settings
    from sharing.consent import consent_text
    from sharing.service import QADraft

    sharing = build_sharing(Settings())
    citation = {"file": "clinic-guide.pdf", "page": 1, "doc_id": doc_id}
    ids = []
    for question, answer in (("門診幾點開始？", "上午八點 [1]。"), ("Bring what?", "A card [1].")):
        draft = QADraft(question, answer, "kb-assistant", 1, "qwen", [citation], rating=1)
        consent = consent_text("zh-TW")
        qa = sharing.service.share(draft, user_id="nurse.lin", locale="zh-TW",
                                   consent_version=consent.version,
                                   consent_sha256=consent.sha256, method="web-button")  # fmt: skip
        ids.append(str(qa.id))
    _cli("share", "approve", ids[0], "--as", "admin.chen")
    _cli("share", "edit", ids[0], "--answer", "上午八點開始 [1]。", "--as", "admin.chen")
    _cli("share", "tag", ids[0], "topic:hours")
    _cli("share", "withdraw", ids[1], "--user", "nurse.lin")
    sheet = work / "experts.csv"
    sheet.write_text("instruction,input,output\n掛號要帶什麼？,,健保卡\n", encoding="utf-8")
    _cli("share", "import", str(sheet), "--as", "admin.chen")


def _history(url: str, doc_id: str) -> None:
    """A chat as the web app stores it: Chainlit's user, thread, steps, a cited page, a
    thumbs-up, and a thread its owner deleted."""
    from chat.web.history import HistoryDataLayer, async_url, create_history_tables
    from knowledge import make_engine

    create_history_tables(make_engine(url))  # what the web app's data layer does first
    asyncio.run(_chat(HistoryDataLayer(conninfo=async_url(url)), doc_id))


async def _chat(layer: object, doc_id: str) -> None:
    from chainlit.context import init_http_context
    from chainlit.element import Pdf
    from chainlit.types import Feedback
    from chainlit.user import User

    from chat.web.history import HistoryDataLayer

    assert isinstance(layer, HistoryDataLayer)
    user = await layer.create_user(User(identifier="nurse.lin", metadata={"role": "staff"}))
    assert user is not None
    thread, gone = str(uuid.uuid4()), str(uuid.uuid4())
    for thread_id in (thread, gone):
        await layer.update_thread(thread_id, name="門診時間", user_id=user.id)
    init_http_context(thread_id=thread)
    question, answer = str(uuid.uuid4()), str(uuid.uuid4())
    await layer.create_step({"id": question, "threadId": thread, "name": "nurse.lin",  # type: ignore[typeddict-item]
                             "type": "user_message", "output": "門診幾點開始？",
                             "streaming": False, "createdAt": "2026-12-06T01:00:00Z"})  # fmt: skip
    await layer.create_step({"id": answer, "threadId": thread, "name": "kb-assistant",  # type: ignore[typeddict-item]
                             "type": "assistant_message", "output": "上午八點 [1]。",
                             "parentId": question, "streaming": False,
                             "metadata": {"kbchat_asked_in": question},
                             "createdAt": "2026-12-06T01:00:05Z"})  # fmt: skip
    pdf = Pdf(name="[1] clinic-guide.pdf 第 1 頁", url=f"/kbchat/documents/{doc_id}", page=1,
              for_id=answer)  # fmt: skip
    await layer.create_element(pdf)
    await layer.upsert_feedback(Feedback(forId=answer, threadId=thread, value=1, comment="清楚"))
    await layer.delete_thread(gone)
    await layer.engine.dispose()


def play(data_dir: Path, url: str) -> None:
    """Write every table of the release's database at ``url`` through the release's code."""
    os.environ.update(KBCHAT_DATA_DIR=str(data_dir), KBCHAT_DATABASE_URL=url)
    work = data_dir / "inputs"
    work.mkdir(parents=True)
    _users()
    doc_id = _documents(work)
    _personas(work)
    _sharing(work, doc_id)
    _history(url, doc_id)


def _sqlite(out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="kbchat-release-") as folder:
        database = Path(folder) / "kbchat.db"
        play(Path(folder) / "data", f"sqlite:///{database}")
        connection = sqlite3.connect(database)
        connection.execute("PRAGMA journal_mode=DELETE")  # the WAL folded in: one file
        connection.execute("PRAGMA page_size=1024")  # small pages: a small file to keep
        connection.execute("VACUUM")
        connection.close()
        shutil.copyfile(database, out / "kbchat.sqlite3")


def _postgres(out: Path) -> None:
    from tests.postgres import _binary, temporary_postgres

    with temporary_postgres() as url, tempfile.TemporaryDirectory() as folder:
        play(Path(folder) / "data", url)
        plain = url.replace("postgresql+psycopg://", "postgresql://")
        dump = subprocess.run(
            [_binary("pg_dump"), "--no-owner", "--no-privileges", "--dbname", plain],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        (out / "kbchat.postgres.sql").write_text(dump.stdout, encoding="utf-8")


def main() -> None:
    """Write both fixtures into the folder given."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    out = parser.parse_args().out
    import knowledge.registry

    if not hasattr(knowledge.registry, "make_engine"):
        sys.exit("run this with a release's tree (before Alembic) first on PYTHONPATH")
    out.mkdir(parents=True, exist_ok=True)
    _sqlite(out)
    _postgres(out)


if __name__ == "__main__":
    main()
