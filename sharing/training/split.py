"""The held-out split of a curated set: fixed by a seed, so a run can be repeated and compared."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sharing.training.errors import TrainingError

Record = dict[str, Any]


@dataclass(frozen=True)
class Example:
    """One training example: the shared QA it came from and its alpaca record."""

    qa_id: int
    record: Record


@dataclass(frozen=True)
class Split:
    """The examples trained on and those held out to score the adapter against its base."""

    train: list[Example]
    holdout: list[Example]
    seed: int
    share: float


def split_examples(examples: Sequence[Example], share: float, seed: int) -> Split:
    """Hold out ``share`` of the examples (at least one when there are two or more and the
    share is above 0; the rest train), drawn by ``seed`` from the examples in QA-id order."""
    if not 0 <= share < 1:
        raise TrainingError(f"the held-out share must be at least 0 and below 1, not {share}")
    if not examples:
        raise TrainingError("nothing to train on: the export holds no examples")
    ordered = sorted(examples, key=lambda example: example.qa_id)
    random.Random(seed).shuffle(ordered)
    count = 0 if share == 0 or len(ordered) < 2 else max(1, round(share * len(ordered)))
    held = sorted(ordered[:count], key=lambda example: example.qa_id)
    kept = sorted(ordered[count:], key=lambda example: example.qa_id)
    return Split(train=kept, holdout=held, seed=seed, share=share)
