"""`kbchat personas ...` on a real SQLite database in a temp data dir."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from chat.cli.main import app
from personas.manager import LIBRARY_DIR
from tests.personas.card_files import V2_CARD, card_png, cards_in, picture, pixels


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("KBCHAT_DATA_DIR", str(tmp_path / "data"))
    return CliRunner()


def _ok(cli: CliRunner, *args: str) -> str:
    result = cli.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _persona_file(tmp_path: Path, file_name: str, **changes: object) -> Path:
    data = yaml.safe_load((LIBRARY_DIR / "doctor.yaml").read_text("utf-8"))
    data.update(changes)
    path = tmp_path / file_name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def _write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_the_library_is_seeded_and_listed(cli: CliRunner) -> None:
    listed = json.loads(_ok(cli, "personas", "list", "--json"))
    ids = {p["id"] for p in listed}
    assert len(ids) == len(list(LIBRARY_DIR.glob("*.yaml"))) >= 14
    assert {"kb-assistant", "qpl-visit-prep", "clinical-guideline"} <= ids
    shown = yaml.safe_load(_ok(cli, "personas", "show", "qpl-visit-prep"))
    assert shown["id"] == "qpl-visit-prep" and shown["audience"] == "patient"


def test_validate_reports_every_bad_file_by_name_and_line(cli: CliRunner, tmp_path: Path) -> None:
    good = _persona_file(tmp_path, "good.yaml", id="good")
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\nname: [oops\n", "utf-8")
    unknown = _persona_file(tmp_path, "unknown.yaml", id="unknown", mood="calm")
    result = cli.invoke(app, ["personas", "validate", str(good), str(broken), str(unknown)])
    assert result.exit_code == 1
    assert f"{good}: ok (good)" in result.stdout
    assert f"{broken}, line 3: malformed YAML" in result.stderr
    assert f"{unknown}, line" in result.stderr and "field 'mood'" in result.stderr


def test_import_is_all_or_nothing_and_update_adds_versions(cli: CliRunner, tmp_path: Path) -> None:
    first = _persona_file(tmp_path, "ward.yaml", id="ward-nurse", name="病房護理師")
    bad = _persona_file(tmp_path, "bad.yaml", id="bad", temperature="hot")
    result = cli.invoke(app, ["personas", "import", str(first), str(bad)])
    assert result.exit_code == 1 and "bad.yaml" in result.stderr and "temperature" in result.stderr
    assert "ward-nurse" not in _ok(cli, "personas", "list")
    assert "imported ward-nurse v1" in _ok(cli, "personas", "import", str(first), "--author", "amy")
    taken = cli.invoke(app, ["personas", "import", str(first)])
    assert taken.exit_code == 1 and "already exists" in taken.stderr
    edited = _persona_file(tmp_path, "ward2.yaml", id="ward-nurse", name="病房護理長")
    assert "imported ward-nurse v2" in _ok(cli, "personas", "import", str(edited), "--update")
    assert "v1" in _ok(cli, "personas", "history", "ward-nurse")
    old = yaml.safe_load(_ok(cli, "personas", "show", "ward-nurse", "--version", "1"))
    assert old["name"] == "病房護理師"


def test_export_in_every_format_reloads(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for fmt in ("yaml", "tgw", "card-v2"):
        written = _ok(
            cli, "personas", "export", "doctor", "dentist", "--format", fmt, "--out", str(out)
        )
        assert len(written.split()) == 2
    card = json.loads((out / "doctor.card.json").read_text("utf-8"))
    assert (
        card["spec"] == "chara_card_v2" and card["data"]["extensions"]["kbchat"]["id"] == "doctor"
    )
    for name in ("doctor.yaml", "doctor.tgw.yaml", "doctor.card.json"):
        assert "ok (doctor)" in _ok(cli, "personas", "validate", str(out / name))
    missing = cli.invoke(app, ["personas", "export", "doctor", "nobody", "--out", str(out / "x")])
    assert missing.exit_code == 1 and "'nobody'" in missing.stderr
    assert not (out / "x").exists()  # nothing written when any id is unknown


def test_a_disabled_or_deleted_persona_cannot_be_asked(cli: CliRunner) -> None:
    _ok(cli, "personas", "disable", "film-critic")
    listed = json.loads(_ok(cli, "personas", "list", "--json", "--enabled"))
    assert "film-critic" not in {p["id"] for p in listed}
    refused = cli.invoke(app, ["ask", "推薦一部電影", "--persona", "film-critic"])
    assert refused.exit_code == 2 and "disabled" in refused.stderr
    _ok(cli, "personas", "enable", "film-critic")
    _ok(cli, "personas", "delete", "film-critic")
    gone = cli.invoke(app, ["ask", "推薦一部電影", "--persona", "film-critic"])
    assert gone.exit_code == 2 and "unknown persona 'film-critic'" in gone.stderr


def test_png_cards_are_validated_imported_and_exported(cli: CliRunner, tmp_path: Path) -> None:
    original = picture((12, 18))
    card = _write_bytes(tmp_path / "aiko.png", card_png(V2_CARD, png=original))
    bad = _write_bytes(tmp_path / "plain.png", picture())
    assert f"{card}: ok (aiko)" in _ok(cli, "personas", "validate", str(card))
    refused = cli.invoke(app, ["personas", "import", str(card), str(bad)])
    assert refused.exit_code == 1
    assert refused.stderr.strip().count("\n") == 0 and f"{bad}: " in refused.stderr
    assert "no character card" in refused.stderr
    assert "aiko" not in _ok(cli, "personas", "list")  # all or none
    assert "imported aiko v1" in _ok(cli, "personas", "import", str(card))
    out = tmp_path / "out"
    assert str(out / "aiko.card.png") in _ok(
        cli, "personas", "export", "aiko", "--format", "card-png", "--out", str(out)
    )
    exported = (out / "aiko.card.png").read_bytes()
    assert set(cards_in(exported)) == {"chara", "ccv3"} and pixels(exported) == pixels(original)
    tgw = cli.invoke(app, ["personas", "export", "aiko", "--format", "tgw", "--out", str(out)])
    assert tgw.exit_code == 0 and tgw.stdout.strip() == str(out / "aiko.tgw.yaml")
    [told] = tgw.stderr.strip().splitlines()
    assert "left out" in told and "character_book" in told and "alternate_greetings" in told
