"""The training formats LLaMA-Factory reads: alpaca, sharegpt, KTO and OpenAI records, plus
the ``dataset_info.json``, LoRA/QLoRA configs and README of a ready-to-train export folder.

Formats follow LLaMA-Factory's ``data/README.md`` and ``examples/train_lora``,
``examples/train_qlora``; a column is declared in ``dataset_info.json`` only when some
record carries it, because LLaMA-Factory looks a declared column up in every record.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from sharing.export_rows import ExportOptions, ExportRow

Record = dict[str, Any]

KTO_TAGS = {
    "role_tag": "role",
    "content_tag": "content",
    "user_tag": "user",
    "assistant_tag": "assistant",
}


def write_json(path: Path, data: object, *, sort_keys: bool = False) -> None:
    """Write UTF-8 JSON the way every export does: readable Chinese, two-space indent."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=sort_keys, default=str)
    path.write_text(text + "\n", encoding="utf-8")


def input_text(row: ExportRow, options: ExportOptions) -> str:
    """The sheet's input column, then (when asked) the cited pages, blank-line separated."""
    parts = [row.context] if row.context else []
    if options.include_retrieved:
        parts.extend(text for text in row.retrieved if text)
    return "\n\n".join(parts)


def user_prompt(row: ExportRow, options: ExportOptions) -> str:
    """The question followed by its input, as one chat turn."""
    extra = input_text(row, options)
    return f"{row.question}\n\n{extra}" if extra else row.question


def alpaca_record(row: ExportRow, options: ExportOptions) -> Record:
    """One alpaca item: instruction, input, output, and system/history when non-empty."""
    record: Record = {
        "instruction": row.question,
        "input": input_text(row, options),
        "output": row.answer,
    }
    if row.system:
        record["system"] = row.system
    if row.history:
        record["history"] = [list(turn) for turn in row.history]
    return record


def chat_turns(row: ExportRow, options: ExportOptions) -> list[tuple[str, str]]:
    """The conversation as (role, text) pairs, roles ``user``/``assistant``, history first."""
    turns: list[tuple[str, str]] = []
    for question, answer in row.history:
        turns += [("user", question), ("assistant", answer)]
    return [*turns, ("user", user_prompt(row, options)), ("assistant", row.answer)]


def sharegpt_record(row: ExportRow, options: ExportOptions) -> Record:
    """One sharegpt item: human/gpt ``conversations`` ending on gpt, and system when set."""
    names = {"user": "human", "assistant": "gpt"}
    record: Record = {
        "conversations": [
            {"from": names[role], "value": text} for role, text in chat_turns(row, options)
        ]
    }
    if row.system:
        record["system"] = row.system
    return record


def openai_record(row: ExportRow, options: ExportOptions) -> Record:
    """One OpenAI fine-tuning line: optional system message, then user/assistant turns."""
    messages = [{"role": "system", "content": row.system}] if row.system else []
    messages += [{"role": role, "content": text} for role, text in chat_turns(row, options)]
    return {"messages": messages}


def kto_record(row: ExportRow, options: ExportOptions) -> Record | None:
    """One KTO item (thumbs-up → ``label: true``), or None for a row nobody rated."""
    if row.rating not in (1, -1):
        return None
    record: Record = {
        "messages": [{"role": role, "content": text} for role, text in chat_turns(row, options)],
        "label": row.rating == 1,
    }
    if row.system:
        record["system"] = row.system
    return record


def dataset_entries(
    name: str, alpaca: Sequence[Record], sharegpt: Sequence[Record], kto: Sequence[Record]
) -> dict[str, Record]:
    """The ``dataset_info.json`` entries describing the files this bundle writes."""

    def present(records: Sequence[Record], key: str) -> bool:
        return any(key in record for record in records)

    alpaca_columns = {"prompt": "instruction", "query": "input", "response": "output"}
    alpaca_columns |= {key: key for key in ("system", "history") if present(alpaca, key)}
    entries: dict[str, Record] = {
        f"{name}_alpaca": {"file_name": f"{name}_alpaca.json", "columns": alpaca_columns},
        f"{name}_sharegpt": {
            "file_name": f"{name}_sharegpt.json",
            "formatting": "sharegpt",
            "columns": {"messages": "conversations"}
            | ({"system": "system"} if present(sharegpt, "system") else {}),
        },
    }
    if kto:
        entries[f"{name}_kto"] = {
            "file_name": f"{name}_kto.json",
            "formatting": "sharegpt",
            "columns": {"messages": "messages", "kto_tag": "label"}
            | ({"system": "system"} if present(kto, "system") else {}),
            "tags": dict(KTO_TAGS),
        }
    return entries


