"""What the parsing worker and its parent say to each other: one JSON object per line on
the worker's stdout, ``{"progress": [done, total], "ocr": bool}`` while it reads, then
``{"result": {...}}`` or ``{"error": "..."}``."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

Progress = Callable[[int, int], None]
"""Called by a reader as ``progress(done, total)`` after each page, sheet or section."""


class Refused(Exception):
    """A reader's reason for refusing a document, fit to show the user as it is."""


def say(message: dict[str, object]) -> None:
    """Send one message to the parent."""
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def progress_reporter(ocr: bool = False) -> Progress:
    """A progress callback that tells the parent (``ocr`` marks pages read by OCR, which
    earn the parse more time)."""

    def report(done: int, total: int) -> None:
        say({"progress": [done, total], "ocr": ocr})

    return report
