"""Errors of a fine-tuning run; the edges (CLI, admin page) show them as one line."""

from __future__ import annotations

from sharing.errors import SharingError


class TrainingError(SharingError):
    """A run that cannot start or did not finish: names the run and the reason."""


class TrainingCancelled(TrainingError):
    """A run stopped on request (Ctrl-C, ``kbchat finetune cancel`` or the admin page)."""

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        super().__init__(f"fine-tuning run {run_id} was cancelled; nothing was registered")


class RunNotFound(TrainingError):
    """No finished or running run has the id."""

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        super().__init__(f"no fine-tuning run {run_id!r}; `kbchat finetune list` shows them")
