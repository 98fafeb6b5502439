"""OCR candidates for scanned PDFs (issue 17), measured side by side before one is chosen.

Pages of drcd-dev (Traditional Chinese) and pubmedqa-dev (English) are rendered to images at
150 and 300 dpi, as a scanner would give them, and read back by each candidate:

- Tesseract 5 with ``chi_tra+eng`` (Debian: tesseract-ocr, tesseract-ocr-chi-tra; PyPI:
  pytesseract), the language a hospital's scans come in not being known beforehand;
- RapidOCR (``rapidocr-onnxruntime``: PP-OCRv4 detection and recognition, its models in the
  wheel).

For each page: the character accuracy against the PDF's own text layer (1 - Levenshtein
distance / reference length, NFKC, whitespace removed, characters compared as written: a
Traditional character read as its Simplified form counts as wrong), and seconds per page
on this machine. The candidates are not in kbchat's lock yet; run this in an environment
that has them:

    python -m venv /tmp/ocr && /tmp/ocr/bin/pip install pypdfium2 rapidocr-onnxruntime \
        pytesseract rapidfuzz && apt-get install tesseract-ocr tesseract-ocr-chi-tra
    /tmp/ocr/bin/python bench/ocr_candidates.py [--pages 8] [--tesseract] [--out ...]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import time
import unicodedata
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from statistics import mean
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pytesseract
from PIL import Image
from rapidfuzz.distance import Levenshtein
from rapidocr_onnxruntime import RapidOCR

# Tesseract's OpenMP threads fight each other on few cores: one thread reads a 300-dpi page
# in 6 s here, the default two in 34 s. (Two pages at once then use both cores.)
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "tests" / "data"
SETS = {"drcd-dev": DATA / "drcd-dev", "pubmedqa-dev": DATA / "pubmedqa-dev"}
_SPACE = re.compile(r"\s+")


def pages_of(folder: Path, count: int, seed: int = 5) -> list[tuple[Path, int]]:
    """``count`` (file, page index) pairs drawn from a set's PDFs, pages with text only."""
    pdfs = sorted(folder.glob("*.pdf"))
    rng = random.Random(seed)
    chosen: list[tuple[Path, int]] = []
    while len(chosen) < count:
        path = rng.choice(pdfs)
        document = pdfium.PdfDocument(path)
        index = rng.randrange(len(document))
        if (path, index) not in chosen and len(text_layer(path, index)) > 200:
            chosen.append((path, index))
    return chosen


def comparable(text: str) -> str:
    """Text as compared: NFKC (full-width punctuation as ASCII, as Tesseract writes it; no
    ideograph is changed by it), whitespace removed."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def text_layer(path: Path, index: int) -> str:
    """The page's own text, comparable: the reference."""
    page = pdfium.PdfDocument(path)[index]
    return comparable(page.get_textpage().get_text_range())


def scan(path: Path, index: int, dpi: int) -> Any:
    """The page as a grayscale scan at ``dpi``."""
    page = pdfium.PdfDocument(path)[index]
    return page.render(scale=dpi / 72, grayscale=True).to_pil()


def tesseract(image: Any, config: str = "") -> str:
    """Tesseract 5, Traditional Chinese and English."""
    return str(pytesseract.image_to_string(image, lang="chi_tra+eng", config=config))


def tesseract_upscaled(image: Any) -> str:
    """Tesseract on the scan enlarged to twice its size: 150 dpi read as 300."""
    width, height = image.size
    return tesseract(image.resize((width * 2, height * 2), Image.Resampling.LANCZOS))


def tesseract_block(image: Any) -> str:
    """Tesseract reading the page as one block of text (``--psm 6``), no layout analysis."""
    return tesseract(image, "--psm 6")


_RAPID: list[RapidOCR] = []


def rapidocr(image: Any) -> str:
    """RapidOCR's PP-OCRv4, lines in reading order."""
    if not _RAPID:
        _RAPID.append(RapidOCR())
    result, _ = _RAPID[0](np.asarray(image.convert("RGB")))
    return "\n".join(line[1] for line in result or [])


