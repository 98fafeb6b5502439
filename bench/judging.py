"""How the answer benchmark judges an answer: right or wrong against the gold, its sources
on the question's own article, Simplified characters, loops; and the summary of a set."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from chat.answering.answers import Answer
from chat.answering.repetition import repeated_sentence_start
from tests.datasets import simplified_only

_YES_NO = re.compile(r"\b(yes|no|not)\b")


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def verdict(text: str) -> str | None:
    """An English answer's yes/no: its first yes, no or not ('not' reads as no)."""
    found = _YES_NO.search(text.lower())
    if found is None:
        return None
    return "yes" if found.group(1) == "yes" else "no"


@dataclass
class Timed:
    """One answer through the engine, with its time to first token and generation speed."""

    answer: Answer
    ttft: float
    speed: float


def is_correct(row: dict[str, object], text: str) -> bool:
    """drcd-dev: the answer holds the gold text; pubmedqa-dev: its yes/no is the paper's."""
    if "decision" in row:
        return verdict(text) == row["decision"]
    return _norm(str(row["answer"])) in _norm(text)


@dataclass
class Record:
    """One question: what was shown, and each check on it."""

    question: str
    answer: str
    covered: bool
    correct: bool
    first_citation_gold: bool
    shown: list[tuple[str, int]]
    shown_on_article: int
    simplified: list[str]
    loop_stopped: bool
    still_repeats: bool
    unsupported: int
    ttft_s: float
    tokens_per_s: float


def judge(row: dict[str, object], timed: Timed) -> Record:
    """Check one answer against its question's gold file, pages and answer."""
    answer = timed.answer
    gold = {(str(row["file"]), int(p)) for p in row["pages"]}  # type: ignore[attr-defined]
    shown = [(c.file, c.page) for c in answer.citations]
    sources = "".join(c.text for c in [*answer.citations, *answer.searched])
    return Record(
        question=str(row["question"]),
        answer=answer.text,
        covered=answer.covered,
        correct=is_correct(row, answer.text),
        first_citation_gold=bool(shown) and shown[0] in gold,
        shown=shown,
        shown_on_article=sum(file == row["file"] for file, _ in shown),
        simplified=simplified_only(answer.text, allowed=sources),
        loop_stopped=answer.finish_reason == "repetition",
        still_repeats=repeated_sentence_start(answer.text) is not None,
        unsupported=len(answer.unsupported),
        ttft_s=round(timed.ttft, 3),
        tokens_per_s=round(timed.speed, 2),
    )


def summary(records: list[Record]) -> dict[str, object]:
    """The set's rates."""
    n = len(records)
    if not n:
        return {"questions": 0}
    shown = sum(len(r.shown) for r in records)
    answered = [r for r in records if r.covered]
    on_article = sum(r.shown_on_article for r in records)
    return {
        "questions": n,
        "answer_accuracy": round(sum(r.correct for r in records) / n, 3),
        "first_citation_gold": round(sum(r.first_citation_gold for r in records) / n, 3),
        # The same among the questions answered: what a reader of an answer finds first.
        "first_citation_gold_answered": round(
            sum(r.first_citation_gold for r in answered) / len(answered), 3
        )
        if answered
        else None,
        "citation_precision": round(on_article / shown, 3) if shown else None,
        "answered": round(sum(r.covered for r in records) / n, 3),
        "with_simplified": sum(bool(r.simplified) for r in records),
        "loops_stopped": sum(r.loop_stopped for r in records),
        "still_repeating": sum(r.still_repeats for r in records),
        "with_unsupported_mark": sum(r.unsupported > 0 for r in records),
    }
