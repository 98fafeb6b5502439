"""An upload's refusal in the persona's language, from the knowledge base's real reasons."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chat.web.ingest_reasons import ingest_reason
from knowledge.errors import IngestError
from knowledge.formats.kinds import ParseLimits
from knowledge.formats.parse import parse_document
from tests.office import repack, travel_docx, travel_xlsx, zeros
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


def test_refusals_of_other_kinds_are_said_in_chinese(tmp_path: Path) -> None:
    slides = tmp_path / "slides.pptx"
    slides.write_bytes(b"PK\x03\x04" + bytes(60))
    old_word = tmp_path / "handbook.docx"
    old_word.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    picture = tmp_path / "notes.md"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    blank = tmp_path / "blank.txt"
    blank.write_text("\n \n", encoding="utf-8")
    noise = tmp_path / "noise.txt"
    noise.write_bytes(b"\x01\x02\x03abc" * 50)
    reasons = [_reason(p) for p in (slides, old_word, picture, blank, noise)]
    for reason in reasons:
        chinese = ingest_reason(reason, "zh-TW")
        assert HAN.search(chinese) and chinese != reason, reason
    assert ".pptx 不在其中" in ingest_reason(reasons[0], "zh-TW")
    assert "PNG" in ingest_reason(reasons[2], "zh-TW")


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def test_each_refusal_of_an_office_file_sheet_or_page_is_said_in_chinese(tmp_path: Path) -> None:
    docx, xlsx = travel_docx(tmp_path / "a.docx"), travel_xlsx(tmp_path / "a.xlsx")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    expected = {
        _reason(
            repack(docx, tmp_path / "bomb.docx", {"word/document.xml": zeros(400)})
        ): "ZIP 炸彈",
        _reason(repack(docx, tmp_path / "dense.docx", {"word/document.xml": zeros(50)})): "倍",
        _reason(_write(tmp_path / "locked.docx", ole)): "密碼保護",
        _reason(_write(tmp_path / "cut.docx", docx.read_bytes()[:900])): "Word 文件",
        _reason(_write(tmp_path / "cut.xlsx", xlsx.read_bytes()[:900])): "Excel 活頁簿",
        _reason(_write(tmp_path / "sheet.docx", xlsx.read_bytes())): "不是 Word 文件",
        _reason(_write(tmp_path / "memo.xlsx", docx.read_bytes())): "不是 Excel 活頁簿",
        _reason(_write(tmp_path / "chart.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(99))): "PNG",
        _reason(xlsx, ParseLimits(max_rows=2)): "超過 2 列",
        _reason(_write(tmp_path / "a.csv", b"a\nb\nc\n"), ParseLimits(max_rows=2)): "CSV 檔超過 2",
        _reason(_write(tmp_path / "w.csv", b'a\n"' + b"x" * 200_000 + b'"\n')): "第 2 列",
        _reason(_write(tmp_path / "elf.csv", b"\x7fELF" + bytes(99))): "不是 CSV 檔",
        _reason(_write(tmp_path / "elf.html", b"\x7fELF" + bytes(99))): "不是 HTML 網頁",
        _reason(_write(tmp_path / "x.html", b"<p>" + bytes(range(1, 9)) * 90)): "二進位",
        _reason(_write(tmp_path / "e.html", b"<script>x()</script>")): "沒有文字",
    }
    assert len(expected) == 15  # fifteen different reasons
    for reason, said in expected.items():
        chinese = ingest_reason(reason, "zh-TW")
        assert said in chinese and HAN.search(chinese), (reason, chinese)
        assert ingest_reason(reason, "en") == reason


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


def test_what_a_file_really_is_is_said_in_chinese_too(tmp_path: Path) -> None:
    picture = tmp_path / "圖片.docx"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    program = tmp_path / "elf.html"
    program.write_bytes(b"\x7fELF" + bytes(300))
    assert ingest_reason(_reason(picture), "zh-TW") == "不是 Word 文件：這個檔案是 PNG 圖片"
    said = ingest_reason(_reason(program), "zh-TW")
    assert said == "不是 HTML 網頁：這個檔案是 程式檔（ELF）", said
