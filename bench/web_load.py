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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from chat.accounts.errors import AccountError
from chat.accounts.users import Role  # noqa: E402
from chat.factory import build_accounts, build_knowledge_base  # noqa: E402
from chat.settings import Settings  # noqa: E402
from tests.servers import free_port, running_server  # noqa: E402
from tests.web.chat_client import ChatClient, log_in  # noqa: E402

DRCD = Path(__file__).resolve().parents[1] / "tests" / "data" / "drcd-dev"
PASSWORD = "bench-password-1"


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
    chat = ChatClient(url, await log_in(url, user, PASSWORD))
    await chat.connect()
    result: dict[str, Any] = {"user": user, "ttft": [], "full": [], "errors": [], "answers": []}
    for question in questions:
        reply = await chat.send(question, timeout_s=600)
        if reply.first_token_s is None or not reply.text:
            result["errors"].append(f"no answer to {question!r}")
            continue
        result["answers"].append(reply.text)
        result["ttft"].append(reply.first_token_s)
        result["full"].append(reply.full_s)
    await chat.close()
    result["ids"] = chat.received_ids
    return result


def percentiles(values: list[float]) -> dict[str, float]:
    """p50 and p95 (nearest rank) of a list of seconds, and how many there were."""
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
        "ttft_s": percentiles([t for r in done for t in r["ttft"]]),
        "full_answer_s": percentiles([t for r in done for t in r["full"]]),
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