# LoRA on every linear layer, a small batch with accumulation: what LLaMA-Factory's own
# examples use for 7B-class models on one GPU.
_METHOD: Record = {
    "stage": "sft",
    "do_train": True,
    "finetuning_type": "lora",
    "lora_rank": 8,
    "lora_target": "all",
}
_TRAIN: Record = {
    "per_device_train_batch_size": 1,
    "gradient_accumulation_steps": 8,
    "learning_rate": 1.0e-4,
    "num_train_epochs": 3.0,
    "lr_scheduler_type": "cosine",
    "warmup_ratio": 0.1,
    "bf16": True,
}


def train_config(name: str, options: ExportOptions, *, qlora: bool) -> list[tuple[str, Record]]:
    """A LLaMA-Factory SFT config as titled sections, run from inside the export folder."""
    model: Record = {"model_name_or_path": options.base_model}
    if qlora:
        # LLaMA-Factory >= 0.9.3 names bitsandbytes "bnb" (QuantizationMethod.BNB).
        model |= {"quantization_bit": 4, "quantization_method": "bnb"}
    kind = "qlora" if qlora else "lora"
    dataset: Record = {
        "dataset": f"{name}_alpaca",
        "dataset_dir": ".",
        "template": options.template,
        "cutoff_len": 2048,
    }
    output: Record = {
        "output_dir": f"saves/{name}-{kind}-sft",
        "logging_steps": 10,
        "save_steps": 500,
        "plot_loss": True,
        "report_to": "none",
    }
    return [
        ("model", model),
        ("method", dict(_METHOD)),
        ("dataset", dataset),
        ("output", output),
        ("train", dict(_TRAIN)),
    ]


def write_train_config(path: Path, sections: list[tuple[str, Record]]) -> None:
    """Write a config in LLaMA-Factory's ``### section`` layout; yaml quotes the values."""
    blocks = [
        f"### {title}\n" + yaml.safe_dump(values, sort_keys=False, allow_unicode=True)
        for title, values in sections
    ]
    path.write_text("\n".join(blocks), encoding="utf-8")


def readme_text(name: str, options: ExportOptions, *, has_kto: bool) -> str:
    """How to train on this folder, Traditional Chinese first, then English."""
    kto_zh = (
        f"\n另附 `{name}_kto.json`（讚/倒讚標記），可用於 KTO（stage: kto）。\n" if has_kto else ""
    )
    kto_en = (
        f"\n`{name}_kto.json` holds thumbs-up/down labels for KTO (stage: kto).\n"
        if has_kto
        else ""
    )
    return f"""# {name}：LoRA / QLoRA 微調資料集

基礎模型 `{options.base_model}`，對話模板 `{options.template}`。安裝 LLaMA-Factory 後，
在此資料夾內執行（QLoRA 省顯示記憶體時改用 `train_qlora_sft.yaml`）：

```bash
cd 此資料夾的路徑
llamafactory-cli train train_lora_sft.yaml
```
{kto_zh}
## English

Base model `{options.base_model}`, template `{options.template}`. With LLaMA-Factory
installed, run from inside this folder (use `train_qlora_sft.yaml` for 4-bit QLoRA):

```bash
cd path/to/this/folder
llamafactory-cli train train_lora_sft.yaml
```
{kto_en}
`manifest.json` lists every row's source, consent version and cited pages, and the
SHA-256 of each file, so the dataset can be audited and rebuilt.
"""


def write_bundle(rows: Sequence[ExportRow], options: ExportOptions, folder: Path) -> None:
    """Write the datasets, ``dataset_info.json``, both training configs and the README."""
    name = options.dataset_name
    alpaca = [alpaca_record(row, options) for row in rows]
    sharegpt = [sharegpt_record(row, options) for row in rows]
    kto = [record for row in rows if (record := kto_record(row, options)) is not None]
    write_json(folder / f"{name}_alpaca.json", alpaca)
    write_json(folder / f"{name}_sharegpt.json", sharegpt)
    if kto:
        write_json(folder / f"{name}_kto.json", kto)
    write_json(
        folder / "dataset_info.json", dataset_entries(name, alpaca, sharegpt, kto), sort_keys=True
    )
    write_train_config(folder / "train_lora_sft.yaml", train_config(name, options, qlora=False))
    write_train_config(folder / "train_qlora_sft.yaml", train_config(name, options, qlora=True))
    (folder / "README.md").write_text(readme_text(name, options, has_kto=bool(kto)), "utf-8")
