"""How `kbchat finetune list` and `show` print runs: a table of runs, and one run's manifest
with its evaluation, the base model and the adapter side by side."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sharing import Evaluation, RunningRun


def _score(evaluation: dict[str, Any] | None) -> str:
    if not evaluation:
        return "not evaluated"
    flag = "  BELOW ITS BASE" if evaluation.get("worse") else ""
    rouge = evaluation.get("rouge_l") or [None, None]
    also = f", ROUGE-L {rouge[0]:.1f} → {rouge[1]:.1f}" if None not in rouge else ""
    return (
        f"{evaluation['metric']} {evaluation['base']:.1f} → {evaluation['adapter']:.1f}{also}{flag}"
    )


def print_runs(finished: Sequence[dict[str, Any]], running: Sequence[RunningRun]) -> None:
    """One line per run: running ones first, then the finished, newest first."""
    if not finished and not running:
        typer.echo("no fine-tuning runs yet; `kbchat finetune run NAME --base-model DIR`")
        return
    table = Table("run", "state", "base model", "pairs", "final loss", "base → adapter")
    for run in running:
        where = run.progress
        state = "running" if run.alive else "interrupted"
        if where and where.total:
            state += f", {where.stage} step {where.step}/{where.total}"
        elif where:
            state += f", {where.stage}"
        table.add_row(run.run_id, state, "", "", "", "")
    for manifest in finished:
        metrics, data = manifest.get("metrics", {}), manifest.get("dataset", {})
        loss = metrics.get("train_loss")
        pairs = f"{len(data.get('train_qa_ids', []))} + {len(data.get('holdout_qa_ids', []))}"
        base = escape(str(manifest["base_model"]["path"]))
        table.add_row(str(manifest.get("run_id")), "finished", base,
                      pairs, f"{loss:.4f}" if loss is not None else "",
                      _score(manifest.get("evaluation")))  # fmt: skip
    Console().print(table)


def print_run(manifest: dict[str, Any], evaluation: Evaluation | None) -> None:
    """A run's lineage, training and evaluation."""
    data, metrics, base = manifest["dataset"], manifest["metrics"], manifest["base_model"]
    lines = [
        f"run {manifest['run_id']} ({manifest['method']}, adapter name {manifest['name']})",
        f"  base model  {base['path']}  sha256 {base['sha256']}",
        f"  dataset     {data['export']}  manifest sha256 {data['manifest_sha256']}",
        f"  pairs       {len(data['train_qa_ids'])} trained, {len(data['holdout_qa_ids'])} held "
        f"out (seed {data['seed']})",
        f"  training    loss {metrics.get('train_loss')}  over {metrics.get('steps')} steps, "
        f"{metrics.get('train_runtime_s')} s",
        f"  evaluation  {_score(manifest.get('evaluation'))}",
    ]
    typer.echo("\n".join(lines))
    if evaluation is None:
        return
    if evaluation.worse:
        typer.secho("  the adapter scores below its base model on the held-out pairs",
                    fg=typer.colors.RED)  # fmt: skip
    table = Table("QA", "question", "curated answer", "base", "adapter", title="held-out pairs")
    for example in evaluation.examples:
        base_said = f"{escape(example.base)}\n[dim]chrF {example.base_score:.1f}[/dim]"
        adapter_said = f"{escape(example.adapter)}\n[dim]chrF {example.adapter_score:.1f}[/dim]"
        table.add_row(str(example.qa_id), escape(example.question), escape(example.reference),
                      base_said, adapter_said)  # fmt: skip
    Console().print(table)
