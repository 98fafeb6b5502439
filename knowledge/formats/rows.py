"""Building the sections of a sheet (a spreadsheet's, or a CSV file's) as its rows stream
by: the first non-empty row is the header, and each section is a run of at most
``MAX_ROWS`` rows (fewer when they are long) that carries the header in its table, cited by
the rows' real numbers in the sheet ("rows 2-41 of 預算")."""

from __future__ import annotations

from knowledge.formats.model import Place, Section, Table, Unit
from knowledge.formats.protocol import Refused
from knowledge.text import estimate_tokens

MAX_ROWS = 50
MAX_TOKENS = 1200


class RowCounter:
    """The rows of a whole workbook, counted against the limit as they stream."""

    def __init__(self, limit: int, what: str = "workbook") -> None:
        self.limit, self.what, self.count = limit, what, 0

    def add(self) -> None:
        """Count one row; Refused as soon as there are more than the limit."""
        self.count += 1
        if self.count > self.limit:
            raise Refused(
                f"the {self.what} has more than {self.limit} rows, over the limit of {self.limit}"
            )


class SheetSections:
    """Collects a sheet's rows into sections of runs of rows."""

    def __init__(self, heading: str, counter: RowCounter) -> None:
        self.heading = heading
        self.counter = counter
        self.header: list[str] | None = None
        self.header_number = 0
        self.rows: list[tuple[int, list[str]]] = []
        self.tokens = 0
        self.sections: list[Section] = []

    def add(self, number: int, cells: list[str]) -> None:
        """Add row ``number`` of the sheet (empty rows are skipped, not counted)."""
        while cells and not cells[-1].strip():
            cells = cells[:-1]
        if not cells:
            return
        self.counter.add()
        if self.header is None:
            self.header, self.header_number = cells, number
            self.tokens = _tokens(cells)
            return
        size = _tokens(cells)
        if self.rows and (len(self.rows) >= MAX_ROWS or self.tokens + size > MAX_TOKENS):
            self._close()
        self.rows.append((number, cells))
        self.tokens += size

    def _close(self) -> None:
        header = self.header or []
        if self.rows:
            first, last = self.rows[0][0], self.rows[-1][0]
        else:
            first = last = self.header_number
        header, body = _drop_empty_columns(header, [cells for _, cells in self.rows])
        self.sections.append(Section(Place(Unit.ROW, first, last, self.heading),
                                     [Table(header, body)]))  # fmt: skip
        self.rows, self.tokens = [], _tokens(header)

    def result(self) -> list[Section]:
        """The sheet's sections."""
        if self.header is not None and (self.rows or not self.sections):
            self._close()
        return self.sections


def _tokens(cells: list[str]) -> int:
    return estimate_tokens(" ".join(cells))


def _drop_empty_columns(
    header: list[str], rows: list[list[str]]
) -> tuple[list[str], list[list[str]]]:
    """The header and rows without the columns empty in all of them (spacer columns, or a
    table that starts in column C), each row as wide as the widest."""
    width = max(len(row) for row in [header, *rows])
    keep = [
        column
        for column in range(width)
        if any(column < len(row) and row[column].strip() for row in [header, *rows])
    ]

    def cut(row: list[str]) -> list[str]:
        return [row[column] if column < len(row) else "" for column in keep]

    return cut(header), [cut(row) for row in rows]
