"""Errors raised by the sharing package; the edges (CLI, web app) turn them into messages."""

from __future__ import annotations


class SharingError(Exception):
    """Base class of every error the sharing package raises on purpose."""


class SharedQANotFound(SharingError):
    """No shared QA has the id."""

    def __init__(self, qa_id: int) -> None:
        self.qa_id = qa_id
        super().__init__(f"no shared QA with id {qa_id}; `kbchat share list` shows them")


class TransitionRefused(SharingError):
    """A curation step that the QA's status does not allow (e.g. approving a withdrawn QA)."""

    def __init__(self, qa_id: int, status: str, action: str, why: str) -> None:
        self.qa_id, self.status, self.action = qa_id, status, action
        super().__init__(f"cannot {action} shared QA {qa_id}: it is {status}; {why}")


class NotYours(SharingError):
    """A user acting on a QA someone else shared."""

    def __init__(self, qa_id: int) -> None:
        self.qa_id = qa_id
        super().__init__(f"shared QA {qa_id} was shared by another user; only they can withdraw it")


class SheetError(SharingError):
    """A QA sheet that cannot be imported: names the file, and the row and column when known."""

    def __init__(
        self, source: str, reason: str, *, row: int | None = None, column: str | None = None
    ) -> None:
        self.source, self.reason, self.row, self.column = source, reason, row, column
        where = source
        if row is not None:
            where += f", row {row}"
        if column:
            where += f", column '{column}'"
        super().__init__(f"{where}: {reason}")


class ExportError(SharingError):
    """An export that cannot be written (the target exists, nothing approved...)."""


class SheetRejected(SharingError):
    """A QA sheet with bad rows, imported not at all: every problem is listed."""

    def __init__(self, source: str, problems: list[SheetError], good_rows: int) -> None:
        self.source, self.problems, self.good_rows = source, problems, good_rows
        super().__init__(
            f"{source}: {len(problems)} problem(s) found, nothing imported "
            f"(--skip-bad imports the {good_rows} good row(s) and skips the rest)"
        )
