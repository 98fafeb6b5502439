"""Scanned PDFs through ingest and search (issue 17): page recall, OCR accuracy and speed.

The PDFs of drcd-dev (zh-TW) and pubmedqa-dev (English) are scanned: each page rendered to
a grayscale image at 300 (or 150) dpi and saved as an image-only PDF under the same name, in
a temporary folder. Each resolution's scans are ingested into a fresh knowledge base through
``KnowledgeBase.ingest`` (Tesseract reads them, two pages at a time; read once before by
``parse_document`` alone, for the OCR's speed and text), and the sets' questions
are asked: page R@1 / R@5 / MRR@10 over distinct pages, as bench/retrieval.py scores them.
For every page read by OCR, the character accuracy against the original PDF's own text
(both as parsed, NFKC, whitespace removed): 1 - edits / reference length, the edits counted
from difflib's alignment (at least the Levenshtein distance, so the accuracy is a lower
bound). OCR speed is pages read by OCR per second of parsing, on all cores (two pages at a
time). ``--every N`` takes every Nth PDF of each set (qrels restricted to them).

    python bench/scanned.py [--every 2] [--dpi 300 150] [--limit N] [--speed-only] [--out ...]
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.retrieval import SETS, load_questions, score  # noqa: E402
from chat.factory import build_knowledge_base  # noqa: E402
from chat.settings import Settings  # noqa: E402
from knowledge import KnowledgeBase, ParsedDocument, parse_document  # noqa: E402
from tests.pdfs import image_only_pdf  # noqa: E402

COLLECTION = "default"
_SPACE = re.compile(r"\s+")


def comparable(text: str) -> str:
    """Text as compared: NFKC (full-width punctuation as Tesseract writes it), no spaces."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def accuracy(read: str, reference: str) -> float:
    """1 - edits / reference length, edits from difflib's alignment (0 at worst)."""
    read, reference = comparable(read), comparable(reference)
    if not reference:
        return 1.0 if not read else 0.0
    matcher = difflib.SequenceMatcher(None, read, reference, autojunk=False)
    edits = sum(
        max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )
    return max(0.0, 1 - edits / len(reference))


def chosen_pdfs(every: int) -> dict[str, list[Path]]:
    """Every ``every``-th PDF of each set, by name."""
    return {name: sorted(folder.glob("*.pdf"))[::every] for name, folder in SETS.items()}


def scan_all(pdfs: dict[str, list[Path]], dpi: int, folder: Path) -> dict[str, list[Path]]:
    """Image-only copies of the PDFs at ``dpi``, under their own names."""
    scans: dict[str, list[Path]] = {}
    for name, paths in pdfs.items():
        (folder / name).mkdir(parents=True, exist_ok=True)
        scans[name] = [image_only_pdf(p, folder / name / p.name, dpi) for p in paths]
    return scans


def read_scans(scans: dict[str, list[Path]]) -> tuple[dict[str, ParsedDocument], dict[str, Any]]:
    """Every scan read as ingest reads it (``parse_document``: Tesseract, two pages at a time),
    and the OCR speed."""
    read: dict[str, ParsedDocument] = {}
    start = time.perf_counter()
    for path in (p for paths in scans.values() for p in paths):
        read[path.name] = parse_document(path)
    seconds = time.perf_counter() - start
    ocr_pages = sum(parsed.ocr_pages for parsed in read.values())
    speed = {"pdfs": len(read), "ocr_pages": ocr_pages, "parse_s": round(seconds, 1),
             "ocr_pages_per_s": round(ocr_pages / seconds, 3)}  # fmt: skip
    return read, speed


def ingest_scans(kb: KnowledgeBase, scans: dict[str, list[Path]]) -> float:
    """Ingest every scan (read by OCR again); the seconds the whole took."""
    start = time.perf_counter()
    for path in (p for paths in scans.values() for p in paths):
        kb.ingest(path, collection=COLLECTION)
    kb.warm_up([COLLECTION])
    return round(time.perf_counter() - start, 1)


