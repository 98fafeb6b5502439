"""The fine-tuning exporters, checked file by file against the formats their readers expect."""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook  # type: ignore[import-untyped]

from sharing import exports, llamafactory
from sharing.errors import ExportError
from sharing.export_rows import DatasetFormat, ExportOptions, ExportRow
from sharing.exports import write_export
from sharing.train_config import Compute, Training

FILTERS: dict[str, object] = {"source": None, "tag": "藥劑", "persona_id": ""}
LF_COLUMNS = {"prompt", "query", "response", "history", "messages", "system", "tools", "kto_tag"}


def make_row(qa_id: int, **changes: Any) -> ExportRow:
    """A chat row with history, a system prompt, two cited pages and a thumbs-up."""
    row = ExportRow(
        qa_id=qa_id,
        question=f"抗凝血劑要停用幾天？({qa_id})",
        answer="手術前五天停用 warfarin。",
        context="",
        retrieved=["第 3 頁：warfarin 術前停藥五天。", "第 4 頁：監測 INR。"],
        system="你是醫院知識庫助理。",
        history=[["什麼是 INR？", "INR 是凝血時間的國際標準化比值。"]],
        source="chat",
        persona_id="pharmacist",
        persona_version=2,
        citations=[
            {"file": "藥劑手冊.pdf", "page": 3, "doc_id": "a" * 64, "text": "warfarin"},
            {"file": "藥劑手冊.pdf", "page": 4, "doc_id": "a" * 64},
        ],
        user="u_3f2a9c1b7d0e",
        rating=1,
        consent_version="zh-TW v2",
        tags=["藥劑", "術前"],
    )
    return replace(row, **changes)


def sheet_row(qa_id: int, **changes: Any) -> ExportRow:
    """A QA-sheet row: an input column, no system, no history, no rating, no consent."""
    sheet: dict[str, Any] = {
        "context": "病人 70 歲，腎功能正常。",
        "retrieved": [],
        "system": "",
        "history": [],
        "source": "sheet",
        "rating": None,
        "consent_version": "",
        "citations": [],
    }
    return make_row(qa_id, **(sheet | changes))


ROWS = [make_row(1), sheet_row(2), make_row(3, rating=-1, consent_version="en v1")]
OPTIONS = ExportOptions()


def export(
    tmp_path: Path,
    export_format: DatasetFormat,
    rows: list[ExportRow] = ROWS,
    options: ExportOptions = OPTIONS,
    name: str = "out",
) -> Path:
    """Export into ``tmp_path/name`` and return the folder."""
    out = tmp_path / name
    write_export(rows, export_format, out, options=options, filters=FILTERS)
    return out


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def check_alpaca(items: Any) -> None:
    """LLaMA-Factory's alpaca schema: str instruction/input/output, optional system/history."""
    assert isinstance(items, list) and items
    for item in items:
        assert set(item) <= {"instruction", "input", "output", "system", "history"}
        assert all(isinstance(item[key], str) for key in ("instruction", "input", "output"))
        assert isinstance(item.get("system", ""), str)
        for pair in item.get("history", []):
            assert isinstance(pair, list) and len(pair) == 2
            assert all(isinstance(text, str) for text in pair)


def check_conversation(messages: Any, role: str, content: str, user: str, assistant: str) -> None:
    """Messages alternate user/assistant, starting on user and ending on assistant."""
    assert isinstance(messages, list) and len(messages) % 2 == 0 and messages
    for index, message in enumerate(messages):
        assert set(message) == {role, content}
        assert message[role] == (user if index % 2 == 0 else assistant)
        assert isinstance(message[content], str) and message[content]


def test_alpaca_follows_llamafactory_columns(tmp_path: Path) -> None:
    items = load(export(tmp_path, DatasetFormat.ALPACA) / "kbchat_alpaca.json")
    check_alpaca(items)
    chat, sheet, _ = items
    assert chat["instruction"] == ROWS[0].question and chat["output"] == ROWS[0].answer
    assert chat["input"] == ""
    assert chat["system"] == ROWS[0].system and chat["history"] == ROWS[0].history
    assert sheet["input"] == "病人 70 歲，腎功能正常。"
    assert "system" not in sheet and "history" not in sheet


