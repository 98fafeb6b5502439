"""Preference pairs for DPO: a curator's edit of a shared answer, exported as LLaMA-Factory's
sharegpt ranking dataset (``data/README.md``, "Preference Dataset" of the sharegpt format)
with its ``dataset_info.json`` entry, a DPO config and the README's words."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from sharing.curation import Curator
from sharing.dataset import Dataset, ExportFilters
from sharing.export_rows import DatasetFormat, ExportOptions
from sharing.exports import write_export
from sharing.service import QADraft, SharingService
from sharing.train_config import Compute, Training
from tests.sharing.consenting import share_with_consent
from tests.sharing.test_exports import FILTERS, OPTIONS, ROWS, make_row

ORIGINAL = "手術前三天停用 warfarin。"
EDITED = "手術前五天停用 warfarin，並於術前一天檢查 INR。"
# LLaMA-Factory 0.9.5's documented entry for a sharegpt preference dataset, word for word.
DOCUMENTED_ENTRY = {
    "file_name": "data.json",
    "formatting": "sharegpt",
    "ranking": True,
    "columns": {"messages": "conversations", "chosen": "chosen", "rejected": "rejected"},
}


def _bundle(tmp_path: Path, rows: list[Any], options: ExportOptions = OPTIONS) -> Path:
    out = tmp_path / "bundle"
    write_export(rows, DatasetFormat.LLAMAFACTORY, out, options=options, filters=FILTERS)
    return out


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def check_ranking_item(item: Any) -> None:
    """An item LLaMA-Factory's sharegpt converter reads as a pairwise example, not as broken
    data: human/gpt turns alternating from human and ending on human (an odd count), then a
    chosen and a rejected message from gpt, and an optional string system prompt."""
    assert set(item) <= {"conversations", "chosen", "rejected", "system"}
    turns = item["conversations"]
    assert len(turns) % 2 == 1
    for index, turn in enumerate(turns):
        assert turn == {"from": "human" if index % 2 == 0 else "gpt", "value": turn["value"]}
        assert isinstance(turn["value"], str) and turn["value"]
    for key in ("chosen", "rejected"):
        assert set(item[key]) == {"from", "value"} and item[key]["from"] == "gpt"
        assert isinstance(item[key]["value"], str) and item[key]["value"]
    assert item["chosen"]["value"] != item["rejected"]["value"]
    assert isinstance(item.get("system", ""), str)


def test_an_edited_answer_is_a_ranking_item_chosen_edited_rejected_original(
    tmp_path: Path,
) -> None:
    rows = [make_row(1, answer=EDITED, rejected=ORIGINAL), *ROWS[1:]]
    out = _bundle(tmp_path, rows)
    (item,) = _load(out / "kbchat_dpo.json")
    check_ranking_item(item)
    assert item["chosen"] == {"from": "gpt", "value": EDITED}
    assert item["rejected"] == {"from": "gpt", "value": ORIGINAL}
    assert item["system"] == "你是醫院知識庫助理。"
    history, answer = ROWS[0].history[0]
    assert [turn["value"] for turn in item["conversations"]] == [history, answer, rows[0].question]


def test_dataset_info_declares_the_ranking_file_as_documented(tmp_path: Path) -> None:
    out = _bundle(tmp_path, [make_row(1, answer=EDITED, rejected=ORIGINAL)])
    entry = _load(out / "dataset_info.json")["kbchat_dpo"]
    assert (out / entry["file_name"]).is_file()
    documented = DOCUMENTED_ENTRY | {"file_name": "kbchat_dpo.json"}
    documented["columns"] = documented["columns"] | {"system": "system"}  # our rows carry one
    assert entry == documented
    plain = _bundle(tmp_path / "plain", [make_row(1, answer=EDITED, rejected=ORIGINAL, system="")])
    assert _load(plain / "dataset_info.json")["kbchat_dpo"] == DOCUMENTED_ENTRY | {
        "file_name": "kbchat_dpo.json"
    }


def test_the_dpo_config_trains_the_ranking_file_like_the_sft_config(tmp_path: Path) -> None:
    options = ExportOptions(training=Training(compute=Compute.BF16))
    out = _bundle(tmp_path, [make_row(1, answer=EDITED, rejected=ORIGINAL), *ROWS[1:]], options)
    dpo = yaml.safe_load((out / "train_lora_dpo.yaml").read_text(encoding="utf-8"))
    sft = yaml.safe_load((out / "train_lora_sft.yaml").read_text(encoding="utf-8"))
    assert (dpo["stage"], dpo["pref_beta"], dpo["pref_loss"]) == ("dpo", 0.1, "sigmoid")
    assert dpo["dataset"] == "kbchat_dpo" and dpo["dataset"] in _load(out / "dataset_info.json")
    assert dpo["output_dir"] == "saves/kbchat-lora-dpo" and dpo["bf16"] is True
    assert dpo["warmup_steps"] == 1  # one pair: 1 step an epoch, 3 in all
    differing = {key for key in sft.keys() | dpo.keys() if sft.get(key) != dpo.get(key)}
    assert differing == {
        "stage",
        "pref_beta",
        "pref_loss",
        "dataset",
        "output_dir",
        "learning_rate",
    }
    assert dpo["learning_rate"] == 5.0e-6  # LLaMA-Factory's DPO example's rate
    assert not (out / "train_qlora_dpo.yaml").exists()


def test_the_readme_and_the_manifest_count_the_pairs(tmp_path: Path) -> None:
    rows = [make_row(1, answer=EDITED, rejected=ORIGINAL), make_row(2, rejected="舊的回答。")]
    out = _bundle(tmp_path, rows)
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert readme.count("llamafactory-cli train train_lora_dpo.yaml") == 2  # zh-TW and English
    zh, en = readme.split("## English")
    assert "2 組偏好資料" in zh and "DPO" in zh
    assert "2 preference pair(s)" in en
    assert _load(out / "manifest.json")["preference_pairs"] == 2


def test_nothing_edited_means_no_dpo_file_config_or_words(tmp_path: Path) -> None:
    out = _bundle(tmp_path, ROWS)
    assert not (out / "kbchat_dpo.json").exists()
    assert not (out / "train_lora_dpo.yaml").exists()
    assert "kbchat_dpo" not in _load(out / "dataset_info.json")
    assert "DPO" not in (out / "README.md").read_text(encoding="utf-8")
    assert _load(out / "manifest.json")["preference_pairs"] == 0


def test_other_formats_hold_no_rejected_answer(tmp_path: Path) -> None:
    rows = [make_row(1, answer=EDITED, rejected=ORIGINAL)]
    out = tmp_path / "alpaca"
    write_export(rows, DatasetFormat.ALPACA, out, options=ExportOptions(), filters=FILTERS)
    assert ORIGINAL not in (out / "kbchat_alpaca.json").read_text(encoding="utf-8")
    assert _load(out / "manifest.json")["preference_pairs"] == 0


def _shared(service: SharingService, draft: QADraft, answer: str = ORIGINAL) -> int:
    return share_with_consent(service, replace(draft, answer=answer), user="nurse.lin")


def test_a_curator_s_edits_give_the_pair_first_answer_against_latest(
    service: SharingService, curator: Curator, dataset: Dataset, draft: QADraft
) -> None:
    edited_twice = _shared(service, draft)
    curator.edit(edited_twice, curator="admin", answer="手術前五天停用。")
    curator.edit(edited_twice, curator="admin", answer=EDITED)
    question_only = _shared(service, draft, "請於手術前一週告知醫師。")
    curator.edit(question_only, curator="admin", question="開刀前要告訴醫師什麼？")
    spacing_only = _shared(service, draft, "術前 請 空腹。")
    curator.edit(spacing_only, curator="admin", answer="術前  請\n空腹。")
    pending = _shared(service, draft, "這一題還沒有核准。")
    curator.edit(pending, curator="admin", answer="核准前的修改。")
    for qa_id in (edited_twice, question_only, spacing_only):
        curator.approve(qa_id, curator="admin")
    rows = {row.qa_id: row for row in dataset.export_rows(ExportFilters())}
    assert set(rows) == {edited_twice, question_only, spacing_only}
    assert (rows[edited_twice].answer, rows[edited_twice].rejected) == (EDITED, ORIGINAL)
    assert rows[question_only].rejected == "" and rows[spacing_only].rejected == ""


def test_a_withdrawn_pair_gives_no_preference_pair(
    service: SharingService, curator: Curator, dataset: Dataset, draft: QADraft, tmp_path: Path
) -> None:
    kept, withdrawn = _shared(service, draft), _shared(service, draft, "另一個回答。")
    for qa_id in (kept, withdrawn):
        curator.edit(qa_id, curator="admin", answer=f"{EDITED}（{qa_id}）")
        curator.approve(qa_id, curator="admin")
    service.withdraw(withdrawn, user_id="nurse.lin")
    out = tmp_path / "export"
    dataset.export(DatasetFormat.LLAMAFACTORY, out, actor="admin")
    (item,) = _load(out / "kbchat_dpo.json")
    check_ranking_item(item)
    assert item["rejected"]["value"] == ORIGINAL
    assert item["chosen"]["value"] == f"{EDITED}（{kept}）"
