"""Conversation history: Chainlit's SQLAlchemy data layer on the app's own database.

Chainlit does not create that layer's tables; kbchat's migrations do (``chat.database``).
Citation elements point at kbchat's access-checked routes, so they are stored as links and
need no file storage; a resumed thread opens them the same way a live one does.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, cast

from chainlit.data.sql_alchemy import SQLAlchemyDataLayer
from chainlit.element import Element, ElementDict
from chainlit.step import StepDict
from sqlalchemy import Engine, text

logger = logging.getLogger(__name__)


def async_url(url: str) -> str:
    """The async driver's URL for the app's database URL (aiosqlite or asyncpg)."""
    scheme, rest = url.split("://", 1)
    if scheme.startswith("sqlite"):
        return f"sqlite+aiosqlite://{rest}"
    if scheme.startswith("postgresql"):
        return f"postgresql+asyncpg://{rest}"
    raise ValueError(f"chat history needs SQLite or PostgreSQL, not {scheme}")


OWN_ELEMENT_URL = re.compile(r"^/kbchat/(documents|snippets)/[A-Za-z0-9_-]{1,200}$")
"""The only element URLs kept: cited PDFs and snippets, served by kbchat's own routes."""


_ELEMENT_FIELDS = ("id", "threadId", "type", "chainlitKey", "url", "objectKey", "name",
                   "display", "size", "language", "page", "autoPlay", "playerConfig", "forId",
                   "mime")  # fmt: skip

NO_SUCH_THREAD = "(no such thread)"
"""The author of a thread that does not exist: no user name can match it (names are letters,
digits and ._@-), so Chainlit answers an unknown id as it answers another user's thread."""


_TOMBSTONE = (
    'INSERT INTO deleted_threads ("id", "deletedAt") VALUES (:id, :at) ON CONFLICT ("id") '
    "DO NOTHING"
)


class HistoryDataLayer(SQLAlchemyDataLayer):
    """Chainlit's SQLAlchemy layer, storing kbchat's link elements without file storage,
    and never bringing a deleted thread back.

    Chainlit writes a thread whenever a session touches it: a step creates its thread if
    missing, and a chat tab that disconnects saves its session into the thread's metadata
    (the questions and answers). A thread deleted while its tab was open, by its owner or
    by removing the owner, came back that way, ownerless and holding what was said (found
    by the second probe). A deleted thread's id is kept, and nothing is written under it.
    """

    async def delete_thread(self, thread_id: str) -> None:
        """Delete a thread and keep its id, so an open tab cannot write it again."""
        await self.execute_sql(
            _TOMBSTONE, {"id": thread_id, "at": await self.get_current_timestamp()}
        )
        await super().delete_thread(thread_id)

    async def update_thread(
        self,
        thread_id: str,
        name: str | None = None,
        user_id: str | None = None,
        metadata: dict[str, Any] | None = None,
        tags: list[str] | None = None,
    ) -> None:
        """Chainlit's update, unless the thread was deleted."""
        if await self._deleted(thread_id):
            logger.info("not writing thread %s: it was deleted", thread_id)
            return
        await super().update_thread(thread_id, name, user_id, metadata, tags)

    async def create_step(self, step_dict: StepDict) -> None:
        """Chainlit's step, unless its thread was deleted."""
        if await self._deleted(str(step_dict.get("threadId") or "")):
            return
        await super().create_step(step_dict)

    async def _deleted(self, thread_id: str) -> bool:
        query = 'SELECT "id" FROM deleted_threads WHERE "id" = :id'
        rows = await self.execute_sql(query, {"id": thread_id})
        return isinstance(rows, list) and bool(rows)

    async def get_thread_author(self, thread_id: str) -> str:
        """The thread's owner; for an unknown id, an author no one is (Chainlit's own layer
        raises there, which answered 500 where another user's thread answers 401: ids could
        be probed)."""
        try:
            return await super().get_thread_author(thread_id)
        except ValueError:
            return NO_SUCH_THREAD

    async def get_element(self, thread_id: str, element_id: str) -> ElementDict | None:
        """One element of a thread. Chainlit's own reading fails (500) on the props of a
        PostgreSQL row (JSONB comes back parsed) and on NULL props; this reads all three."""
        query = 'SELECT * FROM elements WHERE "threadId" = :thread_id AND "id" = :element_id'
        rows = await self.execute_sql(query, {"thread_id": thread_id, "element_id": element_id})
        if not isinstance(rows, list) or not rows:
            return None
        row = rows[0]
        props = row.get("props")
        element: dict[str, Any] = {key: row.get(key) for key in _ELEMENT_FIELDS}
        element["props"] = json.loads(props) if isinstance(props, str) else props or {}
        return cast(ElementDict, element)

    async def create_element(self, element: Element) -> None:
        """Store a citation element as its link to our own access-checked routes. Any other
        URL is refused, never fetched (Chainlit's layer would download it into storage: SSRF);
        elements without a URL need a storage provider, which kbchat does not configure."""
        url = element.url or ""
        if not url:
            await super().create_element(element)
            return
        if not OWN_ELEMENT_URL.match(url):
            logger.warning("not storing element %s: %r is not a kbchat link", element.id, url)
            return
        row = {k: v for k, v in element.to_dict().items() if v is not None}
        row["props"] = json.dumps(row.get("props") or {})  # Chainlit cannot read a NULL back
        columns = ", ".join(f'"{column}"' for column in row)
        values = ", ".join(f":{column}" for column in row)
        query = f"INSERT INTO elements ({columns}) VALUES ({values}) ON CONFLICT (id) DO NOTHING"
        await self.execute_sql(query=query, parameters=row)

    async def step_thread(self, step_id: str) -> tuple[str, str] | None:
        """The thread a message belongs to and that thread's owner; None if there is none."""
        query = (
            'SELECT s."threadId" AS thread, t."userIdentifier" AS owner FROM steps s '
            'JOIN threads t ON t."id" = s."threadId" WHERE s."id" = :id'
        )
        return await self._one_owner(query, step_id)

    async def feedback_thread(self, feedback_id: str) -> tuple[str, str] | None:
        """The thread a feedback row rates and that thread's owner; None if there is none."""
        query = (
            'SELECT f."threadId" AS thread, t."userIdentifier" AS owner FROM feedbacks f '
            'JOIN threads t ON t."id" = f."threadId" WHERE f."id" = :id'
        )
        return await self._one_owner(query, feedback_id)

    async def _one_owner(self, query: str, row_id: str) -> tuple[str, str] | None:
        rows = await self.execute_sql(query=query, parameters={"id": row_id})
        if not isinstance(rows, list) or not rows or rows[0].get("owner") is None:
            return None  # none, or an id the database cannot read (not a UUID on PostgreSQL)
        return str(rows[0]["thread"]), str(rows[0]["owner"])