def test_include_retrieved_puts_cited_pages_after_the_sheet_input(tmp_path: Path) -> None:
    rows = [sheet_row(1, retrieved=["頁 A", "", "頁 B"])]
    off = load(export(tmp_path, DatasetFormat.ALPACA, rows, name="off") / "kbchat_alpaca.json")
    on_options = ExportOptions(include_retrieved=True)
    on = load(export(tmp_path, DatasetFormat.ALPACA, rows, on_options, "on") / "kbchat_alpaca.json")
    assert off[0]["input"] == "病人 70 歲，腎功能正常。"
    assert on[0]["input"] == "病人 70 歲，腎功能正常。\n\n頁 A\n\n頁 B"


def test_sharegpt_alternates_human_gpt_with_history_first(tmp_path: Path) -> None:
    options = ExportOptions(include_retrieved=True)
    out = export(tmp_path, DatasetFormat.SHAREGPT, options=options)
    items = load(out / "kbchat_sharegpt.json")
    for item in items:
        assert set(item) <= {"conversations", "system"}
        check_conversation(item["conversations"], "from", "value", "human", "gpt")
    chat, sheet, _ = items
    texts = [turn["value"] for turn in chat["conversations"]]
    assert texts[:2] == ROWS[0].history[0]
    assert texts[2] == f"{ROWS[0].question}\n" + "\n\n".join(ROWS[0].retrieved)
    assert texts[3] == ROWS[0].answer and chat["system"] == ROWS[0].system
    assert sheet["conversations"][0]["value"] == f"{ROWS[1].question}\n{ROWS[1].context}"
    assert "system" not in sheet


def test_sharegpt_without_retrieved_keeps_the_bare_question(tmp_path: Path) -> None:
    items = load(export(tmp_path, DatasetFormat.SHAREGPT) / "kbchat_sharegpt.json")
    assert items[0]["conversations"][2]["value"] == ROWS[0].question


def test_openai_jsonl_is_one_chat_per_line(tmp_path: Path) -> None:
    lines = (export(tmp_path, DatasetFormat.OPENAI_JSONL) / "kbchat_openai.jsonl").read_text(
        encoding="utf-8"
    )
    records = [json.loads(line) for line in lines.splitlines()]
    assert len(records) == len(ROWS) and "抗凝血劑" in lines  # ensure_ascii=False
    for record in records:
        assert set(record) == {"messages"}
        messages = record["messages"]
        if messages[0]["role"] == "system":
            messages = messages[1:]
        check_conversation(messages, "role", "content", "user", "assistant")
    assert records[0]["messages"][0] == {"role": "system", "content": ROWS[0].system}
    assert records[1]["messages"][0]["role"] == "user"
    assert records[1]["messages"][-1] == {"role": "assistant", "content": ROWS[1].answer}


INJECTIONS = ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def injection_rows() -> list[ExportRow]:
    return [
        make_row(i, question=payload, answer=payload, tags=[payload])
        for i, payload in enumerate(INJECTIONS, start=1)
    ]


def test_csv_has_bom_columns_and_defused_formulas(tmp_path: Path) -> None:
    path = export(tmp_path, DatasetFormat.CSV, injection_rows()) / "kbchat.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert list(table[0]) == list(exports.TABLE_COLUMNS)
    for record, payload in zip(table, INJECTIONS, strict=True):
        assert record["instruction"] == record["output"] == record["tags"] == "'" + payload
    assert table[0]["cited_pages"] == "藥劑手冊.pdf p.3; 藥劑手冊.pdf p.4"
    assert json.loads(table[0]["history"]) == ROWS[0].history
    assert table[0]["persona_version"] == "2" and table[0]["user"] == "u_3f2a9c1b7d0e"


def test_xlsx_stores_every_cell_as_text_never_a_formula(tmp_path: Path) -> None:
    path = export(tmp_path, DatasetFormat.XLSX, injection_rows()) / "kbchat.xlsx"
    sheet = load_workbook(path).active
    values = list(sheet.iter_rows())
    assert [cell.value for cell in values[0]] == list(exports.TABLE_COLUMNS)
    assert all(cell.data_type == "s" or cell.value is None for row in values for cell in row)
    assert not [cell for row in values for cell in row if cell.data_type == "f"]
    by_column = {name: i for i, name in enumerate(exports.TABLE_COLUMNS)}
    for row, payload in zip(values[1:], INJECTIONS, strict=True):
        assert row[by_column["instruction"]].value == "'" + payload.replace("\r", "\n")
        assert row[by_column["qa_id"]].value.isdigit()


