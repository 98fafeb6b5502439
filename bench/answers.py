"""Answer benchmark: citation and answer accuracy on drcd-dev, speed against raw llama-cpp-python.

With the bundled model on CPU, over sampled drcd-dev questions:
- citation accuracy: the share of answers whose first citation is on a gold page;
- answer accuracy: the share whose answer contains the gold answer text;
- TTFT and generation tokens/s (p50, p95) through the app's engine, and through raw
  llama-cpp-python on the same prompts in the same run (prompt cache off for both, so
  neither reuses the other's work); the overhead ratio is app / raw;
- queueing: N concurrent questions through one model, each request's wait reported;
- refusals: how many questions the knowledge base cannot answer (hospital-service questions
  against Wikipedia articles) the relevance gate turns away before the model is called.

    python bench/answers.py [--data-dir DIR] [--limit 200] [--raw 30] [--concurrent 8]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import statistics
import tempfile
import threading
import time
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from chat.engine import Answer, AnswerEngine, Token
from chat.factory import build_engine, build_knowledge_base
from chat.settings import Settings
from knowledge.base import KnowledgeBase
from personas.manager import load_library
from serving.bundled import BUNDLED_MODEL_NAME, bundled_model_path
from serving.llamacpp import LlamaCppBackend

PERSONA = next(p for p in load_library() if p.id == "kb-assistant")
DRCD = Path(__file__).resolve().parents[1] / "tests" / "data" / "drcd-dev"


# Questions a hospital's staff might ask that neither set answers: the gate should refuse them.
OFF_TOPIC = [
    json.loads(line)["question"]
    for line in (Path(__file__).resolve().parent / "offtopic.jsonl").read_text().split("\n")
    if line
]


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50": round(statistics.median(ordered), 3),
        "p95": round(ordered[math.ceil(0.95 * len(ordered)) - 1], 3),
        "n": len(ordered),
    }


def timed_app(
    backend: LlamaCppBackend, engine: AnswerEngine, question: str
) -> tuple[Answer, float, float]:
    """The engine's answer, its TTFT (s) and generation speed (tokens/s)."""
    backend.load().reset()
    start = time.perf_counter()
    first: float | None = None
    for event in engine.stream(question, persona=PERSONA):
        if isinstance(event, Token) and first is None:
            first = time.perf_counter()
        if isinstance(event, Answer):
            end = time.perf_counter()
            tokens = event.usage.completion_tokens if event.usage else 0
            ttft = (first or end) - start
            speed = (tokens - 1) / (end - first) if first and tokens > 1 and end > first else 0.0
            return event, ttft, speed
    raise RuntimeError("the engine ended without an answer")


def timed_raw(
    backend: LlamaCppBackend, engine: AnswerEngine, question: str
) -> tuple[float, float] | None:
    """TTFT and tokens/s of llama-cpp-python itself on the messages the engine would send."""
    prepared = engine.prepare(question, persona=PERSONA)
    if prepared is None:  # refused without calling the model: nothing to time
        return None
    messages, options = prepared.messages, prepared.generation
    llama = backend.load()
    llama.reset()
    start = time.perf_counter()
    first: float | None = None
    tokens = 0
    for piece in llama.create_chat_completion(
        messages=messages,
        max_tokens=options.max_tokens,
        temperature=options.temperature,
        top_p=options.top_p,
        stream=True,
    ):
        if piece["choices"][0]["delta"].get("content"):
            tokens += 1
            first = first or time.perf_counter()
    end = time.perf_counter()
    ttft = (first or end) - start
    return ttft, (tokens - 1) / (end - first) if first and tokens > 1 and end > first else 0.0