def feedback_rating(engine: Engine, message_id: str, owner: str) -> int | None:
    """The owner's thumbs on an answer, as a dataset rating: 1 up, -1 down, None if none.
    Only feedback in the owner's own thread counts (no one else can rate their answer)."""
    query = text(
        'SELECT f."value" FROM feedbacks f JOIN threads t ON t."id" = f."threadId" '
        'WHERE f."forId" = :id AND t."userIdentifier" = :owner ORDER BY f."id" LIMIT 1'
    )
    with engine.connect() as connection:
        value = connection.execute(query, {"id": message_id, "owner": owner}).scalar()
    return None if value is None else (1 if int(value) == 1 else -1)


def delete_history(engine: Engine, username: str) -> int:
    """Delete a user's chat threads (their messages, elements and feedback) and Chainlit's
    row for the user, so a new account under the name starts with none. Returns the
    number of threads deleted."""
    owned = 'SELECT "id" FROM threads WHERE "userIdentifier" = :name'
    with engine.begin() as connection:
        ids = [row[0] for row in connection.execute(text(owned), {"name": username})]
        threads = len(ids)
        now = datetime.now(UTC).isoformat()
        for thread_id in ids:  # an open tab of theirs must not write them again
            connection.execute(text(_TOMBSTONE), {"id": thread_id, "at": now})
        for table in ("feedbacks", "elements", "steps"):
            connection.execute(
                text(f'DELETE FROM {table} WHERE "threadId" IN ({owned})'), {"name": username}
            )
        connection.execute(text('DELETE FROM threads WHERE "userIdentifier" = :name'),
                           {"name": username})  # fmt: skip
        connection.execute(text('DELETE FROM users WHERE "identifier" = :name'), {"name": username})
    return threads


def step_metadata(step: Mapping[str, Any]) -> dict[str, Any]:
    """A stored step's metadata as a dict: Chainlit's SQL layer returns it as the database
    gave it (JSON text from SQLite, a dict from PostgreSQL's JSONB)."""
    raw = step.get("metadata")
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return {}
    return raw if isinstance(raw, dict) else {}
