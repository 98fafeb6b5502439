"""Sheets in and exports out, through the database: what is stored, what leaves, and lineage."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from sharing.consent import consent_text
from sharing.curation import Curator
from sharing.dataset import Dataset, ExportFilters, pseudonymize
from sharing.errors import ExportError, SheetRejected
from sharing.export_rows import DatasetFormat
from sharing.models import QASource, QAStatus
from sharing.service import QADraft, SharingService
from sharing.store import SharingStore
from tests.sharing.consenting import share_with_consent


def _sheet(tmp_path: Path, rows: list[dict[str, str]], name: str = "qa.csv") -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=["instruction", "input", "output"])
        writer.writeheader()
        writer.writerows(rows)
    return path


GOOD = [
    {"instruction": "掛號要帶什麼？", "input": "", "output": "請攜帶健保卡。"},
    {"instruction": "病歷號碼 12345678 的病人在哪？", "input": "", "output": "請洽護理站。"},
]


def test_a_sheet_is_scrubbed_stored_as_pending_and_audited(
    dataset: Dataset, store: SharingStore, tmp_path: Path
) -> None:
    result = dataset.import_sheet(_sheet(tmp_path, GOOD), uploader="dr.wang")
    assert len(result.imported) == 2 and result.skipped == []
    pairs = store.list_qa(source=QASource.SHEET)
    assert [qa.status for qa in pairs] == [QAStatus.PENDING] * 2
    assert "12345678" not in pairs[1].question and "[MRN]" in pairs[1].question
    assert (pairs[0].sheet_name, pairs[0].sheet_row, pairs[0].user_id) == ("qa.csv", 2, "dr.wang")
    (event,) = store.audit_trail()
    assert event.action == "import-sheet" and json.loads(event.detail_json)["rows"] == 2


def test_a_sheet_with_a_bad_row_imports_nothing_unless_told_to_skip(
    dataset: Dataset, store: SharingStore, tmp_path: Path
) -> None:
    bad = _sheet(tmp_path, [*GOOD, {"instruction": "空的回答", "input": "", "output": ""}])
    with pytest.raises(SheetRejected) as caught:
        dataset.import_sheet(bad, uploader="dr.wang")
    assert caught.value.problems[0].row == 4 and "nothing imported" in str(caught.value)
    assert store.list_qa() == []
    result = dataset.import_sheet(bad, uploader="dr.wang", skip_bad=True)
    assert len(result.imported) == 2 and len(result.skipped) == 1


def test_export_holds_approved_pairs_once_pseudonymized_and_never_withdrawn(
    dataset: Dataset,
    service: SharingService,
    curator: Curator,
    store: SharingStore,
    draft: QADraft,
    tmp_path: Path,
) -> None:
    consent = consent_text("zh-TW")
    ids = [
        share_with_consent(service, draft, user=user)
        for user in ("nurse.lin", "dr.wang", "dr.chen")
    ]
    imported = dataset.import_sheet(_sheet(tmp_path, GOOD), uploader="dr.wang").imported
    for qa_id in [*ids, imported[0].id]:
        assert qa_id is not None
        curator.approve(qa_id, curator="admin")
    service.withdraw(ids[0], user_id="nurse.lin")  # after approval: still must leave
    out = tmp_path / "export"
    dataset.export(DatasetFormat.LLAMAFACTORY, out, actor="admin")
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    # ids[1] and ids[2] are one pair (a duplicate); ids[0] was withdrawn
    assert [row["qa_id"] for row in manifest["rows"]] == [ids[1], imported[0].id]
    assert manifest["consent_versions"] == [f"zh-TW {consent.version}"]
    everything = "".join(p.read_text("utf-8") for p in out.iterdir())
    assert "dr.wang" not in everything and "nurse.lin" not in everything
    assert pseudonymize("dr.wang", b"test-key") in everything
    assert (out / "kbchat_kto.json").is_file()  # the sharer's thumbs-up became a KTO label
    sheet_only = dataset.export_rows(ExportFilters(source=QASource.SHEET))
    assert [row.qa_id for row in sheet_only] == [imported[0].id]
    assert store.audit_trail()[-1].action == "export"
    with pytest.raises(ExportError, match="pass --force"):
        dataset.export(DatasetFormat.ALPACA, out, actor="admin")
