"""Reading spreadsheets (in the parsing worker): an Excel workbook by openpyxl, streamed
(read-only, the values Excel last calculated), and a CSV file by the standard library, each
sheet into runs of rows led by the header row (``knowledge.formats.rows``).

Hidden sheets are left out, and their characters counted, as a PDF's invisible text is: a
person who opens the workbook does not see them (lookup lists, old versions, or text put
there to steer the model), so what the knowledge base cites must not come from them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
import zlib
from collections import Counter
from pathlib import Path

from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

from knowledge.formats.decoding import read_text
from knowledge.formats.kinds import ParseLimits
from knowledge.formats.model import Section, Table
from knowledge.formats.package import check_package
from knowledge.formats.protocol import Progress, Refused
from knowledge.formats.rows import RowCounter, SheetSections

_BROKEN = (InvalidFileException, KeyError, IndexError, ValueError, TypeError, SyntaxError,
           zipfile.BadZipFile, zlib.error, EOFError)  # fmt: skip
"""What openpyxl raises on a damaged workbook (SyntaxError covers the XML parsers' errors)."""
_DECIMALS = re.compile(r"\.(0+)")
_SNIFF_BYTES = 64 * 1024


def read_xlsx(path: str, limits: ParseLimits, progress: Progress) -> dict[str, object]:
    """Each visible sheet's rows, in sections of runs of rows led by the header row."""
    check_package(path, "xlsx", limits)
    counter = RowCounter(limits.max_rows)
    sections: list[dict[str, object]] = []
    dropped: Counter[str] = Counter()
    # Opened as a file object: openpyxl refuses a path without an Excel ending (an upload's
    # temporary name).
    try:
        with Path(path).open("rb") as handle:
            workbook = load_workbook(handle, read_only=True, data_only=True)
            sheets = workbook.worksheets
            for index, sheet in enumerate(sheets):
                sheet.reset_dimensions()  # some writers declare a wrong used range
                sheet_sections = SheetSections(sheet.title, counter)
                for number, row in enumerate(sheet.iter_rows(), start=1):
                    sheet_sections.add(number, [_shown(cell) for cell in row])
                found = sheet_sections.result()
                if sheet.sheet_state == "visible":
                    sections += [section.to_json() for section in found]
                else:
                    dropped["hidden_sheet"] += sum(len(text) for text in _texts(found))
                progress(index + 1, len(sheets))
    except _BROKEN:
        raise Refused("the file is corrupt or not a valid Excel workbook") from None
    return {"sections": sections, "dropped": dict(dropped)}


def _texts(sections: list[Section]) -> list[str]:
    return [
        cell
        for section in sections
        for table in section.blocks
        if isinstance(table, Table)
        for row in [table.header, *table.rows]
        for cell in row
    ]


def _shown(cell: object) -> str:
    """A cell's value as Excel shows it: whole numbers without ".0", a number format's
    decimals, thousands separators and percent sign, dates in ISO form."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if value.second else "minutes")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int | float):
        return _number(value, str(getattr(cell, "number_format", "General") or "General"))
    return str(value).strip()


def _number(value: float, number_format: str) -> str:
    decimals_match = _DECIMALS.search(number_format)
    decimals = len(decimals_match.group(1)) if decimals_match else None
    if "%" in number_format:
        return f"{value * 100:.{decimals or 0}f}%"
    if decimals is not None or "," in number_format:
        return f"{value:{',' if ',' in number_format else ''}.{decimals or 0}f}"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15g}"  # 0.1 + 0.2 shows as 0.3, as in Excel


def read_csv(path: str, limits: ParseLimits, progress: Progress) -> dict[str, object]:
    """A CSV file's rows (comma, tab or semicolon separated, in any encoding kbchat reads)
    as one sheet, in sections of runs of rows led by the header row."""
    text = read_text(path)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:_SNIFF_BYTES], delimiters=",\t;"
        )
    except csv.Error:
        dialect = csv.excel
    sheet = SheetSections("", RowCounter(limits.max_rows, "CSV file"))
    rows = csv.reader(io.StringIO(text), dialect)
    number = 0
    try:
        for number, row in enumerate(rows, start=1):
            sheet.add(number, [cell.strip() for cell in row])
    except csv.Error as error:
        raise Refused(f"the CSV file cannot be read at row {number + 1} ({error})") from None
    progress(1, 1)
    return {"sections": [section.to_json() for section in sheet.result()]}
