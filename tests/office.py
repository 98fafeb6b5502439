"""Office documents, spreadsheets and pages for the reader tests, made with the real
libraries (python-docx, openpyxl) or, for the hostile ones, crafted byte for byte."""

from __future__ import annotations

import shutil
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
from openpyxl import Workbook  # type: ignore[import-untyped]

TRAVEL_ROWS = [
    ["項目", "核定金額", "備註"],
    ["國外差旅費", "120,000 元", "每年"],
    ["國內差旅費", "30,000 元", "每季"],
]
"""The travel allowance table every reader's end-to-end test asks about."""
TRAVEL_QUESTION = "國外差旅費的核定金額是多少？"


def travel_docx(path: Path, heading_style: str = "Heading 1") -> Path:
    """A Word document: a title, a heading (of ``heading_style``) over the travel table."""
    document = docx.Document()
    document.add_heading("出差規定", 0)
    document.add_paragraph("本規定適用於全院同仁。")
    document.add_paragraph("差旅費", style=heading_style)
    table = document.add_table(rows=len(TRAVEL_ROWS), cols=3)
    for r, row in enumerate(TRAVEL_ROWS):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("申請時請附收據。")
    document.save(path)
    return path


def travel_xlsx(path: Path) -> Path:
    """A workbook whose sheet 差旅費 holds the travel table under a blank first row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "差旅費"
    for r, row in enumerate(TRAVEL_ROWS, start=2):
        for c, value in enumerate(row, start=1):
            sheet.cell(r, c, value)
    workbook.save(path)
    return path


def repack(source: Path, path: Path, parts: dict[str, Iterator[bytes]]) -> Path:
    """A copy of an Office package with some parts replaced by streamed content (deflated),
    so a test can make a huge part without holding it in memory."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            if item.filename in parts:
                with new.open(item.filename, "w") as part:
                    for piece in parts[item.filename]:
                        part.write(piece)
            else:
                new.writestr(item, old.read(item.filename))
    return path


def declare_size(path: Path, member: str, size: int) -> Path:
    """The package with a member's unpacked size rewritten (in its local header and the
    central directory) to ``size``: a bomb that lies about what it unpacks to."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, info.header_offset + 22, size)
    entry = data.find(b"PK\x01\x02")
    while entry != -1:
        length = struct.unpack_from("<H", data, entry + 28)[0]
        if data[entry + 46 : entry + 46 + length] == member.encode():
            struct.pack_into("<I", data, entry + 24, size)
        entry = data.find(b"PK\x01\x02", entry + 4)
    path.write_bytes(bytes(data))
    return path


def zeros(megabytes: int) -> Iterator[bytes]:
    """A run of zero bytes, a megabyte at a time (a ZIP bomb's payload)."""
    block = b"0" * 1024 * 1024
    for _ in range(megabytes):
        yield block


def million_row_sheet(rows: int = 1_000_000) -> Iterator[bytes]:
    """A worksheet part of ``rows`` numbered rows, written as Excel does (its used range
    declared first)."""
    yield (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet '
           b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           b'<dimension ref="A1:A%d"/><sheetData>' % rows)  # fmt: skip
    for start in range(1, rows + 1, 10_000):
        yield "".join(
            f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>'
            for n in range(start, min(start + 10_000, rows + 1))
        ).encode()
    yield b"</sheetData></worksheet>"


def copy_as(source: Path, path: Path) -> Path:
    """The file copied under another name (a file renamed by mistake)."""
    shutil.copy(source, path)
    return path
