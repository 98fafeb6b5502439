"""Read an expert's QA sheet (.xlsx, .csv, .json, .jsonl) into checked rows for fine-tuning.

The columns are LLaMA-Factory's alpaca ones: instruction, input, output, system, history.
A file of the wrong kind or shape, or too big, is refused whole with a ``SheetError``;
problems inside single rows are collected so the expert can fix them all in one pass.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

from sharing.errors import SheetError
from sharing.sheet_cells import cell_text, check_text, kind_of, parse_history

MAX_SHEET_BYTES = 20 * 1024 * 1024
MAX_CELL_CHARS = 8000
MAX_ROWS = 50_000

_ALIAS_TEXT = {  # the canonical name, then the Chinese headers experts write
    "instruction": "指令 問題",
    "input": "輸入 補充",
    "output": "輸出 回答 答案",
    "system": "系統 系統提示",
    "history": "歷史 對話紀錄",
}
_ALIASES = {a: column for column, names in _ALIAS_TEXT.items() for a in (column, *names.split())}
COLUMNS = tuple(_ALIAS_TEXT)
REQUIRED = ("instruction", "output")
SHEET_SUFFIXES = (".xlsx", ".csv", ".json", ".jsonl")
"""The kinds of QA sheet read, by file ending."""
_MB = 1024 * 1024
_TOO_MANY = f"the sheet has more than {MAX_ROWS:,} rows; split it into smaller sheets"

_Record = tuple[int, dict[str, object]]  # (row number, canonical column -> raw value)


@dataclass(frozen=True)
class SheetRow:
    """One good row; ``row`` is the number a person sees (header = 1; JSON: item, JSONL: line)."""

    row: int
    instruction: str
    input: str
    output: str
    system: str
    history: list[list[str]]


@dataclass(frozen=True)
class SheetReport:
    """The good rows of a sheet and one problem (with row and column) per bad cell."""

    rows: list[SheetRow]
    problems: list[SheetError]


def read_sheet(
    path: Path, *, max_bytes: int = MAX_SHEET_BYTES, max_cell_chars: int = MAX_CELL_CHARS
) -> SheetReport:
    """Read and check a QA sheet; raise ``SheetError`` when the file as a whole is unusable.

    Only the first worksheet of an .xlsx is read; formulas are read as their text, never run.
    Completely empty rows are skipped; columns other than the five known ones are ignored.
    """
    source, suffix = path.name, path.suffix.lower()
    if suffix == ".xls":
        raise SheetError(source, "old Excel .xls files cannot be read; save it as .xlsx in Excel")
    if suffix not in SHEET_SUFFIXES:
        raise SheetError(
            source, f"unsupported file type '{suffix}'; accepted: {', '.join(SHEET_SUFFIXES)}"
        )
    if not path.is_file():
        raise SheetError(source, "the file does not exist")
    size = path.stat().st_size
    if size > max_bytes:
        limit = f"{max_bytes / _MB:.1f}".removesuffix(".0")
        raise SheetError(source, f"the sheet is {size / _MB:.1f} MB, over the {limit} MB limit")
    if size == 0:
        raise SheetError(source, "the file is empty")
    if suffix == ".xlsx":
        names, records = _read_xlsx(path, source)
    elif suffix == ".csv":
        names, records = _read_table(source, _csv_rows(path, source))
    else:
        names, records = _read_json(path, source, lines=suffix == ".jsonl")
    report = SheetReport(rows=[], problems=[])
    for number, values in records:
        row = _check_record(source, names, number, values, max_cell_chars, report.problems)
        if row is not None:
            report.rows.append(row)
    return report


def _read_xlsx(path: Path, source: str) -> tuple[dict[str, str], list[_Record]]:
    """Records of the first worksheet, read without evaluating anything."""
    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise SheetError(source, "not a readable .xlsx file; save it again in Excel") from exc
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # stated dimensions are often wrong; read only the rows present
        rows = sheet.iter_rows(min_row=1, values_only=True)
        return _read_table(source, enumerate(rows, start=1))
    finally:
        book.close()


def _csv_rows(path: Path, source: str) -> Iterator[tuple[int, list[str]]]:
    """CSV records numbered as a spreadsheet shows them; bad UTF-8 bytes become U+FFFD."""
    # Decoding with "replace" puts the damage in the very cell that holds it; the cell check
    # then reports it with its row and column instead of refusing the whole file.
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise SheetError(source, f"not a readable CSV: {exc} (line {reader.line_num})") from exc


def _read_table(
    source: str, rows: Iterable[tuple[int, Sequence[object]]]
) -> tuple[dict[str, str], list[_Record]]:
    """Column names and records of a table whose first non-empty row is the header."""
    header: dict[int, str] | None = None
    names: dict[str, str] = {}
    records: list[_Record] = []
    for number, values in rows:
        cells = [cell_text(value) for value in values]
        if not any(cells):
            continue
        if header is None:
            header, names = _map_header(source, cells)
            continue
        records.append((number, {c: cells[i] if i < len(cells) else "" for i, c in header.items()}))
        if len(records) > MAX_ROWS:
            raise SheetError(source, _TOO_MANY)
    if header is None:
        raise SheetError(source, "no header row: the sheet has nothing in it")
    return names, records


def _read_json(path: Path, source: str, *, lines: bool) -> tuple[dict[str, str], list[_Record]]:
    """Records of a JSON array of objects, or of one object per line (JSONL)."""
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    if lines:
        items = [
            (number, _parse_json(source, line, number))
            for number, line in enumerate(text.split("\n"), start=1)
            if line.strip()
        ]
    else:
        data = _parse_json(source, text, None)
        if not isinstance(data, list):
            raise SheetError(source, f"expected an array of objects, found {kind_of(data)}")
        items = list(enumerate(data, start=1))
    if not items:
        raise SheetError(source, "the sheet has no items")
    if len(items) > MAX_ROWS:
        raise SheetError(source, _TOO_MANY)
    objects: list[tuple[int, dict[str, object]]] = []
    for number, item in items:
        if not isinstance(item, dict):
            raise SheetError(
                source, f"expected an object {{...}}, found {kind_of(item)}", row=number
            )
        objects.append((number, item))
    keys = list(dict.fromkeys(key for _, item in objects for key in item))
    index, names = _map_header(source, keys)
    canon = {keys[i]: column for i, column in index.items()}
    return names, [(n, {c: item.get(key) for key, c in canon.items()}) for n, item in objects]


def _parse_json(source: str, text: str, line: int | None) -> object:
    """Parsed JSON, or a SheetError that names the line of the syntax error."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {line if line is not None else exc.lineno}, column {exc.colno}"
        raise SheetError(source, f"not valid JSON at {where}: {exc.msg}") from exc


