"""Answer benchmark: what a user reads, on drcd-dev (zh-TW) and pubmedqa-dev (English).

One knowledge base holds both sets, as a hospital's would hold many kinds of document. For a
bundled model (``--model``), over sampled questions:
- drcd-dev: answer accuracy (the answer contains the gold text), first citation on a gold
  page, citation precision (the shown sources on the question's own article), questions
  answered (not refused), answers with Simplified-only characters the sources do not have,
  answers that loop (the detector stopped them, or the final text still repeats a sentence);
- pubmedqa-dev: the answer's yes/no against the paper's conclusion, and the same source checks;
- off-topic (`bench/offtopic.jsonl`): questions the gate refuses before the model is called;
- TTFT and generation tokens/s (p50, p95) on the app path as the app runs it (its prompt
  cache on, the model warm); and the overhead of the engine against raw llama-cpp-python on
  the same messages, both from a cold context (reset, cache off) so neither reuses the other.

    python bench/answers.py --model qwen2.5-coder-0.5b [--data-dir DIR] [--drcd 200]
        [--pubmed 60] [--raw 30]

Writes bench/results/answers-<model>.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.judging import Record, Timed, judge, summary  # noqa: E402
from chat.answering.answers import Answer, Token  # noqa: E402
from chat.answering.engine import AnswerEngine  # noqa: E402
from chat.factory import build_engine, build_knowledge_base  # noqa: E402
from chat.settings import Settings  # noqa: E402
from knowledge import KnowledgeBase
from personas import load_library
from serving import BUNDLED_MODELS, LlamaCppBackend, bundled_model
from tests.datasets import DRCD, PUBMED, read_jsonl  # noqa: E402

PERSONA = next(p for p in load_library() if p.id == "kb-assistant")
HERE = Path(__file__).resolve().parent


def _rows(folder: Path) -> list[dict[str, object]]:
    return read_jsonl(folder / "qrels.jsonl")


# Questions a hospital's staff might ask that neither set answers: the gate should refuse them.
OFF_TOPIC = [str(row["question"]) for row in read_jsonl(HERE / "offtopic.jsonl")]


def _percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50": 0.0, "p95": 0.0, "n": 0}
    ordered = sorted(values)
    return {
        "p50": round(statistics.median(ordered), 3),
        "p95": round(ordered[math.ceil(0.95 * len(ordered)) - 1], 3),
        "n": len(ordered),
    }


def timed_app(engine: AnswerEngine, question: str) -> Timed:
    """The engine's answer as the app streams it, timed."""
    start = time.perf_counter()
    first: float | None = None
    for event in engine.stream(question, persona=PERSONA):
        if isinstance(event, Token) and first is None:
            first = time.perf_counter()
        if isinstance(event, Answer):
            end = time.perf_counter()
            tokens = event.usage.completion_tokens if event.usage else 0
            speed = (tokens - 1) / (end - first) if first and tokens > 1 and end > first else 0.0
            return Timed(event, (first or end) - start, speed)
    raise RuntimeError("the engine ended without an answer")


def cold_ttft_pair(
    backend: LlamaCppBackend, engine: AnswerEngine, question: str
) -> tuple[float, float] | None:
    """TTFT of the engine and of raw llama-cpp-python on the same messages, both cold."""
    prepared = engine.prepare(question, persona=PERSONA)
    if prepared is None:  # refused without calling the model: nothing to time
        return None
    llama = backend.load()
    cache = llama.cache
    llama.set_cache(None)  # cold: neither run may reuse the other's prompt
    llama.reset()
    app = timed_app(engine, question).ttft
    llama.reset()
    options = prepared.generation
    start = time.perf_counter()
    first: float | None = None
    for piece in llama.create_chat_completion(
        messages=prepared.messages,
        max_tokens=options.max_tokens,
        temperature=options.temperature,
        top_p=options.top_p,
        repeat_penalty=options.repeat_penalty,
        stream=True,
    ):
        if piece["choices"][0]["delta"].get("content"):
            first = time.perf_counter()
            break
    llama.set_cache(cache)
    return app, (first or time.perf_counter()) - start


