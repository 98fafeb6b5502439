"""Writing a benchmark's JSON report where ``--out`` says, and saying where it went."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def write_report(out: Path, report: dict[str, Any]) -> None:
    """Write the report as JSON (its folder made if need be); name the file on stderr."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(f"\nJSON: {out}", file=sys.stderr)