ENGINES: dict[str, Callable[[Any], str]] = {"tesseract": tesseract, "rapidocr": rapidocr}
VARIANTS: dict[str, tuple[Callable[[Any], str], int]] = {
    "tesseract": (tesseract, 300),
    "tesseract-150-upscaled": (tesseract_upscaled, 150),
    "tesseract-psm6": (tesseract_block, 300),
}
"""Tesseract's ways of reading, each at the resolution it is given (``--tesseract``)."""


def accuracy(read: str, reference: str) -> float:
    """1 - edit distance / reference length, whitespace removed (0 at worst)."""
    read = comparable(read)
    return max(0.0, 1 - Levenshtein.distance(read, reference) / len(reference))


def measure(engine: str, dpi: int, pages: list[tuple[Path, int]]) -> dict[str, float]:
    """Mean accuracy and seconds per page of one engine at one resolution."""
    scores, seconds = [], []
    for path, index in pages:
        image = scan(path, index, dpi)
        started = time.perf_counter()
        read = {**ENGINES, **{k: v[0] for k, v in VARIANTS.items()}}[engine](image)
        seconds.append(time.perf_counter() - started)
        scores.append(accuracy(read, text_layer(path, index)))
    return {
        "char_accuracy": round(mean(scores), 4),
        "worst_page": round(min(scores), 4),
        "s_per_page": round(mean(seconds), 2),
    }


def _read_page(job: tuple[Path, int]) -> str:
    return tesseract(scan(job[0], job[1], 300))


def throughput(pages: list[tuple[Path, int]], workers: int) -> float:
    """Pages per second through Tesseract at 300 dpi with ``workers`` processes at once."""
    started = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_read_page, pages))
    return round(len(pages) / (time.perf_counter() - started), 3)


def tesseract_variants(pages_per_set: int) -> list[dict[str, Any]]:
    """Tesseract's variants on both sets, and its throughput with one and two processes."""
    rows = []
    for name, folder in SETS.items():
        pages = pages_of(folder, pages_per_set)
        for variant, (_, dpi) in VARIANTS.items():
            row = {"set": name, "engine": variant, "dpi": dpi, "pages": len(pages)}
            rows.append(row | measure(variant, dpi, pages))
            print(json.dumps(rows[-1]), flush=True)
        for workers in (1, 2):
            rows.append({"set": name, "engine": "tesseract", "dpi": 300, "workers": workers,
                         "pages_per_s": throughput(pages, workers)})  # fmt: skip
            print(json.dumps(rows[-1]), flush=True)
    return rows


def main() -> None:
    """Measure every engine, resolution and set; print a table; write JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=8, help="Pages per set.")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "ocr_candidates.json")
    parser.add_argument("--tesseract", action="store_true", help="Tesseract's variants only.")
    args = parser.parse_args()
    if args.tesseract:
        out = args.out.with_name("ocr_tesseract.json")
        out.write_text(json.dumps({"date": datetime.now(UTC).strftime("%Y-%m-%d"),
                                   "rows": tesseract_variants(args.pages)}, indent=2))  # fmt: skip
        return
    rows = []
    for name, folder in SETS.items():
        pages = pages_of(folder, args.pages)
        for engine in ENGINES:
            for dpi in (150, 300):
                row = {"set": name, "engine": engine, "dpi": dpi, "pages": len(pages)}
                row |= measure(engine, dpi, pages)
                rows.append(row)
                print(json.dumps(row), flush=True)
    print(f"\n{'set':<13} {'engine':<10} {'dpi':>4} {'accuracy':>9} {'worst':>6} {'s/page':>7}")
    for r in rows:
        print(f"{r['set']:<13} {r['engine']:<10} {r['dpi']:>4} {r['char_accuracy']:>9} "
              f"{r['worst_page']:>6} {r['s_per_page']:>7}")  # fmt: skip
    report = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "tesseract": str(pytesseract.get_tesseract_version()),
        "rows": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
