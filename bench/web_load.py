"""Web load: N concurrent chat sessions, each asking M questions over Chainlit's websocket.

Starts `kbchat serve` on loopback on a data dir that holds drcd-dev (ingested on first use),
logs N users in over HTTP, opens one Socket.IO session each (the browser's protocol), and
asks drcd-dev questions at the same time. Reports p50/p95 time to first token and to the full
answer, errors, and whether every answer arrived in its own session only.

    python bench/web_load.py --data-dir DIR [--sessions 10] [--questions 3]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.parse
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import socketio

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from chat.accounts import AccountError, Role  # noqa: E402
from chat.factory import build_accounts, build_knowledge_base  # noqa: E402
from chat.settings import Settings  # noqa: E402
from tests.servers import free_port, running_server  # noqa: E402

DRCD = Path(__file__).resolve().parents[2] / "shared" / "data" / "drcd-dev"
PASSWORD = "bench-password-1"
WAITING = ("排隊中", "In line")


def prepare(data_dir: Path, sessions: int) -> None:
    """drcd-dev in the organization collection, and one user per session."""
    settings = Settings(data_dir=data_dir)
    kb = build_knowledge_base(settings)
    if not kb.documents():
        for pdf in sorted(DRCD.glob("*.pdf")):
            kb.ingest(pdf)
    kb.vectors.close()  # embedded Chroma is one process's: the server about to start needs it
    accounts = build_accounts(settings)
    for number in range(sessions):
        with contextlib.suppress(AccountError):  # already there from an earlier run
            accounts.add(f"bench-{number:02d}", PASSWORD, Role.STAFF)


async def session(url: str, user: str, questions: list[str]) -> dict[str, Any]:
    """One user: log in, open the socket, ask each question after the previous answer."""
    async with aiohttp.ClientSession() as http:
        form = aiohttp.FormData({"username": user, "password": PASSWORD})
        async with http.post(f"{url}/login", data=form) as response:
            response.raise_for_status()
            token = response.cookies["access_token"].value
    client = socketio.AsyncClient()
    events: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()
    for name in ("new_message", "stream_start", "stream_token", "update_message", "task_end"):
        client.on(name, lambda data, name=name: events.put_nowait((name, data)))
    auth = {"clientType": "webapp", "sessionId": str(uuid.uuid4()), "threadId": None,
            "userEnv": "{}", "chatProfile": urllib.parse.quote("kb-assistant")}  # fmt: skip
    await client.connect(url, socketio_path="/ws/socket.io", auth=auth, transports=["websocket"],
                         headers={"Cookie": f"access_token={token}"})  # fmt: skip
    await client.emit("connection_successful")
    result: dict[str, Any] = {"user": user, "ttft": [], "full": [], "errors": [], "answers": []}
    result["ids"] = set()
    await _until(events, result)  # the greeting
    for question in questions:
        start = time.perf_counter()
        message = {"id": str(uuid.uuid4()), "threadId": None, "output": question,
                   "type": "user_message", "name": user,
                   "createdAt": datetime.now(UTC).isoformat()}  # fmt: skip
        await client.emit("client_message", {"message": message, "fileReferences": None})
        first, answer = await _until(events, result, start)
        if first is None or not answer:
            result["errors"].append(f"no answer to {question!r}")
            continue
        result["answers"].append(answer)
        result["ttft"].append(first)
        result["full"].append(time.perf_counter() - start)
    await client.disconnect()
    return result


async def _until(
    events: asyncio.Queue[tuple[str, dict[str, Any]]],
    result: dict[str, Any],
    start: float | None = None,
) -> tuple[float | None, str]:
    """Collect events until the task ends after an assistant message that was not seen before;
    return the time of its first token (or of the whole message) and its text."""
    first: float | None = None
    answer, answer_id = "", None
    while True:
        name, data = await asyncio.wait_for(events.get(), timeout=600)
        if name == "task_end":
            if answer_id is not None:
                return first, answer
            continue
        message_id = data.get("id") if isinstance(data, dict) else None
        if message_id in result["ids"] and message_id != answer_id:
            continue  # an earlier message (the greeting) being updated
        waiting = name == "stream_token" and str(data.get("token", "")).startswith(WAITING)
        if name == "stream_token" and not waiting and start is not None and first is None:
            first = time.perf_counter() - start  # the queue notice is not the answer
        if (
            name in ("new_message", "update_message", "stream_start")
            and data.get("type") == "assistant_message"
        ):
            answer_id = message_id
            answer = str(data.get("output", "")) or answer
            if start is not None and first is None and answer:
                first = time.perf_counter() - start  # a refusal arrives whole
        if message_id:
            result["ids"].add(message_id)


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    if not ordered:
        return {"p50": math.nan, "p95": math.nan, "n": 0}
    return {
        "p50": round(statistics.median(ordered), 2),
        "p95": round(ordered[math.ceil(0.95 * len(ordered)) - 1], 2),
        "n": len(ordered),
    }


async def run(url: str, sessions: int, per_session: int) -> dict[str, Any]:
    """All sessions at once; the report."""
    rows = [json.loads(line) for line in (DRCD / "qrels.jsonl").read_text().splitlines() if line]
    picked = random.Random(11).sample(rows, sessions * per_session)
    plans = [[str(r["question"]) for r in picked[i::sessions]] for i in range(sessions)]
    start = time.perf_counter()
    results = await asyncio.gather(
        *(session(url, f"bench-{n:02d}", plans[n]) for n in range(sessions)),
        return_exceptions=True,
    )
    wall = time.perf_counter() - start
    done = [r for r in results if isinstance(r, dict)]
    failures = [repr(r) for r in results if not isinstance(r, dict)]
    ids = [r["ids"] for r in done]
    shared = sum(len(a & b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    return {
        "sessions": sessions,
        "questions_per_session": per_session,
        "answers": sum(len(r["full"]) for r in done),
        "expected": sessions * per_session,
        "errors": failures + [e for r in done for e in r["errors"]],
        "messages_seen_by_two_sessions": shared,
        "ttft_s": _percentiles([t for r in done for t in r["ttft"]]),
        "full_answer_s": _percentiles([t for r in done for t in r["full"]]),
        "wall_s": round(wall, 1),
        "sample_answers": [r["answers"][:1] for r in done][:3],
    }


def main() -> None:
    """Start the app, run the load, print a table, write JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--questions", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("bench/results/web_load.json"))
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="kbchat-load-"))
    prepare(data_dir, args.sessions)
    port = free_port()
    env = {**os.environ, "KBCHAT_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-m", "chat", "serve", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    with running_server(command, f"{url}/health", 240, env=env, log=data_dir / "serve-load.log"):
        report = asyncio.run(run(url, args.sessions, args.questions))
    report["date"] = datetime.now(UTC).strftime("%Y-%m-%d")
    report["machine"] = f"{os.cpu_count()} cores, bundled model in process"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(f"{'sessions':<30}{report['sessions']}")
    print(f"{'answers / expected':<30}{report['answers']} / {report['expected']}")
    print(f"{'errors':<30}{len(report['errors'])}")
    print(f"{'messages seen by two sessions':<30}{report['messages_seen_by_two_sessions']}")
    print(f"{'TTFT p50 / p95 (s)':<30}{report['ttft_s']['p50']} / {report['ttft_s']['p95']}")
    full = report["full_answer_s"]
    print(f"{'full answer p50 / p95 (s)':<30}{full['p50']} / {full['p95']}")
    print(f"{'wall (s)':<30}{report['wall_s']}")


if __name__ == "__main__":
    main()
