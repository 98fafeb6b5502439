"""The admin's fine-tuning page: runs in progress (with a cancel button), finished runs with
their evaluation, and one run's lineage, loss curve and held-out answers side by side.
Runs are started by `kbchat finetune run` on the training machine; this page watches them."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import HTTPException
from fastapi.responses import HTMLResponse, Response

from chat.factory import build_run_store
from chat.web.admin.pages import Admin, back, page, router
from chat.web.services import services
from sharing import RunStore, TrainingError

CURVE_WIDTH, CURVE_HEIGHT = 480, 120


def _runs() -> RunStore:
    return build_run_store(services().settings)


def loss_curve(points: list[list[float]]) -> str:
    """The loss at each logged step as an SVG polyline's points (step → x, loss → y)."""
    if len(points) < 2:
        return ""
    steps, losses = [p[0] for p in points], [p[1] for p in points]
    low, high, first, last = min(losses), max(losses), steps[0], steps[-1]
    span, rise = (last - first) or 1, (high - low) or 1
    return " ".join(
        f"{(step - first) / span * CURVE_WIDTH:.1f},{(high - loss) / rise * CURVE_HEIGHT:.1f}"
        for step, loss in zip(steps, losses, strict=True)
    )


@router.get("/finetune")
async def finetune_runs(admin: Admin, message: str = "", error: str = "") -> HTMLResponse:
    """Every run: those running first, then the finished, newest first."""
    runs = _runs()
    finished, running = await asyncio.to_thread(lambda: (runs.finished(), runs.running()))
    return page("finetune.html", admin, title="微調 Fine-tuning", finished=finished,
                running=running, message=message, error=error,
                refresh=any(run.alive for run in running))  # fmt: skip


@router.get("/finetune/{run_id}")
async def finetune_run(run_id: str, admin: Admin) -> HTMLResponse:
    """One run: where it came from, how training went, and its evaluation."""
    runs = _runs()
    try:
        manifest, evaluation = await asyncio.to_thread(
            lambda: (runs.manifest(run_id), runs.evaluation(run_id))
        )
    except TrainingError as error:
        raise HTTPException(status_code=404, detail=str(error)) from None
    curve: Any = manifest.get("metrics", {}).get("loss_curve") or []
    return page("finetune_run.html", admin, title=f"微調 Run {run_id}", run=manifest,
                evaluation=evaluation, curve=loss_curve(curve), width=CURVE_WIDTH,
                height=CURVE_HEIGHT, adapter=runs.folder(run_id) / manifest["adapter"])  # fmt: skip


@router.post("/finetune/{run_id}/cancel")
async def cancel_run(run_id: str, admin: Admin) -> Response:
    """Ask a running run to stop; nothing of it is registered."""
    try:
        await asyncio.to_thread(_runs().cancel, run_id)
    except TrainingError as error:
        return await finetune_runs(admin, error=str(error))
    return back("/kbchat/admin/finetune", f"已要求停止 Asked to stop: {run_id}")
