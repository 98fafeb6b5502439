"""A progress bar for long CLI work, written to stderr so JSON on stdout stays clean."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from knowledge import ProgressCallback

_STAGES = {"ocr": "read (OCR)"}
"""How a stage of ingestion is described where its name alone says too little (pages
read by OCR are the slow ones)."""


class IngestProgress:
    """One bar for the files, one for the chunks of the file being embedded."""

    def __init__(self, progress: Progress | None, total_files: int) -> None:
        self._progress = progress
        self._files: TaskID | None = None
        self._chunks: TaskID | None = None
        if progress is not None:
            self._files = progress.add_task("files", total=total_files)
            self._chunks = progress.add_task("chunks", total=None, visible=False)

    def callback(self, name: str) -> ProgressCallback | None:
        """A progress callback that updates the chunk bar for one file."""
        progress, chunks = self._progress, self._chunks
        if progress is None or chunks is None:
            return None

        def update(stage: str, done: int, total: int) -> None:
            described = _STAGES.get(stage, stage)
            progress.update(
                chunks, description=f"{described} {name}", completed=done, total=total,
                visible=True,
            )  # fmt: skip

        return update

    def done(self, message: str, error: bool = False) -> None:
        """Advance the file bar and print a line about the finished file."""
        if self._progress is None or self._files is None:
            return
        self._progress.console.print(message, highlight=False)
        self._progress.advance(self._files)


@contextmanager
def ingest_progress(total_files: int, enabled: bool = True) -> Iterator[IngestProgress]:
    """Show ingest progress on stderr, unless disabled (e.g. for --json)."""
    if not enabled:
        yield IngestProgress(None, total_files)
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        yield IngestProgress(progress, total_files)
