"""Soak: N concurrent chat sessions for a fixed time, uploading, asking and sharing.

Starts `kbchat serve` on loopback on a fresh data dir, gives every session its own user, and
runs them all at once: each uploads one drcd-dev PDF into its private collection, then asks
that PDF's questions in a loop and shares every other answer (consent, then agree), until
the time is up. Reports answers, errors, p50/p95 latency, shares confirmed and found in the
database afterwards (lost shares), and the server's memory (RSS) growth after warm-up.

    python bench/soak.py [--sessions 20] [--minutes 10]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.web_load import percentiles  # noqa: E402
from chat.accounts.users import Role  # noqa: E402
from chat.factory import build_accounts, build_sharing  # noqa: E402
from chat.settings import Settings  # noqa: E402
from tests.servers import free_port, running_server  # noqa: E402
from tests.web.chat_client import ChatClient, Reply, log_in  # noqa: E402

DRCD = Path(__file__).resolve().parents[1] / "tests" / "data" / "drcd-dev"
PASSWORD = "soak-password-1"
SHARED = re.compile(r"已分享（編號 (\d+)）")
WARM_UP_S = 180


@dataclass
class SessionLog:
    """What one session did."""

    user: str
    latencies: list[float] = field(default_factory=list)
    first_tokens: list[float] = field(default_factory=list)
    shares: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    uploads: int = 0


def _questions(pdf: str) -> list[str]:
    rows = [json.loads(line) for line in (DRCD / "qrels.jsonl").read_text().splitlines() if line]
    return [str(r["question"]) for r in rows if r.get("file", r.get("pdf")) == pdf]


async def _share(chat: ChatClient, answer: Reply, log: SessionLog) -> None:
    """Press Share this QA, then Agree; record the id the app confirms."""
    offer = next((a for a in answer.actions if a["name"] == "share_qa"), None)
    if offer is None:
        return
    consent = await chat.call_action(offer)
    agree = next((a for a in consent.actions if a["name"] == "share_agree"), None)
    if agree is None:
        log.errors.append(f"{log.user}: no Agree button after Share")
        return
    done = await chat.call_action(agree)
    found = SHARED.search(" ".join(done.texts))
    if found:
        log.shares.append(int(found.group(1)))
    else:
        log.errors.append(f"{log.user}: share not confirmed: {done.texts}")


async def session(url: str, number: int, pdf: Path, deadline: float) -> SessionLog:
    """One user until the deadline: upload, then ask and share in turn."""
    log = SessionLog(f"soak-{number:02d}")
    chat = ChatClient(url, await log_in(url, log.user, PASSWORD))
    await chat.connect()
    added = await chat.send("", files=[pdf])
    if not any("已匯入" in text or "已在知識庫" in text for text in added.texts):
        log.errors.append(f"{log.user}: upload failed: {added.texts}")
    log.uploads += 1
    questions = _questions(pdf.name)
    random.Random(number).shuffle(questions)
    turn = 0
    while time.monotonic() < deadline and questions:
        question = questions[turn % len(questions)]
        answer = await chat.send(question, timeout_s=900)
        if not answer.text or "發生錯誤" in answer.text or "⚠️" in answer.text:
            log.errors.append(f"{log.user}: {question!r} -> {answer.text[:120]!r}")
        else:
            log.latencies.append(answer.full_s)
            if answer.first_token_s is not None:
                log.first_tokens.append(answer.first_token_s)
        if turn % 2 == 0:
            await _share(chat, answer, log)
        turn += 1
    await chat.close()
    return log


def _descendants(pid: int) -> list[int]:
    """The process and every process below it (the PDF parser runs as a child)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [pid], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def _rss_mb(pid: int) -> tuple[float, float]:
    """Resident memory of the app process, and of its child processes, in MB."""
    sizes = []
    for each in _descendants(pid):
        kilobytes = 0
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    kilobytes = int(line.split()[1])
        sizes.append(kilobytes / 1024)
    return sizes[0], sum(sizes[1:])


async def _sample_memory(pid: int, samples: list[tuple[float, float, float]], start: float) -> None:
    while True:
        samples.append((round(time.monotonic() - start, 1), *_rss_mb(pid)))
        await asyncio.sleep(5)


