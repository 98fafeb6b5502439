"""LLaMA-Factory training configs: LoRA or QLoRA SFT, written for the machine that runs them.

The defaults are LLaMA-Factory's own examples for a 7B-class model on one GPU
(``examples/train_lora``, ``examples/train_qlora``): LoRA on every linear layer, rank 8, a
batch of 1 with 8 steps of accumulation, a cosine schedule. The precision follows the machine
(``Compute``): bfloat16 needs an Ampere or newer GPU, a V100 or T4 trains in float16, and a
machine without a GPU must say ``use_cpu`` (the trainer otherwise asks for CUDA). The warm-up
is a number of steps: transformers 5 deprecates ``warmup_ratio``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

Record = dict[str, Any]
Sections = list[tuple[str, Record]]


class Compute(StrEnum):
    """The machine a config is written for."""

    BF16 = "bf16"
    """A GPU with bfloat16: NVIDIA Ampere or newer (A100, H100, L40, RTX 30xx/40xx)."""
    FP16 = "fp16"
    """An older GPU without bfloat16: V100, T4."""
    CPU = "cpu"
    """No GPU: trials and tests with a tiny model; LoRA only (QLoRA's 4-bit needs CUDA)."""


@dataclass(frozen=True)
class Training:
    """The hyper-parameters of one SFT run (LLaMA-Factory's names in the config)."""

    compute: Compute = Compute.FP16
    lora_rank: int = 8
    learning_rate: float = 1.0e-4
    epochs: float = 3.0
    batch_size: int = 1
    gradient_accumulation: int = 8
    cutoff_len: int = 2048
    warmup_share: float = 0.1
    """The share of the optimizer steps spent warming the learning rate up."""
    logging_steps: int = 10
    """Steps between logged losses, at most (``logging_every``)."""

    def steps(self, examples: int) -> int:
        """Optimizer steps over ``examples`` training examples (on one device)."""
        per_epoch = math.ceil(max(1, examples) / (self.batch_size * self.gradient_accumulation))
        return math.ceil(per_epoch * self.epochs)

    def logging_every(self, examples: int) -> int:
        """Steps between logged losses: ``logging_steps``, or less for a short run, so that
        its loss is logged about 20 times."""
        return max(1, min(self.logging_steps, self.steps(examples) // 20))

    def warmup_steps(self, examples: int) -> int:
        """Warm-up steps: ``warmup_share`` of the run, rounded up."""
        return math.ceil(self.steps(examples) * self.warmup_share)


def precision(compute: Compute) -> Record:
    """The trainer's precision switches for the machine."""
    match compute:
        case Compute.BF16:
            return {"bf16": True}
        case Compute.FP16:
            return {"fp16": True}
        case Compute.CPU:
            return {"use_cpu": True}


def sft_config(
    *,
    model: str,
    template: str,
    dataset: str,
    dataset_dir: str,
    output_dir: str,
    training: Training,
    examples: int,
    qlora: bool = False,
) -> Sections:
    """A LoRA (or 4-bit QLoRA, bitsandbytes) SFT config as LLaMA-Factory's titled sections."""
    model_section: Record = {"model_name_or_path": model}
    if qlora:
        # LLaMA-Factory >= 0.9.3 names bitsandbytes "bnb" (QuantizationMethod.BNB).
        model_section |= {"quantization_bit": 4, "quantization_method": "bnb"}
    method = {"stage": "sft", "do_train": True, "finetuning_type": "lora",
              "lora_rank": training.lora_rank, "lora_target": "all"}  # fmt: skip
    data = {"dataset": dataset, "dataset_dir": dataset_dir, "template": template,
            "cutoff_len": training.cutoff_len}  # fmt: skip
    output = {"output_dir": output_dir, "logging_steps": training.logging_every(examples),
              "save_steps": 500, "plot_loss": True, "report_to": "none"}  # fmt: skip
    train: Record = {
        "per_device_train_batch_size": training.batch_size,
        "gradient_accumulation_steps": training.gradient_accumulation,
        "learning_rate": float(training.learning_rate),
        "num_train_epochs": float(training.epochs),
        "lr_scheduler_type": "cosine",
        "warmup_steps": training.warmup_steps(examples),
    } | precision(training.compute)
    return [("model", model_section), ("method", method), ("dataset", data),
            ("output", output), ("train", train)]  # fmt: skip


DPO_LEARNING_RATE = 5.0e-6
"""LLaMA-Factory's DPO example's rate: preference tuning moves a tuned model, so gently."""


def dpo_config(**place: Any) -> Sections:
    """A LoRA DPO config on a ranking dataset (chosen/rejected pairs): ``sft_config``'s
    sections for the same ``place`` (model, template, dataset, folders, training, examples),
    with LLaMA-Factory's DPO example's method and rate (``examples/train_lora/*_lora_dpo.yaml``:
    ``pref_beta: 0.1``, ``pref_loss: sigmoid``, learning rate 5e-6)."""
    preference = {"stage": "dpo", "pref_beta": 0.1, "pref_loss": "sigmoid"}
    changed: dict[str, Record] = {"method": preference,
                                  "train": {"learning_rate": DPO_LEARNING_RATE}}  # fmt: skip
    return [(title, values | changed.get(title, {})) for title, values in sft_config(**place)]


def write_config(path: Path, sections: Sections) -> None:
    """Write a config in LLaMA-Factory's ``### section`` layout; yaml quotes the values."""
    blocks = [
        f"### {title}\n" + yaml.safe_dump(values, sort_keys=False, allow_unicode=True)
        for title, values in sections
    ]
    path.write_text("\n".join(blocks), encoding="utf-8")