def _map_header(source: str, header: Sequence[str]) -> tuple[dict[int, str], dict[str, str]]:
    """Position -> canonical column, and canonical column -> the name as the sheet writes it."""
    index: dict[int, str] = {}
    names: dict[str, str] = {}
    for position, name in enumerate(header):
        column = _ALIASES.get("".join(name.split()).casefold())
        if column is None:
            continue
        if column in names:
            twice = f"'{names[column]}' and '{name}'"
            raise SheetError(source, f"the {column} column appears twice ({twice})")
        index[position], names[column] = column, name
    missing = [column for column in REQUIRED if column not in names]
    if missing:
        found = ", ".join(f"'{name}'" for name in header if name) or "no column names"
        hint = " (the names look garbled: save the file as UTF-8)" if "\ufffd" in found else ""
        raise SheetError(
            source,
            f"not a QA sheet: missing {' and '.join(missing)}; found {found}{hint}; required: "
            "instruction (指令/問題) and output (輸出/回答/答案), optional: input, system, history",
        )
    return index, names


def _check_record(
    source: str,
    names: dict[str, str],
    number: int,
    values: dict[str, object],
    limit: int,
    problems: list[SheetError],
) -> SheetRow | None:
    """The row when every cell is good; otherwise None, with its problems appended."""
    texts: dict[str, str] = {}
    history: list[list[str]] = []
    found = len(problems)
    for column, shown in names.items():
        if column == "history":
            history, reason = parse_history(values.get(column), limit)
        else:
            texts[column], reason = check_text(values.get(column), limit)
            if reason is None and column in REQUIRED and not texts[column]:
                reason = f"the {column} is empty; every row needs one"
        if reason is not None:
            problems.append(SheetError(source, reason, row=number, column=shown))
    if len(problems) > found:
        return None
    return SheetRow(
        row=number,
        instruction=texts.get("instruction", ""),
        input=texts.get("input", ""),
        output=texts.get("output", ""),
        system=texts.get("system", ""),
        history=history,
    )
