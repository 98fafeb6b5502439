"""A Chainlit chat session over Socket.IO, the browser's own protocol, without a browser.

Used by the authorization tests, the web load benchmark and the soak: log in over HTTP,
connect the socket, send questions (with uploaded files), read replies and their actions,
and call actions the way the page does.
"""

from __future__ import annotations

import asyncio
import time
import urllib.parse
import uuid
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import socketio

from chat.web.texts import TEXTS

T = TypeVar("T")
WAITING = tuple(
    TEXTS[locale][key].split("{", 1)[0] for locale in TEXTS for key in ("reading", "waiting")
)
"""How the app's status lines start (searching and reading, the place in line): they are
not the answer's first token."""
EVENTS = ("new_message", "stream_start", "stream_token", "update_message", "task_end", "action")


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to its end from synchronous test code. In a thread of its own: when
    Playwright's sync API is in use, this thread already runs an event loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class LoginRefused(Exception):
    """The app refused the user name and password."""


@dataclass
class Reply:
    """What the app said after one message: its last assistant message and timings."""

    text: str
    message_id: str | None
    actions: list[dict[str, Any]] = field(default_factory=list)
    first_token_s: float | None = None
    full_s: float = 0.0
    messages: list[tuple[str, str]] = field(default_factory=list)
    """(message id, text) of every assistant message of the run, in order."""
    ids: list[str] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        """The text of every assistant message of the run."""
        return [text for _, text in self.messages]


async def log_in(url: str, user: str, password: str) -> str:
    """The login token (the ``access_token`` cookie) for a user."""
    async with aiohttp.ClientSession() as http:
        form = aiohttp.FormData({"username": user, "password": password})
        async with http.post(f"{url}/login", data=form) as response:
            if response.status != 200:
                raise LoginRefused(f"{user}: {response.status}")
            return str(response.cookies["access_token"].value)


