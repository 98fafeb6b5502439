"""``kbchat finetune``: train a LoRA/QLoRA adapter on the curated QA with LLaMA-Factory,
score it against its base, and list, show or cancel runs."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from chat.cli.common import JsonFlag, app_context, emit, fail
from chat.cli.finetune_show import print_run, print_runs
from chat.factory import build_fine_tuner, build_run_store, llamafactory_command
from sharing import (
    Compute,
    DatasetFormat,
    ExportFilters,
    ExportOptions,
    QASource,
    RunRequest,
    SharingError,
    Training,
    TrainingProgress,
    check_request,
    detect_compute,
)

finetune_app = typer.Typer(
    help="Fine-tune an adapter on the curated QA (LLaMA-Factory) and compare it with its base.",
    no_args_is_help=True,
)
RunId = Annotated[str, typer.Argument(help="A run id (`kbchat finetune list`).")]
_DEFAULTS = Training()


@contextmanager
def _clean_errors() -> Iterator[None]:
    """Sharing and training errors end the command with their one line."""
    try:
        yield
    except SharingError as error:
        raise fail(str(error)) from None


def _say(progress: TrainingProgress) -> None:
    """One line per stage and per logged training step."""
    if not progress.total:
        typer.echo(f"{progress.stage} …")
        return
    loss = f"  loss {progress.loss:.4f}" if progress.loss is not None else ""
    left = f"  left {progress.remaining}" if progress.remaining else ""
    typer.echo(f"{progress.stage}  step {progress.step}/{progress.total}{loss}{left}")


BaseModel = Annotated[
    Path | None, typer.Option("--base-model", help="Local Hugging Face model folder.")
]
ExportDir = Annotated[
    Path | None,
    typer.Option(help="A `share export --format llamafactory` folder; else the approved QA now."),
]
Source = Annotated[QASource | None, typer.Option(help="Only chat, sheet or generated pairs.")]
Machine = Annotated[str, typer.Option(help="auto, bf16 (A100, H100), fp16 (V100, T4) or cpu.")]
Epochs = Annotated[float, typer.Option(min=0.01, help="Passes over the training pairs.")]
Rate = Annotated[float, typer.Option(min=0.0, help="The peak learning rate.")]
Rank = Annotated[int, typer.Option(min=1, help="LoRA rank (adapter size).")]
Batch = Annotated[int, typer.Option(min=1, help="Pairs per step on each GPU.")]
Accumulate = Annotated[int, typer.Option(min=1, help="Steps accumulated per optimizer step.")]
Cutoff = Annotated[int, typer.Option(min=16, help="Longest pair, in tokens (longer is cut).")]
NewTokens = Annotated[int, typer.Option(min=1, help="Longest evaluation answer, in tokens.")]
Holdout = Annotated[float, typer.Option(help="The share of pairs held out to evaluate.")]


@finetune_app.command("run")
def run(  # noqa: PLR0913 - each option is one setting of the run
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The adapter's name, as personas call it.")],
    base_model: BaseModel = None,
    export: ExportDir = None,
    persona: Annotated[str | None, typer.Option(help="Only this persona's pairs.")] = None,
    tag: Annotated[str | None, typer.Option(help="Only pairs with this tag.")] = None,
    source: Source = None,
    qlora: Annotated[bool, typer.Option("--qlora", help="4-bit QLoRA (a CUDA GPU).")] = False,
    compute: Machine = "auto",
    epochs: Epochs = _DEFAULTS.epochs,
    learning_rate: Rate = _DEFAULTS.learning_rate,
    lora_rank: Rank = _DEFAULTS.lora_rank,
    batch_size: Batch = _DEFAULTS.batch_size,
    gradient_accumulation: Accumulate = _DEFAULTS.gradient_accumulation,
    cutoff_len: Cutoff = _DEFAULTS.cutoff_len,
    holdout: Holdout = 0.1,
    seed: Annotated[int, typer.Option(help="Fixes the held-out split.")] = 42,
    template: Annotated[str, typer.Option(help="LLaMA-Factory's chat template.")] = "qwen",
    max_new_tokens: NewTokens = 256,
    evaluate: Annotated[bool, typer.Option(help="Score the adapter against its base.")] = True,
    actor: Annotated[str, typer.Option("--as", help="Who exports (the audit trail).")] = "",
    as_json: JsonFlag = False,
) -> None:
    """Train an adapter, evaluate it on held-out pairs and register it with its manifest."""
    settings = app_context(ctx).settings
    base = base_model or settings.finetune_base_model
    if base is None:
        raise fail("give --base-model (or set KBCHAT_FINETUNE_BASE_MODEL): a local model folder")
    with _clean_errors():
        training = Training(
            compute=_compute(compute, settings), lora_rank=lora_rank, epochs=epochs,
            learning_rate=learning_rate, batch_size=batch_size, cutoff_len=cutoff_len,
            gradient_accumulation=gradient_accumulation,
        )  # fmt: skip
        request = RunRequest(name, base, export, template, qlora, training, holdout, seed,
                             evaluate, max_new_tokens)  # fmt: skip
        check_request(request)
        if export is None:
            filters, who = ExportFilters(source, persona, tag), actor or getpass.getuser()
            request = replace(request, export=_export_now(ctx, name, template, filters, who))
        tuner = build_fine_tuner(settings)
        try:
            manifest = tuner.run(request, on_progress=_say)
        except KeyboardInterrupt:
            raise fail("cancelled; nothing was registered", 130) from None
    if as_json:
        emit(manifest)
    else:
        print_run(manifest, tuner.runs.evaluation(manifest["run_id"]))


def _compute(said: str, settings: Any) -> Compute:
    if said == "auto":
        return detect_compute(llamafactory_command(settings))
    try:
        return Compute(said)
    except ValueError:
        raise fail(f"--compute {said!r}: use auto, bf16, fp16 or cpu") from None


def _export_now(
    ctx: typer.Context, name: str, template: str, filters: ExportFilters, actor: str
) -> Path:
    """Export the approved QA now, into the fine-tuning folder; the export's folder."""
    settings = app_context(ctx).settings
    folder = settings.finetune_dir / "exports" / f"{name}-{datetime.now():%Y%m%d-%H%M%S}"
    options = ExportOptions(template=template, dataset_name="kbchat")
    app_context(ctx).sharing.dataset.export(
        DatasetFormat.LLAMAFACTORY, folder, actor=actor, options=options, filters=filters
    )
    typer.echo(f"exported the approved QA to {folder}")
    return folder


@finetune_app.command("list")
def list_runs(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """The finished runs (newest first) and those running now."""
    runs = build_run_store(app_context(ctx).settings)
    finished, running = runs.finished(), runs.running()
    if as_json:
        emit({"finished": finished, "running": [r.__dict__ | {"progress": r.progress and
              r.progress.__dict__} for r in running]})  # fmt: skip
        return
    print_runs(finished, running)


@finetune_app.command("show")
def show(ctx: typer.Context, run_id: RunId, as_json: JsonFlag = False) -> None:
    """A run's manifest and its evaluation, the base and the adapter side by side."""
    runs = build_run_store(app_context(ctx).settings)
    with _clean_errors():
        manifest = runs.manifest(run_id)
        evaluation = runs.evaluation(run_id)
    if as_json:
        emit({"manifest": manifest, "evaluation": evaluation and evaluation.to_json()})
        return
    print_run(manifest, evaluation)


@finetune_app.command("cancel")
def cancel(ctx: typer.Context, run_id: RunId) -> None:
    """Ask a running run to stop; nothing of it is registered."""
    with _clean_errors():
        build_run_store(app_context(ctx).settings).cancel(run_id)
    typer.echo(f"asked run {run_id} to stop")
