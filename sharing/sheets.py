"""Read an expert's QA sheet (.xlsx, .csv, .json, .jsonl) into checked rows for fine-tuning.

The columns are LLaMA-Factory's alpaca ones: instruction, input, output, system, history.
A file of the wrong kind or shape, or too big, is refused whole with a ``SheetError``;
problems inside single rows are collected so the expert can fix them all in one pass.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

from sharing.errors import SheetError

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
_ACCEPTED = (".xlsx", ".csv", ".json", ".jsonl")
_MB = 1024 * 1024
# U+FFFD marks bytes that were not valid text; C0/C1 controls (bar tab and newlines) are mojibake.
_BROKEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
_BROKEN_REASON = (
    "broken encoding: the text has replacement (�) or control characters; "
    "save the file again as UTF-8 (in Excel: 'CSV UTF-8')"
)
_TOO_MANY = f"the sheet has more than {MAX_ROWS:,} rows; split it into smaller sheets"
_HISTORY_REASON = 'history must be a JSON list of [question, answer] pairs, e.g. [["Q", "A"]]'

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
    if suffix not in _ACCEPTED:
        raise SheetError(
            source, f"unsupported file type '{suffix}'; accepted: {', '.join(_ACCEPTED)}"
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
        cells = [_cell_text(value) for value in values]
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
            raise SheetError(source, f"expected an array of objects, found {_kind(data)}")
        items = list(enumerate(data, start=1))
    if not items:
        raise SheetError(source, "the sheet has no items")
    if len(items) > MAX_ROWS:
        raise SheetError(source, _TOO_MANY)
    objects: list[tuple[int, dict[str, object]]] = []
    for number, item in items:
        if not isinstance(item, dict):
            raise SheetError(source, f"expected an object {{...}}, found {_kind(item)}", row=number)
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
            history, reason = _parse_history(values.get(column), limit)
        else:
            texts[column], reason = _check_text(values.get(column), limit)
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


def _check_text(value: object, limit: int) -> tuple[str, str | None]:
    """The stripped text of a cell, and what is wrong with it (None when nothing)."""
    if value is None:
        return "", None
    if not isinstance(value, str):
        return "", f"expected text, found {_kind(value)}"
    text = value.strip()
    if len(text) > limit:
        return text, f"the cell has {len(text):,} characters, over the {limit:,} limit"
    if _BROKEN.search(text):
        return text, _BROKEN_REASON
    return text, None


def _parse_history(value: object, limit: int) -> tuple[list[list[str]], str | None]:
    """[[question, answer], ...] from a JSON text cell (or a JSON list), and any problem."""
    if isinstance(value, list):
        value = json.dumps(value, ensure_ascii=False)
    text, reason = _check_text(value, limit)
    if reason is not None or not text:
        return [], reason
    try:
        pairs = json.loads(text)
    except json.JSONDecodeError:
        return [], _HISTORY_REASON
    if not isinstance(pairs, list) or not all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(s, str) for s in pair)
        for pair in pairs
    ):
        return [], _HISTORY_REASON
    history = [[question.strip(), answer.strip()] for question, answer in pairs]
    if any(_BROKEN.search(s) for pair in history for s in pair):
        return [], _BROKEN_REASON
    return history, None


def _cell_text(value: object) -> str:
    """A spreadsheet cell as stripped text: numbers and dates as str(), formulas as written."""
    if value is None:
        return ""
    formula = getattr(value, "text", None)  # openpyxl's ArrayFormula keeps its text here
    return (formula if isinstance(formula, str) else str(value)).strip()


def _kind(value: object) -> str:
    """How a JSON value's type reads in a message."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"a number ({value})"
    kinds: dict[type, str] = {bool: "true/false", list: "a list", dict: "an object", str: "text"}
    return kinds.get(type(value), "null")
