"""An upload's refusal in the persona's language, from the knowledge base's real reasons."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chat.web.ingest_reasons import ingest_reason
from knowledge.errors import IngestError
from knowledge.formats.kinds import ParseLimits
from knowledge.formats.parse import parse_document
from tests.pdfs import HOSPITAL_ZH, drawings_pdf, scanned_pdf, text_pdf

HAN = re.compile(r"[\u4e00-\u9fff]")


def _reason(path: Path, limits: ParseLimits | None = None) -> str:
    with pytest.raises(IngestError) as refused:
        parse_document(path, limits)
    return refused.value.reason


def test_each_real_refusal_is_said_in_chinese_to_a_chinese_persona(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    image = tmp_path / "photo.pdf"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    whole = text_pdf(tmp_path / "whole.pdf", [HOSPITAL_ZH[0]] * 3)
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole.read_bytes()[:-200])
    locked = text_pdf(tmp_path / "locked.pdf", HOSPITAL_ZH, encrypt="secret")
    reasons = [
        _reason(tmp_path / "missing.pdf"),
        _reason(empty),
        _reason(image),
        _reason(cut),
        _reason(locked),
        _reason(drawings_pdf(tmp_path / "scan.pdf")),
        _reason(whole, ParseLimits(max_pages=2)),
        _reason(whole, ParseLimits(max_bytes=10)),
    ]
    for reason in reasons:
        chinese = ingest_reason(reason, "zh-TW")
        assert HAN.search(chinese) and chinese != reason, reason
        assert ingest_reason(reason, "en") == reason
    assert "3 頁，超過上限 2 頁" in ingest_reason(reasons[6], "zh-TW")
    assert "PNG" in ingest_reason(reasons[2], "zh-TW")  # what the file really is, kept
    assert ingest_reason("a reason nobody wrote yet", "zh-TW") == "a reason nobody wrote yet"


def test_ocr_refusals_are_said_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scan = scanned_pdf(tmp_path / "scan.pdf", [HOSPITAL_ZH[0], HOSPITAL_ZH[1]])
    too_many = _reason(scan, ParseLimits(max_ocr_pages=1))
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on it
    not_installed = _reason(scan)
    assert "scanned pages to read by OCR" in too_many
    assert "OCR is not installed" in not_installed
    assert "2 頁掃描頁面" in ingest_reason(too_many, "zh-TW")
    assert "tesseract-ocr-chi-tra" in ingest_reason(not_installed, "zh-TW")
    assert "沒有安裝文字辨識" in ingest_reason(not_installed, "zh-TW")
