"""Which kinds of file the knowledge base reads, told by name and checked by content before
any parser sees them: a disguised file (an image named .pdf, a binary named .html) is refused
naming what it really is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from knowledge.errors import IngestError

KINDS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".csv": "csv",
    ".html": "html",
    ".htm": "html",
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
}
"""File name endings read, and the kind each is read as."""
TEXT_KINDS = frozenset({"csv", "html", "txt", "md"})
ZIP_KINDS = frozenset({"docx", "xlsx"})
READABLE = "PDF, Word (.docx), Excel (.xlsx), CSV, HTML, text (.txt) and Markdown (.md)"

# Signatures of files that people rename by mistake, to say what the file really is.
_SIGNATURES = {
    b"%PDF-": "a PDF",
    b"PK\x03\x04": "a ZIP archive (an Office document such as .docx or .xlsx?)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Office document (.doc or .xls) or an encrypted one",
    b"{\\rtf": "an RTF document",
    b"\x7fELF": "a program (ELF)",
    b"MZ": "a Windows program",
    b"\x1f\x8b": "a gzip archive",
}
_OLE = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True)
class ParseLimits:
    """Resource limits for reading one document."""

    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 2000
    timeout_s: float = 120.0
    memory_bytes: int = 2 * 1024 * 1024 * 1024
    max_rows: int = 100_000
    """Rows of all the sheets of a spreadsheet (or lines of a CSV) together."""
    max_unpacked_bytes: int = 300 * 1024 * 1024
    """What the parts of a .docx or .xlsx may unpack to, together (a ZIP bomb is refused)."""
    ocr_page_s: float = 30.0
    """Time allowed per page read by OCR, on top of ``timeout_s``."""
    max_ocr_pages: int = 500
    """Scanned pages of one PDF read by OCR (about 3 s each on one core)."""


def kind_of(name: str) -> str | None:
    """The kind a file name says, or None when kbchat does not read it."""
    return KINDS.get(Path(name).suffix.lower())


def require_kind(path: Path, name: str) -> str:
    """The kind of a file, or IngestError naming what kbchat reads."""
    kind = kind_of(name)
    if kind is None:
        ending = Path(name).suffix.lower() or "a name without an ending"
        raise IngestError(path, f"kbchat reads {READABLE} files; {ending} is not one of them")
    return kind


def _signature(head: bytes) -> str | None:
    return next((what for sig, what in _SIGNATURES.items() if head.startswith(sig)), None)


def check_file(path: Path, kind: str, limits: ParseLimits) -> None:
    """Refuse, before parsing, files that are missing, empty, too big, or not what their
    name says."""
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
        head = handle.read(4096)
        handle.seek(max(0, size - 2048))
        tail = handle.read()
    if kind == "pdf":
        _check_pdf(path, head, tail)
    elif kind in ZIP_KINDS:
        _check_zip(path, kind, head)
    else:
        _check_text(path, kind, head)


def _check_pdf(path: Path, head: bytes, tail: bytes) -> None:
    if b"%PDF-" not in head[:1024]:
        what = _signature(head)
        raise IngestError(path, f"not a PDF: the file is {what}" if what else "not a PDF file")
    if b"%%EOF" not in tail:
        raise IngestError(
            path, "the PDF is truncated (it has no end-of-file marker); upload the whole file"
        )


def _check_zip(path: Path, kind: str, head: bytes) -> None:
    name = "a Word document (.docx)" if kind == "docx" else "an Excel workbook (.xlsx)"
    if head.startswith(_OLE):
        raise IngestError(
            path,
            f"not {name}: the file is encrypted with a password, or in the old .doc/.xls "
            "format; save an unprotected copy as .docx or .xlsx",
        )
    if not head.startswith(b"PK\x03\x04"):
        what = _signature(head)
        raise IngestError(path, f"not {name}: the file is {what}" if what else f"not {name}")


def _check_text(path: Path, kind: str, head: bytes) -> None:
    what = _signature(head)
    if what is not None or _binary(head):
        name = {"csv": "a CSV file", "html": "an HTML page", "md": "a Markdown file"}.get(
            kind, "a text file"
        )
        raise IngestError(path, f"not {name}: the file is {what or 'binary data, not text'}")


def _binary(head: bytes) -> bool:
    """Whether the start of a file is binary: NUL bytes outside a UTF-16 text's pattern."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return b"\x00" in head