def open_kb(data_dir: Path) -> KnowledgeBase:
    """drcd-dev and pubmedqa-dev in one knowledge base, through the CLI's code path."""
    kb = build_knowledge_base(Settings(data_dir=data_dir))
    if not kb.documents():
        for pdf in [*sorted(DRCD.glob("*.pdf")), *sorted(PUBMED.glob("*.pdf"))]:
            kb.ingest(pdf)
    return kb


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", choices=list(BUNDLED_MODELS), required=True)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--drcd", type=int, default=200)
    parser.add_argument("--pubmed", type=int, default=60)
    parser.add_argument("--raw", type=int, default=30, help="Questions timed cold, app vs raw.")
    parser.add_argument("--out", type=Path)
    return parser.parse_args()


def _answer_all(engine: AnswerEngine, sets: dict[str, list[dict]]) -> dict[str, list[Record]]:
    """Each question answered and judged, with progress on stdout."""
    records: dict[str, list[Record]] = {kind: [] for kind in sets}
    for kind, rows in sets.items():
        for index, row in enumerate(rows):
            timed = timed_app(engine, str(row["question"]))
            records[kind].append(judge(row, timed))
            done = sum(r.correct for r in records[kind])
            print(f"{kind} {index + 1}/{len(rows)} correct={done} ttft={timed.ttft:.2f}s",
                  flush=True)  # fmt: skip
    return records


def _report(
    model: str, records: dict[str, list[Record]], refused: list[str], pairs: list[tuple]
) -> dict:
    answered = [r for r in records["drcd"] if r.covered]
    ratio = (
        statistics.median(a for a, _ in pairs) / statistics.median(r for _, r in pairs)
        if pairs
        else None
    )
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "model": model,
        "drcd": summary(records["drcd"]),
        "pubmed": summary(records["pubmed"]),
        "off_topic_refused": round(len(refused) / len(OFF_TOPIC), 3),
        "off_topic_let_through": [q for q in OFF_TOPIC if q not in refused],
        "app_ttft_s": _percentiles([r.ttft_s for r in answered]),
        "app_gen_tokens_per_s": _percentiles([r.tokens_per_s for r in answered]),
        "cold_ttft_s": {
            "app": _percentiles([a for a, _ in pairs]),
            "raw_llama_cpp": _percentiles([r for _, r in pairs]),
        },
        "ttft_overhead_ratio_p50": round(ratio, 3) if ratio is not None else None,
        "records": {kind: [asdict(r) for r in rows] for kind, rows in records.items()},
    }


def main() -> None:
    """Run the answer benchmark, print a table and write JSON."""
    args = _arguments()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="kbchat-answers-"))
    settings = Settings(data_dir=data_dir, llm_bundled_model=args.model)
    kb = open_kb(data_dir)
    model = bundled_model(args.model)
    backend = LlamaCppBackend(
        model.path(settings.models_dir), model_name=model.name, n_ctx=settings.llm_context_size
    )
    engine = build_engine(settings, kb, backend)
    drcd = random.Random(7).sample(_rows(DRCD), args.drcd)
    pubmed = [r for r in _rows(PUBMED) if r["decision"] in ("yes", "no")]
    pubmed = random.Random(7).sample(pubmed, min(args.pubmed, len(pubmed)))
    timed_app(engine, str(drcd[0]["question"]))  # load and warm the model before timing
    records = _answer_all(engine, {"drcd": drcd, "pubmed": pubmed})
    timed_pairs = (cold_ttft_pair(backend, engine, str(r["question"])) for r in drcd[: args.raw])
    pairs = [pair for pair in timed_pairs if pair is not None]
    refused = [q for q in OFF_TOPIC if engine.prepare(q, persona=PERSONA) is None]
    report = _report(model.name, records, refused, pairs)
    out = args.out or HERE / "results" / f"answers-{args.model}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(json.dumps({k: v for k, v in report.items() if k != "records"}, ensure_ascii=False,
                     indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
