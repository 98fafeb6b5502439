"""The training formats LLaMA-Factory reads: alpaca, sharegpt, KTO, DPO and OpenAI records, plus
the ``dataset_info.json``, LoRA/QLoRA configs (``train_config``) and README of a
ready-to-train export folder.

Formats follow LLaMA-Factory's ``data/README.md`` and ``examples/train_lora``,
``examples/train_qlora``; a column is declared in ``dataset_info.json`` only when some
record carries it, because LLaMA-Factory looks a declared column up in every record.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sharing.train_config import Compute, dpo_config, sft_config, write_config

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
    """The question followed by its input, as one chat turn: joined by one newline, as
    LLaMA-Factory joins an alpaca record's instruction and input, so both files teach the
    same prompt."""
    extra = input_text(row, options)
    return f"{row.question}\n{extra}" if extra else row.question


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


def dpo_record(row: ExportRow, options: ExportOptions) -> Record | None:
    """One sharegpt ranking item (``conversations`` ending on the human turn, then ``chosen``
    and ``rejected`` gpt messages), or None for a row whose answer was never edited."""
    if not row.rejected:
        return None
    names = {"user": "human", "assistant": "gpt"}
    prompt = chat_turns(row, options)[:-1]
    record: Record = {
        "conversations": [{"from": names[role], "value": text} for role, text in prompt],
        "chosen": {"from": "gpt", "value": row.answer},
        "rejected": {"from": "gpt", "value": row.rejected},
    }
    if row.system:
        record["system"] = row.system
    return record


def alpaca_entry(file_name: str, records: Sequence[Record]) -> Record:
    """The ``dataset_info.json`` entry of an alpaca file: its columns, ``system`` and
    ``history`` only when some record carries them."""
    columns = {"prompt": "instruction", "query": "input", "response": "output"}
    columns |= {key: key for key in ("system", "history") if any(key in r for r in records)}
    return {"file_name": file_name, "columns": columns}


def dataset_entries(
    name: str,
    alpaca: Sequence[Record],
    sharegpt: Sequence[Record],
    kto: Sequence[Record],
    dpo: Sequence[Record] = (),
) -> dict[str, Record]:
    """The ``dataset_info.json`` entries describing the files this bundle writes."""

    def present(records: Sequence[Record], key: str) -> bool:
        return any(key in record for record in records)

    entries: dict[str, Record] = {
        f"{name}_alpaca": alpaca_entry(f"{name}_alpaca.json", alpaca),
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
    if dpo:
        entries[f"{name}_dpo"] = {
            "file_name": f"{name}_dpo.json",
            "formatting": "sharegpt",
            "ranking": True,
            "columns": {"messages": "conversations", "chosen": "chosen", "rejected": "rejected"}
            | ({"system": "system"} if present(dpo, "system") else {}),
        }
    return entries


_MACHINE = {
    Compute.BF16: ("支援 bfloat16 的 GPU（A100、H100、RTX 30/40 系列等）",
                   "a GPU with bfloat16 (A100, H100, RTX 30xx/40xx and newer)"),
    Compute.FP16: ("不支援 bfloat16 的 GPU（V100、T4），以 float16 訓練",
                   "a GPU without bfloat16 (V100, T4), training in float16"),
    Compute.CPU: ("沒有 GPU 的機器（僅供試跑小模型；不含 QLoRA）",
                  "a machine without a GPU (trials with a small model only; no QLoRA)"),
}  # fmt: skip


def _more_data(name: str, *, has_kto: bool, dpo_pairs: int) -> tuple[str, str]:
    """The README's paragraphs on the KTO and DPO files, when the bundle has them."""
    zh, en = "", ""
    if has_kto:
        zh += f"\n另附 `{name}_kto.json`（讚/倒讚標記），可用於 KTO（stage: kto）。\n"
        en += f"\n`{name}_kto.json` holds thumbs-up/down labels for KTO (stage: kto).\n"
    if dpo_pairs:
        zh += (
            f"\n另附 `{name}_dpo.json`：{dpo_pairs} 組偏好資料，為管理員修改過的回答"
            "（chosen：修改後；rejected：原本分享的回答），可用 DPO 訓練：\n\n"
            "```bash\nllamafactory-cli train train_lora_dpo.yaml\n```\n"
        )
        en += (
            f"\n`{name}_dpo.json` holds {dpo_pairs} preference pair(s) from curators' edits "
            "(chosen: the edited answer; rejected: the answer as first shared), for DPO:\n\n"
            "```bash\nllamafactory-cli train train_lora_dpo.yaml\n```\n"
        )
    return zh, en


