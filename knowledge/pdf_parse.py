"""Turn a PDF into clean page texts, parsing it in a sandboxed child process."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.errors import IngestError
from knowledge.normalize import normalize_page_text

logger = logging.getLogger(__name__)

# Signatures of files that people rename to .pdf by mistake, to say what the file really is.
_KNOWN_SIGNATURES = {
    b"PK\x03\x04": "a ZIP archive (an Office document such as .docx or .xlsx?)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Office document (.doc or .xls)",
    b"{\\rtf": "an RTF document",
    b"<": "an HTML or XML file",
}


@dataclass(frozen=True)
class ParseLimits:
    """Resource limits for parsing one PDF."""

    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 2000
    timeout_s: float = 120.0
    memory_bytes: int = 2 * 1024 * 1024 * 1024


@dataclass(frozen=True)
class ParsedPdf:
    """The normalized text of each page (1-based page = index + 1)."""

    pages: list[str]
    # Characters left out because a reader cannot see them, by reason (see pdf_visibility).
    hidden_chars: dict[str, int] = field(default_factory=dict)

    @property
    def text_pages(self) -> int:
        """How many pages carry any text."""
        return sum(1 for page in self.pages if page)


def check_pdf_file(path: Path, limits: ParseLimits) -> None:
    """Refuse, before parsing, files that are missing, empty, too big, or not PDFs."""
    if not path.is_file():
        raise IngestError(path, "no such file")
    size = path.stat().st_size
    if size == 0:
        raise IngestError(path, "the file is empty")
    if size > limits.max_bytes:
        raise IngestError(
            path,
            f"the file is {size / 1e6:.1f} MB, over the limit of {limits.max_bytes / 1e6:.0f} MB",
        )
    with path.open("rb") as handle:
        head = handle.read(1024)
        handle.seek(max(0, size - 2048))
        tail = handle.read()
    if b"%PDF-" not in head:
        kind = next((what for sig, what in _KNOWN_SIGNATURES.items() if head.startswith(sig)), None)
        raise IngestError(path, f"not a PDF: the file is {kind}" if kind else "not a PDF file")
    if b"%%EOF" not in tail:
        raise IngestError(
            path, "the PDF is truncated (it has no end-of-file marker); upload the whole file"
        )


def _run_worker(path: Path, limits: ParseLimits) -> subprocess.CompletedProcess[bytes]:
    """Extract the raw page texts in a worker process held to the limits."""
    command = [
        sys.executable,
        "-m",
        "knowledge.pdf_worker",
        str(path),
        str(limits.max_pages),
        str(limits.memory_bytes),
    ]
    try:
        completed = subprocess.run(
            command,
            capture_output=True,
            timeout=limits.timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise IngestError(
            path,
            f"parsing took longer than {limits.timeout_s:.0f} s and was stopped "
            "(a hostile or broken PDF?)",
        ) from error
    if completed.returncode != 0:
        logger.warning(
            "PDF worker for %s exited %s: %s", path, completed.returncode, completed.stderr[-2000:]
        )
        raise IngestError(
            path,
            "parsing ran out of its memory or time limit and was stopped "
            "(a decompression bomb or a broken PDF?)",
        )
    return completed


def parse_pdf(path: Path, limits: ParseLimits | None = None) -> ParsedPdf:
    """Extract and normalize the text of each page; raise IngestError naming the reason."""
    limits = limits or ParseLimits()
    check_pdf_file(path, limits)
    completed = _run_worker(path, limits)
    result = json.loads(completed.stdout)
    if "error" in result:
        raise IngestError(path, result["error"])
    parsed = ParsedPdf(
        pages=[normalize_page_text(raw) for raw in result["pages"]],
        hidden_chars=dict(result.get("dropped", {})),
    )
    if parsed.hidden_chars:
        # Worth a warning: hidden text in a document is how prompt injection hides.
        logger.warning(
            "%s: left out %d hidden characters a reader cannot see (%s)",
            path.name,
            sum(parsed.hidden_chars.values()),
            ", ".join(f"{reason}: {n}" for reason, n in sorted(parsed.hidden_chars.items())),
        )
    if parsed.text_pages == 0:
        raise IngestError(
            path, "the PDF has no text layer (a scanned document?); run OCR on it first"
        )
    return parsed
