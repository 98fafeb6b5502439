"""Turn a document into clean, citable sections, reading it in a sandboxed child process."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

from knowledge.errors import IngestError
from knowledge.formats.kinds import ParseLimits, check_file, require_kind
from knowledge.formats.model import ParsedDocument, Section
from knowledge.formats.ocr import MISSING as OCR_MISSING
from knowledge.formats.protocol import Progress
from knowledge.normalize import normalize_page_text

logger = logging.getLogger(__name__)


def parse_document(
    path: Path,
    limits: ParseLimits | None = None,
    *,
    name: str | None = None,
    progress: Progress | None = None,
    ocr_progress: Progress | None = None,
) -> ParsedDocument:
    """Read a document (its kind told by ``name``, else by the path) into sections; raise
    IngestError naming the reason when it cannot be read. Pages read by OCR report to
    ``ocr_progress`` when given, else to ``progress``."""
    limits = limits or ParseLimits()
    kind = require_kind(path, name or path.name)
    check_file(path, kind, limits)
    result = _run_worker(path, kind, limits, progress, ocr_progress or progress)
    sections = [Section.from_json(s) for s in result["sections"]]
    if kind == "pdf":  # a page's text as PDFium gives it: lines to join, spacing to mend
        sections = [Section(s.place, [normalize_page_text(str(s.blocks[0]))]) for s in sections]
    parsed = ParsedDocument(
        kind=kind,
        sections=sections,
        hidden_chars=dict(result.get("dropped", {})),
        ocr_pages=int(result.get("ocr_pages", 0)),
    )
    if parsed.hidden_chars:
        # Worth a warning: hidden text in a document is how prompt injection hides.
        logger.warning(
            "%s: left out %d hidden characters a reader cannot see (%s)",
            path.name,
            sum(parsed.hidden_chars.values()),
            ", ".join(f"{reason}: {n}" for reason, n in sorted(parsed.hidden_chars.items())),
        )
    if unread := int(result.get("ocr_unavailable", 0)):
        logger.warning("%s: %d scanned pages left without text: %s", path.name, unread,
                       result.get("ocr_problem"))  # fmt: skip
    if parsed.text_sections == 0:
        raise IngestError(path, _no_text(kind, parsed.ocr_pages, unread))
    return parsed


def _no_text(kind: str, ocr_pages: int, unread: int) -> str:
    if kind != "pdf":
        return "the document has no text"
    if unread:
        return OCR_MISSING
    if ocr_pages:
        return "the PDF has no text layer, and OCR found no text in its scanned pages"
    return "the PDF has no text layer (a scanned document?); run OCR on it first"


def _run_worker(
    path: Path,
    kind: str,
    limits: ParseLimits,
    progress: Progress | None,
    ocr_progress: Progress | None,
) -> dict[str, Any]:
    """The worker's result, its progress passed on; IngestError when it refuses the
    document, runs out of time, or dies (of its memory limit). The worker leads a process
    group of its own, so its OCR processes end with it."""
    command = [sys.executable, "-m", "knowledge.formats.worker", kind, str(path),
               json.dumps(dataclasses.asdict(limits))]  # fmt: skip
    with tempfile.TemporaryFile() as errors:
        worker = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors,
                                  start_new_session=True)  # fmt: skip
        assert worker.stdout is not None
        try:
            message = _listen(worker.stdout, limits, progress, ocr_progress)
        except TimeoutError as error:
            raise IngestError(path, f"parsing took longer than {error} s and was stopped "
                              "(a hostile or broken file?)") from None  # fmt: skip
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        if message is None:
            errors.seek(0)
            logger.warning("parsing worker for %s exited %s: %s", path, worker.returncode,
                           errors.read()[-2000:])  # fmt: skip
            raise IngestError(
                path,
                "parsing ran out of its memory or time limit and was stopped "
                "(a decompression bomb or a broken file?)",
            )
    if "error" in message:
        raise IngestError(path, str(message["error"]))
    result: dict[str, Any] = message["result"]
    return result


def _listen(
    stream: IO[bytes],
    limits: ParseLimits,
    progress: Progress | None,
    ocr_progress: Progress | None,
) -> dict[str, Any] | None:
    """Pass on progress until the worker's last word (None if it died first). Pages read by
    OCR each add ``ocr_page_s`` to the time allowed; TimeoutError names the time spent."""
    started = time.monotonic()
    deadline = started + limits.timeout_s
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        while True:
            if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
                raise TimeoutError(f"{time.monotonic() - started:.0f}")
            line = stream.readline()
            if not line:
                return None
            message: dict[str, Any] = json.loads(line)
            if "progress" not in message:
                return message
            report = ocr_progress if message.get("ocr") else progress
            if message.get("ocr"):
                deadline += limits.ocr_page_s
            if report is not None:
                report(*message["progress"])
