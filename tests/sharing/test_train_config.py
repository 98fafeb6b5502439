"""LLaMA-Factory SFT configs: steps, warm-up and the machine's precision."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sharing.train_config import Compute, Training, dpo_config, sft_config, write_config


@pytest.mark.parametrize(
    ("examples", "steps", "warmup"),
    [(1, 3, 1), (8, 3, 1), (9, 6, 1), (100, 39, 4), (10_000, 3750, 375)],
)
def test_steps_and_warm_up_follow_the_examples_and_the_batch(
    examples: int, steps: int, warmup: int
) -> None:
    training = Training()  # batch 1 x 8 accumulated, 3 epochs, a tenth warming up
    assert (training.steps(examples), training.warmup_steps(examples)) == (steps, warmup)


def test_a_written_config_reads_back_as_llamafactory_sees_it(tmp_path: Path) -> None:
    training = Training(compute=Compute.CPU, epochs=2, batch_size=2, gradient_accumulation=1)
    sections = sft_config(model="/models/王醫師 base", template="qwen", dataset="d_alpaca",
                          dataset_dir="data", output_dir="adapter", training=training,
                          examples=10, qlora=True)  # fmt: skip
    path = tmp_path / "train.yaml"
    write_config(path, sections)
    text = path.read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if line.startswith("###")] == [
        "### model", "### method", "### dataset", "### output", "### train"
    ]  # fmt: skip
    config = yaml.safe_load(text)
    assert config["model_name_or_path"] == "/models/王醫師 base"
    assert (config["quantization_bit"], config["use_cpu"]) == (4, True)
    assert (config["num_train_epochs"], config["warmup_steps"]) == (2.0, 1)  # 5 a epoch, 10
    assert "bf16" not in config and "fp16" not in config


def test_a_dpo_config_is_the_sft_config_with_llamafactory_s_dpo_method() -> None:
    training = Training(compute=Compute.BF16)  # SFT's 1e-4; DPO takes its example's 5e-6
    common = {"model": "Qwen/Qwen2.5-7B-Instruct", "template": "qwen", "dataset": "k_dpo",
              "dataset_dir": ".", "output_dir": "saves/dpo", "training": training,
              "examples": 40}  # fmt: skip
    dpo = dict(dpo_config(**common))
    sft = dict(sft_config(**common))
    assert list(dpo) == ["model", "method", "dataset", "output", "train"]
    # The method keys of LLaMA-Factory's examples/train_lora/*_lora_dpo.yaml.
    assert dpo["method"] == {"stage": "dpo", "do_train": True, "finetuning_type": "lora",
                             "lora_rank": 8, "lora_target": "all", "pref_beta": 0.1,
                             "pref_loss": "sigmoid"}  # fmt: skip
    assert {title: values for title, values in dpo.items() if title not in ("method", "train")} == {
        title: values for title, values in sft.items() if title not in ("method", "train")
    }
    assert dpo["train"] == sft["train"] | {"learning_rate": 5.0e-6}
    assert dpo["train"]["learning_rate"] == 5.0e-6 and dpo["train"]["bf16"] is True
