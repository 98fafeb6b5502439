"""The held-out split: fixed by its seed, never empty on either side when it can be."""

from __future__ import annotations

import pytest

from sharing.training.errors import TrainingError
from sharing.training.split import Example, split_examples

EXAMPLES = [Example(qa_id, {"instruction": f"q{qa_id}", "output": "a"}) for qa_id in range(1, 21)]


def _ids(examples: list[Example]) -> list[int]:
    return [example.qa_id for example in examples]


def test_the_same_seed_holds_out_the_same_pairs_whatever_their_order() -> None:
    first = split_examples(EXAMPLES, 0.2, seed=42)
    again = split_examples(list(reversed(EXAMPLES)), 0.2, seed=42)
    assert _ids(first.holdout) == _ids(again.holdout) and len(first.holdout) == 4
    assert sorted(_ids(first.train) + _ids(first.holdout)) == list(range(1, 21))
    assert _ids(first.train) == sorted(_ids(first.train))


def test_another_seed_holds_out_other_pairs() -> None:
    held = {tuple(_ids(split_examples(EXAMPLES, 0.2, seed).holdout)) for seed in range(5)}
    assert len(held) > 1


@pytest.mark.parametrize(("count", "share", "held"), [(1, 0.1, 0), (2, 0.1, 1), (20, 0, 0)])
def test_small_sets_keep_something_to_train_on(count: int, share: float, held: int) -> None:
    split = split_examples(EXAMPLES[:count], share, seed=1)
    assert (len(split.train), len(split.holdout)) == (count - held, held)


@pytest.mark.parametrize(("examples", "share", "said"), [
    (EXAMPLES, 1.0, "at least 0 and below 1"), (EXAMPLES, -0.1, "at least 0 and below 1"),
    ([], 0.1, "nothing to train on"),
])  # fmt: skip
def test_a_split_that_cannot_be_made_is_refused(
    examples: list[Example], share: float, said: str
) -> None:
    with pytest.raises(TrainingError, match=said):
        split_examples(examples, share, seed=1)
