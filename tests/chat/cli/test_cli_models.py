"""`kbchat models list` on a real data dir: each model (the default first), whether it can
answer now, the personas using it, and the personas naming a model nobody configured."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from chat.cli.main import app
from personas.manager import LIBRARY_DIR
from tests.servers import free_port


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("KBCHAT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KBCHAT_MODELS_FILE", str(tmp_path / "models.yaml"))
    return CliRunner()


def _models_file(tmp_path: Path, text: str) -> None:
    (tmp_path / "models.yaml").write_text(text, "utf-8")


def _import_persona(cli: CliRunner, tmp_path: Path, persona_id: str, model: str) -> None:
    data = yaml.safe_load((LIBRARY_DIR / "doctor.yaml").read_text("utf-8"))
    data.update(id=persona_id, model=model)
    path = tmp_path / f"{persona_id}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    result = cli.invoke(app, ["personas", "import", str(path)])
    assert result.exit_code == 0, result.output


def _listed(cli: CliRunner) -> tuple[int, dict[str, Any]]:
    result = cli.invoke(app, ["models", "list", "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_unreachable_models_and_a_persona_naming_a_missing_one(
    cli: CliRunner, tmp_path: Path
) -> None:
    down = f"http://127.0.0.1:{free_port()}/v1"
    _models_file(tmp_path, f"dr-wang-gi:\n  kind: openai\n  base_url: {down}\n  model: wang\n"
                 "  adapter: run-7\nchen-psy:\n  kind: llamacpp\n  model_path: base.gguf\n"
                 "  lora_path: chen.gguf\n")  # fmt: skip
    _import_persona(cli, tmp_path, "dr-wang", "dr-wang-gi")
    _import_persona(cli, tmp_path, "dr-lee", "dr-lee-cardio")
    code, listed = _listed(cli)
    assert code == 1  # a persona names a model that is not configured
    default, wang, chen = listed["models"]
    assert default["name"] == "default" and default["default"] and default["reachable"]
    assert "doctor" in default["personas"] and "dr-wang" not in default["personas"]
    assert (wang["kind"], wang["adapter"], wang["personas"]) == ("openai", "run-7", ["dr-wang"])
    assert wang["location"] == f"{down} (serves wang)"
    assert not wang["reachable"] and wang["problem"].startswith("cannot connect")
    assert chen["location"] == f"{tmp_path / 'base.gguf'} + LoRA {tmp_path / 'chen.gguf'}"
    assert not chen["reachable"] and chen["problem"] == f"{tmp_path / 'base.gguf'}: no such file"
    (missing,) = listed["missing"]
    assert (missing["persona"], missing["model"]) == ("dr-lee", "dr-lee-cardio")
    text = cli.invoke(app, ["models", "list"])
    assert text.exit_code == 1 and "UNREACHABLE (cannot connect" in text.stdout
    assert "the persona 'dr-lee' names the model 'dr-lee-cardio'" in text.stderr


@pytest.mark.slow
def test_a_served_model_is_reachable_and_no_problem_exits_zero(
    cli: CliRunner, tmp_path: Path, server_url: str
) -> None:
    _models_file(tmp_path, f"dr-wang-gi:\n  kind: openai\n  base_url: {server_url}\n"
                 "  model: kbchat-test\n  adapter: run-7\n")  # fmt: skip
    _import_persona(cli, tmp_path, "dr-wang", "dr-wang-gi")
    code, listed = _listed(cli)
    assert code == 0 and listed["missing"] == []
    wang = listed["models"][1]
    assert wang["reachable"] and wang["problem"] is None and wang["personas"] == ["dr-wang"]


@pytest.mark.parametrize("command", [["models", "list"], ["serve", "--port", "9"]])
def test_a_bad_models_file_is_refused_in_one_line(
    cli: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    _models_file(tmp_path, "dr-wang-gi:\n  kind: vllm\n  base_url: http://gpu/v1\n")
    result = cli.invoke(app, command)
    assert result.exit_code == 1 and result.stdout == ""
    path = tmp_path / "models.yaml"
    assert result.stderr == f"error: {path}, entry 'dr-wang-gi': kind must be openai or llamacpp\n"


def test_personas_list_shows_the_model_a_persona_names(cli: CliRunner, tmp_path: Path) -> None:
    _import_persona(cli, tmp_path, "dr-wang", "dr-wang-gi")
    listed = json.loads(cli.invoke(app, ["personas", "list", "--json"]).stdout)
    models = {p["id"]: p["model"] for p in listed}
    assert models["dr-wang"] == "dr-wang-gi" and models["doctor"] is None
