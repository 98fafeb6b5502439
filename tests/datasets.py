"""The test and benchmark data sets kept in the repository (see tests/data/*/ATTRIBUTION.md)."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
DRCD = DATA / "drcd-dev"
PUBMED = DATA / "pubmedqa-dev"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
HOSPITAL_GUIDE = SAMPLES / "kbchat-hospital-guide.pdf"

# A question the shipped sample answers on its page 1 (clinic hours), which the bundled 0.5B
# model answers from that page (it gets the ICU question on page 2 wrong, so that answer
# rests on no page): the web tests follow its citation.
KNOWN_PDF = HOSPITAL_GUIDE
KNOWN_QUESTION, KNOWN_PAGE = "門診時間是幾點？", 1


def read_jsonl(path: Path) -> list[dict[str, object]]:
    """The rows of a JSON-lines file (split on newlines only: drcd-dev's text holds U+2028,
    which ``str.splitlines`` would also split on)."""
    return [json.loads(line) for line in path.read_text().split("\n") if line]


def traditional_characters() -> set[str]:
    """Every character of drcd-dev's questions and answers: a Traditional Chinese corpus
    (Taiwan's Wikipedia) to tell Simplified-only characters from Traditional ones."""
    rows = read_jsonl(DRCD / "qrels.jsonl")
    return {
        char
        for row in rows
        for char in str(row["question"]) + str(row["answer"]) + str(row["title"])
    }


def simplified_only(text: str, allowed: str = "") -> list[str]:
    """The characters of ``text`` that OpenCC would write otherwise in Traditional Chinese and
    that the Traditional corpus never uses (点, 时, 于...), unless ``allowed`` has them."""
    import opencc

    to_traditional = opencc.OpenCC("s2t").convert
    known = traditional_characters()
    return [
        char
        for char in dict.fromkeys(text)
        if to_traditional(char) != char and char not in known and char not in allowed
    ]
