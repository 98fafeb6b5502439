"""Reading ``--batch`` files: JSON lines with an id and one text field."""

from __future__ import annotations

import json
from pathlib import Path


class BatchLineError(ValueError):
    """A batch file that cannot be used, with every bad line named."""


def read_batch(path: Path, field: str) -> list[tuple[str, str]]:
    """Parse JSON lines of ``{"id", field}``; report every bad line at once, run none."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise BatchLineError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise BatchLineError(f"{path}: not UTF-8 text") from None
    items: list[tuple[str, str]] = []
    problems: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"line {number}: not JSON ({error.msg})")
            continue
        if (
            not isinstance(record, dict)
            or not isinstance(record.get(field), str)
            or "id" not in record
        ):
            problems.append(f'line {number}: expected an object with "id" and a string "{field}"')
            continue
        items.append((str(record["id"]), record[field]))
    if problems:
        raise BatchLineError(
            f"{path}: " + "; ".join(problems[:10]) + (" ..." if len(problems) > 10 else "")
        )
    return items
