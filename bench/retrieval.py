"""Retrieval benchmark: page-level recall of kbchat's hybrid search against dense-only MiniLM.

Ingests drcd-dev (zh-TW) and pubmedqa-dev (English) together into one knowledge base through
the same code path as ``kbchat ingest``, asks every question of both sets, and reports
Recall@1, Recall@5 and MRR@10 over distinct pages, ingestion throughput, and search latency,
also at 100,000 chunks (synthesized from the real ones). Prints a table and writes JSON.

    python bench/retrieval.py [--data-dir DIR] [--limit N] [--synthetic 100000]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np

from chat.factory import build_knowledge_base
from chat.settings import Settings
from knowledge import Chunk, Document, KnowledgeBase, page_hits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.reporting import write_report  # noqa: E402
from tests.datasets import read_jsonl  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
SETS = {"drcd-dev": DATA / "drcd-dev", "pubmedqa-dev": DATA / "pubmedqa-dev"}
COLLECTION = "default"


def load_questions(limit: int | None) -> dict[str, list[dict[str, object]]]:
    """Each set's questions with their gold (file, page) pairs."""
    questions: dict[str, list[dict[str, object]]] = {}
    for name, folder in SETS.items():
        rows = read_jsonl(folder / "qrels.jsonl")
        if limit:
            rows = random.Random(7).sample(rows, min(limit, len(rows)))
        questions[name] = [
            {"query": r["question"], "gold": {(r["file"], int(p)) for p in r["pages"]}}
            for r in rows
        ]
    return questions


def ingest_all(kb: KnowledgeBase) -> dict[str, float]:
    """Ingest every PDF of both sets, then build the lexical index; time the whole of it."""
    pdfs = sorted(p for folder in SETS.values() for p in folder.glob("*.pdf"))
    start = time.perf_counter()
    pages = 0
    for pdf in pdfs:
        pages += kb.ingest(pdf, collection=COLLECTION).pages
    kb.warm_up([COLLECTION])
    seconds = time.perf_counter() - start
    return {
        "pdfs": len(pdfs),
        "pages": pages,
        "seconds": round(seconds, 1),
        "pages_per_s": round(pages / seconds, 2),
    }


def open_benchmark_kb(data_dir: Path) -> tuple[KnowledgeBase, dict[str, object]]:
    """The benchmark knowledge base: reused from ``data_dir`` if it was built, else ingested."""
    kb = build_knowledge_base(Settings(data_dir=data_dir))
    documents = kb.documents(COLLECTION)
    if any(d.uploaded_by == "bench" for d in documents):
        sys.exit(f"{data_dir} holds the synthetic chunks of a scale run; use a fresh --data-dir")
    if documents:
        kb.warm_up([COLLECTION])
        return kb, {"reused": str(data_dir)}
    return kb, ingest_all(kb)


def score(
    ranked: list[list[tuple[str, int]]], golds: list[set[tuple[str, int]]]
) -> dict[str, float]:
    """R@1, R@5 and MRR@10 over distinct pages."""
    r1 = r5 = mrr = 0.0
    for pages, gold in zip(ranked, golds, strict=True):
        ranks = [i for i, page in enumerate(pages[:10]) if page in gold]
        if ranks:
            r1 += ranks[0] == 0
            r5 += ranks[0] < 5
            mrr += 1 / (ranks[0] + 1)
    n = len(golds)
    return {"R@1": round(r1 / n, 4), "R@5": round(r5 / n, 4), "MRR@10": round(mrr / n, 4), "n": n}


def dense_only(kb: KnowledgeBase, query: str) -> list[tuple[str, int]]:
    """The baseline: MiniLM cosine over the same chunks, no lexical side."""
    vector = kb.embedder.embed_query(query)
    ranked = kb.vectors.query(kb.space(COLLECTION), vector, 50)
    hits = page_hits(ranked, kb.registry.chunks_with_documents(c for c, _ in ranked), 10)
    return [(h.file, h.page) for h in hits]


def evaluate(
    kb: KnowledgeBase, questions: dict[str, list[dict[str, object]]]
) -> tuple[dict, list[float]]:
    """Quality of hybrid and dense-only per set, and the latency of every hybrid search."""
    results: dict[str, dict[str, dict[str, float]]] = {}
    latencies: list[float] = []
    for name, rows in questions.items():
        golds = [row["gold"] for row in rows]  # type: ignore[misc]
        hybrid, dense = [], []
        for row in rows:
            start = time.perf_counter()
            hits = kb.search(str(row["query"]), [COLLECTION], k=10)
            latencies.append((time.perf_counter() - start) * 1000)
            hybrid.append([(h.file, h.page) for h in hits])
            dense.append(dense_only(kb, str(row["query"])))
        results[name] = {
            "kbchat hybrid": score(hybrid, golds),
            "dense MiniLM (baseline)": score(dense, golds),
        }
    return results, latencies


def latency_summary(latencies: list[float]) -> dict[str, float]:
    """p50/p95 in milliseconds."""
    ordered = sorted(latencies)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        "n": len(ordered),
    }


