"""Chainlit's upload check, with kbchat's shipped config, lets through every kind kbchat reads
under each MIME type browsers report for it, and nothing else."""

from __future__ import annotations

import io

import pytest
from starlette.datastructures import Headers, UploadFile

from knowledge import KINDS

# The types browsers and systems report (none at all: application/octet-stream).
REPORTED = {
    ".pdf": ["application/pdf", "application/octet-stream"],
    ".docx": [
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/octet-stream",
    ],
    ".xlsx": [
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/octet-stream",
    ],
    ".csv": ["text/csv", "application/vnd.ms-excel", "text/plain", "application/octet-stream"],
    ".html": ["text/html", "application/octet-stream"],
    ".htm": ["text/html", "application/octet-stream"],
    ".txt": ["text/plain", "application/octet-stream"],
    ".md": ["text/markdown", "text/x-markdown", "text/plain", "application/octet-stream"],
    ".markdown": ["text/markdown", "text/plain", "application/octet-stream"],
}


def _allowed(name: str, content_type: str) -> bool:
    from chainlit.server import validate_file_mime_type

    upload = UploadFile(
        io.BytesIO(b""), filename=name, headers=Headers({"content-type": content_type})
    )
    try:
        validate_file_mime_type(upload, None)
    except ValueError:
        return False
    return True


def test_every_readable_ending_has_its_reported_types() -> None:
    assert set(REPORTED) == set(KINDS)


@pytest.mark.parametrize(
    ("ending", "content_type"), [(e, t) for e, types in REPORTED.items() for t in types]
)
def test_a_readable_kind_is_let_through(ending: str, content_type: str) -> None:
    assert _allowed(f"出差規定{ending}", content_type)
    assert _allowed(f"REPORT{ending.upper()}", content_type)


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("setup.exe", "application/x-msdownload"),
        ("payload.exe", "application/octet-stream"),
        ("photo.png", "image/png"),
        ("page.svg", "image/svg+xml"),
        ("old.doc", "application/msword"),
        ("fake.md", "text/javascript"),
        ("page.html.exe", "text/html"),
    ],
)
def test_other_files_are_refused(name: str, content_type: str) -> None:
    assert not _allowed(name, content_type)
