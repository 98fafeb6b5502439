"""chrF of the base model and the adapter against the curated answers, on Chinese text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sharing.training.errors import TrainingError
from sharing.training.evaluation import Evaluation, evaluate, read_predictions
from sharing.training.split import Example

HOLDOUT = [
    Example(
        4, {"instruction": "胃食道逆流要注意什麼？", "input": "", "output": "睡前三小時不要進食。"}
    ),
    Example(
        9, {"instruction": "大腸鏡前要做什麼？", "input": "清腸", "output": "前一天喝清腸劑。"}
    ),
]


def test_an_adapter_closer_to_the_curated_answers_scores_higher() -> None:
    base = ["多喝水。", "請問醫師。"]
    adapter = ["睡前三小時不要吃東西。", "前一天要喝清腸劑。"]
    evaluation = evaluate(HOLDOUT, base, adapter)
    assert evaluation.adapter_score > evaluation.base_score and not evaluation.worse
    first = evaluation.examples[0]
    assert (first.qa_id, first.question, first.adapter) == (4, HOLDOUT[0].record["instruction"],
                                                            adapter[0])  # fmt: skip
    assert evaluation.examples[1].question == "大腸鏡前要做什麼？\n清腸"
    assert first.adapter_score > first.base_score


def test_an_adapter_worse_than_its_base_is_flagged_and_read_back_so() -> None:
    evaluation = evaluate(HOLDOUT, ["睡前三小時不要進食。", "前一天喝清腸劑。"], ["好", "不"])
    assert evaluation.base_score == 100.0 and evaluation.worse
    again = Evaluation.from_json(json.loads(json.dumps(evaluation.to_json())))
    assert again == evaluation and again.to_json()["worse"] is True


def test_predictions_are_read_in_order_and_counted(tmp_path: Path) -> None:
    lines = [{"prompt": "p", "predict": said, "label": "l"} for said in ("甲", "乙")]
    (tmp_path / "generated_predictions.jsonl").write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), "utf-8"
    )
    assert read_predictions(tmp_path, 2) == ["甲", "乙"]
    with pytest.raises(TrainingError, match="holds 2 answers for 3"):
        read_predictions(tmp_path, 3)
    with pytest.raises(TrainingError, match="cannot be read"):
        read_predictions(tmp_path / "missing", 2)