def _synthetic_chunks(doc_id: str, count: int, pieces: list[str], rng: Any) -> list[Chunk]:
    """``count`` chunks of one synthetic document, ten to a page, each four real sentences."""
    return [
        Chunk(
            chunk_id=f"{doc_id}-p{i // 10 + 1}-c{i % 10}",
            doc_id=doc_id,
            collection=COLLECTION,
            page=i // 10 + 1,
            ordinal=i % 10,
            text="".join(pieces[j] for j in rng.integers(0, len(pieces), 4)),
        )
        for i in range(count)
    ]


def synthesize(kb: KnowledgeBase, total_chunks: int) -> int:
    """Grow the collection to ``total_chunks`` with chunks mixed from real sentences.

    Texts recombine real sentences so posting lists and vocabulary look like real data;
    vectors are real chunk vectors plus noise, so embedding 100k texts is not needed.
    """
    space = kb.space(COLLECTION)
    real = kb.vectors._space(space).get(include=["embeddings"])  # noqa: SLF001 - bench only
    vectors = np.asarray(real["embeddings"], dtype=np.float32)
    texts = [text for _, text in kb.registry.ready_chunks(COLLECTION)]
    need = total_chunks - len(texts)
    rng = np.random.default_rng(11)
    pieces = [
        s
        for text in texts
        for s in text.replace("。", "。\n").replace(". ", ".\n").split("\n")
        if s
    ]
    per_doc = 1000
    made = 0
    for doc_number in range((need + per_doc - 1) // per_doc):
        doc_id = f"{doc_number:064x}"
        count = min(per_doc, need - made)
        rows = _synthetic_chunks(doc_id, count, pieces, rng)
        noisy = vectors[rng.integers(0, len(vectors), count)] + rng.normal(
            0, 0.05, (count, vectors.shape[1])
        )
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        kb.registry.add_indexing(
            Document(
                doc_id=doc_id,
                filename=f"synthetic-{doc_number:04d}.pdf",
                collection=COLLECTION,
                pages=count // 10 + 1,
                chunks=count,
                size_bytes=0,
                uploaded_by="bench",
            ),
            rows,
        )
        kb.vectors.upsert(
            space, [r.chunk_id for r in rows], noisy.astype(np.float32), [doc_id] * count
        )
        kb.registry.mark_ready(doc_id)
        made += count
    return len(texts) + made


def print_table(report: dict) -> None:
    """The human-readable summary."""
    print(f"\nRetrieval, page level ({report['date']}, {report['machine']})")
    print(f"{'set':<14}{'method':<26}{'R@1':>8}{'R@5':>8}{'MRR@10':>8}{'n':>7}")
    for name, methods in report["quality"].items():
        for method, m in methods.items():
            print(
                f"{name:<14}{method:<26}{m['R@1']:>8.3f}{m['R@5']:>8.3f}{m['MRR@10']:>8.3f}{m['n']:>7}"
            )
    ing = report["ingest"]
    if "seconds" in ing:
        print(
            f"\nIngest: {ing['pdfs']} PDFs, {ing['pages']} pages, {ing['chunks']} chunks "
            f"in {ing['seconds']} s "
            f"({ing['pages_per_s']} pages/s)"
        )
    for label, lat in report["latency"].items():
        print(
            f"Search latency at {label}: p50 {lat['p50_ms']} ms, "
            f"p95 {lat['p95_ms']} ms (n={lat['n']})"
        )


def main() -> None:
    """Run the benchmark and write its JSON report."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data-dir", type=Path, help="Keep the knowledge base here (reused when present)."
    )
    parser.add_argument("--limit", type=int, help="Sample this many questions per set.")
    parser.add_argument(
        "--synthetic",
        type=int,
        default=100_000,
        help="Grow to this many chunks for the latency-at-scale test (this changes --data-dir "
        "for good); 0 skips it.",
    )
    parser.add_argument("--out", type=Path, default=Path("bench/results/retrieval.json"))
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="kbchat-bench-"))
    kb, ingest = open_benchmark_kb(data_dir)
    ingest["chunks"] = sum(d.chunks for d in kb.documents(COLLECTION))
    questions = load_questions(args.limit)
    quality, latencies = evaluate(kb, questions)
    report = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "quality": quality,
        "ingest": ingest,
        "latency": {f"{ingest['chunks']} chunks": latency_summary(latencies[20:])},
    }
    if args.synthetic:
        total = synthesize(kb, args.synthetic)
        kb.warm_up([COLLECTION])
        sample = random.Random(3).sample([q for rows in questions.values() for q in rows], 500)
        timed = []
        for row in sample:
            start = time.perf_counter()
            kb.search(str(row["query"]), [COLLECTION], k=10)
            timed.append((time.perf_counter() - start) * 1000)
        report["latency"][f"{total} chunks"] = latency_summary(timed)
    print_table(report)
    write_report(args.out, report)


if __name__ == "__main__":
    main()