def char_accuracy(pdfs: list[Path], read: dict[str, ParsedDocument]) -> dict[str, float]:
    """Mean and worst page accuracy of the OCR text against the originals' text."""
    scores = []
    for original in pdfs:
        reference = parse_document(original).texts()
        scores += [
            accuracy(r, t) for r, t in zip(read[original.name].texts(), reference, strict=True)
        ]
    return {"mean": round(statistics.mean(scores), 4), "worst": round(min(scores), 4),
            "pages": len(scores)}  # fmt: skip


def recall(kb: KnowledgeBase, pdfs: dict[str, list[Path]], limit: int | None) -> dict[str, Any]:
    """Page R@1 / R@5 / MRR@10 of each set's questions whose pages are all in the scans."""
    results: dict[str, Any] = {}
    for name, rows in load_questions(limit).items():
        names = {p.name for p in pdfs[name]}
        rows = [r for r in rows if {f for f, _ in r["gold"]} <= names]  # type: ignore[attr-defined]
        ranked = [
            [(h.file, h.page) for h in kb.search(str(r["query"]), [COLLECTION], k=10)] for r in rows
        ]
        results[name] = score(ranked, [r["gold"] for r in rows])  # type: ignore[misc]
    return results


def run_dpi(
    dpi: int, every: int, limit: int | None, folder: Path, speed_only: bool = False
) -> dict[str, Any]:
    """One resolution: scan, ingest, ask; the row of the report (``speed_only``: scan and
    read, for the OCR speed alone)."""
    pdfs = chosen_pdfs(every)
    scans = scan_all(pdfs, dpi, folder / f"scans-{dpi}")
    read, speed = read_scans(scans)
    if speed_only:
        return {"dpi": dpi, "every": every, "ingest": speed}
    kb = build_knowledge_base(Settings(data_dir=folder / f"data-{dpi}"))
    try:
        speed["ingest_s"] = ingest_scans(kb, scans)
        return {
            "dpi": dpi,
            "every": every,
            "ingest": speed,
            "accuracy": {name: char_accuracy(pdfs[name], read) for name in pdfs},
            "recall": recall(kb, pdfs, limit),
        }
    finally:
        kb.close()


def print_table(runs: list[dict[str, Any]]) -> None:
    """The report as a table."""
    print("| dpi | set | PDFs | char accuracy (worst page) | R@1 | R@5 | MRR@10 | questions |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for run in runs:
        for name, quality in run.get("recall", {}).items():
            acc = run["accuracy"][name]
            print(f"| {run['dpi']} | {name} | every {run['every']} | {acc['mean']:.3f} "
                  f"({acc['worst']:.3f}) | {quality['R@1']:.3f} | {quality['R@5']:.3f} | "
                  f"{quality['MRR@10']:.3f} | {quality['n']} |")  # fmt: skip
        ingest = run["ingest"]
        speed = f"{ingest['ocr_pages']} pages in {ingest['parse_s']} s"
        print(f"| {run['dpi']} | OCR, 2 at a time | {ingest['pdfs']} | {speed}: "
              f"**{ingest['ocr_pages_per_s']} pages/s** | | | | |")  # fmt: skip


def main() -> None:
    """Run each resolution and write the JSON report."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    every = "Every Nth PDF of each set, one N per --dpi (the last repeats)."
    parser.add_argument("--every", type=int, nargs="+", default=[1], help=every)
    parser.add_argument("--dpi", type=int, nargs="+", default=[300, 150])
    parser.add_argument("--limit", type=int, help="Sample this many questions per set.")
    parser.add_argument("--out", type=Path, default=Path("bench/results/scanned.json"))
    only = "Only scan and read: the OCR speed, without ingest or questions."
    parser.add_argument("--speed-only", action="store_true", help=only)
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory(prefix="kbchat-scanned-") as folder:
        for i, dpi in enumerate(args.dpi):
            every = args.every[min(i, len(args.every) - 1)]
            runs.append(run_dpi(dpi, every, args.limit, Path(folder), args.speed_only))
    print_table(runs)
    report = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "runs": runs,
    }
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
