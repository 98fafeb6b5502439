"""`kbchat finetune`: an expert's sheet imported and approved, a real LLaMA-Factory LoRA run on
the CPU (a tiny Qwen2-architecture model made here, tests/finetuned.py), its evaluation
against the base, and the adapter answering through LLaMA-Factory's OpenAI-compatible
server, as vLLM would serve it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chat.cli.main import app
from sharing.training.manifest import folder_sha256
from tests.finetuned import CLI, RUN_OPTIONS, STYLE, Finetuned, ok
from tests.servers import free_port, running_server


@pytest.fixture
def cli(finetuned: Finetuned, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """kbchat on the trained run's data dir."""
    monkeypatch.setenv("KBCHAT_DATA_DIR", str(finetuned.data_dir))
    return CliRunner()


def test_an_approved_sheet_trains_an_adapter_that_answers_in_its_style(
    finetuned: Finetuned, cli: CliRunner
) -> None:
    manifest, folder = finetuned.manifest, finetuned.run
    data = manifest["dataset"]
    assert sorted(data["train_qa_ids"] + data["holdout_qa_ids"]) == finetuned.qa_ids
    assert len(data["holdout_qa_ids"]) == 4 and data["seed"] == 42
    assert (folder / "adapter" / "adapter_model.safetensors").stat().st_size > 0
    assert json.loads((folder / "adapter" / "adapter_config.json").read_text())["r"] == 8
    assert manifest["base_model"]["sha256"] == folder_sha256(finetuned.model)
    curve = [loss for _step, loss in manifest["metrics"]["loss_curve"]]
    assert len(curve) >= 10 and curve[-1] < curve[0] - 0.5
    evaluation = manifest["evaluation"]
    assert evaluation["adapter"] > evaluation["base"] + 20 and not evaluation["worse"]
    shown = json.loads(ok(cli, "finetune", "show", manifest["run_id"], "--json"))
    answers = [example["adapter"] for example in shown["evaluation"]["examples"]]
    assert len(answers) == 4 and all(answer.startswith(STYLE) for answer in answers)
    assert not any(e["base"].startswith(STYLE) for e in shown["evaluation"]["examples"])


def test_runs_are_listed_and_shown_side_by_side(finetuned: Finetuned, cli: CliRunner) -> None:
    run_id = finetuned.manifest["run_id"]
    listed = json.loads(ok(cli, "finetune", "list", "--json"))
    assert [m["run_id"] for m in listed["finished"]] == [run_id] and listed["running"] == []
    table = ok(cli, "finetune", "show", run_id)
    assert f"run {run_id} (lora, adapter name dr-wang-gi)" in table
    assert "held-out pairs" in table and "chrF" in table and "ROUGE-L" in table
    assert "BELOW ITS BASE" not in table


DR_WANG = """id: dr-wang
name: 王醫師（腸胃科）
locale: zh-TW
audience: patient
description: 依王醫師的衛教風格回答腸胃科問題。
greeting: 您好，我是王醫師。
prompt:
  context: 你是腸胃科的王醫師。
  task: 回答病人的問題。
  constraints: 用繁體中文回答。
collections: []
grounding: open
model: dr-wang-gi
temperature: 0.0
max_tokens: 24
version: 1
"""


def test_a_persona_answers_through_its_adapter_served_as_vllm_would(
    finetuned: Finetuned, cli: CliRunner, tmp_path: Path
) -> None:
    adapter = finetuned.run / "adapter"
    config = tmp_path / "serve.yaml"
    config.write_text(
        f"model_name_or_path: {finetuned.model}\nadapter_name_or_path: {adapter}\n"
        "template: qwen\nfinetuning_type: lora\ninfer_backend: huggingface\n"
    )
    port = free_port()
    env = {**os.environ, "API_HOST": "127.0.0.1", "API_PORT": str(port),
           "API_MODEL_NAME": "dr-wang-gi", "HF_HUB_OFFLINE": "1"}  # fmt: skip
    run_id = str(finetuned.manifest["run_id"])
    (finetuned.data_dir / "models.yaml").write_text(
        f"dr-wang-gi:\n  kind: openai\n  base_url: http://127.0.0.1:{port}/v1\n"
        f"  model: dr-wang-gi\n  adapter: {run_id}\n  context_size: 1024\n",
        "utf-8",
    )
    (tmp_path / "dr-wang.yaml").write_text(DR_WANG, "utf-8")
    ok(cli, "personas", "import", str(tmp_path / "dr-wang.yaml"))
    try:
        with running_server([str(CLI), "api", str(config)], f"http://127.0.0.1:{port}/v1/models",
                            env=env, log=tmp_path / "api.log"):  # fmt: skip
            listed = json.loads(ok(cli, "models", "list", "--json"))
            asked = ok(cli, "ask", "胃潰瘍要注意什麼？", "--persona", "dr-wang", "--json")
        answer = json.loads(asked)
    finally:
        (finetuned.data_dir / "models.yaml").unlink()
    shown = ok(cli, "finetune", "show", run_id)  # the evaluation table the admin reads too
    assert "held-out pairs" in shown and "chrF" in shown
    served = next(model for model in listed["models"] if model["name"] == "dr-wang-gi")
    assert served["reachable"] is True and served["personas"] == ["dr-wang"]
    assert (answer["model"], answer["adapter"]) == ("dr-wang-gi", run_id)
    assert answer["answer"].startswith(STYLE), answer


