"""What a killed export leaves beside its target folder, and how to put that right.

``write_export`` stages into ``.<name>.partial-XXXXXXXX`` and, when replacing an earlier
export, parks the old one as ``.<name>.old-XXXXXXXX`` for the moment of the swap. A kill
leaves either behind; neither is ever visible under the export's own name.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?P<kind>partial|old)-[A-Za-z0-9_]{8}$")


@dataclass(frozen=True)
class ExportLeftover:
    """A staging (``partial``) or parked (``old``) folder of an interrupted export."""

    path: Path
    kind: str
    export_name: str

    @property
    def target(self) -> Path:
        """The export folder it belongs to."""
        return self.path.with_name(self.export_name)

    def describe(self) -> str:
        """One line saying what it is."""
        if self.kind == "partial":
            return f"unfinished export for {self.target}"
        if self.target.exists():
            return f"earlier export of {self.target}, replaced"
        return f"earlier export of {self.target}, to be put back (the swap was interrupted)"


def find_export_leftovers(parent: Path) -> list[ExportLeftover]:
    """The leftovers of interrupted exports among a folder's entries."""
    if not parent.is_dir():
        return []
    found = []
    for path in sorted(parent.iterdir()):
        match = _LEFTOVER.match(path.name)
        if match and path.is_dir():
            found.append(ExportLeftover(path, match["kind"], match["name"]))
    return found


def clean_export_leftover(leftover: ExportLeftover) -> str:
    """Delete a leftover, or put a parked export back if its place is empty; say which."""
    if leftover.kind == "old" and not leftover.target.exists():
        leftover.path.rename(leftover.target)
        return f"put back the earlier export {leftover.target}"
    shutil.rmtree(leftover.path)
    return f"deleted {leftover.path}"
