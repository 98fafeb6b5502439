"""A run reads a real kbchat export: its alpaca records paired with their QA ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sharing.export_rows import DatasetFormat, ExportOptions
from sharing.exports import write_export
from sharing.training.curated import read_export, write_datasets
from sharing.training.errors import TrainingError
from sharing.training.split import split_examples
from tests.sharing.test_exports import make_row, sheet_row

ROWS = [make_row(3), sheet_row(5), make_row(8)]


def _export(tmp_path: Path, export_format: DatasetFormat = DatasetFormat.LLAMAFACTORY) -> Path:
    out = tmp_path / "export"
    write_export(ROWS, export_format, out, options=ExportOptions(), filters={})
    return out


@pytest.mark.parametrize("export_format", [DatasetFormat.LLAMAFACTORY, DatasetFormat.ALPACA])
def test_an_export_is_read_with_its_qa_ids_and_manifest_hash(
    tmp_path: Path, export_format: DatasetFormat
) -> None:
    out = _export(tmp_path, export_format)
    curated = read_export(out)
    assert [example.qa_id for example in curated.examples] == [3, 5, 8]
    assert curated.examples[1].record["input"] == ROWS[1].context
    assert len(curated.manifest_sha256) == 64


def test_the_run_s_datasets_are_what_llamafactory_reads(tmp_path: Path) -> None:
    split = split_examples(read_export(_export(tmp_path)).examples, 0.34, seed=3)
    write_datasets(split, tmp_path / "dataset")
    info = json.loads((tmp_path / "dataset" / "dataset_info.json").read_text("utf-8"))
    assert set(info) == {"train", "holdout"}
    for name, examples in (("train", split.train), ("holdout", split.holdout)):
        records = json.loads((tmp_path / "dataset" / info[name]["file_name"]).read_text("utf-8"))
        assert records == [example.record for example in examples]
        assert info[name]["columns"]["prompt"] == "instruction"
    assert info["train"]["columns"].get("history") == "history"  # chat rows carry history


@pytest.mark.parametrize(("damage", "said"), [
    (lambda out: (out / "manifest.json").unlink(), "is not a kbchat export"),
    (lambda out: (out / "kbchat_alpaca.json").write_text("[]"), "list different rows"),
    (lambda out: (out / "kbchat_alpaca.json").write_text('[{"a": 1}, 2, 3]'), "lacks its"),
])  # fmt: skip
def test_a_folder_that_is_not_a_whole_export_is_refused(
    tmp_path: Path, damage: object, said: str
) -> None:
    out = _export(tmp_path)
    damage(out)  # type: ignore[operator]
    with pytest.raises(TrainingError, match=said):
        read_export(out)
