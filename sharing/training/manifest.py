"""What a finished run records: where its data and base model came from (by hash), how it
was trained, how training went and how the adapter scored against its base."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sharing.training.configs import ADAPTER_DIR
from sharing.training.process import progress_of

if TYPE_CHECKING:
    from sharing.training.curated import CuratedSet
    from sharing.training.evaluation import Evaluation
    from sharing.training.runner import RunRequest
    from sharing.training.split import Split

_CHUNK = 1 << 20


def folder_sha256(folder: Path) -> str:
    """One SHA-256 over a model folder: each file's path and contents, in path order (the
    weights of a 7B model take a minute or so on one disk)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    return digest.hexdigest()


def training_metrics(run: Path) -> dict[str, Any]:
    """LLaMA-Factory's results (loss, runtime, epochs) and the loss at each logged step."""
    adapter = run / ADAPTER_DIR
    try:
        results = json.loads((adapter / "train_results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        results = {}
    try:
        lines = (adapter / "trainer_log.jsonl").read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    points = [p for line in lines if (p := progress_of("train", line)) and p.loss is not None]
    return {
        "train_loss": results.get("train_loss"),
        "train_runtime_s": results.get("train_runtime"),
        "epochs": results.get("epoch"),
        "steps": points[-1].total if points else None,
        "loss_curve": [[p.step, p.loss] for p in points],
    }


def run_manifest(
    run_id: str,
    request: RunRequest,
    started: datetime,
    data: tuple[CuratedSet, Split],
    base_sha256: str,
    metrics: dict[str, Any],
    evaluation: Evaluation | None,
) -> dict[str, Any]:
    """The manifest of a finished run."""
    curated, split = data
    summary = None
    if evaluation is not None:
        summary = {"metric": evaluation.metric, "base": evaluation.base_score,
                   "adapter": evaluation.adapter_score, "worse": evaluation.worse,
                   "examples": len(evaluation.examples),
                   "rouge_l": [evaluation.base_rouge_l, evaluation.adapter_rouge_l]}  # fmt: skip
    return {
        "kbchat_finetune": 1,
        "run_id": run_id,
        "name": request.name,
        "created_at": started.isoformat(timespec="seconds"),
        "finished_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "base_model": {"path": str(request.base_model), "sha256": base_sha256},
        "method": "qlora" if request.qlora else "lora",
        "template": request.template,
        "training": asdict(request.training),
        "dataset": {
            "export": str(curated.folder),
            "manifest_sha256": curated.manifest_sha256,
            "seed": split.seed,
            "holdout_share": split.share,
            "train_qa_ids": [e.qa_id for e in split.train],
            "holdout_qa_ids": [e.qa_id for e in split.holdout],
        },  # fmt: skip
        "config": "train.yaml",
        "adapter": ADAPTER_DIR,
        "metrics": metrics,
        "evaluation": summary,
    }