async def run(url: str, pid: int, sessions: int, minutes: float) -> dict[str, Any]:
    """All sessions at once for the given time; the report."""
    pdfs = sorted(DRCD.glob("*.pdf"))
    start = time.monotonic()
    deadline = start + minutes * 60
    samples: list[tuple[float, float, float]] = []
    sampler = asyncio.create_task(_sample_memory(pid, samples, start))
    results = await asyncio.gather(
        *(session(url, n, pdfs[n % len(pdfs)], deadline) for n in range(sessions)),
        return_exceptions=True,
    )
    sampler.cancel()
    wall = time.monotonic() - start
    logs = [r for r in results if isinstance(r, SessionLog)]
    crashed = [repr(r) for r in results if not isinstance(r, SessionLog)]
    # Warm: once every session's upload is indexed and it has had answers (see --warm-up).
    warm = next((mb for t, mb, _ in samples if t >= WARM_UP_S), samples[0][1])
    return {
        "sessions": sessions,
        "minutes": minutes,
        "wall_s": round(wall, 1),
        "uploads": sum(log.uploads for log in logs),
        "answers": sum(len(log.latencies) for log in logs),
        "errors": crashed + [e for log in logs for e in log.errors],
        "answer_s": percentiles([t for log in logs for t in log.latencies]),
        "first_token_s": percentiles([t for log in logs for t in log.first_tokens]),
        "shares_confirmed": sorted(i for log in logs for i in log.shares),
        "rss_mb": {
            "warm": round(warm, 1),
            "end": round(samples[-1][1], 1),
            "max": round(max(mb for _, mb, _ in samples), 1),
            "children_max": round(max(kids for _, _, kids in samples), 1),
        },
        "memory_growth": round((samples[-1][1] - warm) / warm, 4),
        "rss_samples": [[t, round(mb, 1), round(kids, 1)] for t, mb, kids in samples],
    }


def _lost_shares(data_dir: Path, confirmed: list[int]) -> list[int]:
    """Confirmed share ids that the database does not hold."""
    stored = {qa.id for qa in build_sharing(Settings(data_dir=data_dir)).store.list_qa()}
    return [qa_id for qa_id in confirmed if qa_id not in stored]


def main() -> None:
    """Start the app, soak it, print a table, write JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--out", type=Path, default=Path("bench/results/soak.json"))
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="kbchat-soak-"))
    accounts = build_accounts(Settings(data_dir=data_dir))
    for number in range(args.sessions):
        accounts.add(f"soak-{number:02d}", PASSWORD, Role.STAFF)
    accounts.engine.dispose()
    port = free_port()
    env = {**os.environ, "KBCHAT_DATA_DIR": str(data_dir), "KBCHAT_QUESTIONS_PER_MINUTE": "60"}
    command = [sys.executable, "-m", "chat", "serve", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    with running_server(command, f"{url}/health", 300, env=env, log=data_dir / "serve.log") as app:
        report = asyncio.run(run(url, app.pid, args.sessions, args.minutes))
    report["lost_shares"] = _lost_shares(data_dir, report["shares_confirmed"])
    report["date"] = datetime.now(UTC).strftime("%Y-%m-%d")
    report["machine"] = f"{os.cpu_count()} cores, bundled model in process"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    _print(report)


def _print(report: dict[str, Any]) -> None:
    rows = [
        ("sessions x minutes", f"{report['sessions']} x {report['minutes']}"),
        ("uploads", report["uploads"]),
        ("answers", report["answers"]),
        ("errors", len(report["errors"])),
        ("answer p50 / p95 (s)", f"{report['answer_s']['p50']} / {report['answer_s']['p95']}"),
        ("first token p50 / p95 (s)",
         f"{report['first_token_s']['p50']} / {report['first_token_s']['p95']}"),
        ("shares confirmed / lost", f"{len(report['shares_confirmed'])} / "
                                    f"{len(report['lost_shares'])}"),
        ("RSS warm / end / max (MB)",
         f"{report['rss_mb']['warm']} / {report['rss_mb']['end']} / {report['rss_mb']['max']}"),
        ("memory growth after warm-up", f"{report['memory_growth']:.1%}"),
    ]  # fmt: skip
    for name, value in rows:
        print(f"{name:<32}{value}")
    for error in report["errors"][:10]:
        print(f"  error: {error}")


if __name__ == "__main__":
    main()
