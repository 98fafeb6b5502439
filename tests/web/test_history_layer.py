"""Chat history tables on SQLite and PostgreSQL, through Chainlit's own data layer."""

from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from chainlit.context import init_http_context
from chainlit.element import Pdf
from chainlit.types import Feedback
from chainlit.user import User

from chat.database import open_database
from chat.web.history import (
    NO_SUCH_THREAD,
    HistoryDataLayer,
    async_url,
    delete_history,
    feedback_rating,
)

UP, DOWN = str(uuid.uuid4()), str(uuid.uuid4())  # the ids of two rated answers


def test_async_urls() -> None:
    assert async_url("sqlite:////data/kbchat.db") == "sqlite+aiosqlite:////data/kbchat.db"
    assert async_url("postgresql+psycopg://u@h/db") == "postgresql+asyncpg://u@h/db"
    with pytest.raises(ValueError, match="SQLite or PostgreSQL"):
        async_url("mysql://u@h/db")


def test_tables_threads_and_link_elements_round_trip(database_url: str) -> None:
    engine = open_database(database_url)
    columns = {c["name"] for c in sa.inspect(engine).get_columns("steps")}
    assert {"autoCollapse", "defaultOpen", "modes", "command"} <= columns
    engine.dispose()

    async def scenario() -> tuple[object, object]:
        layer = HistoryDataLayer(conninfo=async_url(database_url))
        user = await layer.create_user(User(identifier="nurse.lin", metadata={"role": "staff"}))
        assert user is not None
        thread_id = str(uuid.uuid4())
        await layer.update_thread(thread_id, name="門診", user_id=user.id)
        init_http_context(thread_id=thread_id)  # elements take their thread from the context
        pdf = Pdf(name="[1] guide.pdf 第 2 頁", url="/kbchat/documents/abc", page=2)
        await layer.create_element(pdf)
        for step_id, value in ((UP, 1), (DOWN, 0)):
            await layer.upsert_feedback(
                Feedback(forId=step_id, threadId=thread_id, value=value)  # type: ignore[arg-type]
            )
        thread = await layer.get_thread(thread_id)
        author = await layer.get_thread_author(thread_id)
        # Read back one by one, as the page opens a cited element of a past thread
        stored = await layer.get_element(thread_id, pdf.id)
        assert stored is not None and stored["props"] == {}
        assert await layer.get_thread_author(str(uuid.uuid4())) == NO_SUCH_THREAD
        await layer.engine.dispose()
        return thread, author

    # In a thread of its own: Playwright's sync API may hold this thread's event loop.
    with ThreadPoolExecutor(1) as pool:
        thread, author = pool.submit(asyncio.run, scenario()).result()
    assert author == "nurse.lin"
    assert thread is not None
    (element,) = thread["elements"]  # type: ignore[index]
    assert (element["url"], element["page"]) == ("/kbchat/documents/abc", 2)
    engine = open_database(database_url)
    ratings = [feedback_rating(engine, s, "nurse.lin") for s in (UP, DOWN, str(uuid.uuid4()))]
    others = [feedback_rating(engine, step, "clerk.wu") for step in (UP, DOWN)]
    engine.dispose()
    assert ratings == [1, -1, None]  # thumbs become the KTO label of a shared answer
    assert others == [None, None]  # but only the thread owner's thumbs


def test_a_deleted_thread_is_never_written_again(database_url: str) -> None:
    """What Chainlit does when a chat tab of a deleted thread is still open: its next step
    creates the thread if missing, and its disconnect saves the session into the thread's
    metadata. Neither may bring back a thread its owner deleted, or one of a removed user."""
    engine = open_database(database_url)
    said = {"turns": [{"user": "My patient MRN 1234567 has HIV", "assistant": "..."}]}

    async def scenario() -> list[str]:
        layer = HistoryDataLayer(conninfo=async_url(database_url))
        user = await layer.create_user(User(identifier="hank", metadata={"role": "staff"}))
        assert user is not None
        other = await layer.create_user(User(identifier="ivy", metadata={"role": "staff"}))
        assert other is not None
        deleted, removed, kept = (str(uuid.uuid4()) for _ in range(3))
        for thread_id in (deleted, removed):
            await layer.update_thread(thread_id, name="chat", user_id=user.id)
        await layer.update_thread(kept, name="chat", user_id=other.id)
        await layer.delete_thread(deleted)  # its owner deleted it (DELETE /project/thread)
        await asyncio.to_thread(delete_history, engine, "hank")  # hank was removed
        for thread_id in (deleted, removed, kept):  # the open tabs go on
            init_http_context(thread_id=thread_id)
            step = {"id": str(uuid.uuid4()), "threadId": thread_id, "name": "hank",
                    "type": "user_message", "output": "one more", "streaming": False}  # fmt: skip
            await layer.create_step(step)  # type: ignore[arg-type]
            await layer.update_thread(thread_id, metadata=said)  # the tab disconnects
        rows = await layer.execute_sql('SELECT "id" FROM threads', {})
        await layer.engine.dispose()
        return [str(row["id"]) for row in rows] if isinstance(rows, list) else []

    with ThreadPoolExecutor(1) as pool:
        left = pool.submit(asyncio.run, scenario()).result()
    with engine.connect() as connection:
        steps = connection.execute(sa.text('SELECT "threadId" FROM steps')).all()
    engine.dispose()
    assert len(left) == 1  # only ivy's thread, which nobody deleted, took what was sent
    assert len(steps) == 1 and str(steps[0][0]) == left[0]
