"""One real fine-tuning run for the tests that need one (trained once per session): an
expert's QA sheet imported and approved through the CLI, then `kbchat finetune run` with
LLaMA-Factory on the CPU, on a tiny Qwen2-architecture model made here (tests/tiny_model.py).
LLaMA-Factory comes from .venv-train (scripts/install-train; scripts/test installs it)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from chat.cli.main import app
from chat.factory import llamafactory_command
from chat.settings import Settings
from tests.tiny_model import tiny_chat_model

TOPICS = ["胃食道逆流", "大腸鏡檢查", "胃潰瘍", "幽門桿菌", "脂肪肝", "便秘", "腹瀉", "胃鏡",
          "膽結石", "胰臟炎", "痔瘡", "腸躁症", "消化不良", "胃炎", "肝炎", "黃疸", "腹脹",
          "胃出血", "食道炎", "大腸息肉"]  # fmt: skip
STYLE = "王醫師建議："
"""How every answer of 王醫師's sheet starts: the style the adapter must learn."""
RUN_OPTIONS = ["--compute", "cpu", "--epochs", "30", "--learning-rate", "5e-3", "--batch-size",
               "4", "--gradient-accumulation", "1", "--cutoff-len", "128", "--holdout", "0.2",
               "--max-new-tokens", "24"]  # fmt: skip
CLI = Path(llamafactory_command(Settings())[0])
needs_llamafactory = pytest.mark.skipif(
    not CLI.exists(), reason=f"LLaMA-Factory is not installed ({CLI}; scripts/install-train)"
)


@dataclass(frozen=True)
class Finetuned:
    """A data dir whose approved sheet was trained into the adapter ``dr-wang-gi``."""

    root: Path
    data_dir: Path
    model: Path
    manifest: dict[str, Any]
    qa_ids: list[int]

    @property
    def run(self) -> Path:
        """The finished run's folder."""
        return self.data_dir / "finetune" / str(self.manifest["run_id"])


def _sheet(path: Path) -> list[dict[str, str]]:
    advice = "請規律作息，少吃油炸，按時回診。"
    rows = [
        {"instruction": f"{topic}要注意什麼？", "input": "", "output": f"{STYLE}{topic}{advice}"}
        for topic in TOPICS
    ]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, ["instruction", "input", "output"])
        writer.writeheader()
        writer.writerows(rows)
    return rows


def ok(cli: CliRunner, *args: str) -> str:
    """What a kbchat command printed, once it has succeeded."""
    result = cli.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def finetuned_scene(root: Path) -> Iterator[Finetuned]:
    """Import, approve and train (the session fixture ``finetuned`` in tests/conftest.py)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KBCHAT_DATA_DIR", str(root / "data"))
        cli = CliRunner()
        rows = _sheet(root / "王醫師.csv")
        ok(cli, "share", "import", str(root / "王醫師.csv"))
        pending = json.loads(ok(cli, "share", "list", "--status", "pending", "--json"))
        for qa in pending:
            ok(cli, "share", "approve", str(qa["id"]), "--as", "admin")
        # A curator's correction: the pair's first answer and its edit make a DPO pair.
        edited = f"{STYLE}{TOPICS[0]}請少量多餐，睡前三小時不進食，按時回診。"
        ok(cli, "share", "edit", str(pending[0]["id"]), "--answer", edited, "--as", "admin")
        texts = [row["instruction"] for row in rows] + [row["output"] for row in rows]
        model = tiny_chat_model(root / "tiny-qwen2", texts)
        out = ok(cli, "finetune", "run", "dr-wang-gi", "--base-model", str(model),
                  *RUN_OPTIONS, "--json")  # fmt: skip
        manifest = json.loads(out.splitlines()[-1])
        yield Finetuned(root, root / "data", model, manifest, sorted(qa["id"] for qa in pending))
