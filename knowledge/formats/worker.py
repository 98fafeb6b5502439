"""Child-process entry point that reads one document into sections, held to limits.

Run as ``python -m knowledge.formats.worker KIND PATH LIMITS_JSON``. It caps its own address
space first, then speaks the line protocol of ``knowledge.formats.protocol``. The parent
enforces the wall-clock limit, so a hostile file can only kill this process.
"""

from __future__ import annotations

import json
import resource
import sys
from collections.abc import Callable

from knowledge.formats.kinds import ParseLimits
from knowledge.formats.protocol import Progress, Refused, progress_reporter, say

Reader = Callable[[str, ParseLimits, Progress], dict[str, object]]


def reader(kind: str) -> Reader:
    """The reader of a kind of document, imported only when needed."""
    match kind:
        case "pdf":
            from knowledge.formats.pdf import read_pdf

            return read_pdf
        case "txt":
            from knowledge.formats.plain import read_txt

            return read_txt
        case "md":
            from knowledge.formats.plain import read_md

            return read_md
        case "docx":
            from knowledge.formats.word import read_docx

            return read_docx
        case "xlsx":
            from knowledge.formats.sheets import read_xlsx

            return read_xlsx
        case "csv":
            from knowledge.formats.sheets import read_csv

            return read_csv
        case "html":
            from knowledge.formats.webpage import read_html

            return read_html
        case _:
            raise Refused(f"no reader for {kind} files")


def main() -> None:
    """Read the document named on the command line; say the result."""
    kind, path, given = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    limits = ParseLimits(**given)
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        result = reader(kind)(path, limits, progress_reporter())
    except Refused as refusal:
        say({"error": str(refusal)})
        return
    say({"result": result})


if __name__ == "__main__":
    main()
