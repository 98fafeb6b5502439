"""Relevance-gate benchmark: questions answered in-domain, refused off-topic, by threshold.

Retrieval only (the model is never called). Two knowledge bases: the 39 drcd-dev and 20
pubmedqa-dev PDFs, and the sample hospital guide alone (a new site's first upload):
- in-domain: sampled drcd-dev and pubmedqa-dev questions, and `bench/natural.jsonl` (short
  questions as staff ask them, about the guide, asked of the guide), should pass the gate;
- off-topic: `bench/offtopic.jsonl` (hospital questions the two sets do not answer; asked of
  the two sets, since the guide answers some of them), should be refused. Rows marked
  `"split": "held-out"` were written after the first threshold was chosen and are reported
  apart.
For each threshold: the share answered or refused, with the engine's own relevance rule
(knowledge.retrieval.relevance: weighted coverage plus similarity where the embedder reads
the question's language).

    python bench/gate.py [--data-dir DIR] [--drcd 400] [--pubmed 150]

Writes bench/results/gate.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from chat.factory import build_knowledge_base  # noqa: E402
from chat.settings import Settings  # noqa: E402
from knowledge import KnowledgeBase, detect_language, relevance  # noqa: E402
from tests.datasets import DRCD, HOSPITAL_GUIDE, PUBMED, read_jsonl  # noqa: E402

HERE = Path(__file__).resolve().parent
THRESHOLDS = [0.70, 0.74, 0.78, 0.82, 0.86, 0.90]


def _sample(folder: Path, count: int) -> list[str]:
    """``count`` of the set's questions, the same ones every run (seed 11)."""
    return [
        str(r["question"])
        for r in random.Random(11).sample(read_jsonl(folder / "qrels.jsonl"), count)
    ]


def best_relevance(kb: KnowledgeBase, question: str) -> float:
    """The gate's reading of the question: the most relevant of the four pages it retrieves."""
    semantic = kb.embedder.reads(detect_language(question))
    hits = kb.search(question, k=4)
    return max((relevance(hit, semantic) for hit in hits), default=0.0)


def open_kb(data_dir: Path, pdfs: list[Path]) -> KnowledgeBase:
    """A knowledge base of these PDFs (reused when it has documents already)."""
    kb = build_knowledge_base(Settings(data_dir=data_dir))
    if not kb.documents():
        for pdf in pdfs:
            kb.ingest(pdf)
    return kb


def main() -> None:
    """Score every question once, then print and write the table for each threshold."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--drcd", type=int, default=400)
    parser.add_argument("--pubmed", type=int, default=150)
    args = parser.parse_args()
    sets_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="kbchat-gate-"))
    kb = open_kb(sets_dir, [*sorted(DRCD.glob("*.pdf")), *sorted(PUBMED.glob("*.pdf"))])
    guide = open_kb(Path(tempfile.mkdtemp(prefix="kbchat-guide-")), [HOSPITAL_GUIDE])
    off = read_jsonl(HERE / "offtopic.jsonl")
    scores = {
        "drcd-dev": [best_relevance(kb, q) for q in _sample(DRCD, args.drcd)],
        "pubmedqa-dev": [best_relevance(kb, q) for q in _sample(PUBMED, args.pubmed)],
        "natural": [
            best_relevance(guide, str(r["question"])) for r in read_jsonl(HERE / "natural.jsonl")
        ],
    }
    for split in ("first", "held-out"):
        rows = [r for r in off if r.get("split", "first") == split]
        scores[f"off-topic ({split})"] = [best_relevance(kb, str(r["question"])) for r in rows]
    table = []
    for threshold in THRESHOLDS:
        row: dict[str, object] = {"threshold": threshold}
        for name, values in scores.items():
            passed = sum(value >= threshold for value in values) / len(values)
            row[name] = round(1 - passed if name.startswith("off") else passed, 3)
        table.append(row)
        print(json.dumps(row, ensure_ascii=False))
    report = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "measure": "in-domain sets: share answered; off-topic: share refused",
        "questions": {name: len(values) for name, values in scores.items()},
        "table": table,
    }
    out = HERE / "results" / "gate.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
