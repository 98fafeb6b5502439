"""The LLaMA-Factory configs of one run: training, and the two predictions the evaluation
compares (the base model alone, then with the adapter), each on the held-out examples."""

from __future__ import annotations

from typing import Any

from sharing.train_config import Sections, Training, precision, sft_config
from sharing.training.curated import HOLDOUT, TRAIN

DATASET_DIR, ADAPTER_DIR = "dataset", "adapter"
"""The run's folders, relative to the run (LLaMA-Factory runs from inside it)."""


def train_sections(
    model: str, template: str, training: Training, examples: int, *, qlora: bool
) -> Sections:
    """The SFT config: the run's train split into its adapter folder."""
    sections = sft_config(model=model, template=template, dataset=TRAIN, dataset_dir=DATASET_DIR,
                          output_dir=ADAPTER_DIR, training=training, examples=examples,
                          qlora=qlora)  # fmt: skip
    for title, values in sections:
        if title == "output":
            # The adapter is saved once, at the end: a run is not resumed, so checkpoints
            # would only copy it (kbchat's own export keeps LLaMA-Factory's save_steps).
            values |= {"save_strategy": "no", "overwrite_output_dir": True}
            values.pop("save_steps", None)
    return sections


def predict_sections(
    model: str,
    template: str,
    training: Training,
    *,
    adapter: bool,
    qlora: bool,
    max_new_tokens: int,
) -> Sections:
    """A prediction of the held-out examples by the base model (with the adapter, when
    ``adapter``), greedy so that the two are compared on their best guess."""
    model_section: dict[str, Any] = {"model_name_or_path": model}
    if adapter:
        model_section["adapter_name_or_path"] = ADAPTER_DIR
    if qlora:
        model_section |= {"quantization_bit": 4, "quantization_method": "bnb"}
    method = {"stage": "sft", "do_predict": True, "finetuning_type": "lora"}
    data = {"eval_dataset": HOLDOUT, "dataset_dir": DATASET_DIR, "template": template,
            "cutoff_len": training.cutoff_len}  # fmt: skip
    output = {"output_dir": prediction_dir(adapter), "overwrite_output_dir": True,
              "report_to": "none"}  # fmt: skip
    predict = {"per_device_eval_batch_size": 1, "predict_with_generate": True,
               "max_new_tokens": max_new_tokens, "do_sample": False}  # fmt: skip
    predict |= precision(training.compute)
    return [("model", model_section), ("method", method), ("dataset", data),
            ("output", output), ("predict", predict)]  # fmt: skip


def prediction_dir(adapter: bool) -> str:
    """Where a prediction is written, relative to the run."""
    return f"evaluation/{'adapter' if adapter else 'base'}"