@pytest.mark.parametrize(("args", "said"), [
    (["dr-wang-gi", "--base-model", "/nowhere", "--compute", "cpu"], "not a Hugging Face model"),
    (["王醫師", "--base-model", "{model}", "--compute", "cpu"], "cannot name a model"),
    (["dr-wang-gi", "--base-model", "{model}", "--compute", "cpu", "--qlora"], "QLoRA needs"),
    (["dr-wang-gi", "--base-model", "{model}", "--compute", "tpu"], "use auto, bf16, fp16"),
    (["dr-wang-gi", "--base-model", "{model}", "--compute", "cpu", "--holdout", "1"],
     "below 1"),
    (["dr-wang-gi", "--base-model", "{model}", "--compute", "cpu", "--tag", "none"],
     "nothing to export"),
])  # fmt: skip
def test_a_run_that_cannot_train_is_refused_in_one_line(
    finetuned: Finetuned, cli: CliRunner, args: list[str], said: str
) -> None:
    before = sorted(p.name for p in (finetuned.data_dir / "finetune").iterdir())
    command = ["finetune", "run", *(a.format(model=finetuned.model) for a in args)]
    result = cli.invoke(app, command)
    assert result.exit_code == 1 and said in result.stderr, result.output
    assert "Traceback" not in result.output
    after = sorted(p.name for p in (finetuned.data_dir / "finetune").iterdir())
    assert after == before  # no run, no log: nothing was started


@pytest.mark.parametrize(("args", "said"), [
    (["show", "nope-20261206-000000"], "no fine-tuning run"),
    (["show", "../data"], "no fine-tuning run"),
    (["cancel", "nope-20261206-000000"], "is running"),
])  # fmt: skip
def test_an_unknown_run_is_named(cli: CliRunner, args: list[str], said: str) -> None:
    result = cli.invoke(app, ["finetune", *args])
    assert result.exit_code == 1 and said in result.stderr


def test_a_cancelled_run_leaves_its_log_and_nothing_registered(
    finetuned: Finetuned, cli: CliRunner
) -> None:
    env = {**os.environ, "KBCHAT_DATA_DIR": str(finetuned.data_dir)}
    command = [sys.executable, "-m", "chat", "finetune", "run", "dr-wang-gi-2", "--base-model",
               str(finetuned.model), *RUN_OPTIONS, "--epochs", "400"]  # fmt: skip
    runs = finetuned.data_dir / "finetune"
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) as child:  # fmt: skip
        run_id = _training(runs, deadline=time.monotonic() + 300)
        ok(cli, "finetune", "cancel", run_id)
        _out, error = child.communicate(timeout=60)
    assert child.returncode == 1 and f"run {run_id} was cancelled" in error
    assert not (runs / run_id).exists() and not list(runs.glob(".running-*"))
    assert "train" in (runs / "logs" / f"{run_id}.log").read_text()
    listed = json.loads(ok(cli, "finetune", "list", "--json"))
    assert [m["run_id"] for m in listed["finished"]] == [finetuned.manifest["run_id"]]


def _training(runs: Path, deadline: float) -> str:
    """The id of the run in progress once it has logged a training step."""
    while time.monotonic() < deadline:
        for folder in runs.glob(".running-dr-wang-gi-2-*"):
            try:
                status = json.loads((folder / "status.json").read_text())
            except (OSError, ValueError):
                continue
            if (status.get("progress") or {}).get("step", 0) >= 1:
                return folder.name.removeprefix(".running-")
        time.sleep(0.5)
    pytest.fail("the run to cancel never logged a training step")


def test_a_run_llamafactory_refuses_is_named_and_leaves_its_log(
    finetuned: Finetuned, cli: CliRunner
) -> None:
    command = ["finetune", "run", "dr-wang-gi-3", "--base-model", str(finetuned.model)]
    result = cli.invoke(app, [*command, *RUN_OPTIONS, "--template", "no-such"])
    assert result.exit_code == 1, result.output
    assert "LLaMA-Factory (train) failed:" in result.stderr and "no-such" in result.stderr
    runs = finetuned.data_dir / "finetune"
    logs = list((runs / "logs").glob("dr-wang-gi-3-*.log"))
    assert len(logs) == 1 and str(logs[0]) in result.stderr
    assert not list(runs.glob("dr-wang-gi-3-*")) and not list(runs.glob(".running-*"))


def test_llamafactory_trains_dpo_on_the_exported_preference_pairs(
    finetuned: Finetuned, cli: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "export"
    ok(cli, "share", "export", "--format", "llamafactory", "--out", str(out), "--compute", "cpu")
    pairs = json.loads((out / "kbchat_dpo.json").read_text("utf-8"))
    assert len(pairs) == 1 and pairs[0]["chosen"]["value"].startswith(STYLE)
    overrides = [f"model_name_or_path={finetuned.model}", "max_steps=2", "logging_steps=1",
                 "output_dir=saves/dpo", "cutoff_len=128", "template=qwen"]  # fmt: skip
    done = subprocess.run([str(CLI), "train", "train_lora_dpo.yaml", *overrides], cwd=out,
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "HF_HUB_OFFLINE": "1"})  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert (out / "saves" / "dpo" / "adapter_model.safetensors").is_file()
    logged = (out / "saves" / "dpo" / "trainer_log.jsonl").read_text().splitlines()
    assert json.loads(logged[-1])["current_steps"] == 2
