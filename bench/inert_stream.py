"""Streaming cost: making a streamed answer inert per token, whole (as before) or block by
block (``InertStream``), on real answers' shapes.

Answers are built from drcd-dev paragraphs (Traditional Chinese, with citation markers and
paragraph breaks, as the model writes them) at several lengths, and streamed three
characters at a time, as llama.cpp's tokens come for Chinese. For each length: the
milliseconds spent making the text inert over the whole answer, both ways, and their ratio.

    python bench/inert_stream.py [--out bench/results/inert_stream.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from chat.web.answer_view import InertStream  # noqa: E402
from chat.web.safe_markdown import safe_markdown  # noqa: E402
from tests.datasets import DRCD, read_jsonl  # noqa: E402

HERE = Path(__file__).resolve().parent
STEP = 3  # characters per streamed token


def answer_of(length: int) -> str:
    """An answer of about ``length`` characters: paragraphs of real text, cited."""
    rows = read_jsonl(DRCD / "qrels.jsonl")
    paragraphs, total, number = [], 0, 1
    for row in rows:
        text = f"{str(row['answer'])}：{str(row['question'])}[{number % 4 + 1}]。"
        paragraphs.append(text)
        total += len(text) + 2
        number += 1
        if total >= length:
            break
    return "\n\n".join(paragraphs)


def timed(stream: Callable[[str], str], text: str) -> float:
    """Milliseconds to show every streamed prefix of ``text`` through ``stream``."""
    started = time.perf_counter()
    for end in range(STEP, len(text) + STEP, STEP):
        stream(text[end - STEP : end])
    return (time.perf_counter() - started) * 1000


def measure(length: int) -> dict[str, float]:
    """Both ways on one answer length."""
    text = answer_of(length)
    so_far = [""]

    def whole(piece: str) -> str:  # what the web app did before
        so_far[0] += piece
        return safe_markdown(so_far[0])

    whole_ms = timed(whole, text)
    block_ms = timed(InertStream(safe_markdown).add, text)
    return {
        "chars": len(text),
        "whole_ms": round(whole_ms, 1),
        "block_by_block_ms": round(block_ms, 1),
        "ratio": round(whole_ms / block_ms, 1),
    }


def main() -> None:
    """Measure, print a table, write JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "inert_stream.json")
    args = parser.parse_args()
    rows = [measure(length) for length in (300, 1000, 3000, 6000)]
    print(f"{'chars':>6} {'whole (ms)':>11} {'block by block (ms)':>20} {'ratio':>6}")
    for row in rows:
        print(f"{row['chars']:>6} {row['whole_ms']:>11} {row['block_by_block_ms']:>20} "
              f"{row['ratio']:>6}")  # fmt: skip
    report = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "step_chars": STEP,
        "rows": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