class ChatClient:
    """One logged-in chat session."""

    def __init__(self, url: str, token: str, persona: str = "kb-assistant") -> None:
        self.url, self.token, self.persona = url, token, persona
        self.session_id = str(uuid.uuid4())
        self.events: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        self.socket = socketio.AsyncClient()
        self.on_token: Callable[[str], None] | None = None
        self.received_ids: set[str] = set()
        """The id of every message this session was sent: no other session may see them."""
        for name in EVENTS:
            self.socket.on(name, lambda data, name=name: self._received(name, data))

    def _received(self, name: str, data: Any) -> None:
        if isinstance(data, dict) and data.get("id") and name != "action":
            self.received_ids.add(str(data["id"]))
        self.events.put_nowait((name, data))

    @property
    def cookie(self) -> dict[str, str]:
        """The login cookie header, as the browser sends it."""
        return {"Cookie": f"access_token={self.token}"}

    async def connect(self) -> None:
        """Open the socket (raises socketio's ConnectionError when refused). The greeting comes
        with the reply to the first message: Chainlit holds it back until then."""
        auth = {"clientType": "webapp", "sessionId": self.session_id, "threadId": None,
                "userEnv": "{}", "chatProfile": urllib.parse.quote(self.persona)}  # fmt: skip
        await self.socket.connect(
            self.url, socketio_path="/ws/socket.io", auth=auth, transports=["websocket"],
            headers=self.cookie, wait_timeout=30,
        )  # fmt: skip
        await self.socket.emit("connection_successful")

    async def upload(self, path: Path) -> dict[str, Any]:
        """Upload a file into this session, as the page does before sending the message."""
        form = aiohttp.FormData()
        form.add_field(
            "file", path.read_bytes(), filename=path.name, content_type="application/pdf"
        )
        async with aiohttp.ClientSession(headers=self.cookie) as http:
            target = f"{self.url}/project/file?session_id={self.session_id}"
            async with http.post(target, data=form) as response:
                response.raise_for_status()
                reference: dict[str, Any] = await response.json()
                return reference

    async def send(
        self,
        text: str,
        files: Sequence[Path] = (),
        timeout_s: float = 600,
        on_token: Callable[[str], None] | None = None,
    ) -> Reply:
        """Send a message (with uploaded files) and wait until the app has answered it;
        ``on_token`` sees each streamed answer token as it comes."""
        self.on_token = on_token
        references = [{"id": (await self.upload(path))["id"]} for path in files]
        message = {"id": str(uuid.uuid4()), "threadId": None, "output": text,
                   "type": "user_message", "name": "user",
                   "createdAt": datetime.now(UTC).isoformat()}  # fmt: skip
        start = time.perf_counter()
        await self.socket.emit(
            "client_message", {"message": message, "fileReferences": references or None}
        )
        return await self._until_done("on_message", start, timeout_s)

    async def call_action(self, action: dict[str, Any]) -> Reply:
        """Run an action as the page does (POST /project/action, answered once the callback
        is done), then collect what it said."""
        start = time.perf_counter()
        async with aiohttp.ClientSession(headers=self.cookie) as http:
            body = {"sessionId": self.session_id, "action": action}
            async with http.post(f"{self.url}/project/action", json=body) as response:
                response.raise_for_status()
        return await self._drain(start)

    async def close(self) -> None:
        """Disconnect the socket."""
        await self.socket.disconnect()

    async def _until_done(self, run: str, start: float, timeout_s: float) -> Reply:
        """Collect the messages of the run step named ``run`` (the handler Chainlit runs for a
        message) and of its steps, until that run ends."""
        reply = Reply("", None)
        runs: set[str] = set()
        while True:
            left = start + timeout_s - time.perf_counter()
            name, data = await asyncio.wait_for(self.events.get(), timeout=max(left, 0.1))
            if name == "action":
                reply.actions.append(data)
                continue
            if not isinstance(data, dict):
                continue
            if data.get("type") == "run" and data.get("name") == run:
                runs.add(str(data.get("id")))
                if name == "update_message" and data.get("end"):
                    break
                continue
            if data.get("parentId") in runs or data.get("id") == reply.message_id:
                if data.get("type") != "assistant_message" and data.get("id"):
                    runs.add(str(data["id"]))  # a step of the run: its messages count too
                self._take(name, data, reply, start)
        reply.full_s = time.perf_counter() - start
        reply.actions = [a for a in reply.actions if a.get("forId") in set(reply.ids)]
        return reply

    async def _drain(self, start: float, quiet_s: float = 1.0) -> Reply:
        """Collect every assistant message until nothing has come for ``quiet_s``."""
        reply = Reply("", None)
        while True:
            try:
                name, data = await asyncio.wait_for(self.events.get(), timeout=quiet_s)
            except TimeoutError:
                break
            if name == "action":
                reply.actions.append(data)
            elif isinstance(data, dict):
                self._take(name, data, reply, start)
        reply.full_s = time.perf_counter() - start
        return reply

    def _take(self, name: str, data: dict[str, Any], reply: Reply, start: float) -> None:
        """Fold one event of the run into the reply."""
        if name == "stream_token":
            token = str(data.get("token", ""))
            if self.on_token and not token.startswith(WAITING):
                self.on_token(token)
            if reply.first_token_s is None and not token.startswith(WAITING):
                reply.first_token_s = time.perf_counter() - start
            return
        if data.get("type") != "assistant_message":
            return
        reply.message_id = str(data.get("id"))
        if reply.message_id not in reply.ids:
            reply.ids.append(reply.message_id)
        output = str(data.get("output", ""))
        if output:
            reply.text = output
            reply.messages = [m for m in reply.messages if m[0] != reply.message_id]
            reply.messages.append((reply.message_id, output))
            if reply.first_token_s is None and not output.startswith(WAITING):
                reply.first_token_s = time.perf_counter() - start  # not the queue notice