def test_xlsx_refuses_a_cell_excel_cannot_hold(tmp_path: Path) -> None:
    rows = [make_row(1, answer="長" * (exports.EXCEL_CELL_LIMIT + 1))]
    with pytest.raises(ExportError, match="QA 1, column 'output'"):
        export(tmp_path, DatasetFormat.XLSX, rows)
    assert not (tmp_path / "out").exists()


def test_llamafactory_bundle_describes_its_files_in_dataset_info(tmp_path: Path) -> None:
    out = export(tmp_path, DatasetFormat.LLAMAFACTORY)
    info = load(out / "dataset_info.json")
    assert set(info) == {"kbchat_alpaca", "kbchat_sharegpt", "kbchat_kto"}
    for entry in info.values():
        assert (out / entry["file_name"]).is_file()
        assert set(entry["columns"]) <= LF_COLUMNS
        assert entry.get("formatting", "alpaca") in {"alpaca", "sharegpt"}
    alpaca, sharegpt, kto = info["kbchat_alpaca"], info["kbchat_sharegpt"], info["kbchat_kto"]
    assert alpaca["columns"] == {
        "prompt": "instruction",
        "query": "input",
        "response": "output",
        "system": "system",
        "history": "history",
    }
    assert "formatting" not in alpaca
    assert sharegpt["formatting"] == "sharegpt"
    assert sharegpt["columns"] == {"messages": "conversations", "system": "system"}
    assert kto["formatting"] == "sharegpt"
    assert kto["columns"] == {"messages": "messages", "kto_tag": "label", "system": "system"}
    assert kto["tags"] == {
        "role_tag": "role",
        "content_tag": "content",
        "user_tag": "user",
        "assistant_tag": "assistant",
    }
    check_alpaca(load(out / "kbchat_alpaca.json"))


def test_kto_labels_follow_the_thumbs(tmp_path: Path) -> None:
    out = export(tmp_path, DatasetFormat.LLAMAFACTORY)
    items = load(out / "kbchat_kto.json")
    assert [item["label"] for item in items] == [True, False]  # the sheet row has no rating
    for item in items:
        assert isinstance(item["label"], bool)
        check_conversation(item["messages"], "role", "content", "user", "assistant")
    assert items[0]["messages"][-1]["content"] == ROWS[0].answer


def test_kto_is_left_out_when_nothing_was_rated(tmp_path: Path) -> None:
    rows = [replace(row, rating=None) for row in ROWS]
    out = export(tmp_path, DatasetFormat.LLAMAFACTORY, rows)
    assert not (out / "kbchat_kto.json").exists()
    assert set(load(out / "dataset_info.json")) == {"kbchat_alpaca", "kbchat_sharegpt"}


def test_dataset_info_declares_only_columns_the_records_carry(tmp_path: Path) -> None:
    out = export(tmp_path, DatasetFormat.LLAMAFACTORY, [sheet_row(1)])
    info = load(out / "dataset_info.json")
    assert "system" not in info["kbchat_alpaca"]["columns"]
    assert "history" not in info["kbchat_alpaca"]["columns"]
    assert info["kbchat_sharegpt"]["columns"] == {"messages": "conversations"}


REQUIRED_TRAIN_KEYS = {
    "model_name_or_path": "Qwen/Qwen2.5-7B-Instruct",
    "stage": "sft",
    "do_train": True,
    "finetuning_type": "lora",
    "lora_target": "all",
    "lora_rank": 8,
    "dataset": "kbchat_alpaca",
    "dataset_dir": ".",
    "template": "qwen",
    "cutoff_len": 2048,
    "learning_rate": 1.0e-4,
    "num_train_epochs": 3.0,
    "per_device_train_batch_size": 1,
    "gradient_accumulation_steps": 8,
    "lr_scheduler_type": "cosine",
    "warmup_steps": 1,  # 3 rows: 1 step an epoch, 3 in all, a tenth rounded up
    "fp16": True,  # a V100 by default
}