def readme_text(name: str, options: ExportOptions, *, has_kto: bool, dpo_pairs: int = 0) -> str:
    """How to train on this folder, Traditional Chinese first, then English."""
    machine_zh, machine_en = _MACHINE[options.training.compute]
    gpu = options.training.compute != Compute.CPU
    qlora_zh = (
        "（QLoRA 省顯示記憶體時改用 `train_qlora_sft.yaml`，需另裝 `bitsandbytes`）" if gpu else ""
    )
    qlora_en = (
        " (for 4-bit QLoRA use `train_qlora_sft.yaml`, which also needs `pip install bitsandbytes`)"
        if gpu
        else ""
    )
    more_zh, more_en = _more_data(name, has_kto=has_kto, dpo_pairs=dpo_pairs)
    return f"""# {name}：LoRA / QLoRA 微調資料集

基礎模型 `{options.base_model}`，對話模板 `{options.template}`。設定檔為此機器所寫：
{machine_zh}。安裝 LLaMA-Factory 後，在此資料夾內執行{qlora_zh}：

```bash
cd 此資料夾的路徑
llamafactory-cli train train_lora_sft.yaml
```
{more_zh}
## English

Base model `{options.base_model}`, template `{options.template}`. The configs are written
for {machine_en}. With LLaMA-Factory installed, run from inside this folder{qlora_en}:

```bash
cd path/to/this/folder
llamafactory-cli train train_lora_sft.yaml
```
{more_en}
`manifest.json` lists every row's source, consent version and cited pages, and the
SHA-256 of each file, so the dataset can be audited and rebuilt.
"""


def write_bundle(rows: Sequence[ExportRow], options: ExportOptions, folder: Path) -> None:
    """Write the datasets, ``dataset_info.json``, the training configs and the README (QLoRA
    only for a GPU: bitsandbytes' 4-bit layers need CUDA; DPO only when a curator's edit
    gave a preference pair)."""
    name = options.dataset_name
    alpaca = [alpaca_record(row, options) for row in rows]
    sharegpt = [sharegpt_record(row, options) for row in rows]
    kto = [record for row in rows if (record := kto_record(row, options)) is not None]
    dpo = [record for row in rows if (record := dpo_record(row, options)) is not None]
    write_json(folder / f"{name}_alpaca.json", alpaca)
    write_json(folder / f"{name}_sharegpt.json", sharegpt)
    for suffix, records in (("kto", kto), ("dpo", dpo)):
        if records:
            write_json(folder / f"{name}_{suffix}.json", records)
    entries = dataset_entries(name, alpaca, sharegpt, kto, dpo)
    write_json(folder / "dataset_info.json", entries, sort_keys=True)
    _write_configs(options, folder, examples=len(rows), dpo_pairs=len(dpo))
    readme = readme_text(name, options, has_kto=bool(kto), dpo_pairs=len(dpo))
    (folder / "README.md").write_text(readme, "utf-8")


def _write_configs(options: ExportOptions, folder: Path, *, examples: int, dpo_pairs: int) -> None:
    """The SFT configs (LoRA, and QLoRA on a GPU), and the DPO config when there are pairs."""
    name = options.dataset_name
    common = {"model": options.base_model, "template": options.template, "dataset_dir": "."}
    methods = ["lora"] if options.training.compute == Compute.CPU else ["lora", "qlora"]
    for method in methods:
        config = sft_config(
            **common,
            dataset=f"{name}_alpaca",
            output_dir=f"saves/{name}-{method}-sft",
            training=options.training,
            examples=examples,
            qlora=method == "qlora",
        )
        write_config(folder / f"train_{method}_sft.yaml", config)
    if dpo_pairs:
        config = dpo_config(
            **common,
            dataset=f"{name}_dpo",
            output_dir=f"saves/{name}-lora-dpo",
            training=options.training,
            examples=dpo_pairs,
        )
        write_config(folder / "train_lora_dpo.yaml", config)
