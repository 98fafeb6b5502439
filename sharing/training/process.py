"""Running ``llamafactory-cli`` as a child process: its output to the run's log, its progress
read from the ``trainer_log.jsonl`` it writes after each logged step, and a stop on request.

The child leads its own process group, so a cancel (or Ctrl-C here) stops every process it
started (torchrun's workers included) and no trainer outlives the run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sharing.training.errors import TrainingCancelled, TrainingError

POLL_S = 1.0
GRACE_S = 10.0
"""How long a stopped trainer has to end after SIGTERM before it is killed."""


@dataclass(frozen=True)
class Progress:
    """Where a run is: its stage, and during training the step, loss and time left."""

    stage: str
    step: int = 0
    total: int = 0
    loss: float | None = None
    learning_rate: float | None = None
    epoch: float | None = None
    remaining: str = ""


def progress_of(stage: str, line: str) -> Progress | None:
    """One ``trainer_log.jsonl`` line as progress, or None for a line that is not one."""
    try:
        entry = json.loads(line)
        return Progress(stage=stage, step=int(entry["current_steps"]),
                        total=int(entry["total_steps"]), loss=entry.get("loss"),
                        learning_rate=entry.get("lr"), epoch=entry.get("epoch"),
                        remaining=str(entry.get("remaining_time", "")))  # fmt: skip
    except (ValueError, KeyError, TypeError):
        return None


@dataclass(frozen=True)
class Job:
    """One ``llamafactory-cli train CONFIG`` in the run's folder."""

    command: Sequence[str]
    config: str
    folder: Path
    log: Path
    stage: str
    watch: str | None = None
    """The ``trainer_log.jsonl`` (relative to the folder) whose lines are the progress."""


def run_job(
    job: Job,
    run_id: str,
    env: Mapping[str, str],
    on_progress: Callable[[Progress], None],
    should_stop: Callable[[], bool],
) -> None:
    """Run the job to its end, passing its progress on; TrainingCancelled when stopped,
    TrainingError (with the log's last words) when it fails."""
    on_progress(Progress(stage=job.stage))
    with job.log.open("ab") as log:
        try:
            child = subprocess.Popen([*job.command, "train", job.config], cwd=job.folder,
                                     stdout=log, stderr=subprocess.STDOUT, env=dict(env),
                                     start_new_session=True)  # fmt: skip
        except OSError as error:
            raise TrainingError(f"LLaMA-Factory could not be started ({error})") from None
    try:
        code = _wait(child, job, run_id, on_progress, should_stop)
    except KeyboardInterrupt:
        _stop(child)
        raise TrainingCancelled(run_id) from None
    except BaseException:
        _stop(child)
        raise
    if code != 0:
        raise TrainingError(f"LLaMA-Factory ({job.stage}) failed: {last_words(job.log)}")


def _wait(
    child: subprocess.Popen[bytes],
    job: Job,
    run_id: str,
    on_progress: Callable[[Progress], None],
    should_stop: Callable[[], bool],
) -> int:
    """The child's exit code, passing its progress on while it runs."""
    seen = 0
    while True:
        try:
            code = child.wait(timeout=POLL_S)
        except subprocess.TimeoutExpired:
            seen = _report(job, seen, on_progress)
            if should_stop():
                raise TrainingCancelled(run_id) from None
            continue
        _report(job, seen, on_progress)
        return code


def _report(job: Job, seen: int, on_progress: Callable[[Progress], None]) -> int:
    """Pass on the progress lines written since ``seen``; how many there are now."""
    if job.watch is None:
        return seen
    try:
        lines = (job.folder / job.watch).read_text(encoding="utf-8").splitlines()
    except OSError:
        return seen
    for line in lines[seen:]:
        if (progress := progress_of(job.stage, line)) is not None:
            on_progress(progress)
    return len(lines)


def _stop(child: subprocess.Popen[bytes]) -> None:
    """SIGTERM the child's whole process group, then SIGKILL what is left after the grace."""
    for sent, wait in ((signal.SIGTERM, GRACE_S), (signal.SIGKILL, None)):
        try:
            os.killpg(child.pid, sent)
        except ProcessLookupError:
            return
        try:
            child.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def last_words(log: Path, lines: int = 400) -> str:
    """The most telling line at the end of a log: the last error, else the last line."""
    try:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
    except OSError:
        return f"see {log}"
    tail = [line.strip() for line in tail if line.strip()]
    errors = [line for line in tail if "Error" in line or "error:" in line]
    found = (errors or tail or ["no output"])[-1]
    return f"{found[:300]} (the whole log: {log})"
