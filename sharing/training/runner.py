"""One fine-tuning run, start to end: the curated set split, LLaMA-Factory's LoRA/QLoRA SFT,
the base model and the adapter answering the held-out examples, and the manifest."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sharing.llamafactory import write_json
from sharing.train_config import Compute, Training, write_config
from sharing.training import configs
from sharing.training.curated import CuratedSet, read_export, write_datasets
from sharing.training.errors import TrainingError
from sharing.training.evaluation import Evaluation, evaluate, read_predictions, rouge_l
from sharing.training.manifest import folder_sha256, run_manifest, training_metrics
from sharing.training.process import Job, Progress, run_job
from sharing.training.runs import RunStore, run_id_for, write_status
from sharing.training.split import Split, split_examples


@dataclass(frozen=True)
class RunRequest:
    """What to train: the adapter's name, the base model, the curated export, and how."""

    name: str
    base_model: Path
    export: Path | None
    """A kbchat export folder (None until the caller has made one)."""
    template: str = "qwen"
    qlora: bool = False
    training: Training = field(default_factory=Training)
    holdout_share: float = 0.1
    seed: int = 42
    evaluate: bool = True
    max_new_tokens: int = 256


class FineTuner:
    """Runs LLaMA-Factory (``command``: how its CLI is started) for each request."""

    def __init__(
        self, runs: RunStore, command: Sequence[str], env: Mapping[str, str] | None = None
    ) -> None:
        self.runs, self.command = runs, list(command)
        self.env = {**(env if env is not None else os.environ), "HF_HUB_OFFLINE": "1"}

    def run(
        self,
        request: RunRequest,
        on_progress: Callable[[Progress], None] = lambda _progress: None,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> dict[str, Any]:
        """Train, evaluate and register one run; its manifest. Nothing is registered when it
        fails or is cancelled (TrainingError, TrainingCancelled)."""
        check_request(request)
        if request.export is None:
            raise TrainingError("no export to train on was given")
        curated = read_export(request.export)
        split = split_examples(curated.examples, request.holdout_share, request.seed)
        started = datetime.now().astimezone()
        run_id = run_id_for(request.name, started)
        log = self.runs.log_of(run_id)  # moved into the run's folder once it has finished
        log.parent.mkdir(parents=True, exist_ok=True)
        with self.runs.staging(run_id) as folder:

            def report(progress: Progress) -> None:
                write_status(folder, progress)
                on_progress(progress)

            def stop() -> bool:
                return should_stop() or self.runs.cancel_requested(folder)

            steps = _Steps(self, request, (folder, log), run_id, (report, stop))
            manifest = steps.all(started, curated, split)
            log.replace(folder / "train.log")
        return manifest


class _Steps:
    """The steps of one run in its staging folder."""

    def __init__(
        self,
        tuner: FineTuner,
        request: RunRequest,
        places: tuple[Path, Path],
        run_id: str,
        hooks: tuple[Callable[[Progress], None], Callable[[], bool]],
    ) -> None:
        self.tuner, self.request, self.run_id = tuner, request, run_id
        self.folder, self.log = places
        self.report, self.stop = hooks

    def all(self, started: datetime, curated: CuratedSet, split: Split) -> dict[str, Any]:
        request = self.request
        write_datasets(split, self.folder / configs.DATASET_DIR)
        sections = configs.train_sections(
            str(request.base_model),
            request.template,
            request.training,
            len(split.train),
            qlora=request.qlora,
        )
        write_config(self.folder / "train.yaml", sections)
        self.report(Progress(stage="hash"))
        base_sha256 = folder_sha256(request.base_model)
        self.job("train.yaml", "train", watch=f"{configs.ADAPTER_DIR}/trainer_log.jsonl")
        evaluation = self.evaluate(split) if request.evaluate and split.holdout else None
        manifest = run_manifest(self.run_id, request, started, (curated, split), base_sha256,
                                training_metrics(self.folder), evaluation)  # fmt: skip
        write_json(self.folder / "manifest.json", manifest, sort_keys=True)
        return manifest

    def job(self, config: str, stage: str, watch: str | None = None) -> None:
        job = Job(self.tuner.command, config, self.folder, self.log, stage, watch)
        run_job(job, self.run_id, self.tuner.env, self.report, self.stop)

    def evaluate(self, split: Split) -> Evaluation:
        request, answers, rouge = self.request, [], []
        for adapter in (False, True):
            name = f"predict-{'adapter' if adapter else 'base'}.yaml"
            write_config(self.folder / name, configs.predict_sections(
                str(request.base_model), request.template, request.training, adapter=adapter,
                qlora=request.qlora, max_new_tokens=request.max_new_tokens))  # fmt: skip
            self.job(name, f"evaluate {'adapter' if adapter else 'base'}")
            folder = self.folder / configs.prediction_dir(adapter)
            answers.append(read_predictions(folder, len(split.holdout)))
            rouge.append(rouge_l(folder))
        evaluation = evaluate(split.holdout, answers[0], answers[1], (rouge[0], rouge[1]))
        write_json(self.folder / "evaluation.json", evaluation.to_json())
        return evaluation


def check_request(request: RunRequest) -> None:
    """Refuse a request that cannot train, before anything is written (the export included)."""
    run_id_for(request.name, datetime.now())
    if not 0 <= request.holdout_share < 1:
        raise TrainingError(
            f"the held-out share must be at least 0 and below 1, not {request.holdout_share}"
        )
    if not (request.base_model / "config.json").is_file():
        raise TrainingError(
            f"{request.base_model} is not a Hugging Face model folder (it has no config.json); "
            "give the local folder of the base model"
        )
    if request.qlora and request.training.compute == Compute.CPU:
        raise TrainingError("QLoRA needs a CUDA GPU (bitsandbytes' 4-bit layers); use LoRA on CPU")
    if request.max_new_tokens < 1:
        raise TrainingError("the evaluation's answers need at least 1 new token")
