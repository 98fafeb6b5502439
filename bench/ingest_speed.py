"""Ingest speed to searchable (issue 17): the 59 dev PDFs ingested with their embedding
deferred, then embedded as the web app's background thread does, then searched.

Reports pages/s until every document is searchable by words (lexical index built), where
that time goes (parse child process, file copy, registry rows, chunking and the rest, lexical
build), the time until every vector is stored, and page R@1/R@5 of both sets once embedded,
against the same knowledge base with every chunk embedded (Chinese ones too, which the
English-only bundled model reads as noise). Prints a table and writes JSON.

    python bench/ingest_speed.py [--limit N] [--out bench/results/ingest_speed.json]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.reporting import write_report  # noqa: E402
from bench.retrieval import COLLECTION, SETS, evaluate, load_questions  # noqa: E402
from chat.factory import build_knowledge_base  # noqa: E402
from chat.settings import Settings  # noqa: E402
from knowledge import KnowledgeBase, detect_language  # noqa: E402


class Stopwatch:
    """Seconds spent per named step, summed over calls."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def add(self, step: str, seconds: float) -> None:
        """Count seconds against a step."""
        self.seconds[step] = self.seconds.get(step, 0.0) + seconds

    def wrap(self, step: str, function: Callable[..., Any]) -> Callable[..., Any]:
        """The function, its time counted against ``step``."""

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.add(step, time.perf_counter() - start)

        return timed


def ingest_to_searchable(kb: KnowledgeBase) -> dict[str, Any]:
    """Ingest every PDF without embedding, then build the lexical index; time each step."""
    watch = Stopwatch()
    kb.files.put = watch.wrap("file copy", kb.files.put)  # type: ignore[method-assign]
    for name in ("add_indexing", "mark_ready"):
        method = getattr(kb.registry, name)
        setattr(kb.registry, name, watch.wrap(f"registry ({name})", method))
    pdfs = sorted(p for folder in SETS.values() for p in folder.glob("*.pdf"))
    pages = 0
    start = time.perf_counter()
    for pdf in pdfs:
        began = time.perf_counter()

        def parsed(stage: str, _done: int, _total: int, began: float = began) -> None:
            if stage == "parse":  # called right after the child process has answered
                watch.add("check, hash and parse (child process)", time.perf_counter() - began)

        pages += kb.ingest(pdf, collection=COLLECTION, embed=False, progress=parsed).pages
    ingest_seconds = time.perf_counter() - start
    lexical_start = time.perf_counter()
    kb.lexical_index(COLLECTION)
    watch.add("lexical index build", time.perf_counter() - lexical_start)
    seconds = time.perf_counter() - start
    accounted = sum(v for k, v in watch.seconds.items() if k != "lexical index build")
    watch.add("chunking, languages and the rest", ingest_seconds - accounted)
    return {
        "pdfs": len(pdfs),
        "pages": pages,
        "chunks": sum(d.chunks for d in kb.documents(COLLECTION)),
        "seconds": round(seconds, 2),
        "pages_per_s": round(pages / seconds, 2),
        "steps_s": {k: round(v, 2) for k, v in sorted(watch.seconds.items())},
    }


def embed_in_background(kb: KnowledgeBase) -> dict[str, Any]:
    """What the background thread does: embed every pending document; time it."""
    start = time.perf_counter()
    completed = kb.embed_pending()
    documents = kb.documents(COLLECTION)
    return {
        "documents": completed,
        "embedded": sum(d.chunks - d.vectors_pending - d.vectors_skipped for d in documents),
        "skipped": sum(d.vectors_skipped for d in documents),
        "pending": sum(d.vectors_pending for d in documents),
        "seconds": round(time.perf_counter() - start, 2),
    }


def embed_the_rest(kb: KnowledgeBase) -> dict[str, Any]:
    """Embed the chunks the embedder does not read too (the baseline: everything embedded)."""
    rest = [
        (chunk_id, text)
        for chunk_id, text in kb.registry.ready_chunks(COLLECTION)
        if not kb.embedder.reads(detect_language(text))
    ]
    start = time.perf_counter()
    space = kb.space(COLLECTION)
    for at in range(0, len(rest), 64):
        batch = rest[at : at + 64]
        vectors = kb.embedder.embed_documents([text for _, text in batch])
        ids = [chunk_id for chunk_id, _ in batch]
        kb.vectors.upsert(space, ids, vectors, [chunk_id.split("-p")[0] for chunk_id in ids])
    return {"chunks": len(rest), "seconds": round(time.perf_counter() - start, 2)}


def run(limit: int | None) -> dict[str, Any]:
    """The whole measurement, in a fresh data dir."""
    data_dir = Path(tempfile.mkdtemp(prefix="kbchat-ingest-speed-"))
    kb = build_knowledge_base(Settings(data_dir=data_dir))
    start = time.perf_counter()
    kb.embedder.embed_query("warm up")  # `kbchat serve` loads the model before it serves
    model_load = round(time.perf_counter() - start, 2)
    searchable = ingest_to_searchable(kb)
    embedded = embed_in_background(kb)
    questions = load_questions(limit)
    quality, _ = evaluate(kb, questions)
    everything = embed_the_rest(kb)
    quality_all, _ = evaluate(kb, questions)
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "embedder": kb.embedder.model_id,
        "model_load_s": model_load,
        "searchable": searchable,
        "embedded": {
            **embedded,
            "seconds_from_start": round(searchable["seconds"] + embedded["seconds"], 2),
        },
        "embedding_the_rest": everything,
        "quality": {"readable chunks embedded": quality, "every chunk embedded": quality_all},
    }


def print_table(report: dict[str, Any]) -> None:
    """The human-readable summary."""
    s, e = report["searchable"], report["embedded"]
    print(f"\nIngest to searchable ({report['date']}, {report['machine']}, {report['embedder']})")
    print(f"{s['pdfs']} PDFs, {s['pages']} pages, {s['chunks']} chunks")
    print(f"model load (once, at start-up): {report['model_load_s']} s")
    print(f"searchable by words: {s['seconds']} s ({s['pages_per_s']} pages/s)")
    for step, seconds in s["steps_s"].items():
        print(f"  {step:<42}{seconds:>8.2f} s")
    print(
        f"vectors: {e['embedded']} chunks embedded, {e['skipped']} skipped, in {e['seconds']} s "
        f"(every document complete {e['seconds_from_start']} s after the start)"
    )
    rest = report["embedding_the_rest"]
    print(f"embedding the {rest['chunks']} skipped chunks too would take {rest['seconds']} s")
    print(f"\n{'set':<14}{'vectors':<28}{'method':<26}{'R@1':>7}{'R@5':>7}{'n':>6}")
    for vectors, sets in report["quality"].items():
        for name, methods in sets.items():
            for method, m in methods.items():
                print(
                    f"{name:<14}{vectors:<28}{method:<26}{m['R@1']:>7.3f}{m['R@5']:>7.3f}{m['n']:>6}"
                )


def main() -> None:
    """Run the benchmark and write its JSON report."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, help="Sample this many questions per set.")
    parser.add_argument("--out", type=Path, default=Path("bench/results/ingest_speed.json"))
    args = parser.parse_args()
    report = run(args.limit)
    print_table(report)
    write_report(args.out, report)


if __name__ == "__main__":
    main()
