"""Documents without pages (issue 17): section recall of tables and of articles read from
Word and HTML.

- ``--tables``: the table set of ``bench/table_set.py`` (budget, fee and schedule tables in
  zh-TW and English, as .docx, .xlsx and .html): a hit is right when it is the gold file's
  section under the gold heading (Excel: sheet) that holds the gold row.
- ``--articles``: drcd-dev's articles written as Word and as HTML documents (each article's
  title a heading, its paragraphs as paragraphs, from the PDFs' text), each version in its own
  knowledge base: a hit is right when it is the gold article's section that holds the answer.

Each set is ingested into a fresh knowledge base through ``KnowledgeBase.ingest``, and every
question searched with ``KnowledgeBase.search`` (k=5). Prints a table and writes JSON.

    python bench/documents.py [--tables] [--articles] [--limit N] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from articles import Question, write_articles
from table_set import write_set

from chat.factory import build_knowledge_base
from chat.settings import Settings
from knowledge import KnowledgeBase, SearchHit

HERE = Path(__file__).resolve().parent


def section_text(kb: KnowledgeBase, hit: SearchHit) -> tuple[str, str]:
    """The heading and the whole text of a hit's section."""
    section = kb.section(hit.doc_id, hit.page)
    return (section.place.heading, section.text()) if section else ("", "")


def _bare(text: str) -> str:
    return "".join(text.split())


def rank_of(kb: KnowledgeBase, question: Question) -> int | None:
    """The 1-based rank of the first right hit among the best five, or None."""
    for rank, hit in enumerate(kb.search(question.question, k=5), start=1):
        if hit.file != question.file:
            continue
        heading, text = section_text(kb, hit)
        # Spaces aside: a PDF's text layer splits some answers across a wrapped line ("19 97年").
        if heading.endswith(question.heading) and _bare(question.needle) in _bare(text):
            return rank
    return None


def run_set(name: str, folder: Path, questions: list[Question]) -> dict[str, Any]:
    """Ingest the folder's documents, ask the questions; recall overall and by group."""
    with tempfile.TemporaryDirectory(prefix=f"kbchat-{name}-") as data:
        kb = build_knowledge_base(Settings(data_dir=Path(data)))
        started = time.perf_counter()
        sections = sum(kb.ingest(path).pages for path in sorted(folder.iterdir()))
        ingest_s = time.perf_counter() - started
        groups: dict[str, list[int | None]] = defaultdict(list)
        for question in questions:
            rank = rank_of(kb, question)
            groups["all"].append(rank)
            groups[question.group].append(rank)
        kb.close()
    return {
        "documents": len(list(folder.iterdir())),
        "sections": sections,
        "ingest_s": round(ingest_s, 1),
        "recall": {
            group: {
                "questions": len(ranks),
                "r@1": round(sum(r == 1 for r in ranks) / len(ranks), 3),
                "r@5": round(sum(r is not None for r in ranks) / len(ranks), 3),
            }
            for group, ranks in sorted(groups.items())
        },
    }


def table_questions(folder: Path) -> list[Question]:
    """The table set written into ``folder``, as questions grouped by file kind."""
    return [
        Question(q.question, q.file, q.heading, q.row, Path(q.file).suffix[1:])
        for q in write_set(folder)
    ]


def print_table(report: dict[str, Any]) -> None:
    """The recall of each set and group."""
    print(f"{'set':<10} {'group':<8} {'questions':>9} {'R@1':>6} {'R@5':>6}")
    for name, result in report["sets"].items():
        for group, row in result["recall"].items():
            print(f"{name:<10} {group:<8} {row['questions']:>9} {row['r@1']:>6} {row['r@5']:>6}")
        print(f"{name:<10} ingest: {result['documents']} documents, {result['sections']} "
              f"sections in {result['ingest_s']} s")  # fmt: skip


def main() -> None:
    """Run the chosen sets (both by default); print and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tables", action="store_true", help="The table set only.")
    parser.add_argument("--articles", action="store_true", help="drcd-dev's articles only.")
    parser.add_argument("--limit", type=int, help="Sample this many article questions.")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "documents.json")
    args = parser.parse_args()
    both = not (args.tables or args.articles)
    report: dict[str, Any] = {
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "sets": {},
    }
    with tempfile.TemporaryDirectory(prefix="kbchat-docs-") as folder:
        if args.tables or both:
            tables = Path(folder) / "tables"
            report["sets"]["tables"] = run_set("tables", tables, table_questions(tables))
        if args.articles or both:
            for kind in ("docx", "html"):
                articles = Path(folder) / f"articles-{kind}"
                questions = write_articles(articles, kind, args.limit)
                report["sets"][f"drcd-{kind}"] = run_set(kind, articles, questions)
    print_table(report)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