def queueing(engine: AnswerEngine, rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Ask all questions at once; report each one's wait, place in line and correctness."""
    results: list[dict[str, object]] = [{} for _ in rows]

    def ask(index: int) -> None:
        row = rows[index]
        places: list[int] = []
        start = time.perf_counter()
        first: float | None = None
        answer: Answer | None = None
        for event in engine.stream(str(row["question"]), persona=PERSONA, on_queue=places.append):
            if isinstance(event, Token) and first is None:
                first = time.perf_counter()
            if isinstance(event, Answer):
                answer = event
        assert answer is not None
        gold = {(str(row["file"]), int(p)) for p in row["pages"]}  # type: ignore[attr-defined]
        results[index] = {
            "question": row["question"],
            "first_place_in_line": places[0] if places else 0,
            "wait_to_first_token_s": round((first or time.perf_counter()) - start, 2),
            "citation_correct": bool(answer.citations)
            and (answer.citations[0].file, answer.citations[0].page) in gold,
            "answer_correct": _norm(str(row["answer"])) in _norm(answer.text),
        }

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(rows))]
    for thread in threads:
        thread.start()
        time.sleep(0.05)
    for thread in threads:
        thread.join()
    return results


def open_kb(data_dir: Path) -> KnowledgeBase:
    """drcd-dev ingested through the CLI's code path (reused when already there)."""
    kb = build_knowledge_base(Settings(data_dir=data_dir))
    if not kb.documents():
        for pdf in sorted(DRCD.glob("*.pdf")):
            kb.ingest(pdf)
    return kb


def main() -> None:
    """Run the answer benchmark, print a table and write JSON."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument(
        "--raw", type=int, default=30, help="Questions also run through raw llama.cpp."
    )
    parser.add_argument("--concurrent", type=int, default=8)
    parser.add_argument("--out", type=Path, default=Path("bench/results/answers.json"))
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="kbchat-answers-"))
    settings = Settings(data_dir=data_dir)
    kb = open_kb(data_dir)
    backend = LlamaCppBackend(
        bundled_model_path(settings.models_dir),
        model_name=BUNDLED_MODEL_NAME,
        n_ctx=settings.llm_context_size,
        prompt_cache_mb=0,
    )
    engine = build_engine(settings, kb, backend)
    rows = [json.loads(line) for line in (DRCD / "qrels.jsonl").read_text().split("\n") if line]
    sample = random.Random(7).sample(rows, args.limit + args.concurrent)
    measured, concurrent = sample[: args.limit], sample[args.limit :]
    timed_app(backend, engine, rows[-1]["question"])  # load and warm the model before timing
    cited = correct = 0
    app_ttft: list[float] = []
    app_speed: list[float] = []
    raw_ttft: list[float] = []
    raw_speed: list[float] = []
    for index, row in enumerate(measured):
        answer, ttft, speed = timed_app(backend, engine, row["question"])
        gold = {(row["file"], int(p)) for p in row["pages"]}
        cited += (
            bool(answer.citations) and (answer.citations[0].file, answer.citations[0].page) in gold
        )
        correct += _norm(row["answer"]) in _norm(answer.text)
        app_ttft.append(ttft)
        app_speed.append(speed)
        if index < args.raw:
            raw = timed_raw(backend, engine, row["question"])
            if raw is not None:
                raw_ttft.append(raw[0])
                raw_speed.append(raw[1])
        print(f"{index + 1}/{len(measured)} cited={cited} correct={correct}", flush=True)
    n = len(measured)
    paired = min(len(raw_ttft), n)
    refused = sum(engine.prepare(q, persona=PERSONA) is None for q in OFF_TOPIC)
    report = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "model": BUNDLED_MODEL_NAME,
        "questions": n,
        "citation_accuracy": round(cited / n, 3),
        "answer_accuracy": round(correct / n, 3),
        "app": {"ttft_s": _percentiles(app_ttft), "gen_tokens_per_s": _percentiles(app_speed)},
        "raw_llama_cpp": {
            "ttft_s": _percentiles(raw_ttft),
            "gen_tokens_per_s": _percentiles(raw_speed),
        },
        "ttft_overhead_ratio_p50": round(
            statistics.median(app_ttft[:paired]) / statistics.median(raw_ttft), 3
        ),
        "off_topic_refused_by_gate": f"{refused}/{len(OFF_TOPIC)}",
        "queueing": queueing(engine, concurrent) if args.concurrent else [],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(json.dumps({k: v for k, v in report.items() if k != "queueing"}, indent=2))
    for item in report["queueing"]:  # type: ignore[union-attr]
        print(item)


if __name__ == "__main__":
    main()
