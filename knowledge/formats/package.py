"""Checking an Office document's ZIP package (in the parsing worker) before any parser opens
it: a ZIP bomb, a broken archive, or an archive that is not the document its name says is
refused with a reason. The central directory's declared sizes are what Python's ``zipfile``
(which python-docx and openpyxl read through) holds each member to, so judging by them is
safe: a member that lies about its size is cut short, not unpacked past it."""

from __future__ import annotations

import zipfile

from knowledge.formats.kinds import ParseLimits
from knowledge.formats.protocol import Refused

MAX_RATIO = 100
"""A member that unpacks to more than this many times its packed size is a bomb..."""
LARGE_MEMBER_BYTES = 10 * 1024 * 1024
"""...when it unpacks to more than this (small parts may compress well and do no harm)."""

_NAMES = {"docx": ("a", "Word document"), "xlsx": ("an", "Excel workbook")}
# The main part each kind must have, and how to tell the other Office kinds by their parts.
_MAIN_PARTS = {"docx": "word/document", "xlsx": "xl/workbook"}
_OTHER_KINDS = {
    "word/": "a Word document (.docx)",
    "xl/": "an Excel workbook (.xlsx)",
    "ppt/": "a PowerPoint presentation (.pptx)",
}


def check_package(path: str, kind: str, limits: ParseLimits) -> None:
    """Refuse an Office document whose ZIP package is broken, a bomb, or of another kind."""
    article, name = _NAMES[kind]
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise Refused(f"the file is corrupt or not a valid {name}") from None
    _check_sizes(members, limits)
    names = [member.filename for member in members]
    main = _MAIN_PARTS[kind]
    if not any(n.startswith(main) and n.endswith(".xml") for n in names):
        what = next(
            (
                what
                for prefix, what in _OTHER_KINDS.items()
                if any(n.startswith(prefix) for n in names)
            ),
            "a ZIP archive of other files",
        )
        raise Refused(f"not {article} {name}: the file is {what}")


def _check_sizes(members: list[zipfile.ZipInfo], limits: ParseLimits) -> None:
    total = sum(member.file_size for member in members)
    if total > limits.max_unpacked_bytes:
        raise Refused(
            f"the document unpacks to {total / 1e6:.0f} MB, over the limit of "
            f"{limits.max_unpacked_bytes / 1e6:.0f} MB (a ZIP bomb?)"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > LARGE_MEMBER_BYTES and ratio > MAX_RATIO:
            raise Refused(
                f"a part of the document unpacks to {ratio:.0f} times its size "
                f"({member.file_size / 1e6:.0f} MB), over the limit of {MAX_RATIO} times "
                "(a ZIP bomb?)"
            )
