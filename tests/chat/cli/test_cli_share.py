"""`kbchat share ...`: curation, sheet import and export from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chat.cli.main import app
from chat.factory import build_sharing
from chat.settings import Settings
from sharing.service import QADraft
from tests.sharing.consenting import share_with_consent


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("KBCHAT_DATA_DIR", str(tmp_path / "data"))
    return CliRunner()


def _share(user: str = "nurse.lin") -> int:
    draft = QADraft("When does the clinic open?", "At 8 am [1].", "kb-assistant", 1, "qwen")
    return share_with_consent(build_sharing(Settings()).service, draft, user=user, locale="en")


def _run(cli: CliRunner, *args: str, code: int = 0) -> tuple[str, str]:
    result = cli.invoke(app, ["share", *args])
    assert result.exit_code == code, result.output
    return result.stdout, result.stderr


def test_curation_from_the_command_line(cli: CliRunner) -> None:
    qa_id = _share()
    listed = json.loads(_run(cli, "list", "--status", "pending", "--json")[0])
    assert [(row["id"], row["user"]) for row in listed] == [(qa_id, "nurse.lin")]
    assert f"approved {qa_id}" in _run(cli, "approve", str(qa_id), "--as", "admin")[0]
    _, error = _run(cli, "reject", str(qa_id), "--reason", " ", code=1)
    assert "give a reason" in error
    _run(cli, "edit", str(qa_id), "--answer", "At 8:00 am.", "--as", "admin")
    _run(cli, "tag", str(qa_id), "topic:hours")
    shown = json.loads(_run(cli, "show", str(qa_id), "--json")[0])
    assert shown["answer"] == "At 8:00 am." and shown["edits"][0]["answer_before"] == "At 8 am [1]."
    assert [e["action"] for e in shown["audit"]] == ["share", "approve", "edit", "tag"]
    assert shown["consents"][0]["version"] == "v1"
    assert (shown["model"], shown["adapter"]) == ("qwen", "")


def test_a_withdrawn_pair_cannot_be_approved(cli: CliRunner) -> None:
    qa_id = _share()
    _run(cli, "withdraw", str(qa_id), "--user", "nurse.lin")
    _, error = _run(cli, "approve", str(qa_id), code=1)
    assert f"cannot approve shared QA {qa_id}: it is withdrawn" in error
    _, error = _run(cli, "approve", "4242", code=1)
    assert "no shared QA with id 4242" in error


def test_sheet_import_reports_every_bad_row(cli: CliRunner, tmp_path: Path) -> None:
    sheet = tmp_path / "experts.csv"
    sheet.write_text(
        "instruction,output\n掛號要帶什麼？,健保卡\n,沒有問題\n空答案,\n", encoding="utf-8"
    )
    _, error = _run(cli, "import", str(sheet), code=1)
    assert "row 3, column 'instruction'" in error and "row 4, column 'output'" in error
    assert "nothing imported" in error
    assert json.loads(_run(cli, "list", "--json")[0]) == []
    out, error = _run(cli, "import", str(sheet), "--skip-bad")
    assert "imported 1 row(s)" in out and "skipped:" in error
    other = tmp_path / "people.csv"
    other.write_text("name,age\nAmy,30\n", encoding="utf-8")
    _, error = _run(cli, "import", str(other), code=1)
    assert "people.csv" in error and "instruction" in error


def test_export_needs_force_to_replace(cli: CliRunner, tmp_path: Path) -> None:
    qa_id = _share()
    out = tmp_path / "dataset"
    _, error = _run(cli, "export", "--format", "alpaca", "--out", str(out), code=1)
    assert "nothing to export" in error and not out.exists()
    _run(cli, "approve", str(qa_id))
    written, _ = _run(cli, "export", "--format", "llamafactory", "--out", str(out))
    assert str(out / "dataset_info.json") in written
    _, error = _run(cli, "export", "--format", "alpaca", "--out", str(out), code=1)
    assert "--force" in error
    _run(cli, "export", "--format", "alpaca", "--out", str(out), "--force")
    alpaca = json.loads((out / "kbchat_alpaca.json").read_text("utf-8"))
    assert alpaca[0]["instruction"] == "When does the clinic open?"