def test_train_configs_load_and_point_at_the_alpaca_dataset(tmp_path: Path) -> None:
    out = export(tmp_path, DatasetFormat.LLAMAFACTORY)
    lora = yaml.safe_load((out / "train_lora_sft.yaml").read_text(encoding="utf-8"))
    qlora = yaml.safe_load((out / "train_qlora_sft.yaml").read_text(encoding="utf-8"))
    for config in (lora, qlora):
        assert {key: config.get(key) for key in REQUIRED_TRAIN_KEYS} == REQUIRED_TRAIN_KEYS
        assert isinstance(config["learning_rate"], float)
        assert config["dataset"] in load(out / config["dataset_dir"] / "dataset_info.json")
    assert lora["output_dir"] == "saves/kbchat-lora-sft"
    assert "quantization_bit" not in lora
    assert qlora["quantization_bit"] == 4 and qlora["quantization_method"] == "bnb"
    assert qlora["output_dir"] == "saves/kbchat-qlora-sft"
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "llamafactory-cli train train_lora_sft.yaml" in readme


def test_alpaca_and_sharegpt_teach_the_same_prompt(tmp_path: Path) -> None:
    options = ExportOptions(include_retrieved=True)
    out = export(tmp_path, DatasetFormat.LLAMAFACTORY, options=options)
    alpaca, sharegpt = load(out / "kbchat_alpaca.json"), load(out / "kbchat_sharegpt.json")
    for plain, chat in zip(alpaca, sharegpt, strict=True):
        # LLaMA-Factory joins an alpaca record's instruction and input with one newline.
        joined = "\n".join(part for part in (plain["instruction"], plain["input"]) if part)
        assert chat["conversations"][-2]["value"] == joined
    assert any(plain["input"] for plain in alpaca)


@pytest.mark.parametrize(
    ("compute", "switches", "configs"),
    [
        (Compute.BF16, {"bf16": True}, {"train_lora_sft.yaml", "train_qlora_sft.yaml"}),
        (Compute.FP16, {"fp16": True}, {"train_lora_sft.yaml", "train_qlora_sft.yaml"}),
        (Compute.CPU, {"use_cpu": True}, {"train_lora_sft.yaml"}),
    ],
)
def test_train_configs_are_written_for_the_machine_they_name(
    tmp_path: Path, compute: Compute, switches: dict[str, bool], configs: set[str]
) -> None:
    options = ExportOptions(training=Training(compute=compute))
    out = export(tmp_path, DatasetFormat.LLAMAFACTORY, options=options)
    assert {path.name for path in out.glob("train_*.yaml")} == configs
    for name in configs:
        config = yaml.safe_load((out / name).read_text(encoding="utf-8"))
        precision = {key: config[key] for key in ("bf16", "fp16", "use_cpu") if key in config}
        assert precision == switches and "warmup_ratio" not in config
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert ("bitsandbytes" in readme) == (compute != Compute.CPU)
    assert {Compute.BF16: "A100", Compute.FP16: "V100", Compute.CPU: "without a GPU"}[
        compute
    ] in readme


def test_train_configs_use_the_chosen_model_template_and_name(tmp_path: Path) -> None:
    options = ExportOptions(
        base_model="meta-llama/Llama-3.1-8B: #x", template="llama3", dataset_name="ward7"
    )
    out = export(tmp_path, DatasetFormat.LLAMAFACTORY, options=options)
    config = yaml.safe_load((out / "train_qlora_sft.yaml").read_text(encoding="utf-8"))
    assert config["model_name_or_path"] == "meta-llama/Llama-3.1-8B: #x"
    assert config["template"] == "llama3" and config["dataset"] == "ward7_alpaca"
    assert (out / "ward7_alpaca.json").is_file() and (out / "ward7_kto.json").is_file()


@pytest.mark.parametrize("export_format", list(DatasetFormat))
def test_manifest_records_lineage_and_file_hashes(
    tmp_path: Path, export_format: DatasetFormat
) -> None:
    out = tmp_path / "out"
    paths = write_export(ROWS, export_format, out, options=OPTIONS, filters=FILTERS)
    manifest = load(out / "manifest.json")
    assert sorted(paths) == sorted(out.iterdir()) and paths[-1].name == "manifest.json"
    assert manifest["kbchat_export"] == 1 and manifest["format"] == str(export_format)
    assert datetime.fromisoformat(manifest["created_at"]).utcoffset() is not None
    assert manifest["row_count"] == 3 and manifest["filters"] == FILTERS
    assert manifest["options"]["dataset_name"] == "kbchat"
    assert manifest["consent_versions"] == ["en v1", "zh-TW v2"]
    assert [row["qa_id"] for row in manifest["rows"]] == [1, 2, 3]
    assert manifest["rows"][0]["cited_pages"] == [
        {"file": "藥劑手冊.pdf", "page": 3, "doc_id": "a" * 64},
        {"file": "藥劑手冊.pdf", "page": 4, "doc_id": "a" * 64},
    ]
    assert manifest["rows"][1]["source"] == "sheet" and manifest["rows"][1]["user"]
    listed = {entry["name"]: entry for entry in manifest["files"]}
    assert set(listed) == {path.name for path in out.iterdir()} - {"manifest.json"}
    for name, entry in listed.items():
        data = (out / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)


