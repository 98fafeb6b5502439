"""The citation markers an answer may write: ``[1]``, ``[1, 3]``, full-width ``［2］`` and
``【2】``, and the rule's own word copied in (``[編號1]``, ``[來源 2]``, ``[source 1]``).
A label with no number (``[編號]``, a model echoing the rule) is a marker of nothing: it is
removed like a marker that names no source."""

from __future__ import annotations

import re

MARKER = re.compile(
    r"[\[［【]\s*(?:編號|编号|來源|来源|資料|资料|source|ref)?\s*"
    r"((?:\d+(?:\s*[,，、]\s*\d+)*)?)\s*[\]］】]",
    re.IGNORECASE,
)


def marker_numbers(group: str) -> list[int]:
    """The source numbers one marker names."""
    return [int(n) for n in re.findall(r"\d+", group)]
