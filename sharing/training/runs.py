"""Where fine-tuning runs live, one folder each, and the one owner of that layout.

::

    <root>/<run_id>/                 a finished run: manifest.json, evaluation.json, the
                                     configs, dataset/, adapter/ (what vLLM or a persona's
                                     model loads), evaluation/, train.log
    <root>/.running-<run_id>/        a run in progress: status.json (pid, stage, progress)
                                     and, when asked to stop, a ``cancel`` file
    <root>/logs/<run_id>.log         a run's log while it runs, kept there if it fails or is
                                     cancelled (moved into its folder when it finishes)

A run is registered only by the rename of its finished folder, so a failed or cancelled run
leaves no half-registered adapter behind: only its log.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sharing.llamafactory import write_json
from sharing.training.errors import RunNotFound, TrainingError
from sharing.training.evaluation import Evaluation
from sharing.training.process import Progress

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
"""An adapter's name: what a persona's ``model:`` and vLLM's ``--lora-modules`` call it."""
RUNNING = ".running-"


@dataclass(frozen=True)
class RunningRun:
    """A run in progress (or one whose process is gone: ``alive`` False)."""

    run_id: str
    pid: int
    started_at: str
    alive: bool
    progress: Progress | None


def run_id_for(name: str, now: datetime) -> str:
    """A new run's id: the adapter's name and the time it started."""
    if not NAME.fullmatch(name):
        raise TrainingError(
            f"the adapter name {name!r} cannot name a model; use letters, digits, '_', '-' or "
            "'.' (at most 64), e.g. dr-wang-gi"
        )
    return f"{name}-{now:%Y%m%d-%H%M%S}"


class RunStore:
    """The runs under one folder: finished, running, and the logs of the failed."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def folder(self, run_id: str) -> Path:
        """A finished run's folder (RunNotFound when there is none)."""
        folder = self.root / run_id
        if not run_id or "/" in run_id or run_id.startswith(".") or not folder.is_dir():
            raise RunNotFound(run_id)
        return folder

    def manifest(self, run_id: str) -> dict[str, Any]:
        """A finished run's manifest."""
        path = self.folder(run_id) / "manifest.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise TrainingError(f"{path} cannot be read ({error})") from None
        return data if isinstance(data, dict) else {}

    def evaluation(self, run_id: str) -> Evaluation | None:
        """A finished run's evaluation, or None for a run trained without one."""
        path = self.folder(run_id) / "evaluation.json"
        if not path.is_file():
            return None
        try:
            return Evaluation.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise TrainingError(f"{path} cannot be read ({error})") from None

    def finished(self) -> list[dict[str, Any]]:
        """Every finished run's manifest, newest first."""
        if not self.root.is_dir():
            return []
        runs = [p.name for p in self.root.iterdir()
                if not p.name.startswith(".") and (p / "manifest.json").is_file()]  # fmt: skip
        manifests = [self.manifest(run_id) for run_id in runs]
        return sorted(manifests, key=lambda m: str(m.get("created_at", "")), reverse=True)

    def running(self) -> list[RunningRun]:
        """The runs in progress, and those whose process died before they finished."""
        if not self.root.is_dir():
            return []
        return [run for p in sorted(self.root.glob(f"{RUNNING}*")) if (run := _status(p))]

    def cancel(self, run_id: str) -> None:
        """Ask a running run to stop (its process checks every second)."""
        folder = self.root / f"{RUNNING}{run_id}"
        if "/" in run_id or not folder.is_dir():
            raise TrainingError(f"no fine-tuning run {run_id!r} is running")
        (folder / "cancel").touch()

    def copy_finished(self, target: Path) -> list[str]:
        """Copy every finished run's folder (its adapter, manifest, evaluation and log) into
        ``target``, for a backup; the ids copied. Running and failed runs are not copied."""
        copied = sorted(str(manifest["run_id"]) for manifest in self.finished())
        for run_id in copied:
            shutil.copytree(self.folder(run_id), target / run_id)
        return copied

    def restore_from(self, source: Path, *, replace: bool = False) -> list[str]:
        """Put back the runs a backup holds (each staged, then renamed into place); a run
        already here is kept unless ``replace``. The ids restored."""
        restored = []
        for folder in sorted(p for p in source.glob("*") if (p / "manifest.json").is_file()):
            target = self.root / folder.name
            if target.exists() and not replace:
                continue
            staged = self.root / f".restoring-{folder.name}"
            shutil.rmtree(staged, ignore_errors=True)
            shutil.copytree(folder, staged)
            shutil.rmtree(target, ignore_errors=True)
            staged.rename(target)
            restored.append(folder.name)
        return restored

    @staticmethod
    def cancel_requested(folder: Path) -> bool:
        """Whether someone asked the run in this folder to stop."""
        return (folder / "cancel").exists()

    def log_of(self, run_id: str) -> Path:
        """Where a failed or cancelled run's log is kept."""
        return self.root / "logs" / f"{run_id}.log"

    @contextmanager
    def staging(self, run_id: str) -> Iterator[Path]:
        """The folder a run works in; renamed into place when the block ends well, else
        removed (its log kept in ``logs/``)."""
        self.clear_interrupted()
        folder = self.root / f"{RUNNING}{run_id}"
        folder.mkdir(parents=True)
        write_status(folder, None)
        try:
            yield folder
        except BaseException:
            self._discard(folder, run_id)
            raise
        (folder / "status.json").unlink()
        folder.rename(self.root / run_id)

    def clear_interrupted(self) -> list[str]:
        """Remove the folders of runs whose process is gone (a crash, a reboot); their
        ids. Their logs are kept."""
        gone = [run.run_id for run in self.running() if not run.alive]
        for run_id in gone:
            self._discard(self.root / f"{RUNNING}{run_id}", run_id)
        return gone

    def _discard(self, folder: Path, run_id: str) -> None:
        log = folder / "train.log"
        if log.is_file():
            self.log_of(run_id).parent.mkdir(parents=True, exist_ok=True)
            with suppress(OSError):
                log.replace(self.log_of(run_id))
        shutil.rmtree(folder, ignore_errors=True)


def write_status(folder: Path, progress: Progress | None) -> None:
    """Record the running run's process and progress (written whole, then renamed)."""
    status = {"pid": os.getpid(), "started_at": _started(folder),
              "progress": asdict(progress) if progress else None}  # fmt: skip
    staged = folder / "status.json.tmp"
    write_json(staged, status)
    staged.replace(folder / "status.json")


def _started(folder: Path) -> str:
    try:
        return str(json.loads((folder / "status.json").read_text("utf-8"))["started_at"])
    except (OSError, ValueError, KeyError):
        return datetime.now().astimezone().isoformat(timespec="seconds")


def _status(folder: Path) -> RunningRun | None:
    try:
        status = json.loads((folder / "status.json").read_text(encoding="utf-8"))
        pid = int(status["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    progress = status.get("progress")
    return RunningRun(folder.name.removeprefix(RUNNING), pid, str(status.get("started_at", "")),
                      _alive(pid), Progress(**progress) if progress else None)  # fmt: skip


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
