"""The runs folder: a run is registered only by its finished folder's rename; a failed or
cancelled one leaves its log and nothing else; a dead run's folder is cleared."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from sharing.training.errors import RunNotFound, TrainingError
from sharing.training.process import Progress
from sharing.training.runs import RunStore, run_id_for, write_status


def test_a_run_is_registered_only_when_its_block_ends_well(tmp_path: Path) -> None:
    runs = RunStore(tmp_path)
    with runs.staging("dr-wang-20261206-080000") as folder:
        (folder / "manifest.json").write_text(json.dumps({"run_id": "dr-wang-20261206-080000"}))
        write_status(folder, Progress("train", 3, 10, 1.25))
        [running] = runs.running()
        assert (running.run_id, running.alive, running.progress) == (
            "dr-wang-20261206-080000", True, Progress("train", 3, 10, 1.25))  # fmt: skip
        assert runs.finished() == []
    assert [m["run_id"] for m in runs.finished()] == ["dr-wang-20261206-080000"]
    assert (
        runs.running() == []
        and not (runs.folder("dr-wang-20261206-080000") / "status.json").exists()
    )


def test_a_failed_run_leaves_only_its_log(tmp_path: Path) -> None:
    runs = RunStore(tmp_path)
    with pytest.raises(TrainingError), runs.staging("x-20261206-080000") as folder:
        (folder / "train.log").write_text("step 1\nValueError: no\n")
        raise TrainingError("failed")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["logs"]
    assert runs.log_of("x-20261206-080000").read_text() == "step 1\nValueError: no\n"


def test_a_cancel_is_asked_of_a_running_run_only(tmp_path: Path) -> None:
    runs = RunStore(tmp_path)
    with runs.staging("y-20261206-080000") as folder:
        assert not runs.cancel_requested(folder)
        runs.cancel("y-20261206-080000")
        assert runs.cancel_requested(folder)
    with pytest.raises(TrainingError, match="is running"):
        runs.cancel("y-20261206-080000")


def test_a_run_whose_process_died_is_shown_then_cleared(tmp_path: Path) -> None:
    runs = RunStore(tmp_path)
    folder = tmp_path / ".running-z-20261206-080000"
    folder.mkdir(parents=True)
    dead = subprocess.Popen(["true"])  # a pid that has ended
    dead.wait()
    status = {"pid": dead.pid, "started_at": "2026-12-06T08:00:00+08:00", "progress": None}
    (folder / "status.json").write_text(json.dumps(status))
    (folder / "train.log").write_text("killed\n")
    assert [r.alive for r in runs.running()] == [False]
    assert runs.clear_interrupted() == ["z-20261206-080000"]
    assert not folder.exists() and runs.log_of("z-20261206-080000").read_text() == "killed\n"


@pytest.mark.parametrize("run_id", ["nope", "../etc", ".running-a", ""])
def test_an_unknown_run_is_named(tmp_path: Path, run_id: str) -> None:
    with pytest.raises(RunNotFound, match="kbchat finetune list"):
        RunStore(tmp_path).manifest(run_id)


def test_a_run_id_is_the_adapter_s_name_and_its_start() -> None:
    assert run_id_for("dr-wang-gi", datetime(2026, 12, 6, 8, 5, 9)) == "dr-wang-gi-20261206-080509"
    with pytest.raises(TrainingError, match="cannot name a model"):
        run_id_for("王醫師 gi", datetime(2026, 12, 6))
