"""Writes the curated shared-QA dataset in the formats LoRA/QLoRA fine-tuning tools read.

Every export is written into a temporary sibling folder and moved into place only when
complete, and carries a ``manifest.json`` (rows, consent versions, file hashes) so the
dataset can be audited and rebuilt.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from sharing import llamafactory
from sharing.errors import ExportError
from sharing.export_rows import DatasetFormat, ExportOptions, ExportRow
from sharing.llamafactory import write_json

logger = logging.getLogger(__name__)

TABLE_COLUMNS = (
    "qa_id",
    "instruction",
    "input",
    "output",
    "system",
    "history",
    "source",
    "persona_id",
    "persona_version",
    "user",
    "tags",
    "cited_pages",
)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_LIMIT = 32767
DATASET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def write_export(
    rows: Sequence[ExportRow],
    export_format: DatasetFormat,
    out_dir: Path,
    *,
    options: ExportOptions,
    filters: dict[str, object],
    force: bool = False,
) -> list[Path]:
    """Write ``rows`` to ``out_dir`` in ``export_format``; return the files, manifest last."""
    _check_request(rows, out_dir, options, force=force)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.partial-", dir=out_dir.parent))
    try:
        _write_format(rows, DatasetFormat(export_format), staging, options)
        names = sorted(path.name for path in staging.iterdir())
        manifest = _manifest(rows, export_format, staging, options, filters)
        write_json(staging / "manifest.json", manifest, sort_keys=True)
        _move_into_place(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    logger.info("exported %d QA as %s to %s", len(rows), export_format, out_dir)
    return [out_dir / name for name in names] + [out_dir / "manifest.json"]


def _is_export(directory: Path) -> bool:
    """Whether a directory holds an earlier kbchat export (so --force may replace it)."""
    try:
        manifest = json.loads((directory / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and "kbchat_export" in manifest


def _check_request(
    rows: Sequence[ExportRow], out_dir: Path, options: ExportOptions, *, force: bool
) -> None:
    if not rows:
        raise ExportError("nothing to export: no approved QA matches")
    if not DATASET_NAME.fullmatch(options.dataset_name):
        raise ExportError(
            f"dataset name {options.dataset_name!r} cannot name files; "
            "use letters, digits, '_', '-' or '.' (at most 64)"
        )
    for row in rows:
        for turn, pair in enumerate(row.history, start=1):
            if len(pair) != 2 or not all(isinstance(text, str) for text in pair):
                raise ExportError(
                    f"QA {row.qa_id}: history turn {turn} is not a [question, answer] pair"
                )
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"{out_dir} exists and is not a directory; choose a new directory")
    if out_dir.is_dir() and any(out_dir.iterdir()):
        if not force:
            raise ExportError(f"{out_dir} exists; choose a new directory or pass --force")
        if not _is_export(out_dir):
            raise ExportError(
                f"{out_dir} is not a kbchat export (it has no kbchat manifest.json); "
                "--force only replaces an earlier export"
            )


def _move_into_place(staging: Path, out_dir: Path) -> None:
    """Swap the finished folder in; an old folder is kept until the swap has succeeded."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    backup = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    backup.rmdir()
    out_dir.rename(backup)
    try:
        staging.rename(out_dir)
    except OSError:
        backup.rename(out_dir)
        raise
    shutil.rmtree(backup)


def _write_format(
    rows: Sequence[ExportRow], export_format: DatasetFormat, folder: Path, options: ExportOptions
) -> None:
    name = options.dataset_name
    match export_format:
        case DatasetFormat.ALPACA:
            records = [llamafactory.alpaca_record(row, options) for row in rows]
            write_json(folder / f"{name}_alpaca.json", records)
        case DatasetFormat.SHAREGPT:
            records = [llamafactory.sharegpt_record(row, options) for row in rows]
            write_json(folder / f"{name}_sharegpt.json", records)
        case DatasetFormat.OPENAI_JSONL:
            lines = [
                json.dumps(llamafactory.openai_record(row, options), ensure_ascii=False) + "\n"
                for row in rows
            ]
            (folder / f"{name}_openai.jsonl").write_text("".join(lines), encoding="utf-8")
        case DatasetFormat.CSV:
            _write_csv(folder / f"{name}.csv", _table(rows, options))
        case DatasetFormat.XLSX:
            _write_xlsx(folder / f"{name}.xlsx", _table(rows, options))
        case DatasetFormat.LLAMAFACTORY:
            llamafactory.write_bundle(rows, options, folder)


