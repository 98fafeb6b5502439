"""The runner of ``llamafactory-cli``: progress from its trainer log, its failure in one line,
and a stop that leaves no process of it behind. A shell script stands in for LLaMA-Factory
here, to drive each case; tests/sharing/training/test_finetune_cpu.py runs the real one."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from sharing.training.errors import TrainingCancelled, TrainingError
from sharing.training.process import Job, Progress, progress_of, run_job

STEP = ('{"current_steps": %d, "total_steps": 2, "loss": %s, "lr": 1e-4, "epoch": %s, '
        '"remaining_time": "0:00:0%d"}')  # fmt: skip
SCRIPT = f"""#!/bin/sh
mkdir -p adapter
echo '{STEP % (1, "2.5", "0.5", 1)}' >> adapter/trainer_log.jsonl
case "$MODE" in
  fail) echo "Traceback (most recent call last):"; echo "ValueError: Cannot find valid samples"
        echo "  (more output)"; exit 1 ;;
  hang) sleep 300 & echo $! > child.pid; wait ;;
  *) echo 'not json' >> adapter/trainer_log.jsonl
     echo '{STEP % (2, "1.5", "1.0", 0)}' >> adapter/trainer_log.jsonl ;;
esac
"""


def _job(tmp_path: Path) -> Job:
    cli = tmp_path / "llamafactory-cli"
    cli.write_text(SCRIPT)
    cli.chmod(0o755)
    folder = tmp_path / "run"
    folder.mkdir()
    return Job([str(cli)], "train.yaml", folder, folder / "train.log", "train",
               "adapter/trainer_log.jsonl")  # fmt: skip


def test_each_logged_step_is_passed_on(tmp_path: Path) -> None:
    seen: list[Progress] = []
    run_job(_job(tmp_path), "r1", {**os.environ, "MODE": "ok"}, seen.append, lambda: False)
    steps = [(p.step, p.loss) for p in seen if p.total]
    assert seen[0] == Progress(stage="train") and steps == [(1, 2.5), (2, 1.5)]


def test_a_failure_names_its_error_line_and_the_log(tmp_path: Path) -> None:
    job = _job(tmp_path)
    with pytest.raises(TrainingError) as failed:
        run_job(job, "r1", {**os.environ, "MODE": "fail"}, lambda _p: None, lambda: False)
    assert "ValueError: Cannot find valid samples" in str(failed.value)
    assert str(job.log) in str(failed.value) and "(train)" in str(failed.value)


def test_a_stop_kills_the_trainer_and_what_it_started(tmp_path: Path) -> None:
    job, asked = _job(tmp_path), time.monotonic()
    with pytest.raises(TrainingCancelled, match="r1 was cancelled"):
        run_job(job, "r1", {**os.environ, "MODE": "hang"}, lambda _p: None,
                lambda: time.monotonic() - asked > 2)  # fmt: skip
    child = int((job.folder / "child.pid").read_text())
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(child)


def test_a_missing_program_is_named(tmp_path: Path) -> None:
    job = Job([str(tmp_path / "nowhere")], "t.yaml", tmp_path, tmp_path / "log", "train")
    with pytest.raises(TrainingError, match="could not be started"):
        run_job(job, "r1", dict(os.environ), lambda _p: None, lambda: False)


def test_progress_lines_that_are_not_llamafactory_s_are_skipped() -> None:
    assert progress_of("train", "not json") is None
    assert progress_of("train", '{"loss": 1}') is None
    assert progress_of("train", STEP % (1, "null", "0.5", 1)) == Progress(
        "train", 1, 2, None, 1e-4, 0.5, "0:00:01"
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (finished, not yet reaped by its parent) counts as gone.
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "zombie" not in status.read_text()
