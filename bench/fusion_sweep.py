"""Fusion sweep: how the hybrid search's lexical weight was chosen, and how to re-choose it.

Reuses (or builds) the knowledge base of ``bench/retrieval.py``, takes each question's top
candidates from both sides once, and scores several fusion functions on them: each side
alone, reciprocal rank fusion, and the convex combination at several lexical weights. Then
it re-ranks the best 20 pages of the chosen fusion by question-term coverage at several
weights (``RetrievalOptions.coverage_weight``).

    python bench/fusion_sweep.py --data-dir DIR [--limit N]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from retrieval import COLLECTION, load_questions, open_benchmark_kb, score

from knowledge import RetrievalOptions, convex_fusion, page_hits, rerank_by_coverage

Ranked = Sequence[tuple[str, float]]
Fusion = Callable[[Ranked, Ranked], list[tuple[str, float]]]


def rank_fusion(lexical: Ranked, dense: Ranked, k: int = 60) -> list[tuple[str, float]]:
    """Reciprocal rank fusion with equal weights (Cormack et al., 2009)."""
    fused: dict[str, float] = {}
    for ranking in (lexical, dense):
        for rank, (item, _) in enumerate(ranking):
            fused[item] = fused.get(item, 0.0) + 1 / (k + rank + 1)
    return sorted(fused.items(), key=lambda pair: -pair[1])


FUSIONS: dict[str, Fusion] = {
    "BM25 alone": lambda lexical, dense: list(lexical),
    "dense alone": lambda lexical, dense: list(dense),
    "reciprocal rank fusion": rank_fusion,
    **{
        f"convex, lexical weight {w}": partial(convex_fusion, lexical_weight=w)
        for w in (0.5, 0.6, 0.7, 0.8, 0.9)
    },
}

COVERAGE_WEIGHTS = (0.0, 0.25, 0.5, 1.0, 1.5, 2.0)


def main() -> None:
    """Score every fusion on both sets and print a table; write JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--out", type=Path, default=Path("bench/results/fusion_sweep.json"))
    args = parser.parse_args()
    kb, _ = open_benchmark_kb(args.data_dir or Path(tempfile.mkdtemp(prefix="kbchat-bench-")))
    space, lexical_index = kb.space(COLLECTION), kb.lexical_index(COLLECTION)
    results: dict[str, dict[str, dict[str, float]]] = {}
    for name, rows in load_questions(args.limit).items():
        candidates = []
        for row in rows:
            query = str(row["query"])
            dense = kb.vectors.query(space, kb.embedder.embed_query(query), 100)
            candidates.append((lexical_index.search(query, 100), dense))
        ids = {c for lex, den in candidates for c, _ in [*lex, *den]}
        chunks = kb.registry.chunks_with_documents(ids)
        golds = [row["gold"] for row in rows]
        for label, fuse in FUSIONS.items():
            ranked = [
                [(h.file, h.page) for h in page_hits(fuse(lex, den), chunks, 10)]
                for lex, den in candidates
            ]
            results.setdefault(label, {})[name] = score(ranked, golds)  # type: ignore[arg-type]
        chosen = RetrievalOptions().lexical_weight
        pools = [
            page_hits(convex_fusion(lex, den, chosen), chunks, RetrievalOptions().rerank_depth)
            for lex, den in candidates
        ]
        for weight in COVERAGE_WEIGHTS:
            ranked = [
                [(h.file, h.page) for h in rerank_by_coverage(pool, str(row["query"]), weight)]
                for pool, row in zip(pools, rows, strict=True)
            ]
            label = f"convex {chosen} + coverage {weight}"
            results.setdefault(label, {})[name] = score(ranked, golds)  # type: ignore[arg-type]
    report = {"date": datetime.now(UTC).strftime("%Y-%m-%d"), "results": results}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(f"{'fusion':<32}{'drcd R@1':>10}{'R@5':>8}{'pubmed R@1':>12}{'R@5':>8}")
    for label, sets in results.items():
        zh, en = sets["drcd-dev"], sets["pubmedqa-dev"]
        print(f"{label:<32}{zh['R@1']:>10.3f}{zh['R@5']:>8.3f}{en['R@1']:>12.3f}{en['R@5']:>8.3f}")


if __name__ == "__main__":
    main()