def cited_pages(row: ExportRow) -> list[dict[str, object]]:
    """The row's citations reduced to file, page and document id."""
    return [
        {key: citation.get(key) for key in ("file", "page", "doc_id")} for citation in row.citations
    ]


def _manifest(
    rows: Sequence[ExportRow],
    export_format: DatasetFormat,
    folder: Path,
    options: ExportOptions,
    filters: dict[str, object],
) -> dict[str, object]:
    files = [
        {"name": path.name, "sha256": _sha256(path), "bytes": path.stat().st_size}
        for path in sorted(folder.iterdir())
    ]
    return {
        "kbchat_export": 1,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "format": str(export_format),
        "row_count": len(rows),
        "preference_pairs": _preference_pairs(rows, export_format),
        "filters": filters,
        "options": asdict(options),
        "consent_versions": sorted({row.consent_version for row in rows if row.consent_version}),
        "files": files,
        "rows": [
            {
                "qa_id": row.qa_id,
                "source": row.source,
                "persona_id": row.persona_id,
                "persona_version": row.persona_version,
                "user": row.user,
                "consent_version": row.consent_version,
                "cited_pages": cited_pages(row),
            }
            for row in rows
        ],
    }


def _preference_pairs(rows: Sequence[ExportRow], export_format: DatasetFormat) -> int:
    """How many DPO pairs the export holds: curators' edits, written by the LLaMA-Factory
    bundle only (the other formats have no place for a rejected answer)."""
    if export_format != DatasetFormat.LLAMAFACTORY:
        return 0
    return sum(1 for row in rows if row.rejected)


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def defuse_formula(text: str) -> str:
    """Prefix a cell a spreadsheet would run as a formula with ``'`` (OWASP CSV injection)."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _table(rows: Sequence[ExportRow], options: ExportOptions) -> list[list[str]]:
    """The header and one defused string row per QA, shared by CSV and XLSX."""
    table = [list(TABLE_COLUMNS)]
    for row in rows:
        pages = "; ".join(f"{page['file']} p.{page['page']}" for page in cited_pages(row))
        cells = [
            str(row.qa_id),
            row.question,
            llamafactory.input_text(row, options),
            row.answer,
            row.system,
            json.dumps(row.history, ensure_ascii=False) if row.history else "",
            row.source,
            row.persona_id,
            str(row.persona_version),
            row.user,
            ", ".join(row.tags),
            pages,
        ]
        table.append([defuse_formula(cell) for cell in cells])
    return table


def _write_csv(path: Path, table: list[list[str]]) -> None:
    # The BOM makes Excel read the file as UTF-8 instead of the system code page.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(table)


def _write_xlsx(path: Path, table: list[list[str]]) -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "qa"
    for row_number, values in enumerate(table, start=1):
        for column_number, value in enumerate(values, start=1):
            # XML turns a bare CR into LF on reading, so write what will be read back.
            text = ILLEGAL_CHARACTERS_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
            if not text:
                continue  # a blank cell, not an empty inline string
            if len(text) > EXCEL_CELL_LIMIT:
                raise ExportError(
                    f"QA {values[0]}, column '{table[0][column_number - 1]}' has "
                    f"{len(text)} characters, more than an Excel cell holds ({EXCEL_CELL_LIMIT}); "
                    "export as csv or a JSON format instead"
                )
            cell = sheet.cell(row=row_number, column=column_number)
            cell.value = text
            cell.data_type = "s"  # never let openpyxl infer a formula or number
    sheet.freeze_panes = "A2"
    workbook.save(path)
