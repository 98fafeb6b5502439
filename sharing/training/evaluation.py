"""The adapter against its base on the held-out examples: chrF (sacrebleu's, character
n-grams, so it scores Chinese without a word segmenter) of each answer against the curated
one, per example and over the whole set. An adapter that scores below its base is flagged."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sharing.training.errors import TrainingError
from sharing.training.split import Example

METRIC = "chrF"
PREDICTIONS = "generated_predictions.jsonl"
"""The file LLaMA-Factory writes a prediction's answers to, one JSON line per example."""
SCORES = "predict_results.json"
"""The file LLaMA-Factory writes a prediction's own scores to (BLEU-4, ROUGE)."""


@dataclass(frozen=True)
class Scored:
    """One held-out example: the curated answer and both models' answers, with their chrF."""

    qa_id: int
    question: str
    reference: str
    base: str
    adapter: str
    base_score: float
    adapter_score: float


@dataclass(frozen=True)
class Evaluation:
    """Both models' chrF over the held-out set, and each example side by side."""

    base_score: float
    adapter_score: float
    examples: list[Scored]
    metric: str = METRIC
    base_rouge_l: float | None = None
    adapter_rouge_l: float | None = None
    """ROUGE-L over the set, as LLaMA-Factory's prediction scores it (jieba-segmented)."""

    @property
    def worse(self) -> bool:
        """Whether the adapter scores below the base model it was trained from."""
        return self.adapter_score < self.base_score

    def to_json(self) -> dict[str, Any]:
        """The evaluation as ``evaluation.json`` holds it."""
        return asdict(self) | {"worse": self.worse}

    @staticmethod
    def from_json(data: dict[str, Any]) -> Evaluation:
        """An evaluation read back from ``evaluation.json``."""
        examples = [Scored(**example) for example in data["examples"]]
        return Evaluation(float(data["base_score"]), float(data["adapter_score"]), examples,
                          str(data.get("metric", METRIC)), data.get("base_rouge_l"),
                          data.get("adapter_rouge_l"))  # fmt: skip


def read_predictions(folder: Path, count: int) -> list[str]:
    """The ``count`` answers a prediction wrote, in the held-out order."""
    path = folder / PREDICTIONS
    try:
        answers = [
            str(json.loads(line)["predict"]) for line in path.read_text("utf-8").splitlines()
        ]
    except (OSError, ValueError, KeyError) as error:
        raise TrainingError(f"the predictions in {path} cannot be read ({error})") from None
    if len(answers) != count:
        raise TrainingError(f"{path} holds {len(answers)} answers for {count} held-out examples")
    return answers


def rouge_l(folder: Path) -> float | None:
    """The ROUGE-L LLaMA-Factory gave a prediction, or None when it wrote none."""
    try:
        score = json.loads((folder / SCORES).read_text(encoding="utf-8"))["predict_rouge-l"]
        return round(float(score), 2)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def evaluate(
    holdout: Sequence[Example],
    base: Sequence[str],
    adapter: Sequence[str],
    rouge: tuple[float | None, float | None] = (None, None),
) -> Evaluation:
    """Score both models' answers against the curated answers (``rouge``: LLaMA-Factory's
    ROUGE-L of each, kept beside)."""
    from sacrebleu.metrics.chrf import CHRF  # here: only a run's end needs it

    chrf = CHRF()
    references = [str(example.record["output"]) for example in holdout]
    examples = [
        Scored(
            example.qa_id,
            _question(example.record),
            reference,
            said_base,
            said_adapter,
            round(chrf.sentence_score(said_base, [reference]).score, 2),
            round(chrf.sentence_score(said_adapter, [reference]).score, 2),
        )  # fmt: skip
        for example, reference, said_base, said_adapter in zip(
            holdout, references, base, adapter, strict=True
        )
    ]
    base_score = chrf.corpus_score(list(base), [references]).score
    adapter_score = chrf.corpus_score(list(adapter), [references]).score
    return Evaluation(round(base_score, 2), round(adapter_score, 2), examples, METRIC, *rouge)


def _question(record: dict[str, Any]) -> str:
    parts = [str(record.get("instruction", "")), str(record.get("input", ""))]
    return "\n".join(part for part in parts if part)
