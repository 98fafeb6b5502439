"""Chainlit's upload check, with kbchat's shipped config, lets every file through to kbchat,
which reads the kinds it knows and refuses the others by name (tests/web/test_uploads.py)."""

from __future__ import annotations

import io

import pytest
from starlette.datastructures import Headers, UploadFile

from knowledge import KINDS, kind_of


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


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        *((f"出差規定{ending}", "application/octet-stream") for ending in KINDS),
        ("REPORT.MD", "text/x-markdown"),
        ("fees.csv", "application/vnd.ms-excel"),
        ("setup.exe", "application/x-msdownload"),
        ("photo.png", "image/png"),
        (
            "slides.pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("old.doc", "application/msword"),
    ],
)
def test_every_file_reaches_kbchat_which_decides_by_its_name(name: str, content_type: str) -> None:
    assert _allowed(name, content_type)


def test_kbchat_reads_the_readable_endings_and_no_others() -> None:
    assert all(kind_of(f"a{ending.upper()}") for ending in KINDS)
    assert not any(map(kind_of, ["setup.exe", "photo.png", "slides.pptx", "old.doc", "a.html.exe"]))