@pytest.mark.parametrize("export_format", [DatasetFormat.LLAMAFACTORY, DatasetFormat.XLSX])
def test_same_rows_give_the_same_files(tmp_path: Path, export_format: DatasetFormat) -> None:
    first = export(tmp_path, export_format, name="a")
    second = export(tmp_path, export_format, name="b")
    for path in first.iterdir():
        if path.suffix == ".xlsx":  # the zip holds a timestamp; compare the cells instead
            assert _cells(path) == _cells(second / path.name)
        elif path.name == "manifest.json":
            assert _stable(load(path)) == _stable(load(second / path.name))
        else:
            assert path.read_bytes() == (second / path.name).read_bytes()


def _stable(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest without its timestamp and the hash of a zip that embeds one."""
    files = [entry for entry in manifest["files"] if not entry["name"].endswith(".xlsx")]
    return {**manifest, "created_at": "", "files": files}


def _cells(path: Path) -> list[list[Any]]:
    return [[cell.value for cell in row] for row in load_workbook(path).active.iter_rows()]


def test_an_existing_nonempty_folder_is_refused_and_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ExportError, match="exists; choose a new directory or pass --force"):
        write_export(ROWS, DatasetFormat.ALPACA, out, options=OPTIONS, filters=FILTERS)
    assert [path.name for path in out.iterdir()] == ["notes.txt"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]


def test_force_replaces_an_earlier_export_and_nothing_else(tmp_path: Path) -> None:
    out = export(tmp_path, DatasetFormat.ALPACA)
    write_export(ROWS, DatasetFormat.CSV, out, options=OPTIONS, filters=FILTERS, force=True)
    assert sorted(path.name for path in out.iterdir()) == ["kbchat.csv", "manifest.json"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.docx").write_text("years of work", encoding="utf-8")
    with pytest.raises(ExportError, match="not a kbchat export"):
        write_export(ROWS, DatasetFormat.CSV, home, options=OPTIONS, filters=FILTERS, force=True)
    assert [path.name for path in home.iterdir()] == ["thesis.docx"]


def test_an_existing_empty_folder_is_used(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    write_export(ROWS, DatasetFormat.ALPACA, out, options=OPTIONS, filters=FILTERS)
    assert (out / "kbchat_alpaca.json").is_file()


def test_a_failure_mid_write_leaves_no_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(path: Path, sections: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(llamafactory, "write_config", broken)
    out = tmp_path / "out"
    with pytest.raises(OSError, match="disk full"):
        write_export(ROWS, DatasetFormat.LLAMAFACTORY, out, options=OPTIONS, filters=FILTERS)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_forced_export_keeps_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = export(tmp_path, DatasetFormat.ALPACA)
    before = {path.name: path.read_bytes() for path in out.iterdir()}

    def broken(path: Path, table: object) -> None:
        path.write_text("half", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(exports, "_write_csv", broken)
    with pytest.raises(OSError, match="disk full"):
        write_export(ROWS, DatasetFormat.CSV, out, options=OPTIONS, filters=FILTERS, force=True)
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before
    assert [path.name for path in tmp_path.iterdir()] == ["out"]


def test_no_rows_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="nothing to export: no approved QA matches"):
        write_export([], DatasetFormat.ALPACA, tmp_path / "out", options=OPTIONS, filters={})
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("rows", "options", "message"),
    [
        (ROWS, ExportOptions(dataset_name="../evil"), "cannot name files"),
        ([make_row(1, history=[["only a question"]])], OPTIONS, "QA 1: history turn 1"),
    ],
)
def test_bad_input_is_refused_before_writing(
    tmp_path: Path, rows: list[ExportRow], options: ExportOptions, message: str
) -> None:
    with pytest.raises(ExportError, match=message):
        write_export(rows, DatasetFormat.ALPACA, tmp_path / "out", options=options, filters={})
    assert list(tmp_path.iterdir()) == []
