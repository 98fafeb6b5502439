"""read_sheet on real .xlsx, .csv, .json and .jsonl files written into tmp_path."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook  # type: ignore[import-untyped]

from sharing.errors import SheetError
from sharing.sheets import MAX_ROWS, SheetReport, SheetRow, read_sheet


def write_xlsx(path: Path, rows: list[list[object]], *, extra_sheet: bool = False) -> Path:
    """An .xlsx whose first worksheet holds the rows (row 1 first)."""
    book = Workbook()
    sheet = book.active
    for number, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=number, column=column, value=value)
    if extra_sheet:
        book.create_sheet("其他").append(["name", "age"])
    book.save(path)
    return path


def write_csv(path: Path, text: str, *, bom: bool = False) -> Path:
    """A UTF-8 CSV file, with a byte-order mark when asked."""
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def where(report: SheetReport) -> list[tuple[int | None, str | None]]:
    """(row, column) of every problem, in order."""
    return [(problem.row, problem.column) for problem in report.problems]


def refusal(path: Path, **limits: int) -> str:
    """The message of the file-level SheetError that read_sheet raises for the file: it names
    the file, and no row or column, since the whole file is refused."""
    with pytest.raises(SheetError) as caught:
        read_sheet(path, **limits)
    assert (caught.value.row, caught.value.column) == (None, None)
    assert str(caught.value).startswith(f"{path.name}: ")
    return str(caught.value)


# --- .xlsx -------------------------------------------------------------------------------


def test_xlsx_reads_first_sheet_with_spreadsheet_row_numbers(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "qa.xlsx",
        [
            [" Instruction ", "OUTPUT", "note"],
            ["  高血壓的定義？ ", "收縮壓 ≥ 140 mmHg\n或舒張壓 ≥ 90 mmHg", "ignored"],
            [None, None, None],
            ["門診幾點開始？", 8, None],
            ["回診日？", date(2025, 1, 2), None],
        ],
        extra_sheet=True,
    )

    report = read_sheet(path)

    assert report.problems == []
    assert [row.row for row in report.rows] == [2, 4, 5]
    first = report.rows[0]
    assert first == SheetRow(
        row=2,
        instruction="高血壓的定義？",
        input="",
        output="收縮壓 ≥ 140 mmHg\n或舒張壓 ≥ 90 mmHg",
        system="",
        history=[],
    )
    assert report.rows[1].output == "8"
    assert report.rows[2].output.startswith("2025-01-02")


def test_xlsx_formulas_come_back_as_text_not_evaluated(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "qa.xlsx",
        [
            ["instruction", "input", "output"],
            ["一加一？", '=HYPERLINK("http://evil.example","click")', "=1+1"],
        ],
    )

    (row,) = read_sheet(path).rows

    assert row.output == "=1+1"
    assert row.input == '=HYPERLINK("http://evil.example","click")'


def test_xlsx_header_may_start_below_blank_rows(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "qa.xlsx", [[None], ["問題", "答案"], ["Q", "A"], ["", "only an answer"]]
    )

    report = read_sheet(path)

    assert [(row.row, row.instruction, row.output) for row in report.rows] == [(3, "Q", "A")]
    assert where(report) == [(4, "問題")]


def test_xlsx_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "qa.xlsx"
    path.write_bytes(b"instruction,output\nQ,A\n")

    assert "not a readable .xlsx file" in refusal(path)


def test_xlsx_with_empty_first_sheet_has_no_header(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "qa.xlsx", [])

    assert "no header row" in refusal(path)


# --- .csv --------------------------------------------------------------------------------


def test_csv_with_bom_reads_header_and_rows(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "qa.csv", "instruction,output\r\nQ1,A1\r\nQ2,A2\r\n", bom=True)

    report = read_sheet(path)

    assert [(row.row, row.instruction, row.output) for row in report.rows] == [
        (2, "Q1", "A1"),
        (3, "Q2", "A2"),
    ]


def test_csv_with_chinese_header_maps_every_alias(tmp_path: Path) -> None:
    history = json.dumps([["我發燒了", "量過體溫嗎？"]], ensure_ascii=False).replace('"', '""')
    path = write_csv(
        tmp_path / "qa.csv",
        "指令,補充,回答,系統提示,對話紀錄\n"
        f'要吃退燒藥嗎？,38.5 度,請先多喝水,你是護理師,"{history}"\n',
    )

    (row,) = read_sheet(path).rows

    assert row == SheetRow(
        row=2,
        instruction="要吃退燒藥嗎？",
        input="38.5 度",
        output="請先多喝水",
        system="你是護理師",
        history=[["我發燒了", "量過體溫嗎？"]],
    )


def test_csv_invalid_utf8_is_reported_on_its_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "qa.csv"
    big5 = "請空腹".encode("big5")
    path.write_bytes(b"instruction,output\nQ1,A1\nQ2," + big5 + b"\nQ3,A3\n")

    report = read_sheet(path)

    assert [row.row for row in report.rows] == [2, 4]
    assert where(report) == [(3, "output")]
    assert "broken encoding" in str(report.problems[0])


def test_csv_rows_are_counted_like_a_spreadsheet_across_quoted_newlines(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "qa.csv", 'instruction,output\nQ1,"line 1\nline 2"\n\nQ4,\n')

    report = read_sheet(path)

    assert report.rows[0].output == "line 1\nline 2"
    assert where(report) == [(4, "output")]


def test_csv_short_rows_read_missing_cells_as_empty(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "qa.csv", "instruction,input,output\nQ1\n")

    report = read_sheet(path)

    assert where(report) == [(2, "output")]


# --- row-level problems --------------------------------------------------------------------


def test_every_bad_cell_is_one_problem_with_row_and_column(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "qa.csv",
        "問題,回答,歷史\n"
        "Q ok,A ok,\n"
        ",,\n"  # a completely empty row is skipped, not a problem
        " ,A\n"
        "Q,\n"
        "Q,A,not json\n"
        'Q,A,"[[""only a question""]]"\n'
        'Q,A,"[[""q"", 1]]"\n'
        "Q\ufffd,A\n"
        "Q,A\x00\x01\n",
    )

    report = read_sheet(path)

    assert [row.row for row in report.rows] == [2]
    assert where(report) == [
        (4, "問題"),
        (5, "回答"),
        (6, "歷史"),
        (7, "歷史"),
        (8, "歷史"),
        (9, "問題"),
        (10, "回答"),
    ]
    reasons = [problem.reason for problem in report.problems]
    assert "instruction is empty" in reasons[0]
    assert "output is empty" in reasons[1]
    assert all("[question, answer] pairs" in reason for reason in reasons[2:5])
    assert all("broken encoding" in reason for reason in reasons[5:])
    assert str(report.problems[0]) == (
        "qa.csv, row 4, column '問題': the instruction is empty; every row needs one"
    )


def test_a_row_with_two_empty_required_cells_has_two_problems(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "qa.xlsx", [["instruction", "input", "output"], ["", "x", ""]])

    report = read_sheet(path)

    assert report.rows == []
    assert where(report) == [(2, "instruction"), (2, "output")]


def test_cell_over_the_limit_names_its_length_and_the_limit(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "qa.csv", f"instruction,output\nQ,{'長' * 12}\nQ,{'短' * 10}\n")

    report = read_sheet(path, max_cell_chars=10)

    assert [row.row for row in report.rows] == [3]
    assert where(report) == [(2, "output")]
    assert "12 characters, over the 10 limit" in report.problems[0].reason


# --- .json and .jsonl ---------------------------------------------------------------------


def test_json_array_rows_are_numbered_by_item(tmp_path: Path) -> None:
    items = [
        {"instruction": "Q1", "output": "A1", "history": [["q0", "a0"]]},
        {"instruction": "Q2", "output": 42},
        {"instruction": "Q3", "output": None, "system": ["not", "text"]},
        {"instruction": "Q4", "output": "A4", "history": '[["q", "a"]]'},
    ]
    path = tmp_path / "qa.json"
    path.write_text(json.dumps(items), encoding="utf-8")

    report = read_sheet(path)

    assert [(row.row, row.history) for row in report.rows] == [
        (1, [["q0", "a0"]]),
        (4, [["q", "a"]]),
    ]
    assert where(report) == [(2, "output"), (3, "output"), (3, "system")]
    assert report.problems[0].reason == "expected text, found a number (42)"
    assert "output is empty" in report.problems[1].reason
    assert report.problems[2].reason == "expected text, found a list"


def test_jsonl_rows_are_numbered_by_line(tmp_path: Path) -> None:
    path = tmp_path / "qa.jsonl"
    path.write_text(
        '{"指令": "Q1", "輸出": "A1"}\n\n{"指令": "Q3", "輸出": "A3\\u0000"}\n', encoding="utf-8"
    )

    report = read_sheet(path)

    assert [(row.row, row.output) for row in report.rows] == [(1, "A1")]
    assert where(report) == [(3, "輸出")]


def test_json_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "qa.json"
    path.write_text('[\n  {"instruction": "Q", "output": "A"},\n  {"instruction": }\n]')

    assert "not valid JSON at line 3" in refusal(path)


def test_jsonl_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "qa.jsonl"
    path.write_text('{"instruction": "Q", "output": "A"}\n{"instruction": "Q",\n')

    assert "not valid JSON at line 2" in refusal(path)


@pytest.mark.parametrize(
    ("content", "expected", "row"),
    [
        ('{"instruction": "Q", "output": "A"}', "expected an array of objects", None),
        ('[{"instruction": "Q", "output": "A"}, "Q2"]', "row 2: expected an object", 2),
        ("[]", "no items", None),
    ],
)
def test_json_that_is_not_an_array_of_objects_is_refused(
    tmp_path: Path, content: str, expected: str, row: int | None
) -> None:
    path = tmp_path / "qa.json"
    path.write_text(content)

    with pytest.raises(SheetError, match=expected) as caught:
        read_sheet(path)
    assert (caught.value.row, caught.value.column) == (row, None)


# --- file-level refusals --------------------------------------------------------------------


def test_missing_file_is_refused(tmp_path: Path) -> None:
    assert refusal(tmp_path / "gone.csv") == "gone.csv: the file does not exist"


def test_old_xls_is_refused_with_save_as_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")

    assert "save it as .xlsx" in refusal(path)


def test_unknown_type_is_refused_with_the_accepted_types(tmp_path: Path) -> None:
    path = tmp_path / "qa.txt"
    path.write_text("instruction,output\nQ,A\n")

    message = refusal(path)

    assert message.startswith("qa.txt: unsupported file type '.txt'")
    assert ".xlsx, .csv, .json, .jsonl" in message


def test_size_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: all NULs, which would fail if it were read

    assert refusal(path) == "huge.csv: the sheet is 50.0 MB, over the 20 MB limit"


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "qa.csv", "")

    assert refusal(path) == "qa.csv: the file is empty"


def test_csv_with_only_blank_lines_has_no_header(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "qa.csv", "\n,,\n", bom=True)

    assert "no header row" in refusal(path)


def test_sheet_of_another_shape_lists_found_and_required_columns(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", "name,age\nAlice,30\n")

    message = refusal(path)

    assert "missing instruction and output" in message
    assert "found 'name', 'age'" in message
    assert "required: instruction (指令/問題) and output (輸出/回答/答案)" in message


def test_missing_one_required_column_names_only_it(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "qa.xlsx", [["問題", "補充"], ["Q", "x"]])

    message = refusal(path)

    assert "missing output;" in message
    assert "found '問題', '補充'" in message


def test_duplicated_column_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "qa.csv", "instruction,問題,output\nQ,Q,A\n")

    assert "the instruction column appears twice ('instruction' and '問題')" in refusal(path)


def test_more_than_max_rows_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "qa.csv", "instruction,output\n" + "Q,A\n" * (MAX_ROWS + 1))

    assert f"more than {MAX_ROWS:,} rows" in refusal(path)
